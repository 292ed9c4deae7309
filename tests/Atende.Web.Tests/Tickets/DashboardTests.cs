using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Atende.Web.Tests.Infrastructure;

namespace Atende.Web.Tests.Tickets;

/// <summary>
/// Início: every figure is a link, and the list it opens counts exactly that many (followed as a user clicks it, the rows
/// counted on the page); only what the caller sees; the same figures through <c>GET /api/v1/dashboard</c>.
/// </summary>
public abstract partial class DashboardTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_figure_links_to_a_list_that_counts_the_same_and_an_agent_sees_only_their_pipelines()
    {
        var admin = App.Api(fixture.AdminToken);
        var workspace = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Filial Painel"));
        var agentEmail = $"agente-{Guid.NewGuid():N}@empresa.test";
        var agent = await App.CreateUser(fixture.AdminToken, agentEmail, "Agent", workspace);
        var colleagueEmail = $"colega-{Guid.NewGuid():N}@empresa.test";
        var colleague = await App.CreateUser(fixture.AdminToken, colleagueEmail, "Agent", workspace);
        var pipeline = (await TicketSteps.Pipeline(admin, users: [agent.Id, colleague.Id]))["id"]!.GetValue<long>();
        var hidden = (await TicketSteps.Pipeline(admin))["id"]!.GetValue<long>();
        var (partner, contact) = await TicketSteps.Partner(admin, workspace, TicketSteps.Unique("Padaria Painel"), "Ana");
        var now = DateTimeOffset.UtcNow;
        object?[] shapes =
        [
            new { assigneeId = agent.Id, dueAt = now.AddDays(-2) },          // mine, overdue
            new { assigneeId = agent.Id, dueAt = now.AddSeconds(-10) },      // mine, overdue and due today
            new { assigneeId = colleague.Id, dueAt = now.AddDays(3) },       // the colleague's
            new { assigneeId = (long?)null, dueAt = (DateTimeOffset?)null }, // nobody's
            new { assigneeId = agent.Id, dueAt = now.AddDays(-5) },          // done below: not open
        ];
        var ids = new List<long>();
        foreach (var shape in shapes)
        {
            ids.Add((await TicketSteps.Ticket(admin, pipeline, partner, contact, "Pedido", shape))["id"]!.GetValue<long>());
        }
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/v1/tickets/{ids[4]}/status", new { status = "Done" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/v1/tickets/{ids[1]}/status", new { status = "Analyzing" }, Ct)).StatusCode);
        await TicketSteps.Ticket(admin, hidden, partner, contact, "Outro fluxo");
        var quote = await TicketSteps.Json(await admin.PostAsJsonAsync("/api/v1/quotes", new
        {
            ticketId = ids[0], items = new object[] { new { description = "Pão de forma", quantity = 3, unitPrice = 12.5m } },
        }, Ct), HttpStatusCode.Created);
        Assert.Equal("PendingApproval", quote["state"]!.GetValue<string>());

        // Conversations: two of the agent's today, one of the colleague's; another workspace's are not the agent's to see.
        using var api = App.Api(await App.Token(agentEmail, TestApp.Password));
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/Sao_Paulo");
        var wallNow = TimeZoneInfo.ConvertTime(now, zone).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var partnerId = partner;
        await Conversations.ConversationData.Conversation(api, partnerId, wallNow, "Ligar sobre o pedido", concluded: true);
        await Conversations.ConversationData.Conversation(api, partnerId, wallNow, "Enviar catálogo", concluded: true);
        await Conversations.ConversationData.Conversation(api, partnerId, wallNow, "Visita do colega", concluded: true, sellerId: colleague.Id);
        var elsewhere = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Filial Oculta"));
        var hiddenSeller = await App.CreateUser(fixture.AdminToken, $"oculto-{Guid.NewGuid():N}@empresa.test", "Agent", elsewhere);
        var hiddenPartner = await Conversations.ConversationData.Partner(admin, elsewhere, TicketSteps.Unique("Loja Oculta"));
        await Conversations.ConversationData.Conversation(admin, hiddenPartner, wallNow, "Fora do alcance", concluded: true, sellerId: hiddenSeller.Id);

        using var browser = await App.LoggedIn(agentEmail);
        var home = await browser.GetPage("/");
        // The agent's row only: the other pipeline is not theirs.
        var row = home.QuerySelectorAll(".dashboard-pipelines tbody tr").Single();
        Assert.Equal(pipeline.ToString(System.Globalization.CultureInfo.InvariantCulture), row.GetAttribute("data-pipeline-id"));
        string Figure(string name) => row.QuerySelector($"[data-figure='{name}']")!.TextContent.Trim();
        Assert.Equal(("4", "2", "1", "2"), (Figure("open"), Figure("overdue"), Figure("today"), Figure("mine")));

        Assert.Equal("2", home.QuerySelector("[data-figure='agenda-today'] strong")!.TextContent.Trim());
        var today = home.QuerySelectorAll(".dashboard-agenda li").Select(li => li.TextContent).ToList();
        Assert.Equal(2, today.Count);
        Assert.Contains(today, t => t.Contains("Enviar catálogo", StringComparison.Ordinal) && t.Contains("Concluída", StringComparison.Ordinal));
        Assert.Contains(today, t => t.Contains("Ligar sobre o pedido", StringComparison.Ordinal));
        // By seller, busiest first; the other workspace's seller is not listed.
        var sellers = home.QuerySelectorAll("[data-figure='conversations-seller']").Select(a => a.QuerySelector(".text-truncate")!.TextContent.Trim()).ToList();
        Assert.Equal(["Usuário " + agentEmail, "Usuário " + colleagueEmail], sellers);

        var links = home.QuerySelectorAll("a[data-figure]").ToList();
        Assert.True(links.Count >= 4 + 2 + 3 + 1 + 12 + 1 + 1 + 2, $"only {links.Count} figures are links");
        foreach (var link in links)
        {
            var href = link.GetAttribute("href")!;
            var shown = int.Parse((link.QuerySelector("strong") ?? link).TextContent.Trim().Replace(".", ""), System.Globalization.CultureInfo.InvariantCulture);
            var page = await browser.GetPage(href);
            var counted = href.StartsWith("/agenda", StringComparison.Ordinal) ? await AgendaCount(api, page, agent.Id)
                : href.StartsWith("/sales", StringComparison.Ordinal)
                ? page.QuerySelectorAll("table tbody tr").Count(r => r.QuerySelector("a.row-link[href^='/quotes/']") is not null)
                : page.QuerySelectorAll("#results tbody tr[data-ticket-id]").Length;
            Assert.True(shown == counted, $"{link.GetAttribute("data-figure")} says {shown}, its list {href} shows {counted}");
        }
        Assert.Equal("1", home.QuerySelector("[data-figure='awaiting']")!.TextContent.Trim());
        Assert.Contains("R$ 37,50", home.QuerySelector("[data-figure='awaiting']")!.ParentElement!.TextContent);

        // The list says what it shows, each filter removable.
        var overdue = await browser.GetPage(row.QuerySelector("[data-figure='overdue']")!.GetAttribute("href")!);
        Assert.Contains("Atrasados", overdue.QuerySelector(".list-narrowed")!.TextContent);
        var mine = await browser.GetPage(row.QuerySelector("[data-figure='mine']")!.GetAttribute("href")!);
        Assert.Matches(new Regex("Abertos.*Responsável: ", RegexOptions.Singleline), mine.QuerySelector(".list-narrowed")!.TextContent);

        // The API gives the same figures, for the same caller.
        var dashboard = await TicketSteps.Json(await api.GetAsync("/api/v1/dashboard", Ct), HttpStatusCode.OK);
        var figures = dashboard["pipelines"]!.AsArray().Single(p => p!["pipelineId"]!.GetValue<long>() == pipeline)!;
        Assert.Equal((4, 2, 1, 2), (figures["open"]!.GetValue<int>(), figures["overdue"]!.GetValue<int>(), figures["dueToday"]!.GetValue<int>(), figures["mine"]!.GetValue<int>()));
        Assert.DoesNotContain(dashboard["pipelines"]!.AsArray(), p => p!["pipelineId"]!.GetValue<long>() == hidden);
        var listed = await TicketSteps.Json(await api.GetAsync($"/api/v1/tickets?pipelineId={pipeline}&due=Overdue&includeTotal=true", Ct), HttpStatusCode.OK);
        Assert.Equal(2, listed["total"]!.GetValue<int>());
        Assert.Equal(12, dashboard["sales"]!.AsArray().Count);
        Assert.Equal(2, dashboard["agenda"]!["count"]!.GetValue<int>());
        Assert.Equal(2, dashboard["conversationsThisMonth"]!.AsArray().Count);
    }

    /// <summary>
    /// What the agenda opened by a dashboard link lists: the calendar starts on the list view and date of the link, with the
    /// seller chosen in its filter, and is fed by the events API for that range and seller (as the page's script asks it).
    /// </summary>
    private static async Task<int> AgendaCount(HttpClient api, AngleSharp.Dom.IDocument page, long me)
    {
        var calendar = page.QuerySelector("[data-events-url]")!;
        var view = calendar.GetAttribute("data-initial-view")!;
        var start = DateOnly.ParseExact(calendar.GetAttribute("data-initial-date")!, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var end = view switch { "listDay" => start.AddDays(1), "listMonth" => start.AddMonths(1), _ => throw new InvalidOperationException($"the agenda opens on {view}, not a list") };
        var seller = page.QuerySelector("select[name='seller'] option[selected]")?.GetAttribute("value") ?? me.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var url = $"/api/v1/agenda/events?start={start:yyyy-MM-dd}&end={end:yyyy-MM-dd}" + (seller == "all" ? "" : "&sellerId=" + seller);
        var response = await api.GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Agenda-Truncated"), url);
        return System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!.AsArray().Count;
    }
}

public sealed class DashboardTestsSqlite(SqliteFixture fixture) : DashboardTests(fixture), IClassFixture<SqliteFixture>;

public sealed class DashboardTestsPostgres(PostgresFixture fixture) : DashboardTests(fixture), IClassFixture<PostgresFixture>;
