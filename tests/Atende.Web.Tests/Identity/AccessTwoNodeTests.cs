using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;

namespace Atende.Web.Tests.Identity;

/// <summary>
/// Each node keeps the callers of recent requests (Core/Identity/CallerCache.cs). Two app processes on one database: every
/// change to someone's access made through node A — grant, role, password reset, token revocation, deactivation, a pipeline
/// deleted with its grants — holds on node B's very next request, although B had just served the same caller.
/// </summary>
public sealed class AccessTwoNodeTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private const string AgentPassword = "senha-do-agente-123";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Access_changes_on_one_node_hold_on_the_other_nodes_next_request(string provider)
    {
        await using var data = await AppStore.Create(provider);
        Task<AppProcess> Start(bool migrate) => AppProcess.Start(new Dictionary<string, string>(data.Settings)
        {
            ["Atende:Database:Migrate"] = migrate ? "true" : "false",
        }, StartTimeout);

        await using var nodeA = await Start(migrate: true);
        using var anonymousA = nodeA.Api();
        var adminToken = (await TicketSteps.Json(await anonymousA.PostAsJsonAsync("/api/v1/setup", new
        {
            companyName = "Empresa em Dois Nós", adminName = "Administradora", adminEmail = TestApp.AdminEmail, adminPassword = TestApp.Password,
        }, Ct), HttpStatusCode.Created))["token"]!.GetValue<string>();
        using var admin = nodeA.Api(adminToken);
        var workspaceId = (await TicketSteps.Json(await admin.PostAsJsonAsync("/api/v1/workspaces", new { name = "Domínio" }, Ct), HttpStatusCode.Created))["id"]!.GetValue<long>();
        var otherWorkspaceId = (await TicketSteps.Json(await admin.PostAsJsonAsync("/api/v1/workspaces", new { name = "Outro domínio" }, Ct), HttpStatusCode.Created))["id"]!.GetValue<long>();
        var agentId = (await TicketSteps.Json(await admin.PostAsJsonAsync("/api/v1/users", new
        {
            name = "Agente Dois Nós", email = "agente@test.com.br", role = "Agent", workspaceIds = new[] { workspaceId }, password = AgentPassword,
        }, Ct), HttpStatusCode.Created))["id"]!.GetValue<long>();
        var (partnerId, _) = await TicketSteps.Partner(admin, workspaceId, "Cliente do Domínio", "Contato");
        var granted = (await TicketSteps.Pipeline(admin, users: [agentId]))["id"]!.GetValue<long>();
        var deleted = (await TicketSteps.Pipeline(admin, users: [agentId]))["id"]!.GetValue<long>();
        var firstToken = await Token(anonymousA);
        var secondToken = await Token(anonymousA);

        await using var nodeB = await Start(migrate: false);
        using var agentB = nodeB.Api(firstToken);
        using var secondB = nodeB.Api(secondToken);
        using var sessionB = await Login(nodeB, AgentPassword);

        // Each check first serves the caller on B twice (the second from its cache), then changes the access on A.
        async Task<HttpStatusCode> Twice(HttpClient client, string url)
        {
            Assert.Equal((await client.GetAsync(url, Ct)).StatusCode, (await client.GetAsync(url, Ct)).StatusCode);
            return (await client.GetAsync(url, Ct)).StatusCode;
        }
        async Task<long[]> Pipelines(HttpClient client) =>
            [.. (await TicketSteps.Json(await client.GetAsync("/api/v1/pipelines", Ct), HttpStatusCode.OK))["items"]!.AsArray().Select(p => p!["id"]!.GetValue<long>())];

        // A pipeline grant taken away.
        Assert.Equal(HttpStatusCode.OK, await Twice(agentB, $"/api/v1/pipelines/{granted}"));
        Assert.Equal(HttpStatusCode.OK, (await TicketSteps.Patch(admin, $"/api/v1/pipelines/{granted}", new { authorizedUserIds = Array.Empty<long>() }, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agentB.GetAsync($"/api/v1/pipelines/{granted}", Ct)).StatusCode);

        // A pipeline deleted, its grants going with it (a foreign-key cascade), and a new one made in its place: the agent on B
        // must not inherit the deleted pipeline's grant, even where the database gives the new pipeline the same id.
        Assert.Contains(deleted, await Pipelines(agentB));
        Assert.Contains(deleted, await Pipelines(agentB));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/pipelines/{deleted}", Ct)).StatusCode);
        var replacement = (await TicketSteps.Pipeline(admin))["id"]!.GetValue<long>();
        Assert.DoesNotContain(replacement, await Pipelines(agentB));
        Assert.Empty(await Pipelines(agentB));

        // A workspace grant taken away (an agent keeps at least one).
        Assert.Equal(HttpStatusCode.OK, await Twice(agentB, $"/api/v1/partners/{partnerId}"));
        Assert.Equal(HttpStatusCode.OK, (await TicketSteps.Patch(admin, $"/api/v1/users/{agentId}", new { workspaceIds = new[] { otherWorkspaceId } }, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agentB.GetAsync($"/api/v1/partners/{partnerId}", Ct)).StatusCode);

        // A role change, up and down.
        Assert.Equal(HttpStatusCode.Forbidden, await Twice(agentB, "/api/v1/users"));
        Assert.Equal(HttpStatusCode.OK, (await TicketSteps.Patch(admin, $"/api/v1/users/{agentId}", new { role = "Admin" }, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await agentB.GetAsync("/api/v1/users", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await Twice(sessionB, "/settings/users"));
        Assert.Equal(HttpStatusCode.OK, (await TicketSteps.Patch(admin, $"/api/v1/users/{agentId}", new { role = "Agent" }, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agentB.GetAsync("/api/v1/users", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await sessionB.GetAsync("/settings/users", Ct)).StatusCode);

        // A password reset ends the session opened with the old password.
        Assert.Equal(HttpStatusCode.OK, await Twice(sessionB, "/partners"));
        Assert.Equal(HttpStatusCode.OK, (await TicketSteps.Patch(admin, $"/api/v1/users/{agentId}", new { password = "senha-nova-do-agente" }, "*")).StatusCode);
        AssertSentToLogin(await sessionB.GetAsync("/partners", Ct));

        // A token revoked on A.
        using var agentA = nodeA.Api(firstToken);
        var tokenId = (await TicketSteps.Json(await agentA.GetAsync("/api/v1/tokens", Ct), HttpStatusCode.OK))["items"]!.AsArray()
            .Single(t => firstToken.StartsWith(t!["prefix"]!.GetValue<string>(), StringComparison.Ordinal))!["id"]!.GetValue<long>();
        Assert.Equal(HttpStatusCode.OK, await Twice(agentB, "/api/v1/pipelines"));
        Assert.Equal(HttpStatusCode.NoContent, (await agentA.DeleteAsync($"/api/v1/tokens/{tokenId}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await agentB.GetAsync("/api/v1/pipelines", Ct)).StatusCode);

        // Deactivation ends the other token and a new session.
        using var freshSessionB = await Login(nodeB, "senha-nova-do-agente");
        Assert.Equal(HttpStatusCode.OK, await Twice(secondB, "/api/v1/pipelines"));
        Assert.Equal(HttpStatusCode.OK, await Twice(freshSessionB, "/partners"));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/users/{agentId}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await secondB.GetAsync("/api/v1/pipelines", Ct)).StatusCode);
        AssertSentToLogin(await freshSessionB.GetAsync("/partners", Ct));
    }

    /// <summary>
    /// What a node keeps under the access version besides callers (Core/Identity/VersionedCache.cs: a pipeline with its tags,
    /// the company profile; the user's list columns, kept with the caller): a change made through node A shows on node B's
    /// next page, although B had just served it from its cache; so do a category, a staff user and an e-mail template on the
    /// ticket page.
    /// </summary>
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Tags_company_and_list_columns_changed_on_one_node_show_on_the_other_nodes_next_page(string provider)
    {
        await using var data = await AppStore.Create(provider);
        await using var nodeA = await AppProcess.Start(new Dictionary<string, string>(data.Settings), StartTimeout);
        using var anonymousA = nodeA.Api();
        var adminToken = (await TicketSteps.Json(await anonymousA.PostAsJsonAsync("/api/v1/setup", new
        {
            companyName = "Vidraçaria Dois Nós", adminName = "Administradora", adminEmail = TestApp.AdminEmail, adminPassword = TestApp.Password,
        }, Ct), HttpStatusCode.Created))["token"]!.GetValue<string>();
        using var admin = nodeA.Api(adminToken);
        var pipeline = await TicketSteps.Pipeline(admin, tags: ["Urgente"]);
        var pipelineId = pipeline["id"]!.GetValue<long>();
        var tagId = (await TicketSteps.TagIds(admin, pipelineId)).Single();
        var list = $"/tickets?pipelineId={pipelineId}";

        await using var nodeB = await AppProcess.Start(new Dictionary<string, string>(data.Settings) { ["Atende:Database:Migrate"] = "false" }, StartTimeout);
        using var sessionA = await Login(nodeA, TestApp.AdminEmail, TestApp.Password);
        using var sessionB = await Login(nodeB, TestApp.AdminEmail, TestApp.Password);
        async Task<string> Twice(HttpClient client, string url)
        {
            await client.GetPage(url);
            return (await client.GetPage(url)).DocumentElement.OuterHtml;
        }

        // A tag renamed and another added on A: B's list shows both at once.
        Assert.Contains(">Urgente</a>", await Twice(sessionB, list), StringComparison.Ordinal);
        var tag = await admin.GetAsync($"/api/v1/pipelines/{pipelineId}/tags/{tagId}", Ct);
        Assert.Equal(HttpStatusCode.OK, (await TicketSteps.Patch(admin, $"/api/v1/pipelines/{pipelineId}/tags/{tagId}", new { name = "Muito urgente" },
            tag.Headers.ETag!.Tag)).StatusCode);
        await TicketSteps.Json(await admin.PostAsJsonAsync($"/api/v1/pipelines/{pipelineId}/tags", new { name = "Aguardando peça", color = "#0d6efd" }, Ct), HttpStatusCode.Created);
        var renamed = (await sessionB.GetPage(list)).DocumentElement.OuterHtml;
        Assert.Contains(">Muito urgente</a>", renamed, StringComparison.Ordinal);
        Assert.Contains(">Aguardando peça</a>", renamed, StringComparison.Ordinal);

        // The company's address saved on A: B stops asking for it.
        Assert.Contains("address-banner", await Twice(sessionB, list), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/v1/settings/company", new
        {
            name = "Vidraçaria Dois Nós", email = "", timeZone = "America/Sao_Paulo", publicUrl = "https://atende.vidracaria.example",
        }, Ct)).StatusCode);
        Assert.DoesNotContain("address-banner", (await sessionB.GetPage(list)).DocumentElement.OuterHtml, StringComparison.Ordinal);

        // Columns chosen in a browser on B: the same user's list on A shows that choice.
        var workspaceId = await FirstWorkspace(admin);
        var ticketId = (await TicketSteps.Ticket(admin, pipelineId, (await TicketSteps.Partner(admin, workspaceId, "Cliente", "Contato")).PartnerId, null, "Box"))["id"]!.GetValue<long>();
        Assert.Contains("Valor", TicketListPageTests.Headers(await sessionA.GetPage(list)));
        Assert.Contains("Valor", TicketListPageTests.Headers(await sessionA.GetPage(list)));
        Assert.Equal(HttpStatusCode.Redirect, (await TicketListPageTests.ApplyColumns(sessionB, list, "createdAt")).StatusCode);
        Assert.Equal(["Referência", "Título", "Última atualização", "Data de criação"], TicketListPageTests.Headers(await sessionA.GetPage(list)));

        // The ticket page's lists: a category, a staff user and a custom e-mail template added on A are offered on B at once.
        var ticketPage = $"/tickets/{ticketId}";
        string[] Options(AngleSharp.Dom.IDocument page, string select) => page.QuerySelectorAll($"{select} option").Select(o => o.TextContent.Trim()).ToArray();
        await sessionB.GetPage(ticketPage);
        var before = await sessionB.GetPage(ticketPage);
        Assert.DoesNotContain("Garantia estendida", Options(before, "#Input_CategoryId"));
        Assert.DoesNotContain("Técnica Nova", Options(before, "#Input_AssigneeId"));
        Assert.DoesNotContain("Retirada na loja", Options(before, "#template-id"));
        await TicketSteps.Json(await admin.PostAsJsonAsync("/api/v1/settings/categories", new { name = "Garantia estendida" }, Ct), HttpStatusCode.Created);
        await TicketSteps.Json(await admin.PostAsJsonAsync("/api/v1/users", new
        {
            name = "Técnica Nova", email = "tecnica@test.com.br", role = "Admin", password = AgentPassword,
        }, Ct), HttpStatusCode.Created);
        await TicketSteps.Json(await admin.PostAsJsonAsync("/api/v1/settings/email-templates", new { name = "Retirada na loja", subject = "Pronto", body = "<p>Pode retirar.</p>" }, Ct),
            HttpStatusCode.Created);
        var after = await sessionB.GetPage(ticketPage);
        Assert.Contains("Garantia estendida", Options(after, "#Input_CategoryId"));
        Assert.Contains("Técnica Nova", Options(after, "#Input_AssigneeId"));
        Assert.Contains("Retirada na loja", Options(after, "#template-id"));
    }

    private static async Task<long> FirstWorkspace(HttpClient admin) =>
        (await TicketSteps.Json(await admin.GetAsync("/api/v1/workspaces", Ct), HttpStatusCode.OK))["items"]![0]!["id"]!.GetValue<long>();

    private static async Task<string> Token(HttpClient anonymous) =>
        (await TicketSteps.Json(await anonymous.PostAsJsonAsync("/api/v1/tokens", new { email = "agente@test.com.br", password = AgentPassword }, Ct),
            HttpStatusCode.Created))["token"]!.GetValue<string>();

    private static Task<HttpClient> Login(AppProcess node, string password) => Login(node, "agente@test.com.br", password);

    private static async Task<HttpClient> Login(AppProcess node, string email, string password)
    {
        var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true })
        {
            BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(60),
        };
        var response = await browser.SubmitForm("/login", "form", new() { ["Input.Email"] = email, ["Input.Password"] = password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return browser;
    }

    private static void AssertSentToLogin(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/login", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }
}
