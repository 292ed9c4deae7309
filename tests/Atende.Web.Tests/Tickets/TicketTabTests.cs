using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Atende.Web.Tests.Infrastructure;

namespace Atende.Web.Tests.Tickets;

/// <summary>
/// The ticket page renders the open tab only; Timeline, Arquivos, Vendas and Histórico load when shown (their pane's hx-get), and a
/// <c>?tab=</c> link renders that tab with the page, without JavaScript.
/// </summary>
public abstract class TicketTabTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record World(HttpClient Api, long WorkspaceId, long PipelineId, long TicketId);

    /// <summary>A ticket with one interaction and one file (attaching it writes a history row).</summary>
    private async Task<World> Ticket()
    {
        var api = App.Api(fixture.AdminToken);
        var ws = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio"));
        var pipeline = await TicketSteps.Pipeline(api);
        var pipelineId = pipeline["id"]!.GetValue<long>();
        var (partnerId, _) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Cliente"), "Ana");
        var ticketId = (await TicketSteps.Ticket(api, pipelineId, partnerId, null, "Com abas"))["id"]!.GetValue<long>();
        await TicketSteps.Json(await api.PostAsJsonAsync($"/api/v1/tickets/{ticketId}/interactions", new { body = "<p>Cliente pediu retorno amanhã</p>" }, Ct), HttpStatusCode.Created);
        using var files = new MultipartFormDataContent();
        var part = new ByteArrayContent(Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"));
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        files.Add(part, "files", "Contrato assinado.pdf");
        await TicketSteps.Json(await api.PostAsync($"/api/v1/tickets/{ticketId}/attachments", files, Ct), HttpStatusCode.Created);
        return new World(api, ws, pipelineId, ticketId);
    }

    private static async Task<IHtmlDocument> Fragment(HttpClient browser, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("HX-Request", "true");
        var response = await browser.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("<html", html, StringComparison.OrdinalIgnoreCase);
        return new HtmlParser().ParseDocument(html);
    }

    private static string Badge(IHtmlDocument page, string tab) => page.QuerySelector($"#tab-{tab} .badge")?.TextContent.Trim() ?? "";

    [Fact]
    public async Task The_open_tab_comes_with_the_page_and_the_others_load_when_shown()
    {
        var w = await Ticket();
        using var browser = await App.LoggedIn();
        var page = await browser.GetPage($"/tickets/{w.TicketId}");

        Assert.Contains("Cliente pediu retorno amanhã", page.QuerySelector("#timeline")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("#timeline #nova-interacao"));
        Assert.Null(page.QuerySelector("#timeline")!.GetAttribute("hx-get"));
        Assert.Equal(("1", "1"), (Badge(page, "timeline"), Badge(page, "arquivos")));
        foreach (var tab in new[] { "arquivos", "historico" })
        {
            var pane = page.QuerySelector($"#{tab}")!;
            Assert.DoesNotContain("Contrato assinado.pdf", pane.TextContent, StringComparison.Ordinal);
            Assert.Equal("tab-shown once", pane.GetAttribute("hx-trigger"));
            // Without JavaScript, the placeholder links to the page with that tab open.
            Assert.EndsWith($"&tab={tab}", pane.QuerySelector("a")!.GetAttribute("href"), StringComparison.Ordinal);
            Assert.NotNull((await browser.GetPage($"/tickets/{w.TicketId}" + pane.QuerySelector("a")!.GetAttribute("href"))).QuerySelector($"#{tab}.active:not([hx-get]) .card"));
        }

        var files = await Fragment(browser, page.QuerySelector("#arquivos")!.GetAttribute("hx-get")!);
        Assert.Contains("Contrato assinado.pdf", files.QuerySelector("ul.list-group")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(files.QuerySelector("#upload-form input[name=__RequestVerificationToken]"));
        var history = await Fragment(browser, page.QuerySelector("#historico")!.GetAttribute("hx-get")!);
        Assert.Contains(history.QuerySelectorAll("tbody tr"), r => r.TextContent.Contains("Contrato assinado.pdf", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_direct_link_to_a_tab_renders_it_with_the_page_and_the_timeline_loads_when_shown()
    {
        var w = await Ticket();
        using var browser = await App.LoggedIn();

        var history = await browser.GetPage($"/tickets/{w.TicketId}?tab=historico");
        Assert.Contains("active", history.QuerySelector("#tab-historico")!.ClassList);
        Assert.Equal("true", history.QuerySelector("#tab-historico")!.GetAttribute("aria-selected"));
        Assert.Contains(history.QuerySelectorAll("#historico tbody tr"), r => r.TextContent.Contains("Contrato assinado.pdf", StringComparison.Ordinal));
        Assert.Equal(("1", "1"), (Badge(history, "timeline"), Badge(history, "arquivos")));
        Assert.DoesNotContain("Cliente pediu retorno amanhã", history.QuerySelector("#timeline")!.TextContent, StringComparison.Ordinal);

        var timeline = await Fragment(browser, history.QuerySelector("#timeline")!.GetAttribute("hx-get")!);
        Assert.Contains("Cliente pediu retorno amanhã", timeline.QuerySelector("article.interaction")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(timeline.QuerySelector("#nova-interacao input[name=__RequestVerificationToken]"));

        var files = await browser.GetPage($"/tickets/{w.TicketId}?tab=arquivos");
        Assert.Contains("Contrato assinado.pdf", files.QuerySelector("#arquivos ul.list-group")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("tab-shown once", files.QuerySelector("#historico")!.GetAttribute("hx-trigger"));
    }

    /// <summary>
    /// The page reads in a fixed number of statements, whatever the ticket holds: on PostgreSQL each one is a round trip.
    /// Counted with the Timeline open (the default) and with Arquivos, for a ticket with one interaction and file, then three.
    /// </summary>
    [Fact]
    public async Task The_ticket_page_runs_a_fixed_number_of_statements_whatever_the_ticket_holds()
    {
        var w = await Ticket();
        using var browser = await App.LoggedIn();
        await browser.GetPage($"/tickets/{w.TicketId}");
        async Task<int> Statements(string url) => await App.Sql.StatementsDuring(async () => await browser.GetPage(url));

        var (timeline, files) = (await Statements($"/tickets/{w.TicketId}"), await Statements($"/tickets/{w.TicketId}?tab=arquivos"));
        for (var n = 2; n <= 3; n++)
        {
            using var multipart = new MultipartFormDataContent();
            var part = new ByteArrayContent(Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"));
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            multipart.Add(part, "files", $"Anexo {n}.pdf");
            multipart.Add(new StringContent($"<p>Retorno {n}</p>"), "body");
            await TicketSteps.Json(await w.Api.PostAsync($"/api/v1/tickets/{w.TicketId}/interactions", multipart, Ct), HttpStatusCode.Created);
        }
        var page = await browser.GetPage($"/tickets/{w.TicketId}");
        // Newest first, each interaction with its own file; the badges count every interaction and file of the ticket.
        var articles = page.QuerySelectorAll("#timeline article.interaction");
        Assert.Equal(["Anexo 3.pdf", "Anexo 2.pdf", ""], articles.Select(a => a.QuerySelector(".card-footer")?.TextContent.Trim() ?? ""));
        Assert.Equal(("3", "3"), (Badge(page, "timeline"), Badge(page, "arquivos")));

        Assert.Equal((TimelineStatements, FilesStatements), (timeline, files));
        Assert.Equal((TimelineStatements, FilesStatements), (await Statements($"/tickets/{w.TicketId}"), await Statements($"/tickets/{w.TicketId}?tab=arquivos")));
    }

    /// <summary>
    /// The statements of the ticket page for an admin, the layout's unread notifications included; not the reads a node keeps
    /// under the access version (the pipeline with its tags, the company profile, the form's lists and user menus, the e-mail
    /// templates: <see cref="SqlCommands.IsNodeCacheRead"/>).
    /// </summary>
    private const int TimelineStatements = 8, FilesStatements = 6;

    [Fact]
    public async Task A_tab_of_a_ticket_the_caller_may_not_see_is_not_found()
    {
        var w = await Ticket();
        var tabs = new[] { "timeline", "arquivos", "vendas", "compras", "chat", "historico" };
        // Authorized on the pipeline, but in another workspace: the ticket's requester is not theirs.
        var otherWs = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Outro domínio"));
        var email = $"outro{Guid.NewGuid():N}@test.com.br";
        var (agentId, _) = await App.CreateUser(fixture.AdminToken, email, "Agent", otherWs);
        var etag = (await w.Api.GetAsync($"/api/v1/pipelines/{w.PipelineId}", Ct)).Headers.ETag!.Tag;
        await TicketSteps.Json(await TicketSteps.Patch(w.Api, $"/api/v1/pipelines/{w.PipelineId}", new { authorizedUserIds = new[] { agentId } }, etag), HttpStatusCode.OK);
        using var agent = await App.LoggedIn(email);
        foreach (var tab in tabs)
        {
            var response = await agent.GetAsync($"/tickets/{w.TicketId}?handler=Tab&tab={tab}", Ct);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, tab);
            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.DoesNotContain("Contrato assinado.pdf", body, StringComparison.Ordinal);
            Assert.DoesNotContain("Cliente pediu retorno", body, StringComparison.Ordinal);
        }

        // In the workspace but not authorized on the pipeline: the same.
        var insider = $"semfluxo{Guid.NewGuid():N}@test.com.br";
        await App.CreateUser(fixture.AdminToken, insider, "Agent", w.WorkspaceId);
        using var unauthorized = await App.LoggedIn(insider);
        foreach (var tab in tabs)
        {
            Assert.True((await unauthorized.GetAsync($"/tickets/{w.TicketId}?handler=Tab&tab={tab}", Ct)).StatusCode == HttpStatusCode.NotFound, tab);
        }

        // A tab that reads nothing, or none at all, is not a fragment either.
        using var admin = await App.LoggedIn();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/tickets/{w.TicketId}?handler=Tab&tab=conversa", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/tickets/{w.TicketId}?handler=Tab&tab=%00", Ct)).StatusCode);
    }
}

public sealed class TicketTabTestsSqlite(SqliteFixture fixture) : TicketTabTests(fixture), IClassFixture<SqliteFixture>;

public sealed class TicketTabTestsPostgres(PostgresFixture fixture) : TicketTabTests(fixture), IClassFixture<PostgresFixture>;
