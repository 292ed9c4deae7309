using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;
using CsvHelper;
using CsvHelper.Configuration;
using static Atende.Web.Tests.Tickets.TicketSteps;

namespace Atende.Web.Tests.Sales;

/// <summary>
/// Inputs nobody types on purpose, against the sales API and pages: a huge body, a mangled page cursor, and the CSV of a filtered
/// list checked row by row against the totals the page shows.
/// </summary>
public abstract class SalesBadInputTests(AppFixture fixture)
{
    private static readonly CultureInfo PtBr = CultureInfo.GetCultureInfo("pt-BR");

    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(HttpClient Api, long WorkspaceId, long PipelineId, long PartnerId, long TicketId)> TicketOfAdmin(string partnerName = "Padaria Pão Quente")
    {
        var api = App.Api(fixture.AdminToken);
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Vendas"));
        var pipelineId = (await Pipeline(api))["id"]!.GetValue<long>();
        var (partnerId, contactId) = await Partner(api, workspaceId, Unique(partnerName), "Joana Prado");
        var ticket = await TicketSteps.Ticket(api, pipelineId, partnerId, contactId, "Orçamento de manutenção");
        return (api, workspaceId, pipelineId, partnerId, ticket["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_five_megabyte_description_is_a_clear_4xx_problem_and_nothing_is_saved()
    {
        var (api, _, _, _, ticketId) = await TicketOfAdmin();
        var huge = new string('a', 5 * 1024 * 1024);
        var response = await api.PostAsJsonAsync("/api/v1/quotes", new { ticketId, items = new[] { new { description = huge, quantity = 1, unitPrice = 10m } } }, Ct);
        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal((int)response.StatusCode, problem["status"]!.GetValue<int>());
        var detail = problem["detail"]?.GetValue<string>() ?? "";
        Assert.True(detail.Length is > 0 and < 2000, "the problem says what is wrong without echoing the body");
        Assert.Contains("no máximo 500 caracteres", problem["errors"]!["items[0].description"]![0]!.GetValue<string>());
        var list = await Json(await api.GetAsync($"/api/v1/quotes?ticketId={ticketId}", Ct), HttpStatusCode.OK);
        Assert.Empty(list["items"]!.AsArray());
    }

    [Fact]
    public async Task A_mangled_cursor_on_the_purchases_list_is_a_400_problem_in_the_api_and_the_first_page_on_the_page()
    {
        var (api, workspaceId, _, _, ticketId) = await TicketOfAdmin();
        var supplierId = (await Json(await api.PostAsJsonAsync("/api/v1/partners", new { name = Unique("Distribuidora Forno Forte"), workspaceId, roles = new[] { "Supplier" } }, Ct),
            HttpStatusCode.Created))["id"]!.GetValue<long>();
        var purchase = await Json(await api.PostAsJsonAsync("/api/v1/purchases", new
        {
            ticketId, supplierId, items = new[] { new { description = "Resistência 220V", quantity = 1, unitPrice = 89.90m } },
        }, Ct), HttpStatusCode.Created);

        foreach (var cursor in new[] { "garbage", "%00", "eyJpZCI6IngifQ", new string('z', 3000), "-1", "9999999999999999999999" })
        {
            var response = await api.GetAsync($"/api/v1/purchases?after={Uri.EscapeDataString(cursor)}", Ct);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"after={cursor[..Math.Min(20, cursor.Length)]}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
            Assert.NotNull(problem["errors"]!["after"]);
        }

        var browser = await App.LoggedIn();
        var page = await browser.GetPage($"/purchases?after=garbage&ticketId={ticketId}");
        Assert.Contains(purchase["number"]!.GetValue<string>(), page.QuerySelector("main")!.TextContent);
        page = await browser.GetPage($"/purchases?after={Uri.EscapeDataString(new string('z', 3000))}");
        Assert.NotNull(page.QuerySelector("h1"));
        // A supplier or pipeline the selects cannot show is named by its field, not shown as "Todos" over an empty list.
        page = await browser.GetPage("/purchases?supplierId=999999&pipelineId=999999");
        Assert.Contains("Fornecedor: não encontrado", page.QuerySelector("#supplierId-error")!.TextContent);
        Assert.Contains("Fluxo: não encontrado", page.QuerySelector("#pipelineId-error")!.TextContent);
        Assert.Equal("Não encontrado", ((AngleSharp.Html.Dom.IHtmlSelectElement)page.QuerySelector("#supplierId")!).SelectedOptions.Single().TextContent);
        Assert.StartsWith("0 compras", page.QuerySelector(".purchase-totals")!.TextContent.Trim());
    }

    [Fact]
    public async Task The_csv_of_a_filtered_sales_list_has_exactly_the_rows_and_total_the_page_shows()
    {
        var (api, workspaceId, pipelineId, partnerId, ticketId) = await TicketOfAdmin("Mercearia; \"Dois\" Irmãos");
        // Another pipeline's sale of the same partner, and a quote awaiting approval: the filter leaves both out.
        var otherPipeline = (await Pipeline(api))["id"]!.GetValue<long>();
        var contactId = (await Json(await api.GetAsync($"/api/v1/partners/{partnerId}/contacts", Ct), HttpStatusCode.OK))["items"]![0]!["id"]!.GetValue<long>();
        var otherTicket = (await TicketSteps.Ticket(api, otherPipeline, partnerId, contactId, "Outro fluxo"))["id"]!.GetValue<long>();
        await Json(await api.PostAsJsonAsync("/api/v1/quotes", new { ticketId = otherTicket, state = "Approved", items = new[] { new { description = "Fora", quantity = 1, unitPrice = 999m } } }, Ct), HttpStatusCode.Created);
        await Json(await api.PostAsJsonAsync("/api/v1/quotes", new { ticketId, items = new[] { new { description = "Em aprovação", quantity = 1, unitPrice = 777m } } }, Ct), HttpStatusCode.Created);
        // Prices and quantities whose lines round: the CSV's cents must add up to the page's total.
        var expected = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var sale = await Json(await api.PostAsJsonAsync("/api/v1/quotes", new
            {
                ticketId, state = "Approved",
                items = new object[]
                {
                    new { description = $"Pão de queijo {i}", quantity = 1.333m + i, unitPrice = 10.07m * (i + 1), discountPercent = 7.5m },
                    new { description = "Café; \"especial\"", quantity = 0.125m, unitPrice = 1234.56m },
                },
            }, Ct), HttpStatusCode.Created);
            expected.Add(sale["number"]!.GetValue<string>());
        }
        _ = workspaceId;

        var browser = await App.LoggedIn();
        var today = DateTime.UtcNow;
        var query = $"tab=vendas&partnerId={partnerId}&pipelineId={pipelineId}&from={today.AddDays(-1):dd'/'MM'/'yyyy}&to={today.AddDays(1):dd'/'MM'/'yyyy}";
        var page = await browser.GetPage("/sales?" + query);
        var totals = page.QuerySelector("#sales-totals")!;
        var shownCount = int.Parse(totals.QuerySelector("strong")!.TextContent, CultureInfo.InvariantCulture);
        var shownTotal = decimal.Parse(totals.QuerySelector(".fs-5")!.TextContent.Replace("R$", "").Replace('\u00a0', ' ').Trim(), NumberStyles.Number, PtBr);
        Assert.Equal(7, shownCount);

        var export = page.QuerySelector("a[href*='handler=Export']")!.GetAttribute("href")!;
        Assert.Contains($"pipelineId={pipelineId}", export);
        var text = await browser.GetStringAsync(export, Ct);
        using var reader = new CsvReader(new StringReader(text.TrimStart('\uFEFF')), new CsvConfiguration(PtBr) { Delimiter = ";" });
        await reader.ReadAsync();
        reader.ReadHeader();
        var numbers = new List<string>();
        var sum = 0m;
        while (await reader.ReadAsync())
        {
            numbers.Add(reader.GetField("Número")!);
            Assert.Equal("Aprovado", reader.GetField("Situação"));
            Assert.StartsWith("Mercearia; \"Dois\" Irmãos", reader.GetField("Entidade"));
            sum += decimal.Parse(reader.GetField("Total")!, NumberStyles.Number, PtBr);
        }
        Assert.Equal(expected.Order(StringComparer.Ordinal), numbers.Order(StringComparer.Ordinal));
        Assert.Equal(shownCount, numbers.Count);
        Assert.Equal(shownTotal, sum);
        // And the page's rows are the same sales.
        Assert.Equal(expected.Order(StringComparer.Ordinal),
            page.QuerySelectorAll(".sales-table tbody tr td:first-child").Select(td => td.TextContent.Trim()).Order(StringComparer.Ordinal));
    }
}

public sealed class SalesBadInputTestsSqlite(SqliteFixture fixture) : SalesBadInputTests(fixture), IClassFixture<SqliteFixture>;

public sealed class SalesBadInputTestsPostgres(PostgresFixture fixture) : SalesBadInputTests(fixture), IClassFixture<PostgresFixture>;
