using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Atende.Core.Data;
using Atende.Core.Email;
using Atende.Web.Tests.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using static Atende.Web.Tests.Files.FileTestData;

namespace Atende.Web.Tests.Files;

/// <summary>
/// A change that stores files and then does not commit (refused, ticket in the trash, the same e-mail processed twice)
/// leaves neither rows nor bytes in the store; a change that commits keeps them. On each database and each file store.
/// </summary>
public abstract class UnsavedFileTests(FilesFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly byte[] Pdf = With(PdfHead, 4000);

    private static MultipartFormDataContent Form(params (string Name, byte[] Bytes)[] files)
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

    private static MultipartFormDataContent Interaction(string body, bool isInternal, bool notify, params (string Name, byte[] Bytes)[] files)
    {
        var content = Form(files);
        content.Add(new StringContent(body), "body");
        content.Add(new StringContent(isInternal ? "true" : "false"), "internal");
        content.Add(new StringContent(notify ? "true" : "false"), "notify");
        return content;
    }

    /// <summary>Bytes in the store (files under the folder, or FileBlobs rows) and StoredFiles rows.</summary>
    private async Task<(int Bytes, int Rows)> Stored()
    {
        using var scope = fixture.App.Services.CreateScope();
        return (await StoredBytesCount(scope.ServiceProvider), await scope.ServiceProvider.GetRequiredService<AtendeDb>().StoredFiles.CountAsync(Ct));
    }

    private async Task<(HttpClient Api, long PartnerId, string ContactAddress, long TicketId, string Reference)> Ticket()
    {
        var api = fixture.App.Api(fixture.AdminToken);
        var workspaceId = await fixture.App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio"));
        var pipelineId = (await TicketSteps.Pipeline(api))["id"]!.GetValue<long>();
        var partner = await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/partners", new { name = TicketSteps.Unique("Cliente"), workspaceId }, Ct), HttpStatusCode.Created);
        var partnerId = partner["id"]!.GetValue<long>();
        var address = $"maria-{Guid.NewGuid():N}@cliente.test";
        var contact = await TicketSteps.Json(await api.PostAsJsonAsync($"/api/v1/partners/{partnerId}/contacts", new { name = "Maria Souza", emails = new[] { address } }, Ct), HttpStatusCode.Created);
        var ticket = await TicketSteps.Ticket(api, pipelineId, partnerId, contact["id"]!.GetValue<long>(), "Com arquivos");
        return (api, partnerId, address, ticket["id"]!.GetValue<long>(), ticket["reference"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_refused_interaction_with_files_leaves_no_bytes_and_a_posted_one_keeps_them()
    {
        var (api, _, _, ticketId, _) = await Ticket();
        var before = await Stored();

        // An internal note cannot notify: refused after the file was stored.
        var note = await TicketSteps.Problem(await api.PostAsync($"/api/v1/tickets/{ticketId}/interactions", Interaction("<p>Nota</p>", true, true, ("nota.pdf", Pdf)), Ct), HttpStatusCode.BadRequest);
        Assert.NotNull(note["errors"]!["notify"]);
        Assert.Equal(before, await Stored());

        // The second file is refused after the first was stored.
        var exe = await TicketSteps.Problem(await api.PostAsync($"/api/v1/tickets/{ticketId}/interactions",
            Interaction("<p>Segue</p>", false, false, ("contrato.pdf", Pdf), ("setup.exe", [0x4D, 0x5A, 0x90, 0x00])), Ct), HttpStatusCode.BadRequest);
        Assert.Contains("setup.exe", exe["errors"]!["file"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, await Stored());

        await TicketSteps.Json(await api.PostAsync($"/api/v1/tickets/{ticketId}/interactions", Interaction("<p>Segue</p>", false, false, ("contrato.pdf", Pdf)), Ct), HttpStatusCode.Created);
        var posted = await Stored();
        Assert.Equal((before.Bytes + 1, before.Rows + 1), posted);

        // A ticket in the trash takes no interaction.
        await TicketSteps.Json(await api.DeleteAsync($"/api/v1/tickets/{ticketId}", Ct), HttpStatusCode.NoContent);
        await TicketSteps.Problem(await api.PostAsync($"/api/v1/tickets/{ticketId}/interactions", Interaction("<p>Mais</p>", false, false, ("outro.pdf", Pdf)), Ct), HttpStatusCode.Conflict);
        Assert.Equal(posted, await Stored());
    }

    [Fact]
    public async Task A_refused_ticket_upload_leaves_no_bytes_and_an_accepted_one_keeps_them()
    {
        var (api, _, _, ticketId, _) = await Ticket();
        var before = await Stored();

        await TicketSteps.Problem(await api.PostAsync($"/api/v1/tickets/{ticketId}/attachments", Form(("nota.pdf", Pdf), ("setup.exe", [0x4D, 0x5A, 0x90, 0x00])), Ct), HttpStatusCode.BadRequest);
        Assert.Equal(before, await Stored());

        await TicketSteps.Json(await api.PostAsync($"/api/v1/tickets/{ticketId}/attachments", Form(("nota.pdf", Pdf), ("foto.pdf", Pdf)), Ct), HttpStatusCode.Created);
        var attached = await Stored();
        Assert.Equal((before.Bytes + 2, before.Rows + 2), attached);

        await TicketSteps.Json(await api.DeleteAsync($"/api/v1/tickets/{ticketId}", Ct), HttpStatusCode.NoContent);
        var trash = await TicketSteps.Problem(await api.PostAsync($"/api/v1/tickets/{ticketId}/attachments", Form(("tarde.pdf", Pdf)), Ct), HttpStatusCode.Conflict);
        Assert.Contains("lixeira", trash["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(attached, await Stored());
    }

    [Fact]
    public async Task An_email_reply_that_loses_the_race_to_another_node_leaves_no_bytes_of_its_attachments()
    {
        var (api, _, address, ticketId, reference) = await Ticket();
        var message = new MimeMessage { Subject = $"Re: [{reference}] Com arquivos", MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("cliente.test"), Date = DateTimeOffset.Now };
        message.From.Add(new MailboxAddress("Maria Souza", address));
        message.To.Add(new MailboxAddress("Empresa de Teste", "atendimento@empresa.test"));
        var body = new BodyBuilder { TextBody = "Segue o comprovante." };
        body.Attachments.Add("comprovante.pdf", Pdf);
        body.Attachments.Add("recibo.pdf", Pdf);
        message.Body = body.ToMessageBody();
        var before = await Stored();

        // Two nodes read the same message; the first commits.
        using (var first = fixture.App.Services.CreateScope())
        {
            var record = await first.ServiceProvider.GetRequiredService<InboundMail>().Process(message, "INBOX", new ImapSettings(), Ct);
            Assert.Equal(InboundStatus.Appended, record.Status);
            Assert.Equal(ticketId, record.TicketId);
        }
        var appended = await Stored();
        Assert.Equal((before.Bytes + 2, before.Rows + 2), appended);

        // The second stored the attachments too, then its row hits the unique key: all of it goes.
        using (var second = fixture.App.Services.CreateScope())
        {
            await Assert.ThrowsAsync<DbUpdateException>(() => second.ServiceProvider.GetRequiredService<InboundMail>().Process(message, "INBOX", new ImapSettings(), Ct));
        }
        Assert.Equal(appended, await Stored());
        var attachments = (await TicketSteps.Json(await api.GetAsync($"/api/v1/tickets/{ticketId}/attachments", Ct), HttpStatusCode.OK))["items"]!.AsArray();
        Assert.Equal(["comprovante.pdf", "recibo.pdf"], attachments.Select(a => a!["fileName"]!.GetValue<string>()).Order(StringComparer.Ordinal));
    }
}

public sealed class UnsavedFileTestsSqliteDisk(SqliteDiskFiles fixture) : UnsavedFileTests(fixture), IClassFixture<SqliteDiskFiles>;
public sealed class UnsavedFileTestsSqliteDatabase(SqliteDatabaseFiles fixture) : UnsavedFileTests(fixture), IClassFixture<SqliteDatabaseFiles>;
public sealed class UnsavedFileTestsPostgresDisk(PostgresDiskFiles fixture) : UnsavedFileTests(fixture), IClassFixture<PostgresDiskFiles>;
public sealed class UnsavedFileTestsPostgresDatabase(PostgresDatabaseFiles fixture) : UnsavedFileTests(fixture), IClassFixture<PostgresDatabaseFiles>;
