using Atende.Core.Queue;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Atende.Core.Data;
using Atende.Core.Email;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Atende.Web.Tests.Email;

/// <summary>An app whose dispatcher polls often and retries after a second, so e-mail tests are quick.</summary>
public abstract class EmailFixture(string provider) : AppFixture(provider, new()
{
    ["Atende:Email:PollSeconds"] = "0.5",
    ["Atende:Email:RetryBaseSeconds"] = "1",
    ["Atende:Email:RetryMaxSeconds"] = "2",
    ["Atende:Email:MaxAttempts"] = "5",
});

public sealed class EmailSqliteFixture() : EmailFixture("Sqlite");

public sealed class EmailPostgresFixture() : EmailFixture("Postgres");

/// <summary>SPEC S5: the company's SMTP settings, the outbox written in the caller's transaction and its dispatcher.</summary>
public abstract class OutboxTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Secret = "segredo-muito-secreto-42";

    private HttpClient Admin() => App.Api(fixture.AdminToken);

    private static string Unique(string prefix) => $"{prefix} {Guid.NewGuid().ToString("N")[..8]}";

    private async Task<JsonObject> PutSmtp(HttpClient api, int port, string? password = null, string host = "127.0.0.1", bool clear = false)
    {
        var response = await api.PutAsJsonAsync("/api/v1/settings/smtp", new
        {
            host, port, security = "None", userName = (string?)null, password, clearPassword = clear, fromName = "Empresa de Teste", fromAddress = "atendimento@empresa.test",
        }, Ct);
        return await TicketSteps.Json(response, HttpStatusCode.OK);
    }

    private async Task UseRealServer(HttpClient api) => await PutSmtp(api, TestMailServer.Require().Port);

    /// <summary>Enqueues in a transaction of its own, as a feature would, and returns the row id.</summary>
    private async Task<long> Enqueue(EmailDraft draft)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
        await using var work = await UnitOfWork.Begin(db.Database, Ct);
        var email = scope.ServiceProvider.GetRequiredService<EmailOutbox>().Enqueue(draft);
        await db.SaveChangesAsync(Ct);
        await work.Commit(Ct);
        return email.Id;
    }

    private async Task<OutboxEmail> Row(long id)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AtendeDb>().OutboxEmails.AsNoTracking().FirstAsync(e => e.Id == id, Ct);
    }

    private async Task<OutboxEmail> WaitFor(long id, Func<OutboxEmail, bool> done, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var row = await Row(id);
            if (done(row))
            {
                return row;
            }
            Assert.True(DateTime.UtcNow < deadline, $"outbox row {id} stayed {row.Status} (attempts {row.Attempts}, last error: {row.LastError})");
            await Task.Delay(100, Ct);
        }
    }

    private static EmailDraft Draft(string to, string subject, long? ticketId = null, long[]? files = null) =>
        new([to], subject, $"<p>Olá, <b>{subject}</b></p>", $"Olá, {subject}", ticketId, files);

    [Fact]
    public async Task Smtp_settings_are_validated_with_messages_naming_the_field()
    {
        using var api = Admin();
        var response = await api.PutAsJsonAsync("/api/v1/settings/smtp", new { host = "", port = 70000, security = "None", fromName = "", fromAddress = "nao-e-email" }, Ct);
        var problem = await TicketSteps.Problem(response, HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.Equal("Servidor SMTP é obrigatório.", errors["host"]![0]!.GetValue<string>());
        Assert.Equal("Porta deve estar entre 1 e 65535.", errors["port"]![0]!.GetValue<string>());
        Assert.Equal("Nome do remetente é obrigatório.", errors["fromName"]![0]!.GetValue<string>());
        Assert.Equal("E-mail do remetente inválido: nao-e-email.", errors["fromAddress"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task The_password_is_stored_protected_and_never_returned_or_shown()
    {
        using var api = Admin();
        var saved = await PutSmtp(api, 2525, Secret, host: "smtp.empresa.test");
        Assert.True(saved["passwordSet"]!.GetValue<bool>());
        Assert.DoesNotContain(Secret, saved.ToJsonString(), StringComparison.Ordinal);
        var read = await api.GetStringAsync("/api/v1/settings/smtp", Ct);
        Assert.DoesNotContain(Secret, read, StringComparison.Ordinal);
        Assert.Contains("\"passwordSet\":true", read, StringComparison.Ordinal);

        await using (var scope = App.Services.CreateAsyncScope())
        {
            var stored = await scope.ServiceProvider.GetRequiredService<AtendeDb>().SmtpSettings.AsNoTracking().SingleAsync(Ct);
            Assert.NotNull(stored.ProtectedPassword);
            Assert.DoesNotContain(Secret, stored.ProtectedPassword, StringComparison.Ordinal);
        }

        using var admin = await App.LoggedIn();
        var page = await admin.GetStringAsync("/settings/email", Ct);
        Assert.DoesNotContain(Secret, page, StringComparison.Ordinal);
        Assert.Contains("senha definida", page, StringComparison.Ordinal);

        // A blank password keeps the current one; clearPassword removes it.
        Assert.True((await PutSmtp(api, 2525, null, host: "smtp.empresa.test"))["passwordSet"]!.GetValue<bool>());
        Assert.False((await PutSmtp(api, 2525, null, host: "smtp.empresa.test", clear: true))["passwordSet"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_test_email_reaches_the_server_and_says_what_it_answered()
    {
        using var api = Admin();
        await UseRealServer(api);
        var to = $"teste-{Guid.NewGuid():N}@cliente.test";
        var result = await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/settings/smtp/test", new { to }, Ct), HttpStatusCode.OK);
        Assert.True(result["sent"]!.GetValue<bool>(), result["message"]!.GetValue<string>());
        Assert.StartsWith($"E-mail de teste enviado para {to}. Resposta do servidor:", result["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var arrived = await TestMailServer.WaitFor(m => m.To.Mailboxes.Any(b => b.Address == to));
        Assert.Equal("Teste de e-mail do Atende", Assert.Single(arrived).Subject);
    }

    [Fact]
    public async Task The_test_email_to_a_closed_port_explains_the_failure_in_Portuguese()
    {
        using var api = Admin();
        var port = FakeSmtpServer.ClosedPort();
        await PutSmtp(api, port);
        var result = await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/settings/smtp/test", new { to = "alguem@cliente.test" }, Ct), HttpStatusCode.OK);
        Assert.False(result["sent"]!.GetValue<bool>());
        Assert.Equal($"Não foi possível enviar o e-mail de teste: Conexão recusada por 127.0.0.1:{port}. Confira o servidor e a porta.", result["message"]!.GetValue<string>());

        await using var refusing = new FakeSmtpServer((_, stage) => stage == "RCPT" ? "550 5.1.1 Mailbox unavailable" : null);
        await PutSmtp(api, refusing.Port);
        result = await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/settings/smtp/test", new { to = "ninguem@cliente.test" }, Ct), HttpStatusCode.OK);
        Assert.False(result["sent"]!.GetValue<bool>());
        Assert.Contains("O servidor recusou o e-mail (550): 5.1.1 Mailbox unavailable", result["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_enqueued_email_is_delivered_with_its_bodies_attachment_and_stored_Message_ID()
    {
        using var api = Admin();
        await UseRealServer(api);
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio"));
        var pipeline = await TicketSteps.Pipeline(api);
        var (partnerId, contactId) = await TicketSteps.Partner(api, workspaceId, Unique("Cliente"), "Maria");
        var ticket = await TicketSteps.Ticket(api, pipeline["id"]!.GetValue<long>(), partnerId, contactId, "Pedido com anexo");
        var ticketId = ticket["id"]!.GetValue<long>();
        using var upload = new MultipartFormDataContent();
        var part = new ByteArrayContent(Encoding.UTF8.GetBytes("Relatório de atendimento\n"));
        part.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        upload.Add(part, "files", "relatório.txt");
        var files = await TicketSteps.Json(await api.PostAsync("/api/v1/files", upload, Ct), HttpStatusCode.Created);
        var fileId = files["items"]![0]!["id"]!.GetValue<long>();

        var to = $"cliente-{Guid.NewGuid():N}@cliente.test";
        var subject = Unique("Seu atendimento");
        var id = await Enqueue(Draft(to, subject, ticketId, [fileId]));
        var row = await WaitFor(id, r => r.Status == LeaseStatus.Sent);
        Assert.Equal(1, row.Attempts);
        Assert.NotNull(row.SentAt);
        Assert.Equal($"outbox-{id}.{row.Token}@empresa.test", row.MessageId);

        var message = Assert.Single(await TestMailServer.WaitFor(m => m.Subject == subject));
        Assert.Equal(to, Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("atendimento@empresa.test", Assert.Single(message.From.Mailboxes).Address);
        Assert.Equal(row.MessageId, message.MessageId);
        Assert.Contains($"Olá, {subject}", message.TextBody, StringComparison.Ordinal);
        Assert.Contains($"<b>{subject}</b>", message.HtmlBody, StringComparison.Ordinal);
        var attachment = Assert.IsAssignableFrom<MimePart>(Assert.Single(message.Attachments));
        Assert.Equal("relatório.txt", attachment.FileName);
        using var content = new MemoryStream();
        await attachment.Content!.DecodeToAsync(content, Ct);
        Assert.Equal("Relatório de atendimento\n", Encoding.UTF8.GetString(content.ToArray()));

        // The admin list filters by ticket and shows the outcome.
        var listed = await TicketSteps.Json(await api.GetAsync($"/api/v1/outbox?ticketId={ticketId}", Ct), HttpStatusCode.OK);
        var item = Assert.Single(listed["items"]!.AsArray())!;
        Assert.Equal("Sent", item["status"]!.GetValue<string>());
        Assert.Equal(ticket["reference"]!.GetValue<string>(), item["ticketReference"]!.GetValue<string>());
        Assert.Equal(1, item["attachments"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_email_whose_file_cannot_be_read_waits_saying_why_and_the_others_still_go()
    {
        using var api = Admin();
        await UseRealServer(api);
        using var upload = new MultipartFormDataContent();
        var part = new ByteArrayContent(Encoding.UTF8.GetBytes("Some do disco\n"));
        part.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        upload.Add(part, "files", "sumido.txt");
        var fileId = (await TicketSteps.Json(await api.PostAsync("/api/v1/files", upload, Ct), HttpStatusCode.Created))["items"]![0]!["id"]!.GetValue<long>();
        await using (var scope = App.Services.CreateAsyncScope())
        {
            // The bytes vanish from the store behind the app's back (a disk restored without them, say).
            var file = await scope.ServiceProvider.GetRequiredService<AtendeDb>().StoredFiles.SingleAsync(f => f.Id == fileId, Ct);
            await scope.ServiceProvider.GetRequiredService<Atende.Core.Files.IFileStore>().Delete(file.StorageKey, Ct);
        }

        var broken = await Enqueue(Draft($"a-{Guid.NewGuid():N}@cliente.test", Unique("Com anexo sumido"), null, [fileId]));
        var fine = await Enqueue(Draft($"b-{Guid.NewGuid():N}@cliente.test", Unique("Sem anexo"), null, []));

        await WaitFor(fine, r => r.Status == LeaseStatus.Sent);
        var waiting = await WaitFor(broken, r => r.Attempts > 0 && r.Status != LeaseStatus.Sending);
        Assert.Equal(LeaseStatus.Pending, waiting.Status);
        Assert.StartsWith("Não foi possível montar o e-mail:", waiting.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_email_of_a_rolled_back_change_is_never_written()
    {
        var subject = Unique("Nunca enviado");
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
            await using var work = await UnitOfWork.Begin(db.Database, Ct);
            scope.ServiceProvider.GetRequiredService<EmailOutbox>().Enqueue(Draft("alguem@cliente.test", subject));
            await db.SaveChangesAsync(Ct);
            // Disposed without Commit: rolled back.
        }
        await using var check = App.Services.CreateAsyncScope();
        Assert.False(await check.ServiceProvider.GetRequiredService<AtendeDb>().OutboxEmails.AnyAsync(e => e.Subject == subject, Ct));
    }

    [Fact]
    public async Task A_5xx_answer_marks_the_email_dead_at_once_and_an_admin_retry_sends_it_with_the_same_Message_ID()
    {
        using var api = Admin();
        await using var refusing = new FakeSmtpServer((_, stage) => stage == "RCPT" ? "550 5.1.1 Mailbox unavailable" : null);
        await PutSmtp(api, refusing.Port);
        var subject = Unique("Recusado");
        var to = $"inexistente-{Guid.NewGuid():N}@cliente.test";
        var id = await Enqueue(Draft(to, subject));
        var dead = await WaitFor(id, r => r.Status == LeaseStatus.Dead);
        Assert.Equal(1, dead.Attempts);
        Assert.Equal("O servidor recusou o e-mail (550): 5.1.1 Mailbox unavailable", dead.LastError);

        var listed = await TicketSteps.Json(await api.GetAsync("/api/v1/outbox?status=Dead", Ct), HttpStatusCode.OK);
        Assert.Contains(listed["items"]!.AsArray(), i => i!["id"]!.GetValue<long>() == id && i["lastError"]!.GetValue<string>().Contains("550", StringComparison.Ordinal));

        await UseRealServer(api);
        var retried = await TicketSteps.Json(await api.PostAsync($"/api/v1/outbox/{id}/retry", null, Ct), HttpStatusCode.OK);
        Assert.Equal(id, retried["id"]!.GetValue<long>());
        var sent = await WaitFor(id, r => r.Status == LeaseStatus.Sent);
        Assert.Equal(dead.MessageId, sent.MessageId);
        var message = Assert.Single(await TestMailServer.WaitFor(m => m.Subject == subject));
        Assert.Equal(dead.MessageId, message.MessageId);

        // Only dead e-mails are retried.
        await TicketSteps.Problem(await api.PostAsync($"/api/v1/outbox/{id}/retry", null, Ct), HttpStatusCode.Conflict);
        await TicketSteps.Problem(await api.PostAsync("/api/v1/outbox/999999999/retry", null, Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_4xx_answer_is_retried_after_a_backoff_and_then_sent_with_the_same_Message_ID()
    {
        using var api = Admin();
        await using var busy = new FakeSmtpServer((n, stage) => stage == "DATA" && n == 1 ? "451 4.3.0 Try again later" : null);
        await PutSmtp(api, busy.Port);
        var subject = Unique("Tente de novo");
        var id = await Enqueue(Draft("alguem@cliente.test", subject));
        var waiting = await WaitFor(id, r => r.Attempts >= 1 && r.Status == LeaseStatus.Pending);
        Assert.Equal("O servidor respondeu 451: 4.3.0 Try again later", waiting.LastError);
        Assert.True(waiting.NextAttemptAt > waiting.CreatedAt.AddSeconds(0.9), "the retry waits for the backoff");
        var sent = await WaitFor(id, r => r.Status == LeaseStatus.Sent);
        Assert.Equal(2, sent.Attempts);
        Assert.Null(sent.LastError);
        List<MimeMessage> received;
        lock (busy.Received)
        {
            received = busy.Received.Where(m => m.Subject == subject).ToList();
        }
        Assert.Equal(2, received.Count);
        Assert.All(received, m => Assert.Equal(sent.MessageId, m.MessageId));
    }

    [Fact]
    public async Task While_the_server_is_down_emails_wait_and_go_out_when_it_is_back()
    {
        using var api = Admin();
        var port = FakeSmtpServer.ClosedPort();
        await PutSmtp(api, port);
        var subject = Unique("Servidor fora");
        var id = await Enqueue(Draft("alguem@cliente.test", subject));
        var waiting = await WaitFor(id, r => r.Attempts >= 1 && r.Status == LeaseStatus.Pending);
        Assert.Equal($"Conexão recusada por 127.0.0.1:{port}. Confira o servidor e a porta.", waiting.LastError);

        await UseRealServer(api);
        await WaitFor(id, r => r.Status == LeaseStatus.Sent);
        Assert.Single(await TestMailServer.WaitFor(m => m.Subject == subject));
    }

    [Fact]
    public async Task Without_smtp_settings_emails_wait_saying_so_and_go_out_once_configured()
    {
        TestMailServer.Require();
        await using (var scope = App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AtendeDb>().SmtpSettings.ExecuteDeleteAsync(Ct);
        }
        var subject = Unique("Sem configuração");
        var id = await Enqueue(Draft("alguem@cliente.test", subject));
        var waiting = await WaitFor(id, r => r.LastError is not null);
        Assert.Equal("Envio de e-mails (SMTP) não configurado.", waiting.LastError);
        Assert.Equal(LeaseStatus.Pending, waiting.Status);
        Assert.Equal(0, waiting.Attempts);

        using var api = Admin();
        var test = await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/settings/smtp/test", new { to = "alguem@cliente.test" }, Ct), HttpStatusCode.OK);
        Assert.False(test["sent"]!.GetValue<bool>());
        Assert.StartsWith("Envio de e-mails (SMTP) não configurado.", test["message"]!.GetValue<string>(), StringComparison.Ordinal);

        await UseRealServer(api);
        await WaitFor(id, r => r.Status == LeaseStatus.Sent);
    }

    [Fact]
    public async Task Concurrent_dispatchers_never_send_an_email_twice()
    {
        using var api = Admin();
        await UseRealServer(api);
        var prefix = Unique("Lote");
        var ids = new List<long>();
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
            var outbox = scope.ServiceProvider.GetRequiredService<EmailOutbox>();
            var rows = Enumerable.Range(1, 40).Select(i => outbox.Enqueue(Draft($"lote{i}@cliente.test", $"{prefix} #{i}"))).ToList();
            await db.SaveChangesAsync(Ct);
            ids.AddRange(rows.Select(r => r.Id));
        }
        // Four more dispatchers race the app's own one.
        var dispatcher = App.Services.GetRequiredService<OutboxDispatcher>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (await dispatcher.RunOnce(Ct) > 0)
            {
            }
        }, Ct)));
        foreach (var id in ids)
        {
            var row = await WaitFor(id, r => r.Status == LeaseStatus.Sent);
            Assert.Equal(1, row.Attempts);
        }
        var arrived = await TestMailServer.WaitFor(m => m.Subject?.StartsWith(prefix, StringComparison.Ordinal) == true, count: 40);
        Assert.Equal(40, arrived.Count);
        Assert.Equal(40, arrived.Select(m => m.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task Only_admins_see_or_change_email_settings_and_the_outbox()
    {
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio"));
        var email = $"agente-{Guid.NewGuid():N}@test.com.br";
        var (_, token) = await App.CreateUser(fixture.AdminToken, email, "Agent", workspaceId);
        using var agent = App.Api(token);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync("/api/v1/settings/smtp", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PutAsJsonAsync("/api/v1/settings/smtp", new { host = "x", port = 25 }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostAsJsonAsync("/api/v1/settings/smtp/test", new { to = "a@b.test" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync("/api/v1/outbox", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostAsync("/api/v1/outbox/1/retry", null, Ct)).StatusCode);
        using var browser = await App.LoggedIn(email);
        foreach (var url in new[] { "/settings/email", "/settings/outbox" })
        {
            var response = await browser.GetAsync(url, Ct);
            Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Redirect, $"{url}: {response.StatusCode}");
            if (response.StatusCode == HttpStatusCode.Redirect)
            {
                Assert.StartsWith("/acesso-negado", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
            }
        }
    }
}

public sealed class OutboxTestsSqlite(EmailSqliteFixture f) : OutboxTests(f), IClassFixture<EmailSqliteFixture>;

public sealed class OutboxTestsPostgres(EmailPostgresFixture f) : OutboxTests(f), IClassFixture<EmailPostgresFixture>;
