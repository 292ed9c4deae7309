using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Dom;
using Atende.Web.Tests.Infrastructure;
using static Atende.Web.Tests.Tickets.TicketSteps;

namespace Atende.Web.Tests.Tickets;

/// <summary>
/// The print pages of a ticket and a quote (issue "Reports", part "Print"): the company's header and every field as people
/// read them ("(11) 98765-4321", "R$ 1.234,56", "22/11/2026 14:30"), no menu, with or without interactions, and the same
/// visibility as the normal pages (another workspace's id is 404, a portal user is refused).
/// </summary>
public abstract class PrintPageTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record World(HttpClient Api, long WorkspaceId, long PipelineId, long PartnerId, string PartnerName, long TicketId, string Reference,
        string AssigneeName);

    /// <summary>
    /// The company's details; a partner with a CNPJ and an address; its contact with two phones and an e-mail; a ticket assigned
    /// to an agent, with value, due date, tag and two interactions (one internal).
    /// </summary>
    private async Task<World> Setup()
    {
        var api = App.Api(fixture.AdminToken);
        await Json(await api.PutAsJsonAsync("/api/v1/settings/company", new
        {
            name = "Contabilidade Horizonte Ltda", email = "contato@horizonte.test", timeZone = "America/Sao_Paulo", taxId = "11.222.333/0001-81",
            phone = "(11) 3456-7890", address = new { postalCode = "01310-100", street = "Av. Paulista", number = "1000", district = "Bela Vista", city = "São Paulo", state = "SP" },
        }, Ct), HttpStatusCode.OK);
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Impressão"));
        var assigneeName = Unique("Marta Responsável");
        var assignee = await Json(await api.PostAsJsonAsync("/api/v1/users", new
        {
            name = assigneeName, email = $"marta{Guid.NewGuid():N}@horizonte.test", role = "Agent", workspaceIds = new[] { workspaceId }, password = TestApp.Password,
        }, Ct), HttpStatusCode.Created);
        var pipeline = await Pipeline(api, users: [assignee["id"]!.GetValue<long>()], tags: ["Urgente"]);
        var pipelineId = pipeline["id"]!.GetValue<long>();
        var partnerName = Unique("Padaria Pão Quente");
        var partner = await Json(await api.PostAsJsonAsync("/api/v1/partners", new
        {
            name = partnerName, workspaceId, code = "12.345.678/0001-95", stateRegistration = "ISENTO", confirmDuplicates = true,
            address = new { postalCode = "04567-000", street = "Rua das Flores", number = "12", district = "Centro", city = "Santos", state = "SP" },
        }, Ct), HttpStatusCode.Created);
        var partnerId = partner["id"]!.GetValue<long>();
        var contact = await Json(await api.PostAsJsonAsync($"/api/v1/partners/{partnerId}/contacts", new
        {
            name = "Joana Prado", confirmDuplicates = true,
            phones = new[] { new { country = "BR", areaCode = "11", number = "987654321", type = "Mobile" }, new { country = "BR", areaCode = "11", number = "33334444", type = "Fixed" } },
            emails = new[] { "joana@paoquente.test" },
        }, Ct), HttpStatusCode.Created);
        var ticket = await Ticket(api, pipelineId, partnerId, contact["id"]!.GetValue<long>(), "Balanço anual", new
        {
            value = 1234.56m, assigneeId = assignee["id"]!.GetValue<long>(), dueAt = "2026-11-22T14:30:00-03:00", description = "Fechar o balanço de 2025.",
            tagIds = (await TagIds(api, pipelineId)).Take(1).ToArray(),
        });
        var ticketId = ticket["id"]!.GetValue<long>();
        await Json(await api.PostAsJsonAsync($"/api/v1/tickets/{ticketId}/interactions", new { body = "<p>Cliente enviou os extratos.</p>" }, Ct), HttpStatusCode.Created);
        await Json(await api.PostAsJsonAsync($"/api/v1/tickets/{ticketId}/interactions", new { body = "<p>Conferir a conta 1.1.2.</p>", @internal = true }, Ct), HttpStatusCode.Created);
        return new World(api, workspaceId, pipelineId, partnerId, partnerName, ticketId, ticket["reference"]!.GetValue<string>(), assigneeName);
    }

    private static string Text(IHtmlDocument page) => page.Body!.TextContent.Replace('\u00a0', ' ');

    private static void HasTheCompanyHeaderAndNoMenu(IHtmlDocument page)
    {
        var header = page.QuerySelector(".print-company")!.TextContent;
        Assert.Contains("Contabilidade Horizonte Ltda", header, StringComparison.Ordinal);
        Assert.Contains("CNPJ 11.222.333/0001-81", header, StringComparison.Ordinal);
        Assert.Contains("Av. Paulista, 1000 - Bela Vista", header, StringComparison.Ordinal);
        Assert.Contains("Tel. (11) 3456-7890", header, StringComparison.Ordinal);
        Assert.Contains("contato@horizonte.test", header, StringComparison.Ordinal);
        Assert.Empty(page.QuerySelectorAll("nav"));
        Assert.Null(page.QuerySelector("a[href='/tickets']"));
        Assert.Null(page.QuerySelector("form[action='/logout']"));
        // What is only for the screen (Imprimir, the links) is marked so that print hides it.
        Assert.NotNull(page.QuerySelector(".no-print [data-print]"));
    }

    [Fact]
    public async Task The_ticket_print_shows_the_company_and_every_field_and_its_interactions_unless_asked_without()
    {
        var w = await Setup();
        using var browser = await App.LoggedIn();
        var page = await browser.GetPage($"/tickets/{w.TicketId}/print");
        HasTheCompanyHeaderAndNoMenu(page);
        Assert.Contains(w.Reference, page.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Balanço anual", page.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        var fields = page.QuerySelector("#print-fields")!.TextContent.Replace('\u00a0', ' ');
        Assert.Equal(w.AssigneeName, page.QuerySelector("#print-assignee")!.TextContent.Trim());
        Assert.Contains("R$ 1.234,56", fields, StringComparison.Ordinal);
        Assert.Contains("22/11/2026 14:30", fields, StringComparison.Ordinal);
        Assert.Contains("Aberto", fields, StringComparison.Ordinal);
        Assert.Contains("Urgente", fields, StringComparison.Ordinal);
        var partner = page.QuerySelector("#print-partner")!.TextContent;
        Assert.Contains(w.PartnerName, partner, StringComparison.Ordinal);
        Assert.Contains("CNPJ: 12.345.678/0001-95", partner, StringComparison.Ordinal);
        Assert.Contains("Inscrição estadual: ISENTO", partner, StringComparison.Ordinal);
        Assert.Contains("Rua das Flores, 12 - Centro", partner, StringComparison.Ordinal);
        var contact = page.QuerySelector("#print-contact")!.TextContent;
        Assert.Contains("Joana Prado", contact, StringComparison.Ordinal);
        Assert.Contains("(11) 98765-4321 · (11) 3333-4444", contact, StringComparison.Ordinal);
        Assert.DoesNotContain("+55", contact, StringComparison.Ordinal);
        Assert.Contains("joana@paoquente.test", contact, StringComparison.Ordinal);
        Assert.Contains("Fechar o balanço de 2025.", Text(page), StringComparison.Ordinal);
        // With interactions by default, oldest first, the internal note marked.
        var interactions = page.QuerySelectorAll(".print-interaction");
        Assert.Equal(2, interactions.Length);
        Assert.Contains("Cliente enviou os extratos.", interactions[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Nota interna", interactions[1].TextContent, StringComparison.Ordinal);
        Assert.Matches(@"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", interactions[0].QuerySelector(".print-interaction-meta")!.TextContent);

        foreach (var without in new[] { "0", "false" })
        {
            var plain = await browser.GetPage($"/tickets/{w.TicketId}/print?interactions={without}");
            Assert.Empty(plain.QuerySelectorAll(".print-interaction"));
            Assert.DoesNotContain("Cliente enviou os extratos.", Text(plain), StringComparison.Ordinal);
            Assert.Contains("R$ 1.234,56", Text(plain), StringComparison.Ordinal);
        }
        Assert.Equal(2, (await browser.GetPage($"/tickets/{w.TicketId}/print?interactions=true")).QuerySelectorAll(".print-interaction").Length);

        // The ticket page offers both.
        var details = await browser.GetPage($"/tickets/{w.TicketId}");
        var links = details.QuerySelectorAll("a[href*='/print']").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains($"/tickets/{w.TicketId}/print?interactions=true", links);
        Assert.Contains($"/tickets/{w.TicketId}/print?interactions=false", links);
    }

    [Fact]
    public async Task The_quote_print_shows_the_company_the_customer_the_lines_and_the_totals()
    {
        var w = await Setup();
        var quote = await Json(await w.Api.PostAsJsonAsync("/api/v1/quotes", new
        {
            ticketId = w.TicketId, notes = "Pagamento em 30 dias.\nEntrega na sede.", validUntil = "2030-12-20",
            items = new object[]
            {
                new { description = "Balanço patrimonial", quantity = 1.5m, unitPrice = 1000.01m, discountPercent = 10m },
                new { description = "Visita técnica", quantity = 2m, unitPrice = 150m, discount = 20m },
            },
        }, Ct), HttpStatusCode.Created);
        var id = quote["id"]!.GetValue<long>();
        using var browser = await App.LoggedIn();
        var page = await browser.GetPage($"/quotes/{id}/print");
        HasTheCompanyHeaderAndNoMenu(page);
        var text = Text(page);
        Assert.Contains(quote["number"]!.GetValue<string>(), page.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        var fields = page.QuerySelector("#print-fields")!.TextContent;
        Assert.Contains("Em aprovação", fields, StringComparison.Ordinal);
        Assert.Equal("20/12/2030", page.QuerySelector("#print-valid-until")!.TextContent.Trim());
        Assert.Equal("Administradora Teste", page.QuerySelector("#print-seller")!.TextContent.Trim());
        Assert.Contains(w.Reference, fields, StringComparison.Ordinal);
        Assert.Contains(w.PartnerName, page.QuerySelector("#print-partner")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("(11) 98765-4321", page.QuerySelector("#print-contact")!.TextContent, StringComparison.Ordinal);
        var rows = page.QuerySelectorAll("#print-lines tbody tr").Select(r => r.QuerySelectorAll("td").Select(c => c.TextContent.Replace('\u00a0', ' ').Trim()).ToArray()).ToList();
        // 1,5 × R$ 1.000,01 = 1.500,015 → R$ 1.500,02; 10% = R$ 150,00; total R$ 1.350,02.
        Assert.Equal(["1", "Balanço patrimonial", "1,5", "R$ 1.000,01", "10%", "R$ 1.350,02"], rows[0]);
        Assert.Equal(["2", "Visita técnica", "2", "R$ 150,00", "R$ 20,00", "R$ 280,00"], rows[1]);
        var totals = page.QuerySelector("#print-totals")!.TextContent.Replace('\u00a0', ' ');
        Assert.Contains("R$ 1.800,02", totals, StringComparison.Ordinal);
        Assert.Contains("R$ 170,00", totals, StringComparison.Ordinal);
        Assert.Contains("R$ 1.630,02", totals, StringComparison.Ordinal);
        Assert.Contains("Pagamento em 30 dias.", text, StringComparison.Ordinal);

        // The quote page links to it, next to the PDF.
        var details = await browser.GetPage($"/quotes/{id}");
        Assert.NotNull(details.QuerySelector($"a[href='/quotes/{id}/print']"));
    }

    [Fact]
    public async Task Print_pages_keep_the_visibility_of_the_normal_pages()
    {
        var w = await Setup();
        var quote = await Json(await w.Api.PostAsJsonAsync("/api/v1/quotes", new
        {
            ticketId = w.TicketId, items = new[] { new { description = "Consultoria", quantity = 1m, unitPrice = 100m } },
        }, Ct), HttpStatusCode.Created);
        string[] urls = [$"/tickets/{w.TicketId}/print", $"/tickets/{w.TicketId}/print?interactions=false", $"/quotes/{quote["id"]}/print"];

        // An agent of another workspace, authorized on the pipeline: 404, as on the ticket and quote pages.
        var otherWorkspace = await App.CreateWorkspace(fixture.AdminToken, Unique("Outro domínio"));
        var email = $"outro{Guid.NewGuid():N}@horizonte.test";
        var (agentId, _) = await App.CreateUser(fixture.AdminToken, email, "Agent", otherWorkspace);
        var current = await w.Api.GetAsync($"/api/v1/pipelines/{w.PipelineId}", Ct);
        var users = (await Json(current, HttpStatusCode.OK))["authorizedUserIds"]!.AsArray().Select(u => u!.GetValue<long>()).Append(agentId).ToArray();
        Assert.Equal(HttpStatusCode.OK, (await Patch(w.Api, $"/api/v1/pipelines/{w.PipelineId}", new { authorizedUserIds = users }, current.Headers.ETag!.Tag)).StatusCode);
        using var agent = await App.LoggedIn(email);
        foreach (var url in urls.Append($"/tickets/{w.TicketId}").Append($"/quotes/{quote["id"]}"))
        {
            Assert.True((await agent.GetAsync(url, Ct)).StatusCode == HttpStatusCode.NotFound, url);
        }
        Assert.True((await agent.GetAsync("/tickets/999999999/print", Ct)).StatusCode == HttpStatusCode.NotFound);

        // A portal user of the ticket's own partner: refused like on every staff page.
        var portalEmail = $"portal{Guid.NewGuid():N}@paoquente.test";
        await Json(await w.Api.PostAsJsonAsync("/api/v1/users", new { name = "Joana Portal", email = portalEmail, role = "Portal", partnerId = w.PartnerId, password = TestApp.Password }, Ct),
            HttpStatusCode.Created);
        using var portal = await App.LoggedIn(portalEmail);
        foreach (var url in urls)
        {
            var refused = await portal.GetAsync(url, Ct);
            Assert.True(refused.StatusCode == HttpStatusCode.Redirect, $"{url}: {(int)refused.StatusCode}");
            Assert.Contains("/acesso-negado", refused.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }
    }
}

public sealed class PrintPageTestsSqlite(SqliteFixture fixture) : PrintPageTests(fixture), IClassFixture<SqliteFixture>;

public sealed class PrintPageTestsPostgres(PostgresFixture fixture) : PrintPageTests(fixture), IClassFixture<PostgresFixture>;
