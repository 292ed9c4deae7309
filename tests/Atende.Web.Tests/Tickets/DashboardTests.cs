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
        var colleague = await App.CreateUser(fixture.AdminToken, $"colega-{Guid.NewGuid():N}@empresa.test", "Agent", workspace);
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

        using var browser = await App.LoggedIn(agentEmail);
        var home = await browser.GetPage("/");
        // The agent's row only: the other pipeline is not theirs.
        var row = home.QuerySelectorAll(".dashboard-pipelines tbody tr").Single();
        Assert.Equal(pipeline.ToString(System.Globalization.CultureInfo.InvariantCulture), row.GetAttribute("data-pipeline-id"));
        string Figure(string name) => row.QuerySelector($"[data-figure='{name}']")!.TextContent.Trim();
        Assert.Equal(("4", "2", "1", "2"), (Figure("open"), Figure("overdue"), Figure("today"), Figure("mine")));

        var links = home.QuerySelectorAll("a[data-figure]").ToList();
        Assert.True(links.Count >= 4 + 2 + 3 + 1 + 12, $"only {links.Count} figures are links");
        foreach (var link in links)
        {
            var href = link.GetAttribute("href")!;
            var shown = int.Parse((link.QuerySelector("strong") ?? link).TextContent.Trim().Replace(".", ""), System.Globalization.CultureInfo.InvariantCulture);
            var page = await browser.GetPage(href);
            var counted = href.StartsWith("/sales", StringComparison.Ordinal)
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
        using var api = App.Api(await App.Token(agentEmail, TestApp.Password));
        var dashboard = await TicketSteps.Json(await api.GetAsync("/api/v1/dashboard", Ct), HttpStatusCode.OK);
        var figures = dashboard["pipelines"]!.AsArray().Single(p => p!["pipelineId"]!.GetValue<long>() == pipeline)!;
        Assert.Equal((4, 2, 1, 2), (figures["open"]!.GetValue<int>(), figures["overdue"]!.GetValue<int>(), figures["dueToday"]!.GetValue<int>(), figures["mine"]!.GetValue<int>()));
        Assert.DoesNotContain(dashboard["pipelines"]!.AsArray(), p => p!["pipelineId"]!.GetValue<long>() == hidden);
        var listed = await TicketSteps.Json(await api.GetAsync($"/api/v1/tickets?pipelineId={pipeline}&due=Overdue&includeTotal=true", Ct), HttpStatusCode.OK);
        Assert.Equal(2, listed["total"]!.GetValue<int>());
        Assert.Equal(12, dashboard["sales"]!.AsArray().Count);
    }
}

public sealed class DashboardTestsSqlite(SqliteFixture fixture) : DashboardTests(fixture), IClassFixture<SqliteFixture>;

public sealed class DashboardTestsPostgres(PostgresFixture fixture) : DashboardTests(fixture), IClassFixture<PostgresFixture>;
