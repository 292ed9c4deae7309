using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Atende.Core.Data;
using Atende.Web.Tests.Email;
using Atende.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Atende.Web.Tests.Tickets;

/// <summary>SPEC S4/S5: ticket actions e-mail through the outbox (real SMTP server), and say what became of the e-mail.</summary>
public abstract class TicketEmailTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record World(HttpClient Api, long WorkspaceId, long PipelineId, string Alias, long PartnerId);

    private async Task<World> Setup(long[]? users = null)
    {
        var api = App.Api(fixture.AdminToken);
        await api.PutAsJsonAsync("/api/v1/settings/smtp", new
        {
            host = "127.0.0.1", port = TestMailServer.Require().Port, security = "None", userName = (string?)null, password = (string?)null,
            fromName = "Empresa de Teste", fromAddress = "atendimento@empresa.test",
        }, Ct);
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio"));
        var alias = TicketSteps.UniqueAlias();
        var pipeline = await TicketSteps.Pipeline(api, alias, users);
        var partner = await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/partners", new { name = TicketSteps.Unique("Cliente"), workspaceId }, Ct), HttpStatusCode.Created);
        return new World(api, workspaceId, pipeline["id"]!.GetValue<long>(), alias, partner["id"]!.GetValue<long>());
    }

    private async Task<long> Contact(World w, string name, string? email)
    {
        var created = await TicketSteps.Json(await w.Api.PostAsJsonAsync($"/api/v1/partners/{w.PartnerId}/contacts",
            new { name, emails = email is null ? Array.Empty<string>() : [email] }, Ct), HttpStatusCode.Created);
        return created["id"]!.GetValue<long>();
    }

    private static string Address(string who) => $"{who}-{Guid.NewGuid():N}@cliente.test";

    private static async Task<JsonObject> Status(World w, long ticketId, string status) =>
        await TicketSteps.Json(await w.Api.PostAsJsonAsync($"/api/v1/tickets/{ticketId}/status", new { status }, Ct), HttpStatusCode.OK);

    private async Task<int> OutboxRows(long ticketId)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AtendeDb>().OutboxEmails.CountAsync(e => e.TicketId == ticketId, Ct);
    }

    [Fact]
    public async Task A_status_change_emails_the_contact_with_the_bracketed_reference_and_the_status_name()
    {
        var w = await Setup();
        var to = Address("maria");
        var ticket = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, await Contact(w, "Maria", to), "Nota fiscal <script>alert(1)</script> & cia");
        var id = ticket["id"]!.GetValue<long>();
        var reference = ticket["reference"]!.GetValue<string>();

        var changed = await Status(w, id, "Done");
        Assert.Equal("Done", changed["status"]!.GetValue<string>());
        Assert.Equal("queued", changed["email"]!["status"]!.GetValue<string>());
        Assert.True(changed["email"]!["outboxId"]!.GetValue<long>() > 0);
        Assert.Null(changed["email"]!["reason"]);

        var message = Assert.Single(await TestMailServer.WaitFor(m => m.To.Mailboxes.Any(b => b.Address == to)));
        Assert.Equal($"[{reference}] Nota fiscal <script>alert(1)</script> & cia — situação: Finalizado", message.Subject);
        Assert.Contains("Nota fiscal &lt;script&gt;alert(1)&lt;/script&gt; &amp; cia", message.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("mudou para Finalizado", message.TextBody, StringComparison.Ordinal);

        // Reabrir e-mails too, with its own status name; GET answers carry no e-mail.
        using var reopen = await w.Api.PostAsync($"/api/v1/tickets/{id}/reopen", null, Ct);
        Assert.Equal("queued", (await TicketSteps.Json(reopen, HttpStatusCode.OK))["email"]!["status"]!.GetValue<string>());
        await TestMailServer.WaitFor(m => m.Subject?.EndsWith("situação: Reaberto", StringComparison.Ordinal) == true && m.To.Mailboxes.Any(b => b.Address == to));
        Assert.Null((await TicketSteps.Json(await w.Api.GetAsync($"/api/v1/tickets/{id}", Ct), HttpStatusCode.OK))["email"]);
    }

    [Fact]
    public async Task Without_contact_or_contact_email_the_status_still_changes_and_the_outcome_says_why()
    {
        var w = await Setup();
        var noContact = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, null, "Sem contato");
        var changed = await Status(w, noContact["id"]!.GetValue<long>(), "Analyzing");
        Assert.Equal("Analyzing", changed["status"]!.GetValue<string>());
        Assert.Equal("skipped", changed["email"]!["status"]!.GetValue<string>());
        Assert.Equal("o atendimento não tem contato do solicitante.", changed["email"]!["reason"]!.GetValue<string>());
        Assert.Null(changed["email"]!["outboxId"]);
        Assert.Equal("Não foi possível enviar o e-mail: o atendimento não tem contato do solicitante.", changed["email"]!["message"]!.GetValue<string>());

        var withoutEmail = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, await Contact(w, "José Sem Email", null), "Contato sem e-mail");
        changed = await Status(w, withoutEmail["id"]!.GetValue<long>(), "Waiting");
        Assert.Equal("Waiting", changed["status"]!.GetValue<string>());
        Assert.Equal("o contato José Sem Email não tem e-mail cadastrado.", changed["email"]!["reason"]!.GetValue<string>());
        Assert.Equal(0, await OutboxRows(withoutEmail["id"]!.GetValue<long>()));
    }

    [Fact]
    public async Task Notify_emails_the_assignee_with_the_link_to_the_ticket()
    {
        var agentEmail = Address("agente");
        var w0 = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio"));
        var (agentId, _) = await App.CreateUser(fixture.AdminToken, agentEmail, "Agent", w0);
        var w = await Setup([agentId]);
        // The assignee must see the ticket: the requester's workspace too.
        await TicketSteps.Json(await TicketSteps.Patch(w.Api, $"/api/v1/users/{agentId}", new { workspaceIds = new[] { w.WorkspaceId } }, "*"), System.Net.HttpStatusCode.OK);
        var ticket = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, null, "Novo pedido", new { assigneeId = agentId });
        var id = ticket["id"]!.GetValue<long>();

        using var response = await w.Api.PostAsync($"/api/v1/tickets/{id}/notify", null, Ct);
        var notified = await TicketSteps.Json(response, HttpStatusCode.OK);
        Assert.NotNull(notified["notifiedAt"]);
        Assert.Equal("queued", notified["email"]!["status"]!.GetValue<string>());

        var message = Assert.Single(await TestMailServer.WaitFor(m => m.To.Mailboxes.Any(b => b.Address == agentEmail)));
        Assert.StartsWith($"[{ticket["reference"]}] Novo pedido", message.Subject, StringComparison.Ordinal);
        Assert.Contains($"/tickets/{id}\"", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains($"/tickets/{id}", message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Links_in_emails_use_the_address_saved_for_the_company_and_a_bad_address_is_refused()
    {
        var agentEmail = Address("agente");
        var w0 = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio"));
        var (agentId, _) = await App.CreateUser(fixture.AdminToken, agentEmail, "Agent", w0);
        var w = await Setup([agentId]);
        // The assignee must see the ticket: the requester's workspace too.
        await TicketSteps.Json(await TicketSteps.Patch(w.Api, $"/api/v1/users/{agentId}", new { workspaceIds = new[] { w.WorkspaceId } }, "*"), System.Net.HttpStatusCode.OK);
        var company = await TicketSteps.Json(await w.Api.GetAsync("/api/v1/settings/company", Ct), HttpStatusCode.OK);
        var refused = await TicketSteps.Problem(await w.Api.PutAsJsonAsync("/api/v1/settings/company",
            new { name = company["name"]!.GetValue<string>(), timeZone = "America/Sao_Paulo", publicUrl = "javascript:alert(1)" }, Ct), HttpStatusCode.BadRequest);
        Assert.StartsWith("Endereço inválido: javascript:alert(1).", refused["errors"]!["publicUrl"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var saved = await TicketSteps.Json(await w.Api.PutAsJsonAsync("/api/v1/settings/company",
            new { name = company["name"]!.GetValue<string>(), timeZone = "America/Sao_Paulo", publicUrl = "https://atende.empresa.test/" }, Ct), HttpStatusCode.OK);
        Assert.Equal("https://atende.empresa.test", saved["publicUrl"]!.GetValue<string>());

        var ticket = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, null, "Link salvo", new { assigneeId = agentId });
        var id = ticket["id"]!.GetValue<long>();
        await TicketSteps.Json(await w.Api.PostAsync($"/api/v1/tickets/{id}/notify", null, Ct), HttpStatusCode.OK);

        var message = Assert.Single(await TestMailServer.WaitFor(m => m.To.Mailboxes.Any(b => b.Address == agentEmail)));
        Assert.Contains($"href=\"https://atende.empresa.test/tickets/{id}\"", message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Salvar_e_notificar_emails_the_public_interaction_with_its_attachment_and_never_an_internal_note()
    {
        var w = await Setup();
        var to = Address("ana");
        var ticket = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, await Contact(w, "Ana", to), "Contrato");
        var id = ticket["id"]!.GetValue<long>();
        using var upload = new MultipartFormDataContent();
        var part = new ByteArrayContent(Encoding.UTF8.GetBytes("minuta do contrato\n"));
        part.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        upload.Add(part, "files", "minuta.txt");
        var fileId = (await TicketSteps.Json(await w.Api.PostAsync("/api/v1/files", upload, Ct), HttpStatusCode.Created))["items"]![0]!["id"]!.GetValue<long>();

        // An internal note with notify is refused, and nothing is written.
        var refused = await TicketSteps.Problem(await w.Api.PostAsJsonAsync($"/api/v1/tickets/{id}/interactions",
            new { body = "<p>segredo interno</p>", @internal = true, notify = true }, Ct), HttpStatusCode.BadRequest);
        Assert.Contains("Notas internas nunca são enviadas por e-mail", refused["errors"]!["notify"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var note = await TicketSteps.Json(await w.Api.PostAsJsonAsync($"/api/v1/tickets/{id}/interactions",
            new { body = "<p>segredo interno</p>", @internal = true, notify = false }, Ct), HttpStatusCode.Created);
        Assert.Null(note["email"]);
        Assert.Equal(0, await OutboxRows(id));

        var posted = await TicketSteps.Json(await w.Api.PostAsJsonAsync($"/api/v1/tickets/{id}/interactions",
            new { body = "<p>Segue a <b>minuta</b>.</p><script>x()</script>", @internal = false, notify = true, fileIds = new[] { fileId } }, Ct), HttpStatusCode.Created);
        Assert.True(posted["notify"]!.GetValue<bool>());
        Assert.Equal("queued", posted["email"]!["status"]!.GetValue<string>());

        var message = Assert.Single(await TestMailServer.WaitFor(m => m.To.Mailboxes.Any(b => b.Address == to)));
        Assert.Equal($"[{ticket["reference"]}] Contrato", message.Subject);
        Assert.Contains("Segue a <b>minuta</b>.", message.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", message.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("segredo interno", message.HtmlBody + message.TextBody, StringComparison.Ordinal);
        var attachment = Assert.IsAssignableFrom<MimePart>(Assert.Single(message.Attachments));
        Assert.Equal("minuta.txt", attachment.FileName);
        Assert.Equal(1, await OutboxRows(id));
    }

    [Fact]
    public async Task While_the_smtp_server_is_down_a_status_change_succeeds_and_its_email_goes_out_when_the_server_is_back()
    {
        var w = await Setup();
        var to = Address("rita");
        var ticket = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, await Contact(w, "Rita", to), "Servidor fora do ar");
        var id = ticket["id"]!.GetValue<long>();
        var port = FakeSmtpServer.ClosedPort();
        await TicketSteps.Json(await w.Api.PutAsJsonAsync("/api/v1/settings/smtp", new
        {
            host = "127.0.0.1", port, security = "None", userName = (string?)null, password = (string?)null,
            fromName = "Empresa de Teste", fromAddress = "atendimento@empresa.test",
        }, Ct), HttpStatusCode.OK);

        // Nothing listens on the port: the action succeeds all the same and its e-mail waits in the outbox, saying why.
        var changed = await Status(w, id, "Done");
        Assert.Equal("Done", changed["status"]!.GetValue<string>());
        Assert.Equal("queued", changed["email"]!["status"]!.GetValue<string>());
        var outboxId = changed["email"]!["outboxId"]!.GetValue<long>();
        var waiting = await OutboxRow(w, id, outboxId, r => r["attempts"]!.GetValue<int>() >= 1 && r["status"]!.GetValue<string>() == "Pending");
        Assert.Equal($"Conexão recusada por 127.0.0.1:{port}. Confira o servidor e a porta.", waiting["lastError"]!.GetValue<string>());

        // The server comes back on the same port, nobody touches the settings: the retry delivers it.
        await using var server = new FakeSmtpServer((_, _) => null, port);
        var sent = await OutboxRow(w, id, outboxId, r => r["status"]!.GetValue<string>() == "Sent");
        Assert.True(sent["attempts"]!.GetValue<int>() >= 2);
        MimeKit.MimeMessage message;
        lock (server.Received)
        {
            message = Assert.Single(server.Received);
        }
        Assert.Equal(to, Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal(sent["messageId"]!.GetValue<string>(), message.MessageId);
        Assert.EndsWith("situação: Finalizado", message.Subject, StringComparison.Ordinal);
    }

    /// <summary>The ticket's e-mail as the admin's outbox list shows it, once <paramref name="done"/> holds (20 s at most).</summary>
    private static async Task<JsonNode> OutboxRow(World w, long ticketId, long outboxId, Func<JsonNode, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var items = (await TicketSteps.Json(await w.Api.GetAsync($"/api/v1/outbox?ticketId={ticketId}", Ct), HttpStatusCode.OK))["items"]!.AsArray();
            var row = items.Single(i => i!["id"]!.GetValue<long>() == outboxId)!;
            if (done(row))
            {
                return row;
            }
            Assert.True(DateTime.UtcNow < deadline, $"outbox e-mail {outboxId} stayed {row["status"]} (attempts {row["attempts"]}, last error: {row["lastError"]})");
            await Task.Delay(100, Ct);
        }
    }

    [Fact]
    public async Task A_status_change_refused_as_stale_enqueues_nothing()
    {
        var w = await Setup();
        var ticket = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, await Contact(w, "Rui", Address("rui")), "Versão velha");
        var id = ticket["id"]!.GetValue<long>();
        await TicketSteps.Json(await TicketSteps.Patch(w.Api, $"/api/v1/tickets/{id}", new { title = "Versão nova" }, $"\"{ticket["version"]}\""), HttpStatusCode.OK);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/tickets/{id}/status") { Content = JsonContent.Create(new { status = "Done" }) };
        request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{ticket["version"]}\""));
        using var stale = await w.Api.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(0, await OutboxRows(id));
        Assert.Equal("Open", (await TicketSteps.Json(await w.Api.GetAsync($"/api/v1/tickets/{id}", Ct), HttpStatusCode.OK))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_timeline_lists_the_tickets_emails_with_their_state_and_an_agent_without_access_sees_none()
    {
        var w = await Setup();
        var to = Address("bia");
        var ticket = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, await Contact(w, "Bia", to), "Linha do tempo");
        var id = ticket["id"]!.GetValue<long>();
        using var browser = await App.LoggedIn();

        // The page action shows the e-mail's fate apart from the action's message.
        await Status(w, id, "Done");
        var reopened = await browser.SubmitForm($"/tickets/{id}", "form[action*='handler=Action']", [], "action", "reopen");
        Assert.Equal(HttpStatusCode.Redirect, reopened.StatusCode);
        var page = await browser.GetPage(reopened.Headers.Location!.ToString());
        Assert.Contains("reaberto.", page.QuerySelector(".alert-success")!.TextContent, StringComparison.Ordinal);
        Assert.Contains($"E-mail na fila para {to}.", page.QuerySelector(".flash-email")!.TextContent, StringComparison.Ordinal);

        await TestMailServer.WaitFor(m => m.To.Mailboxes.Any(b => b.Address == to), count: 2);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        List<AngleSharp.Dom.IElement> emails;
        do
        {
            page = await browser.GetPage($"/tickets/{id}");
            emails = page.QuerySelectorAll(".timeline-email").ToList();
        }
        while (emails.Any(e => !e.QuerySelector(".email-state")!.TextContent.Contains("Enviado", StringComparison.Ordinal)) && DateTime.UtcNow < deadline && await Delay());
        Assert.Equal(2, emails.Count);
        Assert.All(emails, e => Assert.Contains($"E-mail para {to}", e.TextContent, StringComparison.Ordinal));
        Assert.All(emails, e => Assert.Equal("Enviado", e.QuerySelector(".email-state")!.TextContent.Trim()));
        Assert.Contains(emails, e => e.QuerySelector(".email-subject")!.TextContent.EndsWith("situação: Finalizado", StringComparison.Ordinal));

        // An agent of the workspace who is not authorized on the pipeline sees neither the ticket nor its e-mails.
        var agentEmail = Address("outro");
        var (_, agentToken) = await App.CreateUser(fixture.AdminToken, agentEmail, "Agent", w.WorkspaceId);
        using var agentApi = App.Api(agentToken);
        Assert.Equal(HttpStatusCode.NotFound, (await agentApi.GetAsync($"/api/v1/tickets/{id}/interactions", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agentApi.GetAsync($"/api/v1/tickets/{id}", Ct)).StatusCode);
        using var agent = await App.LoggedIn(agentEmail);
        var agentPage = await agent.GetAsync($"/tickets/{id}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, agentPage.StatusCode);
        Assert.DoesNotContain(to, await agentPage.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.OK, (await agentApi.GetAsync($"/api/v1/outbox?ticketId={id}", Ct)).StatusCode);
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(200, Ct);
        return true;
    }
}

public sealed class TicketEmailTestsSqlite(EmailSqliteFixture f) : TicketEmailTests(f), IClassFixture<EmailSqliteFixture>;

public sealed class TicketEmailTestsPostgres(EmailPostgresFixture f) : TicketEmailTests(f), IClassFixture<EmailPostgresFixture>;

/// <summary>Without the company e-mail (SMTP), actions still succeed and say so; "Salvar e notificar" is disabled.</summary>
public abstract class TicketEmailUnconfiguredTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_company_email_the_action_succeeds_the_outcome_says_why_and_Salvar_e_notificar_is_disabled()
    {
        using var api = App.Api(fixture.AdminToken);
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio"));
        var pipeline = await TicketSteps.Pipeline(api);
        var (partnerId, _) = await TicketSteps.Partner(api, workspaceId, TicketSteps.Unique("Cliente"), "Lia");
        var partner = await TicketSteps.Json(await api.PostAsJsonAsync($"/api/v1/partners/{partnerId}/contacts", new { name = "Com e-mail", emails = new[] { "lia@cliente.test" } }, Ct), HttpStatusCode.Created);
        var ticket = await TicketSteps.Ticket(api, pipeline["id"]!.GetValue<long>(), partnerId, partner["id"]!.GetValue<long>(), "Sem SMTP");
        var id = ticket["id"]!.GetValue<long>();

        var changed = await TicketSteps.Json(await api.PostAsJsonAsync($"/api/v1/tickets/{id}/status", new { status = "Done" }, Ct), HttpStatusCode.OK);
        Assert.Equal("Done", changed["status"]!.GetValue<string>());
        Assert.Equal("skipped", changed["email"]!["status"]!.GetValue<string>());
        Assert.Equal("o servidor de envio de e-mails (SMTP) não está configurado.", changed["email"]!["reason"]!.GetValue<string>());

        var posted = await TicketSteps.Json(await api.PostAsJsonAsync($"/api/v1/tickets/{id}/interactions", new { body = "<p>Olá</p>", @internal = false, notify = true }, Ct), HttpStatusCode.Created);
        Assert.Equal("skipped", posted["email"]!["status"]!.GetValue<string>());

        using var browser = await App.LoggedIn();
        var page = await browser.GetPage($"/tickets/{id}");
        Assert.True(page.QuerySelector("#nova-interacao button[name=notify]")!.HasAttribute("disabled"));
        var reopened = await browser.SubmitForm($"/tickets/{id}", "form[action*='handler=Action']", [], "action", "reopen");
        var after = await browser.GetPage(reopened.Headers.Location!.ToString());
        Assert.Contains("reaberto.", after.QuerySelector(".alert-success")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Não foi possível enviar o e-mail: o servidor de envio de e-mails (SMTP) não está configurado.", after.QuerySelector(".flash-email")!.TextContent, StringComparison.Ordinal);
        await using var scope = App.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<AtendeDb>().OutboxEmails.AnyAsync(e => e.TicketId == id, Ct));
    }
}

public sealed class TicketEmailUnconfiguredTestsSqlite(SqliteFixture f) : TicketEmailUnconfiguredTests(f), IClassFixture<SqliteFixture>;

public sealed class TicketEmailUnconfiguredTestsPostgres(PostgresFixture f) : TicketEmailUnconfiguredTests(f), IClassFixture<PostgresFixture>;
