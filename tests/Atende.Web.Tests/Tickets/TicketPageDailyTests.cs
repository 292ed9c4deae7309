using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using Atende.Web.Tests.Infrastructure;

namespace Atende.Web.Tests.Tickets;

/// <summary>The ticket page used every day: quick status and assignee, linked conversations, why an e-mail cannot go.</summary>
public abstract class TicketPageDailyTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record World(HttpClient Api, long WorkspaceId, long PipelineId, long PartnerId, long AgentId, string AgentEmail);

    /// <summary>SMTP set to a port nobody listens on: e-mails are written to the outbox (never delivered), so "Salvar e notificar" is possible.</summary>
    private async Task<World> Setup()
    {
        var api = App.Api(fixture.AdminToken);
        await TicketSteps.Json(await api.PutAsJsonAsync("/api/v1/settings/smtp", new
        {
            host = "127.0.0.1", port = 9, security = "None", userName = (string?)null, password = (string?)null, fromName = "Empresa", fromAddress = "atendimento@empresa.test",
        }, Ct), HttpStatusCode.OK);
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio"));
        var agentEmail = $"agente-{Guid.NewGuid():N}@empresa.test";
        var (agentId, _) = await App.CreateUser(fixture.AdminToken, agentEmail, "Agent", workspaceId);
        var pipeline = await TicketSteps.Pipeline(api, users: [agentId]);
        var partner = await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/partners", new { name = TicketSteps.Unique("Cliente"), workspaceId }, Ct), HttpStatusCode.Created);
        return new World(api, workspaceId, pipeline["id"]!.GetValue<long>(), partner["id"]!.GetValue<long>(), agentId, agentEmail);
    }

    private static async Task<long> Contact(World w, string name, string? email) =>
        (await TicketSteps.Json(await w.Api.PostAsJsonAsync($"/api/v1/partners/{w.PartnerId}/contacts",
            new { name, emails = email is null ? Array.Empty<string>() : [email] }, Ct), HttpStatusCode.Created))["id"]!.GetValue<long>();

    private static string Text(IHtmlDocument page, string selector) => page.QuerySelector(selector)?.TextContent.Trim() ?? "";

    private static async Task<IHtmlDocument> Follow(HttpClient browser, HttpResponseMessage response, string expectedLocation)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expectedLocation, response.Headers.Location!.ToString());
        return await browser.GetPage(expectedLocation);
    }

    /// <summary>The ticket's Histórico tab (the page renders it when linked to it; otherwise it loads when shown).</summary>
    private static async Task<string[]> HistoryRows(HttpClient browser, long ticketId) =>
        (await browser.GetPage($"/tickets/{ticketId}?tab=historico")).QuerySelectorAll("#historico tbody tr").Select(r => string.Join(" | ", r.QuerySelectorAll("td").Skip(2).Select(td => td.TextContent.Trim()))).ToArray();

    [Fact]
    public async Task Quick_status_and_assignee_in_the_header_write_history_and_keep_the_user_on_the_ticket()
    {
        var w = await Setup();
        var ticket = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, await Contact(w, "Lia", $"lia-{Guid.NewGuid():N}@cliente.test"), "Troca de senha");
        var id = ticket["id"]!.GetValue<long>();
        var url = $"/tickets/{id}?from.pipelineId={w.PipelineId}";
        using var browser = await App.LoggedIn(w.AgentEmail);

        var changed = await Follow(browser, await browser.SubmitForm(url, "#quick-status-form", new() { ["status"] = "Analyzing" }), url);
        Assert.Equal($"{ticket["reference"]}: situação alterada para Analisando.", Text(changed, ".alert-success"));
        Assert.Equal("Analisando", Text(changed, "#ticket-status"));
        Assert.Contains("E-mail na fila para lia-", Text(changed, ".flash-email"), StringComparison.Ordinal);
        Assert.Contains("Situação | Aberto | Analisando", await HistoryRows(browser, id));
        Assert.Equal("Analyzing", (changed.QuerySelector("#quick-status option[selected]") as IHtmlOptionElement)!.Value);

        var assigned = await Follow(browser, await browser.SubmitForm(url, "#quick-assign-form", new() { ["assigneeId"] = w.AgentId.ToString() }), url);
        Assert.Equal($"{ticket["reference"]}: responsável agora é Usuário {w.AgentEmail}.", Text(assigned, ".alert-success"));
        Assert.Contains($"Responsável | — | Usuário {w.AgentEmail}", await HistoryRows(browser, id));
        Assert.Equal(w.AgentId.ToString(), (assigned.QuerySelector("#Input_AssigneeId option[selected]") as IHtmlOptionElement)!.Value);
        var saved = await TicketSteps.Json(await w.Api.GetAsync($"/api/v1/tickets/{id}", Ct), HttpStatusCode.OK);
        Assert.Equal("Analyzing", saved["status"]!.GetValue<string>());
        Assert.Equal(w.AgentId, saved["assigneeId"]!.GetValue<long>());
        Assert.Equal("Troca de senha", saved["title"]!.GetValue<string>());

        // Nobody as assignee; an assignee without access to the pipeline is refused with the form's message, nothing saved.
        var cleared = await Follow(browser, await browser.SubmitForm(url, "#quick-assign-form", new() { ["assigneeId"] = "" }), url);
        Assert.Equal($"{ticket["reference"]} ficou sem responsável.", Text(cleared, ".alert-success"));
        var outsiderEmail = $"fora-{Guid.NewGuid():N}@empresa.test";
        var (outsiderId, _) = await App.CreateUser(fixture.AdminToken, outsiderEmail, "Agent", w.WorkspaceId);
        var refused = await Follow(browser, await browser.SubmitForm(url, "#quick-assign-form", new() { ["assigneeId"] = outsiderId.ToString() }), url);
        Assert.StartsWith($"Usuário {outsiderEmail} não tem acesso a este atendimento (fluxo ", Text(refused, ".alert-danger"), StringComparison.Ordinal);
        Assert.Null((await TicketSteps.Json(await w.Api.GetAsync($"/api/v1/tickets/{id}", Ct), HttpStatusCode.OK))["assigneeId"]);
    }

    [Fact]
    public async Task A_stale_quick_action_names_who_changed_the_ticket_and_saves_nothing()
    {
        var w = await Setup();
        var ticket = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, null, "Versão antiga");
        var id = ticket["id"]!.GetValue<long>();
        using var browser = await App.LoggedIn(w.AgentEmail);
        var page = await browser.GetPage($"/tickets/{id}");
        // Someone else saves meanwhile.
        await TicketSteps.Json(await TicketSteps.Patch(w.Api, $"/api/v1/tickets/{id}", new { title = "Versão nova" }, $"\"{ticket["version"]}\""), HttpStatusCode.OK);

        var status = await browser.Submit((IHtmlFormElement)page.QuerySelector("#quick-status-form")!, $"/tickets/{id}", new() { ["status"] = "Done" });
        var back = $"/tickets/{id}?from.pipelineId={w.PipelineId}";
        var after = await Follow(browser, status, back);
        Assert.Matches(@"alterado por Administradora Teste em \d\d/\d\d/\d{4} às \d\d:\d\d.* A situação não foi alterada\.", Text(after, ".alert-danger"));
        var assign = await browser.Submit((IHtmlFormElement)page.QuerySelector("#quick-assign-form")!, $"/tickets/{id}", new() { ["assigneeId"] = w.AgentId.ToString() });
        after = await Follow(browser, assign, back);
        Assert.Contains("O responsável não foi alterado.", Text(after, ".alert-danger"), StringComparison.Ordinal);

        var saved = await TicketSteps.Json(await w.Api.GetAsync($"/api/v1/tickets/{id}", Ct), HttpStatusCode.OK);
        Assert.Equal("Open", saved["status"]!.GetValue<string>());
        Assert.Null(saved["assigneeId"]);
        Assert.DoesNotContain(await HistoryRows(browser, id), r => r.StartsWith("Situação", StringComparison.Ordinal) || r.StartsWith("Responsável", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Quick_actions_on_a_ticket_of_another_workspace_are_404_and_change_nothing()
    {
        var w = await Setup();
        var own = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, null, "Meu");
        var otherWorkspace = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Outro domínio"));
        var otherPartner = await TicketSteps.Json(await w.Api.PostAsJsonAsync("/api/v1/partners", new { name = TicketSteps.Unique("Alheio"), workspaceId = otherWorkspace }, Ct), HttpStatusCode.Created);
        var other = await TicketSteps.Ticket(w.Api, w.PipelineId, otherPartner["id"]!.GetValue<long>(), null, "Alheio");
        var otherId = other["id"]!.GetValue<long>();
        using var browser = await App.LoggedIn(w.AgentEmail);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/tickets/{otherId}", Ct)).StatusCode);

        var page = await browser.GetPage($"/tickets/{own["id"]}");
        foreach (var (selector, handler, field, value) in new[] { ("#quick-status-form", "Status", "status", "Done"), ("#quick-assign-form", "Assign", "assigneeId", w.AgentId.ToString()) })
        {
            var form = (IHtmlFormElement)page.QuerySelector(selector)!;
            form.SetAttribute("action", $"/tickets/{otherId}?handler={handler}");
            form.QuerySelector("input[name=Version]")!.SetAttribute("value", other["version"]!.ToString());
            Assert.Equal(HttpStatusCode.NotFound, (await browser.Submit(form, $"/tickets/{otherId}", new() { [field] = value })).StatusCode);
        }
        var unchanged = await TicketSteps.Json(await w.Api.GetAsync($"/api/v1/tickets/{otherId}", Ct), HttpStatusCode.OK);
        Assert.Equal("Open", unchanged["status"]!.GetValue<string>());
        Assert.Null(unchanged["assigneeId"]);
    }

    [Fact]
    public async Task The_ticket_lists_the_conversations_linked_to_it()
    {
        var w = await Setup();
        var ticket = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, null, "Com conversas");
        var id = ticket["id"]!.GetValue<long>();
        var bare = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, null, "Sem conversas");
        async Task<long> Conversation(string subject, long? ticketId, bool concluded) =>
            (await TicketSteps.Json(await w.Api.PostAsJsonAsync("/api/v1/conversations", new JsonObject
            {
                ["partnerId"] = w.PartnerId, ["channelId"] = 1, ["opportunityTypeId"] = 1, ["subject"] = subject, ["description"] = "Conversa de teste.",
                ["sellerId"] = w.AgentId, ["ticketId"] = ticketId, ["concluded"] = concluded, ["at"] = "2026-11-22T14:30:00-03:00",
            }, Ct), HttpStatusCode.Created))["id"]!.GetValue<long>();
        var pending = await Conversation("Ligar sobre a senha", id, concluded: false);
        var done = await Conversation("Visita concluída", id, concluded: true);
        await Conversation("Outro assunto", null, concluded: false);
        using var browser = await App.LoggedIn(w.AgentEmail);

        var page = await browser.GetPage($"/tickets/{id}");
        var rows = page.QuerySelectorAll(".linked-conversations .linked-conversation");
        Assert.Equal(2, rows.Length);
        Assert.Contains(rows, r => r.TextContent.Contains("Ligar sobre a senha", StringComparison.Ordinal) && r.TextContent.Contains("Pendente", StringComparison.Ordinal)
            && r.TextContent.Contains("22/11/2026 14:30", StringComparison.Ordinal) && r.TextContent.Contains($"Usuário {w.AgentEmail}", StringComparison.Ordinal)
            && r.QuerySelector($"a[href^='/conversations/{pending}?']") is not null);
        Assert.Contains(rows, r => r.TextContent.Contains("Visita concluída", StringComparison.Ordinal) && r.TextContent.Contains("Concluída", StringComparison.Ordinal)
            && r.QuerySelector($"a[href^='/conversations/{done}?']") is not null);
        Assert.DoesNotContain("Outro assunto", page.QuerySelector(".linked-conversations")!.TextContent, StringComparison.Ordinal);

        var empty = await browser.GetPage($"/tickets/{bare["id"]}");
        Assert.Null(empty.QuerySelector(".linked-conversations"));
        Assert.Contains("Nenhuma conversa ligada", Text(empty, ".linked-conversations-empty"), StringComparison.Ordinal);
        Assert.NotNull(empty.QuerySelector($".linked-conversations-empty a[href^='/conversations/new?ticketId={bare["id"]}']"));
    }

    [Fact]
    public async Task Salvar_e_notificar_stays_visible_but_disabled_with_a_link_to_what_is_missing()
    {
        var w = await Setup();
        var withoutEmail = await Contact(w, "Sem E-mail", null);
        var ticket = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, withoutEmail, "Contato sem e-mail");
        var id = ticket["id"]!.GetValue<long>();
        using var agent = await App.LoggedIn(w.AgentEmail);

        var page = await agent.GetPage($"/tickets/{id}");
        var notify = page.QuerySelector("#nova-interacao button[name=notify]")!;
        Assert.True(notify.HasAttribute("disabled"));
        Assert.Equal("notify-hint", notify.GetAttribute("aria-describedby"));
        Assert.Contains("o contato Sem E-mail não tem e-mail cadastrado.", Text(page, "#notify-hint"), StringComparison.Ordinal);
        Assert.Equal("Cadastrar o e-mail do contato", page.QuerySelector($"#notify-hint a[href='/partners/{w.PartnerId}/contacts/{withoutEmail}/edit']")?.TextContent);

        // A contact with an address: the button is enabled, no hint.
        var withEmail = await Contact(w, "Com E-mail", $"com-{Guid.NewGuid():N}@cliente.test");
        var ok = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, withEmail, "Contato com e-mail");
        var okPage = await agent.GetPage($"/tickets/{ok["id"]}");
        Assert.False(okPage.QuerySelector("#nova-interacao button[name=notify]")!.HasAttribute("disabled"));
        Assert.Null(okPage.QuerySelector("#notify-hint"));

        // The "Salvar e notificar" template deactivated: admins get the link to it, agents are told to ask an administrator.
        var templates = (await TicketSteps.Json(await w.Api.GetAsync("/api/v1/settings/email-templates?purpose=Interaction", Ct), HttpStatusCode.OK))["items"]![0]!.AsObject();
        var templateId = templates["id"]!.GetValue<long>();
        var off = await TicketSteps.Json(await TicketSteps.Patch(w.Api, $"/api/v1/settings/email-templates/{templateId}", new { active = false }, $"\"{templates["version"]}\""), HttpStatusCode.OK);
        try
        {
            var agentPage = await agent.GetPage($"/tickets/{ok["id"]}");
            Assert.True(agentPage.QuerySelector("#nova-interacao button[name=notify]")!.HasAttribute("disabled"));
            Assert.Contains("o modelo de e-mail \"Salvar e notificar\" está desativado.", Text(agentPage, "#notify-hint"), StringComparison.Ordinal);
            Assert.Contains("Peça a um administrador para ativar o modelo", Text(agentPage, "#notify-hint"), StringComparison.Ordinal);
            Assert.Null(agentPage.QuerySelector("#notify-hint a"));
            using var admin = await App.LoggedIn();
            var adminPage = await admin.GetPage($"/tickets/{ok["id"]}");
            Assert.NotNull(adminPage.QuerySelector($"#notify-hint a[href='/settings/email-templates/{templateId}/edit']"));
        }
        finally
        {
            await TicketSteps.Json(await TicketSteps.Patch(w.Api, $"/api/v1/settings/email-templates/{templateId}", new { active = true }, $"\"{off["version"]}\""), HttpStatusCode.OK);
        }
    }
}

public sealed class TicketPageDailyTestsSqlite(SqliteFixture fixture) : TicketPageDailyTests(fixture), IClassFixture<SqliteFixture>;

public sealed class TicketPageDailyTestsPostgres(PostgresFixture fixture) : TicketPageDailyTests(fixture), IClassFixture<PostgresFixture>;

/// <summary>SMTP never saved while the company's own e-mail is: the reason names SMTP, for admins with the link to fix it.</summary>
public abstract class TicketSmtpMissingTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_missing_smtp_server_is_named_with_a_link_for_admins_and_agents_are_told_to_ask_an_administrator()
    {
        using var api = App.Api(fixture.AdminToken);
        await TicketSteps.Json(await api.PutAsJsonAsync("/api/v1/settings/company",
            new { name = "Empresa de Teste Ltda", email = "contato@empresa.test", timeZone = "America/Sao_Paulo" }, Ct), HttpStatusCode.OK);
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio"));
        var agentEmail = $"agente-{Guid.NewGuid():N}@empresa.test";
        var (agentId, _) = await App.CreateUser(fixture.AdminToken, agentEmail, "Agent", workspaceId);
        var pipeline = await TicketSteps.Pipeline(api, users: [agentId]);
        var partner = await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/partners", new { name = TicketSteps.Unique("Cliente"), workspaceId }, Ct), HttpStatusCode.Created);
        var contact = await TicketSteps.Json(await api.PostAsJsonAsync($"/api/v1/partners/{partner["id"]}/contacts", new { name = "Lia", emails = new[] { "lia@cliente.test" } }, Ct), HttpStatusCode.Created);
        var ticket = await TicketSteps.Ticket(api, pipeline["id"]!.GetValue<long>(), partner["id"]!.GetValue<long>(), contact["id"]!.GetValue<long>(), "Sem SMTP");
        var id = ticket["id"]!.GetValue<long>();

        using var admin = await App.LoggedIn();
        var page = await admin.GetPage($"/tickets/{id}");
        Assert.True(page.QuerySelector("#nova-interacao button[name=notify]")!.HasAttribute("disabled"));
        var hint = page.QuerySelector("#notify-hint")!.TextContent;
        Assert.Contains("o servidor de envio de e-mails (SMTP) não está configurado.", hint, StringComparison.Ordinal);
        Assert.DoesNotContain("E-mail da empresa", hint, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("#notify-hint a[href='/settings/email']"));

        var response = await admin.Submit((IHtmlFormElement)page.QuerySelector("#quick-status-form")!, $"/tickets/{id}", new() { ["status"] = "Waiting" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var after = await admin.GetPage(response.Headers.Location!.ToString());
        Assert.Contains("situação alterada para Aguardando", after.QuerySelector(".alert-success")!.TextContent, StringComparison.Ordinal);
        var flash = after.QuerySelector(".flash-email")!;
        Assert.Contains("Não foi possível enviar o e-mail: o servidor de envio de e-mails (SMTP) não está configurado.", flash.TextContent, StringComparison.Ordinal);
        Assert.Equal("Configurar o envio em Configurações → E-mail", flash.QuerySelector("a[href='/settings/email']")?.TextContent);

        using var agent = await App.LoggedIn(agentEmail);
        var agentPage = await agent.GetPage($"/tickets/{id}");
        Assert.True(agentPage.QuerySelector("#nova-interacao button[name=notify]")!.HasAttribute("disabled"));
        Assert.Contains("Peça a um administrador para configurar o envio em Configurações → E-mail.", agentPage.QuerySelector("#notify-hint")!.TextContent, StringComparison.Ordinal);
        Assert.Null(agentPage.QuerySelector("#notify-hint a"));
        var agentResponse = await agent.Submit((IHtmlFormElement)agentPage.QuerySelector("#quick-status-form")!, $"/tickets/{id}", new() { ["status"] = "Analyzing" });
        var agentAfter = await agent.GetPage(agentResponse.Headers.Location!.ToString());
        Assert.Contains("Peça a um administrador", agentAfter.QuerySelector(".flash-email")!.TextContent, StringComparison.Ordinal);
        Assert.Null(agentAfter.QuerySelector(".flash-email a"));

        // The API carries the same reason, and what is missing.
        var changed = await TicketSteps.Json(await api.PostAsJsonAsync($"/api/v1/tickets/{id}/status", new { status = "Done" }, Ct), HttpStatusCode.OK);
        Assert.Equal("skipped", changed["email"]!["status"]!.GetValue<string>());
        Assert.Equal("o servidor de envio de e-mails (SMTP) não está configurado.", changed["email"]!["reason"]!.GetValue<string>());
        Assert.Equal("Smtp", changed["email"]!["missing"]!.GetValue<string>());
    }
}

public sealed class TicketSmtpMissingTestsSqlite(SqliteFixture fixture) : TicketSmtpMissingTests(fixture), IClassFixture<SqliteFixture>;

public sealed class TicketSmtpMissingTestsPostgres(PostgresFixture fixture) : TicketSmtpMissingTests(fixture), IClassFixture<PostgresFixture>;
