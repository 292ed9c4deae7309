using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using Atende.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Atende.Web.Tests.Conversations.ConversationData;

namespace Atende.Web.Tests.Conversations;

public abstract class ConversationAttachmentTests(AppFixture fixture)
{
    private TestApp App => fixture.App;

    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n");

    private static MultipartFormDataContent Files(params (string Name, byte[] Bytes)[] files)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, bytes) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Add(part, "files", name);
        }
        return content;
    }

    private async Task<(HttpClient Api, long WorkspaceId, long PartnerId)> Partner(string name)
    {
        var api = App.Api(fixture.AdminToken);
        var ws = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Anexos"));
        return (api, ws, await ConversationData.Partner(api, ws, Unique(name)));
    }

    private bool FileRowExists(long fileId)
    {
        using var scope = App.Services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<Atende.Core.Data.AtendeDb>().StoredFiles.Any(f => f.Id == fileId);
    }

    [Fact]
    public async Task Files_attach_to_a_pending_conversation_and_freeze_when_it_is_concluded()
    {
        var (api, _, partnerId) = await Partner("Ateliê Anexos");
        var conversation = await Conversation(api, partnerId);
        var id = conversation["id"]!.GetValue<long>();
        Assert.Empty(conversation["attachments"]!.AsArray());

        var added = await Json(await api.PostAsync($"/api/v1/conversations/{id}/attachments",
            Files(("proposta revisão.pdf", Pdf), ("notas.txt", Encoding.UTF8.GetBytes("Ligar às 14h."))), Ct), HttpStatusCode.Created);
        var items = added["items"]!.AsArray();
        Assert.Equal(["notas.txt", "proposta revisão.pdf"], items.Select(i => i!["fileName"]!.GetValue<string>()).Order());
        var pdfId = items.Single(i => i!["fileName"]!.GetValue<string>().EndsWith(".pdf", StringComparison.Ordinal))!["id"]!.GetValue<long>();
        var txtId = items.Single(i => i!["fileName"]!.GetValue<string>() == "notas.txt")!["id"]!.GetValue<long>();

        var download = await api.GetAsync($"/api/v1/conversations/{id}/attachments/{pdfId}", Ct);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(Pdf, await download.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);

        var refused = await Json(await api.PostAsync($"/api/v1/conversations/{id}/attachments", Files(("script.exe", [0x4d, 0x5a, 0x90, 0x00])), Ct), HttpStatusCode.BadRequest);
        Assert.Contains("script.exe", refused["errors"]!["file"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/conversations/{id}/attachments/{txtId}", Ct)).StatusCode);
        var one = await Json(await api.GetAsync($"/api/v1/conversations/{id}", Ct), HttpStatusCode.OK);
        Assert.Equal(["proposta revisão.pdf"], one["attachments"]!.AsArray().Select(a => a!["fileName"]!.GetValue<string>()));

        // Concluded: the files stay readable but can neither be added nor removed.
        Assert.Equal(HttpStatusCode.OK, (await Patch(api, id, new { concluded = true }, 1)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsync($"/api/v1/conversations/{id}/attachments", Files(("tarde.pdf", Pdf)), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await api.DeleteAsync($"/api/v1/conversations/{id}/attachments/{pdfId}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/conversations/{id}/attachments/{pdfId}", Ct)).StatusCode);
        var list = await Json(await api.GetAsync($"/api/v1/conversations/{id}/attachments", Ct), HttpStatusCode.OK);
        Assert.Single(list["items"]!.AsArray());
    }

    [Fact]
    public async Task Another_workspace_conversation_files_are_404_and_a_deleted_conversation_takes_its_files()
    {
        var (api, ws, partnerId) = await Partner("Ferragem Escopo");
        var conversation = await Conversation(api, partnerId);
        var id = conversation["id"]!.GetValue<long>();
        var added = await Json(await api.PostAsync($"/api/v1/conversations/{id}/attachments", Files(("orcamento.pdf", Pdf)), Ct), HttpStatusCode.Created);
        var attachmentId = added["items"]![0]!["id"]!.GetValue<long>();

        var other = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Alheio"));
        var email = $"anexos-{Guid.NewGuid():N}@test.com.br";
        var (_, token) = await App.CreateUser(fixture.AdminToken, email, "Agent", other);
        var agent = App.Api(token);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync($"/api/v1/conversations/{id}/attachments", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync($"/api/v1/conversations/{id}/attachments/{attachmentId}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.PostAsync($"/api/v1/conversations/{id}/attachments", Files(("x.pdf", Pdf)), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.DeleteAsync($"/api/v1/conversations/{id}/attachments/{attachmentId}", Ct)).StatusCode);
        using (var browser = await App.LoggedIn(email, TestApp.Password))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/conversations/{id}/attachments/{attachmentId}", Ct)).StatusCode);
        }
        // Another conversation's attachment id is not found through this one.
        var second = await Conversation(api, partnerId);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/conversations/{second["id"]}/attachments/{attachmentId}", Ct)).StatusCode);

        long fileId;
        using (var scope = App.Services.CreateScope())
        {
            fileId = scope.ServiceProvider.GetRequiredService<Atende.Core.Data.AtendeDb>().ConversationAttachments.Single(a => a.Id == attachmentId).FileId;
        }
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/conversations/{id}", Ct)).StatusCode);
        Assert.False(FileRowExists(fileId));
        Assert.Equal(ws, (await Json(await api.GetAsync($"/api/v1/conversations/{second["id"]}", Ct), HttpStatusCode.OK))["workspaceId"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_form_uploads_with_the_conversation_and_shows_them_read_only_once_concluded()
    {
        var (api, _, partnerId) = await Partner("Livraria Formulário");
        using var browser = await App.LoggedIn();
        var page = await browser.GetPage($"/conversations/new?partnerId={partnerId}");
        var form = (IHtmlFormElement)page.QuerySelector("form.conversation-form")!;
        Assert.Equal("multipart/form-data", form.Enctype);
        Assert.NotNull(page.QuerySelector("[data-dropzone] input[type='file'][name='files'][multiple]"));

        async Task<HttpResponseMessage> Post(string url, Dictionary<string, string> values, params (string Name, byte[] Bytes)[] files)
        {
            var content = Files(files);
            foreach (var field in form.Elements.OfType<IHtmlInputElement>().Where(i => i.Type is "hidden" && !string.IsNullOrEmpty(i.Name)))
            {
                if (!values.ContainsKey(field.Name!))
                {
                    content.Add(new StringContent(field.Value), field.Name!);
                }
            }
            foreach (var (key, value) in values)
            {
                content.Add(new StringContent(value), key);
            }
            return await browser.PostAsync(url, content, Ct);
        }

        var fields = new Dictionary<string, string>
        {
            ["Input.PartnerId"] = partnerId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Input.ChannelId"] = "1", ["Input.OpportunityTypeId"] = "1",
            ["Input.SellerId"] = (await UserId(api, TestApp.AdminEmail)).ToString(System.Globalization.CultureInfo.InvariantCulture), ["Input.At"] = "2030-10-10T10:00",
            ["Input.Subject"] = "Catálogo de livros didáticos",
        };
        // Refused (no description): the file is not kept, and the page says so.
        var refused = await HtmlClient.Parse(await Post("/conversations/new", fields, ("catalogo.pdf", Pdf)));
        Assert.Equal("Descrição é obrigatória.", refused.QuerySelector("[data-valmsg-for='Input.Description']")!.TextContent.Trim());
        Assert.Contains("não foram salvos", refused.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        // The file is named next to its field and in the error summary, whose first line is the error itself.
        Assert.Equal(["catalogo.pdf"], refused.QuerySelectorAll("#files-again li").Select(li => li.TextContent.Trim()));
        Assert.Equal("files-again", refused.QuerySelector("#conversation-files")!.GetAttribute("aria-describedby"));
        var summary = refused.QuerySelectorAll("#error-summary li a").Select(a => (a.GetAttribute("href"), a.TextContent.Trim())).ToList();
        Assert.Equal(("#Input_Description", "Descrição é obrigatória."), summary[0]);
        Assert.Equal("#conversation-files", summary[1].Item1);
        Assert.StartsWith("Anexos: escolha de novo catalogo.pdf;", summary[1].Item2, StringComparison.Ordinal);
        Assert.Equal(["Input_Description"], refused.QuerySelectorAll("[autofocus]").Select(e => e.Id));

        fields["Input.Description"] = "Enviado o catálogo com os preços do próximo semestre.";
        var saved = await Post("/conversations/new", fields, ("catalogo.pdf", Pdf));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var url = saved.Headers.Location!.OriginalString;
        var editable = await browser.GetPage(url);
        var link = editable.QuerySelector(".attachment-list a")!;
        Assert.Equal("catalogo.pdf", link.TextContent.Trim());
        Assert.Equal(Pdf, await browser.GetByteArrayAsync(link.GetAttribute("href"), Ct));

        // Concluding with one more file: both are there, read-only.
        form = (IHtmlFormElement)editable.QuerySelector("form.conversation-form")!;
        fields["action"] = "conclude";
        Assert.Equal(HttpStatusCode.Redirect, (await Post(url, fields, ("ata.pdf", Pdf))).StatusCode);
        var locked = await browser.GetPage(url);
        Assert.Equal(["ata.pdf", "catalogo.pdf"], locked.QuerySelectorAll(".attachment-list a").Select(a => a.TextContent.Trim()).Order());
        Assert.Null(locked.QuerySelector("input[type='file']"));
        Assert.Empty(locked.QuerySelectorAll("button[formaction*='RemoveAttachment']"));
    }
}

public sealed class ConversationAttachmentTestsSqlite(SqliteFixture fixture) : ConversationAttachmentTests(fixture), IClassFixture<SqliteFixture>;

public sealed class ConversationAttachmentTestsPostgres(PostgresFixture fixture) : ConversationAttachmentTests(fixture), IClassFixture<PostgresFixture>;
