using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Atende.Core.Data;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Atende.Web.Tests.Email;

/// <summary>The automatic ticket e-mails are written from their templates: what an admin edits is what arrives (real SMTP server).</summary>
public abstract class EmailTemplateSendingTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Url = "/api/v1/settings/email-templates";

    private sealed record World(HttpClient Api, long WorkspaceId, long PipelineId, long PartnerId, string PartnerName);

    private async Task<World> Setup(long[]? users = null)
    {
        var api = App.Api(fixture.AdminToken);
        await api.PutAsJsonAsync("/api/v1/settings/smtp", new
        {
            host = "127.0.0.1", port = TestMailServer.Require().Port, security = "None", userName = (string?)null, password = (string?)null,
            fromName = "Empresa de Teste", fromAddress = "atendimento@empresa.test",
        }, Ct);
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio"));
        var pipeline = await TicketSteps.Pipeline(api, users: users);
        var partnerName = TicketSteps.Unique("Padaria & Filhos");
        var partner = await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/partners", new { name = partnerName, workspaceId }, Ct), HttpStatusCode.Created);
        return new World(api, workspaceId, pipeline["id"]!.GetValue<long>(), partner["id"]!.GetValue<long>(), partnerName);
    }

    private static async Task<long> Contact(World w, string name, string email) =>
        (await TicketSteps.Json(await w.Api.PostAsJsonAsync($"/api/v1/partners/{w.PartnerId}/contacts", new { name, emails = new[] { email } }, Ct),
            HttpStatusCode.Created))["id"]!.GetValue<long>();

    private static string Address(string who) => $"{who}-{Guid.NewGuid():N}@cliente.test";

    /// <summary>Edits the automatic template of <paramref name="purpose"/> for the duration of <paramref name="test"/>, then restores it.</summary>
    private static async Task WithTemplate(HttpClient api, string purpose, object patch, Func<Task> test)
    {
        var template = (await TicketSteps.Json(await api.GetAsync($"{Url}?purpose={purpose}", Ct), HttpStatusCode.OK))["items"]![0]!.AsObject();
        var id = template["id"]!.GetValue<long>();
        var edited = await TicketSteps.Json(await TicketSteps.Patch(api, $"{Url}/{id}", patch, $"\"{template["version"]}\""), HttpStatusCode.OK);
        try
        {
            await test();
        }
        finally
        {
            var restored = await TicketSteps.Json(await TicketSteps.Patch(api, $"{Url}/{id}", new { active = true }, $"\"{edited["version"]}\""), HttpStatusCode.OK);
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{Url}/{id}/restore-default");
            request.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue($"\"{restored["version"]}\""));
            await TicketSteps.Json(await api.SendAsync(request, Ct), HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task An_edited_status_template_is_the_email_that_arrives_with_every_value_escaped()
    {
        var w = await Setup();
        var to = Address("maria");
        var ticket = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, await Contact(w, "Maria <i>Souza</i>", to), "<script>alert(1)</script> & \"cia\"");
        var id = ticket["id"]!.GetValue<long>();
        var reference = ticket["reference"]!.GetValue<string>();
        await WithTemplate(w.Api, "StatusChanged", new
        {
            subject = "Atualização: {{atendimento.titulo}} ({{ atendimento.situacao }})",
            body = "<p>Prezado(a) {{contato.nome}}, da {{parceiro.nome}}:</p><p><b>{{atendimento.titulo}}</b> agora está {{atendimento.situacao}}."
                + " Responsável: {{atendimento.responsavel}}.</p><p>{{empresa.nome}}, por {{usuario.nome}}. <a href=\"{{link}}\">Ver o atendimento</a></p>",
        }, async () =>
        {
            var changed = await TicketSteps.Json(await w.Api.PostAsJsonAsync($"/api/v1/tickets/{id}/status", new { status = "Done" }, Ct), HttpStatusCode.OK);
            Assert.Equal("queued", changed["email"]!["status"]!.GetValue<string>());

            var message = Assert.Single(await TestMailServer.WaitFor(m => m.To.Mailboxes.Any(b => b.Address == to)));
            Assert.Equal($"[{reference}] Atualização: <script>alert(1)</script> & \"cia\" (Finalizado)", message.Subject);
            var html = message.HtmlBody;
            Assert.Contains("Prezado(a) Maria &lt;i&gt;Souza&lt;/i&gt;, da " + w.PartnerName.Replace("&", "&amp;", StringComparison.Ordinal) + ":", html, StringComparison.Ordinal);
            Assert.Contains("<b>&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"cia\"</b> agora está Finalizado.", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<i>", html, StringComparison.Ordinal);
            Assert.Contains("Empresa de Teste Ltda, por Administradora Teste.", html, StringComparison.Ordinal);
            Assert.Contains($"href=\"http://localhost/tickets/{id}\"", html, StringComparison.Ordinal);
            // The plain-text part is the same e-mail without the markup, the link's address included.
            var text = message.TextBody;
            Assert.Contains("Prezado(a) Maria <i>Souza</i>, da " + w.PartnerName + ":", text, StringComparison.Ordinal);
            Assert.Contains("<script>alert(1)</script> & \"cia\" agora está Finalizado.", text, StringComparison.Ordinal);
            Assert.Contains($"Ver o atendimento (http://localhost/tickets/{id})", text, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Edited_notify_and_Salvar_e_notificar_templates_are_the_emails_that_arrive()
    {
        var agentEmail = Address("agente");
        var agentWorkspace = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio"));
        var (agentId, _) = await App.CreateUser(fixture.AdminToken, agentEmail, "Agent", agentWorkspace);
        var w = await Setup([agentId]);
        // The assignee must see the ticket: the requester's workspace too.
        await TicketSteps.Json(await TicketSteps.Patch(w.Api, $"/api/v1/users/{agentId}", new { workspaceIds = new[] { w.WorkspaceId } }, "*"), System.Net.HttpStatusCode.OK);
        var to = Address("ana");
        var ticket = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, await Contact(w, "Ana", to), "Contrato <novo>", new { assigneeId = agentId });
        var id = ticket["id"]!.GetValue<long>();
        var reference = ticket["reference"]!.GetValue<string>();

        await WithTemplate(w.Api, "Assigned", new
        {
            subject = "Para você: {{atendimento.titulo}} [{{atendimento.referencia}}]",
            body = "<p>{{atendimento.responsavel}}, {{usuario.nome}} passou {{atendimento.referencia}} para você.</p><p>{{link}}</p>",
        }, async () =>
        {
            using var notify = await w.Api.PostAsync($"/api/v1/tickets/{id}/notify", null, Ct);
            Assert.Equal("queued", (await TicketSteps.Json(notify, HttpStatusCode.OK))["email"]!["status"]!.GetValue<string>());
            var message = Assert.Single(await TestMailServer.WaitFor(m => m.To.Mailboxes.Any(b => b.Address == agentEmail)));
            // The reference is already there, in brackets: nothing is put in front.
            Assert.Equal($"Para você: Contrato <novo> [{reference}]", message.Subject);
            Assert.Contains($"Usuário {agentEmail}, Administradora Teste passou {reference} para você.", message.HtmlBody, StringComparison.Ordinal);
            Assert.Contains($"<p>http://localhost/tickets/{id}</p>", message.HtmlBody, StringComparison.Ordinal);
        });

        await WithTemplate(w.Api, "Interaction", new
        {
            subject = "Resposta sobre {{atendimento.titulo}}",
            body = "<p>Cara {{contato.nome}},</p>{{ interacao }}<p>Atenciosamente, {{usuario.nome}} — {{empresa.nome}}</p>",
        }, async () =>
        {
            var posted = await TicketSteps.Json(await w.Api.PostAsJsonAsync($"/api/v1/tickets/{id}/interactions",
                new { body = "<p>Segue a <b>minuta</b>.</p><script>x()</script>", @internal = false, notify = true }, Ct), HttpStatusCode.Created);
            Assert.Equal("queued", posted["email"]!["status"]!.GetValue<string>());
            var message = Assert.Single(await TestMailServer.WaitFor(m => m.To.Mailboxes.Any(b => b.Address == to)));
            Assert.Equal($"[{reference}] Resposta sobre Contrato <novo>", message.Subject);
            Assert.Contains("<p>Cara Ana,</p><p>Segue a <b>minuta</b>.</p><p>Atenciosamente, Administradora Teste — Empresa de Teste Ltda</p>", message.HtmlBody, StringComparison.Ordinal);
            Assert.DoesNotContain("<script>", message.HtmlBody, StringComparison.Ordinal);
            Assert.Equal("Cara Ana,\n\nSegue a minuta.\n\nAtenciosamente, Administradora Teste — Empresa de Teste Ltda", message.TextBody!.ReplaceLineEndings("\n").Trim());
        });
    }

    [Fact]
    public async Task A_deactivated_automatic_template_sends_nothing_and_the_action_says_why()
    {
        var w = await Setup();
        var to = Address("rui");
        var ticket = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, await Contact(w, "Rui", to), "Sem aviso");
        var id = ticket["id"]!.GetValue<long>();
        await WithTemplate(w.Api, "StatusChanged", new { active = false }, async () =>
        {
            var changed = await TicketSteps.Json(await w.Api.PostAsJsonAsync($"/api/v1/tickets/{id}/status", new { status = "Analyzing" }, Ct), HttpStatusCode.OK);
            Assert.Equal("Analyzing", changed["status"]!.GetValue<string>());
            Assert.Equal("skipped", changed["email"]!["status"]!.GetValue<string>());
            Assert.Equal("o modelo de e-mail \"Mudança de situação\" está desativado.", changed["email"]!["reason"]!.GetValue<string>());
            await using var scope = App.Services.CreateAsyncScope();
            Assert.False(await scope.ServiceProvider.GetRequiredService<AtendeDb>().OutboxEmails.AnyAsync(e => e.TicketId == id, Ct));
        });
        // Active again with the standard text: the next change e-mails as before.
        var again = await TicketSteps.Json(await w.Api.PostAsJsonAsync($"/api/v1/tickets/{id}/status", new { status = "Done" }, Ct), HttpStatusCode.OK);
        Assert.Equal("queued", again["email"]!["status"]!.GetValue<string>());
        var message = Assert.Single(await TestMailServer.WaitFor(m => m.To.Mailboxes.Any(b => b.Address == to)));
        Assert.Equal($"[{ticket["reference"]}] Sem aviso — situação: Finalizado", message.Subject);
    }
}

public sealed class EmailTemplateSendingTestsSqlite(EmailSqliteFixture f) : EmailTemplateSendingTests(f), IClassFixture<EmailSqliteFixture>;

public sealed class EmailTemplateSendingTestsPostgres(EmailPostgresFixture f) : EmailTemplateSendingTests(f), IClassFixture<EmailPostgresFixture>;
