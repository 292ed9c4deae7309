using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Atende.Web.Tests.Infrastructure;

namespace Atende.Web.Tests.Tickets;

public abstract class TicketAttachmentTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n");
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

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

    private async Task<(HttpClient Api, long WorkspaceId, long PipelineId, long TicketId)> Ticket()
    {
        var api = App.Api(fixture.AdminToken);
        var ws = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio"));
        var pipeline = await TicketSteps.Pipeline(api);
        var (partnerId, _) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Cliente"), "Ana");
        var ticket = await TicketSteps.Ticket(api, pipeline["id"]!.GetValue<long>(), partnerId, null, "Com arquivos");
        return (api, ws, pipeline["id"]!.GetValue<long>(), ticket["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task Files_are_attached_listed_and_served_as_safe_downloads()
    {
        var (api, _, _, ticketId) = await Ticket();
        var created = await TicketSteps.Json(await api.PostAsync($"/api/v1/tickets/{ticketId}/attachments", Files(("Orçamento final.pdf", Pdf), ("foto.png", Png)), Ct), HttpStatusCode.Created);
        Assert.Equal(["Orçamento final.pdf", "foto.png"], created["items"]!.AsArray().Select(a => a!["fileName"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        var pdf = created["items"]!.AsArray().Single(a => a!["fileName"]!.GetValue<string>().EndsWith(".pdf", StringComparison.Ordinal))!;

        var download = await api.GetAsync($"/api/v1/tickets/{ticketId}/attachments/{pdf["id"]}", Ct);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(Pdf, await download.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("Orçamento final.pdf", download.Content.Headers.ContentDisposition.FileNameStar);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("sandbox", download.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        var image = created["items"]!.AsArray().Single(a => a!["fileName"]!.GetValue<string>() == "foto.png")!;
        var preview = await api.GetAsync($"/api/v1/tickets/{ticketId}/attachments/{image["id"]}?preview=true", Ct);
        Assert.Equal("inline", preview.Content.Headers.ContentDisposition!.DispositionType);
        var pdfPreview = await api.GetAsync($"/api/v1/tickets/{ticketId}/attachments/{pdf["id"]}?preview=true", Ct);
        Assert.Equal("attachment", pdfPreview.Content.Headers.ContentDisposition!.DispositionType);

        var history = (await TicketSteps.Json(await api.GetAsync($"/api/v1/tickets/{ticketId}/history", Ct), HttpStatusCode.OK))["items"]!.AsArray();
        Assert.Equal("attachments", history[0]!["field"]!.GetValue<string>());

        await TicketSteps.Json(await api.DeleteAsync($"/api/v1/tickets/{ticketId}/attachments/{pdf["id"]}", Ct), HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/tickets/{ticketId}/attachments/{pdf["id"]}", Ct)).StatusCode);
        var list = await TicketSteps.Json(await api.GetAsync($"/api/v1/tickets/{ticketId}/attachments", Ct), HttpStatusCode.OK);
        Assert.Equal(["foto.png"], list["items"]!.AsArray().Select(a => a!["fileName"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Dangerous_files_are_refused_and_nothing_is_attached()
    {
        var (api, _, _, ticketId) = await Ticket();
        var exe = await TicketSteps.Problem(await api.PostAsync($"/api/v1/tickets/{ticketId}/attachments", Files(("nota.pdf", Pdf), ("setup.exe", [0x4D, 0x5A, 0x90, 0x00])), Ct), HttpStatusCode.BadRequest);
        Assert.Contains("setup.exe", exe["errors"]!["file"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var disguised = await TicketSteps.Problem(await api.PostAsync($"/api/v1/tickets/{ticketId}/attachments", Files(("fatura.pdf", Encoding.ASCII.GetBytes("<html><script>alert(1)</script></html>"))), Ct), HttpStatusCode.BadRequest);
        Assert.Contains("fatura.pdf", disguised["errors"]!["file"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var list = await TicketSteps.Json(await api.GetAsync($"/api/v1/tickets/{ticketId}/attachments", Ct), HttpStatusCode.OK);
        Assert.Empty(list["items"]!.AsArray());
    }

    [Fact]
    public async Task Interactions_carry_files_and_foreign_attachment_ids_are_refused()
    {
        var (api, ws, pipelineId, ticketId) = await Ticket();
        var multipart = Files(("planilha.pdf", Pdf));
        multipart.Add(new StringContent("<p>Segue o arquivo</p>"), "body");
        multipart.Add(new StringContent("false"), "internal");
        var interaction = await TicketSteps.Json(await api.PostAsync($"/api/v1/tickets/{ticketId}/interactions", multipart, Ct), HttpStatusCode.Created);
        var attachment = interaction["attachments"]!.AsArray().Single()!;
        Assert.Equal("planilha.pdf", attachment["fileName"]!.GetValue<string>());

        var (partnerId, _) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Outro"), "Bia");
        var other = await TicketSteps.Ticket(api, pipelineId, partnerId, null, "Outro atendimento");
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/tickets/{other["id"]}/attachments/{attachment["id"]}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/tickets/{other["id"]}/attachments/{attachment["id"]}", Ct)).StatusCode);

        // A stored file already attached elsewhere, or uploaded by someone else, cannot be attached by id.
        var uploaded = await TicketSteps.Json(await api.PostAsync("/api/v1/files", Files(("livre.pdf", Pdf)), Ct), HttpStatusCode.Created);
        var fileId = uploaded["items"]![0]!["id"]!.GetValue<long>();
        var (agentId, agentToken) = await App.CreateUser(fixture.AdminToken, $"ag{Guid.NewGuid():N}@test.com.br", "Agent", ws);
        var etag = (await api.GetAsync($"/api/v1/pipelines/{pipelineId}", Ct)).Headers.ETag!.Tag;
        using var agent = App.Api(agentToken);
        await TicketSteps.Json(await TicketSteps.Patch(api, $"/api/v1/pipelines/{pipelineId}", new { authorizedUserIds = new[] { agentId } }, etag), HttpStatusCode.OK);
        var stolen = await TicketSteps.Problem(await agent.PostAsJsonAsync($"/api/v1/tickets/{ticketId}/interactions", new { body = "meu", fileIds = new[] { fileId } }, Ct), HttpStatusCode.BadRequest);
        Assert.NotNull(stolen["errors"]!["fileIds"]);
        await TicketSteps.Json(await api.PostAsJsonAsync($"/api/v1/tickets/{ticketId}/interactions", new { body = "meu", fileIds = new[] { fileId } }, Ct), HttpStatusCode.Created);
        var reused = await TicketSteps.Problem(await api.PostAsJsonAsync($"/api/v1/tickets/{other["id"]}/interactions", new { body = "de novo", fileIds = new[] { fileId } }, Ct), HttpStatusCode.BadRequest);
        Assert.NotNull(reused["errors"]!["fileIds"]);
    }

    [Fact]
    public async Task Agents_without_the_pipeline_get_404_for_its_attachments()
    {
        var (api, ws, _, ticketId) = await Ticket();
        var created = await TicketSteps.Json(await api.PostAsync($"/api/v1/tickets/{ticketId}/attachments", Files(("contrato.pdf", Pdf)), Ct), HttpStatusCode.Created);
        var attachmentId = created["items"]![0]!["id"];
        var (_, token) = await App.CreateUser(fixture.AdminToken, $"ag{Guid.NewGuid():N}@test.com.br", "Agent", ws);
        using var agent = App.Api(token);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync($"/api/v1/tickets/{ticketId}/attachments", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync($"/api/v1/tickets/{ticketId}/attachments/{attachmentId}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.PostAsync($"/api/v1/tickets/{ticketId}/attachments", Files(("x.pdf", Pdf)), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.DeleteAsync($"/api/v1/tickets/{ticketId}/attachments/{attachmentId}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Uploading_on_the_ticket_page_attaches_and_purge_removes_everything()
    {
        var (api, _, pipelineId, ticketId) = await Ticket();
        using var browser = await App.LoggedIn();
        var page = await browser.GetPage($"/tickets/{ticketId}?tab=arquivos");
        var form = page.QuerySelector("#upload-form")!;
        var content = Files(("Relatório.pdf", Pdf));
        content.Add(new StringContent(form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!), "__RequestVerificationToken");
        var posted = await browser.PostAsync(form.GetAttribute("action"), content, Ct);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var after = await browser.GetPage(posted.Headers.Location!.ToString());
        Assert.Contains("Arquivo anexado.", after.QuerySelector(".flash")!.TextContent, StringComparison.Ordinal);
        var link = after.QuerySelectorAll("#arquivos a").Single(a => a.TextContent.Contains("Relatório.pdf", StringComparison.Ordinal)).GetAttribute("href")!;
        var download = await browser.GetAsync(link, Ct);
        Assert.Equal(Pdf, await download.Content.ReadAsByteArrayAsync(Ct));

        await api.DeleteAsync($"/api/v1/tickets/{ticketId}", Ct);
        await TicketSteps.Json(await api.PostAsync($"/api/v1/tickets/{ticketId}/purge", null, Ct), HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync(link, Ct)).StatusCode);
        Assert.Empty(await TicketSteps.References(api, $"pipelineId={pipelineId}&bin=Trash"));
    }
}

public sealed class TicketAttachmentTestsSqlite(SqliteFixture fixture) : TicketAttachmentTests(fixture), IClassFixture<SqliteFixture>;

public sealed class TicketAttachmentTestsPostgres(PostgresFixture fixture) : TicketAttachmentTests(fixture), IClassFixture<PostgresFixture>;
