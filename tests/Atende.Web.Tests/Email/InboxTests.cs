using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Atende.Core.Data;
using Atende.Core.Email;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using static Atende.Web.Tests.Settings.PageHelpers;

namespace Atende.Web.Tests.Email;

/// <summary>The poller runs only when a test asks ("Verificar agora"), so each test knows what a round finds.</summary>
public abstract class InboxFixture(string provider) : AppFixture(provider, new()
{
    ["Atende:Email:PollSeconds"] = "0.5",
    ["Atende:Inbox:Poller"] = "false",
    ["Atende:Inbox:MaxMessageBytes"] = "200000",
});

public sealed class InboxSqliteFixture() : InboxFixture("Sqlite");

public sealed class InboxPostgresFixture() : InboxFixture("Postgres");

/// <summary>SPEC S5: replies by e-mail into tickets, read from a real IMAP server (Dovecot).</summary>
public abstract class InboxTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n");

    /// <param name="Marker">In the subject of every message the test puts in the mailbox: the app's list of read messages is shared by the tests of a class.</param>
    private sealed record World(HttpClient Api, string Folder, long WorkspaceId, long PipelineId, long PartnerId, long ContactId, string ContactAddress, string Marker);

    /// <summary>SMTP (real aiosmtpd) and the mailbox in a folder of this test's own; a partner with a contact that has an e-mail.</summary>
    private async Task<World> Setup(string unmatched = "LeaveUnread")
    {
        TestMailServer.Require();
        var imap = TestImapServer.Require();
        var api = App.Api(fixture.AdminToken);
        await TicketSteps.Json(await api.PutAsJsonAsync("/api/v1/settings/smtp", new
        {
            host = "127.0.0.1", port = TestMailServer.Require().Port, security = "None", fromName = "Empresa de Teste", fromAddress = "atendimento@empresa.test",
        }, Ct), HttpStatusCode.OK);
        var folder = await TestImapServer.NewFolder(Ct);
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio"));
        var pipeline = await TicketSteps.Pipeline(api);
        var pipelineId = pipeline["id"]!.GetValue<long>();
        var partner = await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/partners", new { name = TicketSteps.Unique("Cliente"), workspaceId }, Ct), HttpStatusCode.Created);
        var partnerId = partner["id"]!.GetValue<long>();
        var address = $"maria-{Guid.NewGuid():N}@cliente.test";
        var contact = await TicketSteps.Json(await api.PostAsJsonAsync($"/api/v1/partners/{partnerId}/contacts", new { name = "Maria Souza", emails = new[] { address } }, Ct), HttpStatusCode.Created);
        await PutImap(api, folder, imap.Password, unmatched, pipelineId);
        return new World(api, folder, workspaceId, pipelineId, partnerId, contact["id"]!.GetValue<long>(), address, "m" + Guid.NewGuid().ToString("N")[..10]);
    }

    private async Task<HttpResponseMessage> PutImapRaw(HttpClient api, object body) => await api.PutAsJsonAsync("/api/v1/settings/imap", body, Ct);

    private async Task PutImap(HttpClient api, string folder, string password, string unmatched = "LeaveUnread", long? pipelineId = null)
    {
        var imap = TestImapServer.Require();
        var adminId = await AdminId(api);
        await TicketSteps.Json(await PutImapRaw(api, new
        {
            enabled = true, host = imap.Host, port = imap.Port, security = "None", userName = imap.User, password, folder, unmatched,
            unmatchedPipelineId = unmatched == "CreateTicket" ? pipelineId : null, unmatchedCreatorId = unmatched == "CreateTicket" ? adminId : (long?)null,
        }), HttpStatusCode.OK);
    }

    private async Task<long> AdminId(HttpClient api)
    {
        var users = await TicketSteps.Json(await api.GetAsync("/api/v1/users?limit=200", Ct), HttpStatusCode.OK);
        return users["items"]!.AsArray().First(u => u!["email"]!.GetValue<string>() == TestApp.AdminEmail)!["id"]!.GetValue<long>();
    }

    private async Task<string> Poll(HttpClient api)
    {
        var result = await TicketSteps.Json(await api.PostAsync("/api/v1/settings/imap/poll", null, Ct), HttpStatusCode.OK);
        Assert.True(result["ok"]!.GetValue<bool>(), result["message"]!.GetValue<string>());
        return result["message"]!.GetValue<string>();
    }

    private static async Task<JsonArray> Interactions(World w, long ticketId) =>
        (await TicketSteps.Json(await w.Api.GetAsync($"/api/v1/tickets/{ticketId}/interactions", Ct), HttpStatusCode.OK))["items"]!.AsArray();

    /// <summary>This test's messages as the app lists them, newest first.</summary>
    private static async Task<List<JsonNode>> Inbound(World w, string? status = null) =>
        (await TicketSteps.Json(await w.Api.GetAsync("/api/v1/inbound-emails?limit=200" + (status is null ? "" : "&status=" + status), Ct), HttpStatusCode.OK))["items"]!.AsArray()
        .Select(r => r!).Where(r => r["subject"]!.GetValue<string>().Contains(w.Marker, StringComparison.Ordinal)).ToList();

    private static MimeMessage Message(World w, string from, string subject, string text, string? inReplyTo = null, params (string Name, byte[] Content)[] files)
    {
        var message = new MimeMessage { Subject = subject + " " + w.Marker, MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("cliente.test"), Date = DateTimeOffset.Now };
        message.From.Add(new MailboxAddress("Maria Souza", from));
        message.To.Add(new MailboxAddress("Empresa de Teste", "atendimento@empresa.test"));
        if (inReplyTo is not null)
        {
            message.InReplyTo = inReplyTo;
            message.References.Add(inReplyTo);
        }
        var body = new BodyBuilder { TextBody = text };
        foreach (var (name, content) in files)
        {
            body.Attachments.Add(name, content);
        }
        message.Body = body.ToMessageBody();
        return message;
    }

    /// <summary>A ticket whose status e-mail reached the contact; returns the ticket and that e-mail as the contact got it.</summary>
    private async Task<(long Id, string Reference, MimeMessage Sent)> TicketWithStatusEmail(World w, string title, object? extra = null)
    {
        var ticket = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, w.ContactId, title, extra);
        var id = ticket["id"]!.GetValue<long>();
        await TicketSteps.Json(await w.Api.PostAsJsonAsync($"/api/v1/tickets/{id}/status", new { status = "Waiting" }, Ct), HttpStatusCode.OK);
        var sent = Assert.Single(await TestMailServer.WaitFor(m => m.To.Mailboxes.Any(b => b.Address == w.ContactAddress) && m.Subject?.Contains(title, StringComparison.Ordinal) == true));
        return (id, ticket["reference"]!.GetValue<string>(), sent);
    }

    [Fact]
    public async Task A_reply_to_a_ticket_email_becomes_a_public_interaction_with_its_files_and_is_marked_read()
    {
        var w = await Setup();
        var assigneeId = await AdminId(w.Api);
        var (id, reference, sent) = await TicketWithStatusEmail(w, TicketSteps.Unique("Impressora parada"), new { assigneeId });

        var reply = Message(w, w.ContactAddress, "Re: " + sent.Subject,
            "Obrigada, voltou a funcionar <b>hoje</b>!\n\nEm 23/11/2026 14:30, Empresa de Teste <atendimento@empresa.test> escreveu:\n> A situação do seu atendimento mudou.",
            sent.MessageId, ("comprovante.pdf", Pdf), ("programa.exe", [0x4D, 0x5A, 0x90, 0x00]));
        await TestImapServer.Append(w.Folder, Ct, reply);

        Assert.Equal("1 resposta registrada.", await Poll(w.Api));

        var newest = (await Interactions(w, id))[0]!;
        Assert.False(newest["internal"]!.GetValue<bool>());
        Assert.Null(newest["authorId"]);
        Assert.Equal("Maria Souza", newest["authorName"]!.GetValue<string>());
        Assert.Equal(w.ContactAddress, newest["fromEmail"]!.GetValue<string>());
        var body = newest["body"]!.GetValue<string>();
        Assert.Contains("Obrigada, voltou a funcionar &lt;b&gt;hoje&lt;/b&gt;!", body, StringComparison.Ordinal);
        Assert.DoesNotContain("A situação do seu atendimento", body, StringComparison.Ordinal);
        var file = Assert.Single(newest["attachments"]!.AsArray())!;
        Assert.Equal("comprovante.pdf", file["fileName"]!.GetValue<string>());
        using (var download = await w.Api.GetAsync($"/api/v1/tickets/{id}/attachments/{file["id"]}", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal(Pdf, await download.Content.ReadAsByteArrayAsync(Ct));
        }

        var row = Assert.Single(await Inbound(w))!;
        Assert.Equal("Appended", row["status"]!.GetValue<string>());
        Assert.Equal(reference, row["ticketReference"]!.GetValue<string>());
        Assert.Contains("programa.exe", row["note"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.All(await TestImapServer.Messages(w.Folder, Ct), m => Assert.True(m.Seen));

        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
        var notice = await db.Notifications.SingleAsync(n => n.TicketId == id && n.UserId == assigneeId, Ct);
        Assert.Contains("Resposta por e-mail de Maria Souza", notice.Text, StringComparison.Ordinal);

        // The reply is raised like any interaction (one place per event): its event carries the interaction as the API lists it.
        var raised = await db.Events.Where(e => e.TicketId == id && e.Type == "ticket.interaction_added").SingleAsync(Ct);
        Assert.Null(raised.ActorId);
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(newest, System.Text.Json.Nodes.JsonNode.Parse(raised.Data)), raised.Data);
    }

    [Fact]
    public async Task A_reply_does_not_notify_an_assignee_who_can_no_longer_see_the_ticket()
    {
        var w = await Setup();
        var email = $"agente-{Guid.NewGuid():N}@empresa.test";
        var otherWorkspace = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio"));
        var (agentId, _) = await App.CreateUser(fixture.AdminToken, email, "Agent", w.WorkspaceId);
        await TicketSteps.Json(await TicketSteps.Patch(w.Api, $"/api/v1/pipelines/{w.PipelineId}", new { authorizedUserIds = new[] { agentId } },
            (await w.Api.GetAsync($"/api/v1/pipelines/{w.PipelineId}", Ct)).Headers.ETag!.Tag), HttpStatusCode.OK);
        var (id, _, sent) = await TicketWithStatusEmail(w, TicketSteps.Unique("Demissão sigilosa"), new { assigneeId = agentId });
        // The assignee's workspace grant is taken away after the assignment.
        await TicketSteps.Json(await TicketSteps.Patch(w.Api, $"/api/v1/users/{agentId}", new { workspaceIds = new[] { otherWorkspace } }, "*"), HttpStatusCode.OK);

        await TestImapServer.Append(w.Folder, Ct, Message(w, w.ContactAddress, "Re: " + sent.Subject, "Recebido, obrigada.", sent.MessageId));
        Assert.Equal("1 resposta registrada.", await Poll(w.Api));

        Assert.Contains("Recebido, obrigada.", (await Interactions(w, id))[0]!["body"]!.GetValue<string>(), StringComparison.Ordinal);
        await using var scope = App.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<AtendeDb>().Notifications.AnyAsync(n => n.UserId == agentId, Ct));
    }

    [Fact]
    public async Task Replaying_the_mailbox_twice_creates_no_duplicate_interactions()
    {
        var w = await Setup();
        var (id, reference, sent) = await TicketWithStatusEmail(w, TicketSteps.Unique("Boleto"));
        var byHeader = Message(w, w.ContactAddress, "Re: " + sent.Subject, "Pago ontem.", sent.MessageId);
        var bySubject = Message(w, w.ContactAddress, $"Comprovante [{reference}]", "Segue o comprovante.");
        await TestImapServer.Append(w.Folder, Ct, byHeader, bySubject);
        Assert.Equal("2 respostas registradas.", await Poll(w.Api));
        var before = (await Interactions(w, id)).Count;

        // The same mailbox read again: every message unread once more, and the same two messages delivered a second time.
        await TestImapServer.MarkAllUnread(w.Folder, Ct);
        await TestImapServer.Append(w.Folder, Ct, byHeader, bySubject);
        Assert.Equal("Nenhuma mensagem nova.", await Poll(w.Api));
        Assert.Equal("Nenhuma mensagem nova.", await Poll(w.Api));

        Assert.Equal(before, (await Interactions(w, id)).Count);
        Assert.Equal(2, (await Inbound(w)).Count);
        var messages = await TestImapServer.Messages(w.Folder, Ct);
        Assert.Equal(4, messages.Count);
        Assert.All(messages, m => Assert.True(m.Seen));
    }

    [Fact]
    public async Task A_reference_in_the_subject_does_not_let_a_stranger_or_another_partner_write_into_the_ticket()
    {
        var w = await Setup();
        var (id, reference, _) = await TicketWithStatusEmail(w, TicketSteps.Unique("Contrato"));
        var other = await TicketSteps.Json(await w.Api.PostAsJsonAsync("/api/v1/partners", new { name = TicketSteps.Unique("Outro cliente"), workspaceId = w.WorkspaceId }, Ct), HttpStatusCode.Created);
        var otherAddress = $"joao-{Guid.NewGuid():N}@outro.test";
        await TicketSteps.Json(await w.Api.PostAsJsonAsync($"/api/v1/partners/{other["id"]}/contacts", new { name = "João", emails = new[] { otherAddress } }, Ct), HttpStatusCode.Created);
        var before = (await Interactions(w, id)).Count;

        var stranger = Message(w, $"ataque-{Guid.NewGuid():N}@evil.test", $"Re: [{reference}] Contrato", "Mudem o contrato.");
        var otherPartner = Message(w, otherAddress, $"[{reference}] oi", "Sou de outra empresa.");
        var staff = Message(w, TestApp.AdminEmail, $"[{reference}] nota da equipe", "Respondi pelo celular.");
        await TestImapServer.Append(w.Folder, Ct, stranger, otherPartner, staff);

        Assert.Equal("1 resposta registrada, 2 mensagens deixadas sem ler.", await Poll(w.Api));

        var interactions = await Interactions(w, id);
        Assert.Equal(before + 1, interactions.Count);
        Assert.Equal(await AdminId(w.Api), interactions[0]!["authorId"]!.GetValue<long>());
        Assert.Contains("Respondi pelo celular.", interactions[0]!["body"]!.GetValue<string>(), StringComparison.Ordinal);
        var unmatched = await Inbound(w, "Unmatched");
        Assert.Equal(2, unmatched.Count);
        Assert.All(unmatched, r => Assert.Contains($"O assunto cita {reference}, mas", r!["note"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.All(unmatched, r => Assert.Null(r!["ticketId"]));
        var flags = await TestImapServer.Messages(w.Folder, Ct);
        Assert.False(flags.Single(m => m.Subject.Contains("Contrato", StringComparison.Ordinal)).Seen);
        Assert.False(flags.Single(m => m.Subject.Contains(" oi ", StringComparison.Ordinal)).Seen);
        Assert.True(flags.Single(m => m.Subject.Contains("nota da equipe", StringComparison.Ordinal)).Seen);
    }

    [Fact]
    public async Task Mail_that_answers_no_ticket_opens_one_for_the_senders_partner_when_set_to()
    {
        var w = await Setup(unmatched: "CreateTicket");
        var title = TicketSteps.Unique("Orçamento de impressoras");
        var known = Message(w, w.ContactAddress, "RES: Fwd: " + title, "Quero um orçamento para 3 impressoras.", null, ("lista.pdf", Pdf));
        var unknown = Message(w, $"ninguem-{Guid.NewGuid():N}@desconhecido.test", "Oferta imperdível", "Compre já.");
        var automatic = Message(w, w.ContactAddress, "Resposta automática: " + title, "Estou de férias.");
        automatic.Headers.Add(HeaderId.AutoSubmitted, "auto-replied");
        await TestImapServer.Append(w.Folder, Ct, known, unknown, automatic);

        Assert.Equal("1 atendimento aberto, 1 mensagem deixada sem ler, 1 resposta automática ignorada.", await Poll(w.Api));

        var created = Assert.Single(await Inbound(w, "CreatedTicket"))!;
        var ticket = await TicketSteps.Json(await w.Api.GetAsync($"/api/v1/tickets/{created["ticketId"]}", Ct), HttpStatusCode.OK);
        Assert.Equal(title + " " + w.Marker, ticket["title"]!.GetValue<string>());
        Assert.Equal(w.PipelineId, ticket["pipelineId"]!.GetValue<long>());
        Assert.Equal(w.PartnerId, ticket["partnerId"]!.GetValue<long>());
        Assert.Equal(w.ContactId, ticket["contactId"]!.GetValue<long>());
        var first = Assert.Single(await Interactions(w, created["ticketId"]!.GetValue<long>()))!;
        Assert.Contains("3 impressoras", first["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("lista.pdf", Assert.Single(first["attachments"]!.AsArray())!["fileName"]!.GetValue<string>());
        Assert.Contains("Nenhum contato de parceiro ativo tem o e-mail", Assert.Single(await Inbound(w, "Unmatched"))!["note"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Auto-Submitted", Assert.Single(await Inbound(w, "Ignored"))!["note"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bulk_mail_our_own_mail_a_trashed_ticket_and_an_address_of_two_partners_are_never_appended()
    {
        var w = await Setup(unmatched: "CreateTicket");
        var (id, reference, sent) = await TicketWithStatusEmail(w, TicketSteps.Unique("Regras"));
        var trashed = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, w.ContactId, TicketSteps.Unique("Na lixeira"));
        Assert.Equal(HttpStatusCode.NoContent, (await w.Api.DeleteAsync($"/api/v1/tickets/{trashed["id"]}", Ct)).StatusCode);
        var before = (await Interactions(w, id)).Count;

        var bulk = Message(w, w.ContactAddress, $"[{reference}] boletim", "Novidades do mês.");
        bulk.Headers.Add(HeaderId.Precedence, "bulk");
        var echo = Message(w, "atendimento@empresa.test", sent.Subject ?? "", "Cópia do nosso e-mail.");
        echo.MessageId = sent.MessageId!;
        var toTrash = Message(w, w.ContactAddress, $"[{trashed["reference"]}] ainda aí?", "Alguma novidade?");
        await TestImapServer.Append(w.Folder, Ct, bulk, echo, toTrash);
        Assert.Equal("1 atendimento aberto, 2 respostas automáticas ignoradas.", await Poll(w.Api));
        Assert.Equal(before, (await Interactions(w, id)).Count);
        var ignored = await Inbound(w, "Ignored");
        Assert.Contains(ignored, r => r["note"]!.GetValue<string>().Contains("Precedence: bulk", StringComparison.Ordinal));
        Assert.Contains(ignored, r => r["note"]!.GetValue<string>() == "E-mail enviado pelo próprio Atende.");
        // The trashed ticket matches nothing: with "abrir atendimento" the contact's message opens a new one instead.
        var opened = Assert.Single(await Inbound(w, "CreatedTicket"));
        Assert.NotEqual(trashed["id"]!.GetValue<long>(), opened["ticketId"]!.GetValue<long>());
        Assert.Empty(await Interactions(w, trashed["id"]!.GetValue<long>()));

        // The same address on a contact of a second partner: no ticket can be chosen, the message stays unread.
        var other = await TicketSteps.Json(await w.Api.PostAsJsonAsync("/api/v1/partners", new { name = TicketSteps.Unique("Outra empresa"), workspaceId = w.WorkspaceId }, Ct), HttpStatusCode.Created);
        await TicketSteps.Json(await w.Api.PostAsJsonAsync($"/api/v1/partners/{other["id"]}/contacts",
            new { name = "Maria Souza", emails = new[] { w.ContactAddress }, confirmDuplicates = true }, Ct), HttpStatusCode.Created);
        await TestImapServer.Append(w.Folder, Ct, Message(w, w.ContactAddress, "Pedido novo", "Preciso de ajuda."));
        Assert.Equal("1 mensagem deixada sem ler.", await Poll(w.Api));
        Assert.Contains("é de contatos de mais de um parceiro", Assert.Single(await Inbound(w, "Unmatched"))["note"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_too_large_is_quarantined_without_blocking_the_others_and_can_be_retried()
    {
        var w = await Setup();
        var (id, reference, _) = await TicketWithStatusEmail(w, TicketSteps.Unique("Fotos"));
        var huge = Message(w, w.ContactAddress, $"[{reference}] fotos", "Seguem as fotos.", null, ("fotos.pdf", [.. Pdf, .. new byte[300_000]]));
        await TestImapServer.Append(w.Folder, Ct,
            Message(w, w.ContactAddress, $"[{reference}] antes", "Primeira."), huge, Message(w, w.ContactAddress, $"[{reference}] depois", "Última."));

        Assert.Equal("2 respostas registradas, 1 mensagem em quarentena.", await Poll(w.Api));
        var bodies = (await Interactions(w, id)).Select(i => i!["body"]!.GetValue<string>()).ToList();
        Assert.Contains(bodies, b => b.Contains("Primeira.", StringComparison.Ordinal));
        Assert.Contains(bodies, b => b.Contains("Última.", StringComparison.Ordinal));
        var quarantined = Assert.Single(await Inbound(w, "Quarantined"))!;
        Assert.Contains("passa do limite", quarantined["note"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False((await TestImapServer.Messages(w.Folder, Ct)).Single(m => m.Subject.Contains("] fotos", StringComparison.Ordinal)).Seen);

        // Quarantined stays out of later rounds until an admin asks to read it again.
        Assert.Equal("Nenhuma mensagem nova.", await Poll(w.Api));
        using (var retry = await w.Api.PostAsync($"/api/v1/inbound-emails/{quarantined["id"]}/retry", null, Ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, retry.StatusCode);
        }
        Assert.Equal("1 mensagem em quarentena.", await Poll(w.Api));
        var appended = (await Inbound(w, "Appended"))[0]!;
        using var refused = await w.Api.PostAsync($"/api/v1/inbound-emails/{appended["id"]}/retry", null, Ct);
        await TicketSteps.Problem(refused, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Two_nodes_reading_the_same_mailbox_at_once_process_each_message_once()
    {
        var w = await Setup();
        var (id, reference, _) = await TicketWithStatusEmail(w, TicketSteps.Unique("Concorrência"));
        var before = (await Interactions(w, id)).Count;
        await TestImapServer.Append(w.Folder, Ct, Enumerable.Range(1, 6).Select(i => Message(w, w.ContactAddress, $"[{reference}] parte {i}", $"Parte {i}.")).ToArray());
        // Too large: both nodes quarantine it at once, and the one that loses the race leaves it to the other (no failed round).
        await TestImapServer.Append(w.Folder, Ct, Message(w, w.ContactAddress, $"[{reference}] fotos", "Seguem as fotos.", null, ("fotos.pdf", [.. Pdf, .. new byte[300_000]])));

        var options = Options.Create(new InboxOptions { Poller = false, MaxMessageBytes = 200_000 });
        var scopes = App.Services.GetRequiredService<IServiceScopeFactory>();
        var signal = App.Services.GetRequiredService<InboxSignal>();
        var nodes = Enumerable.Range(0, 2).Select(_ => new ImapPoller(scopes, signal, options, NullLogger<ImapPoller>.Instance)).ToList();
        await Task.WhenAll(nodes.Select(n => n.PollOnce(Ct)));

        Assert.Equal(before + 6, (await Interactions(w, id)).Count);
        Assert.Equal(6, (await Inbound(w, "Appended")).Count);
        Assert.Single(await Inbound(w, "Quarantined"));
    }

    [Fact]
    public async Task The_page_saves_the_mailbox_reads_it_now_and_the_ticket_shows_the_reply_as_an_email()
    {
        var imap = TestImapServer.Require();
        var w = await Setup();
        var (id, reference, _) = await TicketWithStatusEmail(w, TicketSteps.Unique("Pela página"));
        using var admin = await App.LoggedIn();
        var form = new Dictionary<string, string>
        {
            ["Input.Enabled"] = "true", ["Input.Host"] = "", ["Input.Port"] = imap.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.Security"] = "None", ["Input.UserName"] = imap.User, ["Input.Password"] = "", ["Input.Folder"] = w.Folder, ["Input.Unmatched"] = "CreateTicket",
            ["Input.UnmatchedPipelineId"] = "", ["Input.UnmatchedCreatorId"] = "",
        };
        var refused = await HtmlClient.Parse(await admin.SubmitForm("/settings/inbox", "form.settings-form", form));
        Assert.Equal("Servidor IMAP é obrigatório.", FieldError(refused, "Input.Host"));
        Assert.Equal("Escolha o fluxo em que os atendimentos serão abertos.", FieldError(refused, "Input.UnmatchedPipelineId"));
        Assert.Equal(w.Folder, Value(refused, "#Input_Folder"));

        form["Input.Host"] = imap.Host;
        form["Input.Unmatched"] = "LeaveUnread";
        var saved = await admin.SubmitForm("/settings/inbox", "form.settings-form", form);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var page = await admin.GetPage("/settings/inbox");
        Assert.Contains("Caixa de entrada salva.", Text(page), StringComparison.Ordinal);
        Assert.Contains("Senha definida", Text(page), StringComparison.Ordinal);

        var tested = await HtmlClient.Parse(await admin.SubmitForm("/settings/inbox", "form.imap-test-form", []));
        Assert.StartsWith("Conectado a", tested.QuerySelector("#imap-test-result")!.TextContent.Trim(), StringComparison.Ordinal);

        await TestImapServer.Append(w.Folder, Ct, Message(w, w.ContactAddress, $"Re: [{reference}]", "Respondido pelo e-mail."));
        var polled = await admin.SubmitForm("/settings/inbox", "form[action*='handler=Poll']", []);
        Assert.Equal(HttpStatusCode.Redirect, polled.StatusCode);
        page = await admin.GetPage("/settings/inbox?status=Appended");
        Assert.Contains("1 resposta registrada.", Text(page), StringComparison.Ordinal);
        var row = page.QuerySelectorAll(".inbound-table tbody tr").Single(r => r.TextContent.Contains(w.Marker, StringComparison.Ordinal));
        Assert.Contains("Resposta registrada", row.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/tickets/{id}", row.QuerySelector("a")!.GetAttribute("href"));

        var ticket = await admin.GetPage($"/tickets/{id}");
        var reply = ticket.QuerySelectorAll("article.interaction").Single(a => a.TextContent.Contains("Respondido pelo e-mail.", StringComparison.Ordinal));
        Assert.Contains("por e-mail · " + w.ContactAddress, reply.QuerySelector(".interaction-from")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Maria Souza", reply.QuerySelector(".card-header")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_are_validated_the_password_is_never_returned_and_the_test_says_what_the_server_answered()
    {
        var imap = TestImapServer.Require();
        var api = App.Api(fixture.AdminToken);
        var folder = await TestImapServer.NewFolder(Ct);

        var invalid = await TicketSteps.Problem(await PutImapRaw(api, new { enabled = true, host = "", port = 70000, userName = "", unmatched = "CreateTicket" }), HttpStatusCode.BadRequest);
        var errors = invalid["errors"]!.AsObject();
        Assert.Contains("host", errors.Select(e => e.Key));
        Assert.Contains("port", errors.Select(e => e.Key));
        Assert.Contains("userName", errors.Select(e => e.Key));
        Assert.Contains("unmatchedPipelineId", errors.Select(e => e.Key));

        await PutImap(api, folder, "senha-errada");
        var got = await TicketSteps.Json(await api.GetAsync("/api/v1/settings/imap", Ct), HttpStatusCode.OK);
        Assert.True(got["passwordSet"]!.GetValue<bool>());
        Assert.False(got.ContainsKey("password"));
        Assert.DoesNotContain("senha-errada", got.ToJsonString(), StringComparison.Ordinal);
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var stored = await scope.ServiceProvider.GetRequiredService<AtendeDb>().ImapSettings.SingleAsync(Ct);
            Assert.DoesNotContain("senha-errada", stored.ProtectedPassword!, StringComparison.Ordinal);
        }
        var refused = await TicketSteps.Json(await api.PostAsync("/api/v1/settings/imap/test", null, Ct), HttpStatusCode.OK);
        Assert.False(refused["connected"]!.GetValue<bool>());
        Assert.Contains("recusou o usuário ou a senha", refused["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var poll = await TicketSteps.Json(await api.PostAsync("/api/v1/settings/imap/poll", null, Ct), HttpStatusCode.OK);
        Assert.False(poll["ok"]!.GetValue<bool>());
        Assert.Contains("recusou o usuário ou a senha", poll["message"]!.GetValue<string>(), StringComparison.Ordinal);

        await PutImap(api, folder, imap.Password);
        var connected = await TicketSteps.Json(await api.PostAsync("/api/v1/settings/imap/test", null, Ct), HttpStatusCode.OK);
        Assert.True(connected["connected"]!.GetValue<bool>(), connected["message"]!.GetValue<string>());
        Assert.Contains(folder, connected["message"]!.GetValue<string>(), StringComparison.Ordinal);

        var workspace = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio"));
        var (_, agentToken) = await App.CreateUser(fixture.AdminToken, $"agente-{Guid.NewGuid():N}@empresa.test", "Agent", workspace);
        using var agent = App.Api(agentToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync("/api/v1/settings/imap", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync("/api/v1/inbound-emails", Ct)).StatusCode);
    }
}

public sealed class InboxTestsSqlite(InboxSqliteFixture f) : InboxTests(f), IClassFixture<InboxSqliteFixture>;

public sealed class InboxTestsPostgres(InboxPostgresFixture f) : InboxTests(f), IClassFixture<InboxPostgresFixture>;
