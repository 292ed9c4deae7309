using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Atende.Web.Tests.Tickets.TicketSteps;

namespace Atende.Web.Tests.Sales;

/// <summary>Purchases (Compras): API and pages, the supplier rule, lines, scoping, history, event and webhook, list, totals and CSV.</summary>
public abstract class PurchaseTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record World(HttpClient Api, long WorkspaceId, long PipelineId, long TicketId, long SupplierId, string SupplierName);

    /// <summary>A ticket of a customer in a new workspace and pipeline, and a supplier in the same workspace.</summary>
    private async Task<World> Ticket()
    {
        var api = App.Api(fixture.AdminToken);
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Compras"));
        var pipelineId = (await Pipeline(api))["id"]!.GetValue<long>();
        var (partnerId, contactId) = await Partner(api, workspaceId, Unique("Padaria Pão Quente"), "Joana Prado");
        var ticketId = (await TicketSteps.Ticket(api, pipelineId, partnerId, contactId, "Reforma do forno"))["id"]!.GetValue<long>();
        var supplierName = Unique("Distribuidora Forno Forte");
        var supplierId = await Supplier(api, workspaceId, supplierName);
        return new World(api, workspaceId, pipelineId, ticketId, supplierId, supplierName);
    }

    private static async Task<long> Supplier(HttpClient api, long workspaceId, string name, string[]? roles = null) =>
        (await Json(await api.PostAsJsonAsync("/api/v1/partners", new { name, workspaceId, roles = roles ?? ["Supplier"] }, Ct), HttpStatusCode.Created))["id"]!
        .GetValue<long>();

    private static object TwoItems(long ticketId, long supplierId, string notes = "Entrega em 5 dias úteis.") => new
    {
        ticketId,
        supplierId,
        items = new object[]
        {
            new { description = "Resistência 220V", quantity = 1.5m, unitPrice = 10.01m, discountPercent = 10m },
            new { description = "Termostato", quantity = 2, unitPrice = 150m, discount = 20m },
        },
        notes,
    };

    private async Task<int> EventCount(long ticketId)
    {
        using var scope = App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Atende.Core.Data.AtendeDb>();
        return await db.Events.CountAsync(e => e.TicketId == ticketId && e.Type == "purchase.created", Ct);
    }

    [Fact]
    public async Task A_purchase_is_created_through_the_api_with_its_totals_history_event_and_webhook_delivery()
    {
        var w = await Ticket();
        var (endpointId, _) = await RegisterWebhook(w.Api);
        using var post = await w.Api.PostAsJsonAsync("/api/v1/purchases", TwoItems(w.TicketId, w.SupplierId), Ct);
        var created = await Json(post, HttpStatusCode.Created);
        var id = created["id"]!.GetValue<long>();
        Assert.Equal($"/api/v1/purchases/{id}", post.Headers.Location!.OriginalString);
        Assert.Matches(@"^CMP-\d{4}-\d{4,}$", created["number"]!.GetValue<string>());
        Assert.Equal(w.SupplierId, created["supplierId"]!.GetValue<long>());
        // 1,5 × 10,01 = 15,015 → 15,02; 10% = 1,502 → 1,50; 2 × 150 = 300 − 20: the quotes' money rule.
        var items = created["items"]!.AsArray();
        Assert.Equal(13.52m, items[0]!["total"]!.GetValue<decimal>());
        Assert.Equal(10m, items[0]!["discountPercent"]!.GetValue<decimal>());
        Assert.Equal(280m, items[1]!["total"]!.GetValue<decimal>());
        Assert.Equal(315.02m, created["subtotal"]!.GetValue<decimal>());
        Assert.Equal(21.50m, created["discountTotal"]!.GetValue<decimal>());
        Assert.Equal(293.52m, created["total"]!.GetValue<decimal>());
        Assert.Equal("Entrega em 5 dias úteis.", created["notes"]!.GetValue<string>());

        var read = await Json(await w.Api.GetAsync($"/api/v1/purchases/{id}", Ct), HttpStatusCode.OK);
        Assert.Equal(Canonical(created), Canonical(read));

        // A second one gets the next number, never the same.
        var second = await Json(await w.Api.PostAsJsonAsync("/api/v1/purchases", new
        {
            ticketId = w.TicketId, supplierId = w.SupplierId, items = new[] { new { description = "Parafusos", quantity = 100, unitPrice = 0.25m } },
        }, Ct), HttpStatusCode.Created);
        Assert.NotEqual(created["number"]!.GetValue<string>(), second["number"]!.GetValue<string>());

        // The ticket's history tells it; purchase.created was raised once per purchase and a subscribed webhook got a delivery.
        var history = (await Json(await w.Api.GetAsync($"/api/v1/tickets/{w.TicketId}/history", Ct), HttpStatusCode.OK))["items"]!.AsArray()
            .Where(h => h!["field"]!.GetValue<string>() == "purchase").Select(h => h!["newValue"]!.GetValue<string>()).ToList();
        Assert.Equal(2, history.Count);
        Assert.Contains(history, h => h.Contains(created["number"]!.GetValue<string>()) && h.Contains(w.SupplierName) && h.Contains("R$ 293,52"));
        Assert.Equal(2, await EventCount(w.TicketId));
        var deliveries = await Webhooks.WebhookSteps.Deliveries(w.Api, endpointId);
        Assert.Equal(2, deliveries.Count(d => d["eventType"]!.GetValue<string>() == "purchase.created"));
        using (var scope = App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Atende.Core.Data.AtendeDb>();
            var data = await db.Events.Where(e => e.TicketId == w.TicketId && e.Type == "purchase.created").OrderBy(e => e.Id).Select(e => e.Data).FirstAsync(Ct);
            // The event's data is the resource as GET answers it.
            Assert.Equal(Canonical(read), Canonical(JsonNode.Parse(data)!));
        }

        // Canceling keeps the purchase, marked, out of the totals, told in the history; a second cancel is a 409.
        var secondId = second["id"]!.GetValue<long>();
        var canceled = await Json(await w.Api.PostAsync($"/api/v1/purchases/{secondId}/cancel", null, Ct), HttpStatusCode.OK);
        Assert.NotNull(canceled["canceledAt"]!.GetValue<DateTimeOffset?>());
        var twice = await Problem(await w.Api.PostAsync($"/api/v1/purchases/{secondId}/cancel", null, Ct), HttpStatusCode.Conflict);
        Assert.Contains("já foi cancelada", twice["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var totals = await Json(await w.Api.GetAsync($"/api/v1/purchases/totals?ticketId={w.TicketId}", Ct), HttpStatusCode.OK);
        Assert.Equal((1, 293.52m), (totals["count"]!.GetValue<int>(), totals["total"]!.GetValue<decimal>()));
        var listed = (await Json(await w.Api.GetAsync($"/api/v1/purchases?ticketId={w.TicketId}", Ct), HttpStatusCode.OK))["items"]!.AsArray();
        Assert.Equal(2, listed.Count);
        Assert.NotNull(listed.Single(p => p!["id"]!.GetValue<long>() == secondId)!["canceledAt"]!.GetValue<DateTimeOffset?>());
        var afterCancel = (await Json(await w.Api.GetAsync($"/api/v1/tickets/{w.TicketId}/history", Ct), HttpStatusCode.OK))["items"]!.AsArray();
        Assert.Contains(afterCancel, h => h!["field"]!.GetValue<string>() == "purchase" && h["newValue"]!.GetValue<string>() == $"{second["number"]} cancelada");
        Assert.Equal(2, await EventCount(w.TicketId));
    }

    /// <summary>The JSON with every number written without trailing zeros (1.50 and 1.5 are the same amount).</summary>
    private static string Canonical(JsonNode node) => node switch
    {
        JsonObject o => "{" + string.Join(",", o.Select(p => $"\"{p.Key}\":" + (p.Value is null ? "null" : Canonical(p.Value)))) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(e => e is null ? "null" : Canonical(e))) + "]",
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number =>
            (v.GetValue<decimal>() / 1.0000000000000000000000000000m).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => node.ToJsonString(),
    };

    /// <summary>An endpoint subscribed to purchase.created (a public address: the test only needs the delivery rows).</summary>
    private static async Task<(long Id, string Secret)> RegisterWebhook(HttpClient api)
    {
        var created = await Json(await api.PostAsJsonAsync("/api/v1/webhooks",
            new { url = $"https://hooks.exemplo.com.br/{Guid.NewGuid():N}", events = new[] { "purchase.created" }, description = "ERP de compras", active = true }, Ct),
            HttpStatusCode.Created);
        return (created["id"]!.GetValue<long>(), created["secret"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_customer_only_partner_is_refused_as_supplier_naming_the_field_and_nothing_is_saved()
    {
        var w = await Ticket();
        var customerName = Unique("Cliente Só Cliente");
        var customerId = await Supplier(w.Api, w.WorkspaceId, customerName, ["Customer"]);
        var problem = await Problem(await w.Api.PostAsJsonAsync("/api/v1/purchases", TwoItems(w.TicketId, customerId), Ct), HttpStatusCode.BadRequest);
        var message = problem["errors"]!["supplierId"]![0]!.GetValue<string>();
        Assert.Contains(customerName, message, StringComparison.Ordinal);
        Assert.Contains("não é fornecedor: marque o papel Fornecedor no cadastro", message, StringComparison.Ordinal);

        // Without a supplier, and with a deactivated one: refused on the same field.
        var missing = await Problem(await w.Api.PostAsJsonAsync("/api/v1/purchases", new { ticketId = w.TicketId, items = new[] { new { description = "X", quantity = 1, unitPrice = 1 } } }, Ct),
            HttpStatusCode.BadRequest);
        Assert.NotNull(missing["errors"]!["supplierId"]);
        var partner = await Json(await w.Api.GetAsync($"/api/v1/partners/{w.SupplierId}", Ct), HttpStatusCode.OK);
        await Json(await Patch(w.Api, $"/api/v1/partners/{w.SupplierId}", new { active = false }, $"\"{partner["version"]}\""), HttpStatusCode.OK);
        var inactive = await Problem(await w.Api.PostAsJsonAsync("/api/v1/purchases", TwoItems(w.TicketId, w.SupplierId), Ct), HttpStatusCode.BadRequest);
        Assert.Contains("desativado", inactive["errors"]!["supplierId"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var listed = await Json(await w.Api.GetAsync($"/api/v1/purchases?ticketId={w.TicketId}", Ct), HttpStatusCode.OK);
        Assert.Empty(listed["items"]!.AsArray());
        Assert.Equal(0, await EventCount(w.TicketId));
        var history = (await Json(await w.Api.GetAsync($"/api/v1/tickets/{w.TicketId}/history", Ct), HttpStatusCode.OK))["items"]!.AsArray();
        Assert.DoesNotContain(history, h => h!["field"]!.GetValue<string>() == "purchase");
    }

    [Fact]
    public async Task Bad_lines_are_refused_naming_the_item_and_field()
    {
        var w = await Ticket();
        async Task Refused(object item, string field)
        {
            var problem = await Problem(await w.Api.PostAsJsonAsync("/api/v1/purchases", new { ticketId = w.TicketId, supplierId = w.SupplierId, items = new[] { item } }, Ct),
                HttpStatusCode.BadRequest);
            Assert.True(problem["errors"]?[field] is not null, $"expected an error on {field}: {problem}");
        }
        await Refused(new { description = "Zero", quantity = 0, unitPrice = 10 }, "items[0].quantity");
        await Refused(new { description = "Milésimos", quantity = 1.0001m, unitPrice = 10 }, "items[0].quantity");
        await Refused(new { description = "Preço negativo", quantity = 1, unitPrice = -5 }, "items[0].unitPrice");
        await Refused(new { description = "Desconto alto", quantity = 1, unitPrice = 10, discount = 10.01m }, "items[0].discount");
        await Refused(new { description = "", quantity = 1, unitPrice = 10 }, "items[0].description");
        await Refused(new { description = "Os dois descontos", quantity = 1, unitPrice = 10, discount = 1, discountPercent = 1 }, "items");
        var none = await Problem(await w.Api.PostAsJsonAsync("/api/v1/purchases", new { ticketId = w.TicketId, supplierId = w.SupplierId, items = Array.Empty<object>() }, Ct),
            HttpStatusCode.BadRequest);
        Assert.NotNull(none["errors"]!["items"]);
        Assert.NotNull((await Problem(await w.Api.PostAsJsonAsync("/api/v1/purchases", new { supplierId = w.SupplierId }, Ct), HttpStatusCode.BadRequest))["errors"]!["ticketId"]);
        Assert.Equal(HttpStatusCode.NotFound, (await w.Api.PostAsJsonAsync("/api/v1/purchases", TwoItems(long.MaxValue, w.SupplierId), Ct)).StatusCode);
        Assert.Empty((await Json(await w.Api.GetAsync($"/api/v1/purchases?ticketId={w.TicketId}", Ct), HttpStatusCode.OK))["items"]!.AsArray());
    }

    [Fact]
    public async Task An_agent_who_cannot_see_the_ticket_gets_404_and_empty_lists_and_totals_and_purchases_follow_their_ticket()
    {
        var w = await Ticket();
        var id = (await Json(await w.Api.PostAsJsonAsync("/api/v1/purchases", TwoItems(w.TicketId, w.SupplierId), Ct), HttpStatusCode.Created))["id"]!.GetValue<long>();
        // In the workspace (so the supplier is theirs) but not authorized on the pipeline: the ticket and its purchases are not.
        var email = $"compras-{Guid.NewGuid():N}@test.com.br";
        var (agentId, token) = await App.CreateUser(fixture.AdminToken, email, "Agent", w.WorkspaceId);
        var agent = App.Api(token);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync($"/api/v1/purchases/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.PostAsJsonAsync("/api/v1/purchases", TwoItems(w.TicketId, w.SupplierId), Ct)).StatusCode);
        Assert.Empty((await Json(await agent.GetAsync($"/api/v1/purchases?ticketId={w.TicketId}", Ct), HttpStatusCode.OK))["items"]!.AsArray());
        var totals = await Json(await agent.GetAsync($"/api/v1/purchases/totals?pipelineId={w.PipelineId}", Ct), HttpStatusCode.OK);
        Assert.Equal((0, 0m), (totals["count"]!.GetValue<int>(), totals["total"]!.GetValue<decimal>()));
        using var browser = await App.LoggedIn(email);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/purchases/{id}", Ct)).StatusCode);
        Assert.DoesNotContain(w.SupplierName, (await browser.GetPage("/purchases")).QuerySelector("#results")!.TextContent, StringComparison.Ordinal);

        // Authorized on the pipeline: now they see it; moved to a pipeline they lack, it follows the ticket out of sight.
        var etag = (await w.Api.GetAsync($"/api/v1/pipelines/{w.PipelineId}", Ct)).Headers.ETag!.Tag;
        await Json(await Patch(w.Api, $"/api/v1/pipelines/{w.PipelineId}", new { authorizedUserIds = new[] { agentId } }, etag), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync($"/api/v1/purchases/{id}", Ct)).StatusCode);
        var otherPipelineId = (await Pipeline(w.Api))["id"]!.GetValue<long>();
        await Json(await w.Api.PostAsJsonAsync($"/api/v1/tickets/{w.TicketId}/move", new { pipelineId = otherPipelineId }, Ct), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync($"/api/v1/purchases/{id}", Ct)).StatusCode);
        var moved = await Json(await w.Api.GetAsync($"/api/v1/purchases?pipelineId={otherPipelineId}", Ct), HttpStatusCode.OK);
        Assert.Equal([id], moved["items"]!.AsArray().Select(p => p!["id"]!.GetValue<long>()));
    }

    [Fact]
    public async Task The_list_filters_by_supplier_pipeline_ticket_and_period_with_totals_and_pages_by_keyset()
    {
        var w = await Ticket();
        var otherSupplier = await Supplier(w.Api, w.WorkspaceId, Unique("Ferragens Silva"));
        foreach (var (supplier, price) in new[] { (w.SupplierId, 100m), (w.SupplierId, 250.50m), (otherSupplier, 1000m) })
        {
            await Json(await w.Api.PostAsJsonAsync("/api/v1/purchases", new
            {
                ticketId = w.TicketId, supplierId = supplier, items = new[] { new { description = "Peça", quantity = 1, unitPrice = price } },
            }, Ct), HttpStatusCode.Created);
        }
        async Task<(int Count, decimal Total, int Listed)> Query(string query)
        {
            var totals = await Json(await w.Api.GetAsync("/api/v1/purchases/totals?" + query, Ct), HttpStatusCode.OK);
            var list = await Json(await w.Api.GetAsync("/api/v1/purchases?" + query, Ct), HttpStatusCode.OK);
            return (totals["count"]!.GetValue<int>(), totals["total"]!.GetValue<decimal>(), list["items"]!.AsArray().Count);
        }
        Assert.Equal((3, 1350.50m, 3), await Query($"pipelineId={w.PipelineId}"));
        Assert.Equal((2, 350.50m, 2), await Query($"supplierId={w.SupplierId}"));
        Assert.Equal((1, 1000m, 1), await Query($"supplierId={otherSupplier}&ticketId={w.TicketId}"));
        var today = DateTime.UtcNow;
        Assert.Equal((3, 1350.50m, 3), await Query($"pipelineId={w.PipelineId}&from={today.AddDays(-1):yyyy-MM-dd}&to={today.AddDays(1):yyyy-MM-dd}"));
        Assert.Equal((0, 0m, 0), await Query($"pipelineId={w.PipelineId}&from={today.AddDays(2):yyyy-MM-dd}"));

        // Keyset pages, newest first, without repeats.
        var seen = new List<long>();
        string? after = null;
        do
        {
            var page = await Json(await w.Api.GetAsync($"/api/v1/purchases?pipelineId={w.PipelineId}&limit=2" + (after is null ? "" : "&after=" + Uri.EscapeDataString(after)), Ct),
                HttpStatusCode.OK);
            seen.AddRange(page["items"]!.AsArray().Select(p => p!["id"]!.GetValue<long>()));
            after = page["next"]?.GetValue<string>();
        }
        while (after is not null);
        Assert.Equal(3, seen.Distinct().Count());
        Assert.Equal(seen.OrderDescending(), seen);

        // The page shows the filter's totals in pt-BR, and the CSV holds the same rows, formula-safe, for Excel pt-BR.
        using var browser = await App.LoggedIn();
        var page1 = await browser.GetPage($"/purchases?pipelineId={w.PipelineId}&supplierId={w.SupplierId}");
        var totalsText = page1.QuerySelector(".purchase-totals")!.TextContent;
        Assert.Contains("2 compras", totalsText, StringComparison.Ordinal);
        Assert.Contains("R$ 350,50", totalsText, StringComparison.Ordinal);
        Assert.Equal(2, page1.QuerySelectorAll("#results tbody tr").Length);
        var empty = await browser.GetPage($"/purchases?pipelineId={w.PipelineId}&from=01/01/2001&to=02/01/2001");
        Assert.Contains("Nada encontrado", empty.QuerySelector("#results")!.TextContent, StringComparison.Ordinal);
        var bad = await browser.GetPage($"/purchases?pipelineId={w.PipelineId}&from=32/13/2026");
        Assert.Contains("use o formato dd/mm/aaaa", bad.QuerySelector("#from-error")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_csv_export_is_excel_friendly_and_formula_safe()
    {
        var w = await Ticket();
        var formula = "=HYPERLINK(\"http://x\")";
        var supplierId = await Supplier(w.Api, w.WorkspaceId, formula);
        await Json(await w.Api.PostAsJsonAsync("/api/v1/purchases", new
        {
            ticketId = w.TicketId, supplierId, items = new[] { new { description = "Peça", quantity = 3, unitPrice = 1234.5m } },
        }, Ct), HttpStatusCode.Created);
        using var browser = await App.LoggedIn();
        var response = await browser.GetAsync($"/purchases?handler=Export&supplierId={supplierId}", Ct);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Número;Data;Situação;Atendimento;Fornecedor;Subtotal;Descontos;Total", lines[0]);
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"'=HYPERLINK(\"\"http://x\"\")\"", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(";3703,50;0,00;3703,50", lines[1], StringComparison.Ordinal);
        Assert.Contains(";Registrada;", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_purchase_is_registered_through_the_form_and_shows_on_the_ticket_tab_and_its_page()
    {
        var w = await Ticket();
        var customerId = await Supplier(w.Api, w.WorkspaceId, Unique("Só Cliente"), ["Customer"]);
        using var browser = await App.LoggedIn();

        // The tab starts empty, with "Nova compra".
        var tab = await browser.GetPage($"/tickets/{w.TicketId}?tab=compras");
        Assert.Contains("Nenhuma compra neste atendimento", tab.QuerySelector("#compras")!.TextContent, StringComparison.Ordinal);
        var newUrl = tab.QuerySelector("#compras a[href^='/purchases/new']")!.GetAttribute("href")!;

        // The supplier choice offers suppliers only.
        var form = await browser.GetPage(newUrl);
        var options = form.QuerySelectorAll("#Input_SupplierId option").Select(o => o.GetAttribute("value")).ToList();
        Assert.Contains(w.SupplierId.ToString(System.Globalization.CultureInfo.InvariantCulture), options);
        Assert.DoesNotContain(customerId.ToString(System.Globalization.CultureInfo.InvariantCulture), options);

        // Bad lines come back with every error by its field, the typed values kept, nothing saved.
        var refused = await browser.SubmitForm(newUrl, "#purchase-form", new()
        {
            ["Input.SupplierId"] = w.SupplierId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.Items[0].Description"] = "Resistência 220V", ["Input.Items[0].Quantity"] = "1,5", ["Input.Items[0].UnitPrice"] = "dez reais",
            ["Input.Items[1].Description"] = "", ["Input.Items[1].Quantity"] = "0", ["Input.Items[1].UnitPrice"] = "5,00",
            ["Input.Items[1].DiscountKind"] = "Amount",
        });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var again = await HtmlClient.Parse(refused);
        var summary = again.QuerySelector("#error-summary")!.TextContent;
        Assert.Contains("Item 1: valor unitário ilegível", summary, StringComparison.Ordinal);
        Assert.Contains("Item 2: a quantidade deve ser maior que zero", summary, StringComparison.Ordinal);
        Assert.Contains("Item 2: descreva o item", summary, StringComparison.Ordinal);
        Assert.Equal("dez reais", again.QuerySelector("#item_0_unitprice")!.GetAttribute("value"));
        Assert.Empty((await Json(await w.Api.GetAsync($"/api/v1/purchases?ticketId={w.TicketId}", Ct), HttpStatusCode.OK))["items"]!.AsArray());

        // A customer-only partner posted anyway is refused by the supplier field.
        var notSupplier = await browser.SubmitForm(newUrl, "#purchase-form", new()
        {
            ["Input.SupplierId"] = customerId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.Items[0].Description"] = "Peça", ["Input.Items[0].Quantity"] = "1", ["Input.Items[0].UnitPrice"] = "10",
        });
        Assert.Contains("não é fornecedor", (await HtmlClient.Parse(notSupplier)).QuerySelector("#supplier-error")!.TextContent, StringComparison.Ordinal);

        var saved = await browser.SubmitForm(newUrl, "#purchase-form", new()
        {
            ["Input.SupplierId"] = w.SupplierId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.Items[0].Description"] = "Resistência 220V", ["Input.Items[0].Quantity"] = "1,5", ["Input.Items[0].UnitPrice"] = "1.000,01",
            ["Input.Items[0].Discount"] = "10", ["Input.Items[0].DiscountKind"] = "Percent",
            ["Input.Notes"] = "Retirar na loja.",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var purchaseUrl = saved.Headers.Location!.OriginalString;
        var page = await browser.GetPage(purchaseUrl);
        // 1,5 × 1.000,01 = 1.500,015 → 1.500,02; 10% = 150,00 → 1.350,02.
        Assert.Equal("R$ 1.350,02", page.QuerySelector(".purchase-total")!.TextContent.Trim());
        Assert.Contains(w.SupplierName, page.QuerySelector(".purchase-facts")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Retirar na loja.", page.QuerySelector(".purchase-notes")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("1,5", page.QuerySelector(".purchase-items tbody")!.TextContent, StringComparison.Ordinal);

        tab = await browser.GetPage($"/tickets/{w.TicketId}?tab=compras");
        var rows = tab.QuerySelectorAll("#compras tbody tr");
        Assert.Single(rows);
        Assert.Contains("R$ 1.350,02", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Equal(purchaseUrl, rows[0].QuerySelector("a")!.GetAttribute("href"));
        var history = await browser.GetPage($"/tickets/{w.TicketId}?tab=historico");
        Assert.Contains(history.QuerySelectorAll("#historico tbody tr"), r => r.TextContent.Contains("Compra", StringComparison.Ordinal)
            && r.TextContent.Contains("R$ 1.350,02", StringComparison.Ordinal));
        Assert.Equal(1, await EventCount(w.TicketId));
        // The ticket's Timeline tells it too, linking to the Compras tab.
        var number = page.QuerySelector("h1")!.TextContent.Replace("Compra", "", StringComparison.Ordinal).Trim();
        var timeline = await browser.GetPage($"/tickets/{w.TicketId}");
        Assert.Contains(timeline.QuerySelectorAll("#timeline a[href$='tab=compras']"), a => a.TextContent.Trim() == number);
        // "Cancelar compra" on its page: marked canceled, out of the tab's total.
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitForm(purchaseUrl, "form[action*='handler=Cancel']", new())).StatusCode);
        page = await browser.GetPage(purchaseUrl);
        Assert.Contains("Cancelada", page.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("form[action*='handler=Cancel']"));
        tab = await browser.GetPage($"/tickets/{w.TicketId}?tab=compras");
        Assert.Contains("Cancelada", tab.QuerySelector("#compras tbody tr")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("R$ 1.350,02", tab.QuerySelector(".purchase-tab-totals")!.TextContent, StringComparison.Ordinal);
        // The menu leads to the list, where it shows too.
        var list = await browser.GetPage("/purchases");
        Assert.NotNull(list.QuerySelector("nav a.nav-link.active[href='/purchases']"));
        Assert.Contains(list.QuerySelectorAll("#results tbody tr a"), a => a.GetAttribute("href") == purchaseUrl);
    }

    /// <summary>
    /// The form's lines pick from the catalog like a quote's: only active items are offered, each with its price for the
    /// script; a line with an item and nothing else takes the item's name and default price, an edited price is kept, and a
    /// deactivated item posted anyway is refused by the line's item field with the rest of what was typed kept.
    /// </summary>
    [Fact]
    public async Task A_form_line_picks_a_catalog_item_that_fills_its_name_and_price_and_a_typed_price_wins()
    {
        var w = await Ticket();
        var itemName = Unique("Resistência blindada 220V");
        var itemId = (await Json(await w.Api.PostAsJsonAsync("/api/v1/settings/catalog-items",
            new { name = itemName, kind = "Product", defaultPrice = 1234.5m }, Ct), HttpStatusCode.Created))["id"]!.GetValue<long>();
        var oldId = (await Json(await w.Api.PostAsJsonAsync("/api/v1/settings/catalog-items",
            new { name = Unique("Termostato antigo"), kind = "Product", defaultPrice = 80m }, Ct), HttpStatusCode.Created))["id"]!.GetValue<long>();
        Assert.Equal(HttpStatusCode.OK, (await Patch(w.Api, $"/api/v1/settings/catalog-items/{oldId}", new { active = false }, "\"1\"")).StatusCode);
        using var browser = await App.LoggedIn();
        var newUrl = $"/purchases/new?ticketId={w.TicketId}";
        var id = itemId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var supplier = w.SupplierId.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var form = await browser.GetPage(newUrl);
        var option = form.QuerySelector($"#item_0_catalog option[value='{id}']");
        Assert.NotNull(option);
        Assert.Equal("1.234,50", option.GetAttribute("data-price"));
        Assert.Equal(itemName, option.GetAttribute("data-name"));
        Assert.Null(form.QuerySelector($"#item_0_catalog option[value='{oldId}']"));
        Assert.NotNull(form.QuerySelector("#item_0_catalog option[value='']"));
        Assert.NotNull(form.QuerySelector("form[data-quote-form] [data-quote-total]"));
        Assert.NotNull(form.QuerySelector("script[src^='/js/quotes.js']"));

        var refused = await browser.SubmitForm(newUrl, "#purchase-form", new()
        {
            ["Input.SupplierId"] = supplier,
            ["Input.Items[0].CatalogItemId"] = oldId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Input.Items[0].Quantity"] = "3",
        });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var again = await HtmlClient.Parse(refused);
        Assert.Contains("Item 1: o serviço/produto", again.QuerySelector("#item_0_catalogitemid_error")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("desativado", again.QuerySelector("#error-summary")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("3", again.QuerySelector("#item_0_quantity")!.GetAttribute("value"));
        Assert.NotNull(again.QuerySelector($"#item_0_catalog option[value='{oldId}'][selected]"));
        Assert.Empty((await Json(await w.Api.GetAsync($"/api/v1/purchases?ticketId={w.TicketId}", Ct), HttpStatusCode.OK))["items"]!.AsArray());

        var saved = await browser.SubmitForm(newUrl, "#purchase-form", new()
        {
            ["Input.SupplierId"] = supplier,
            ["Input.Items[0].CatalogItemId"] = id, ["Input.Items[0].Quantity"] = "2",
            ["Input.Items[1].CatalogItemId"] = id, ["Input.Items[1].Description"] = "Resistência de reposição", ["Input.Items[1].Quantity"] = "1",
            ["Input.Items[1].UnitPrice"] = "1.100,00",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var purchaseId = saved.Headers.Location!.OriginalString.Split('/')[^1];
        var purchase = await Json(await w.Api.GetAsync($"/api/v1/purchases/{purchaseId}", Ct), HttpStatusCode.OK);
        var items = purchase["items"]!.AsArray();
        Assert.Equal(2, items.Count);
        Assert.Equal(itemId, items[0]!["catalogItemId"]!.GetValue<long>());
        Assert.Equal(itemName, items[0]!["description"]!.GetValue<string>());
        Assert.Equal(1234.50m, items[0]!["unitPrice"]!.GetValue<decimal>());
        Assert.Equal(2469.00m, items[0]!["total"]!.GetValue<decimal>());
        Assert.Equal(itemId, items[1]!["catalogItemId"]!.GetValue<long>());
        Assert.Equal("Resistência de reposição", items[1]!["description"]!.GetValue<string>());
        Assert.Equal(1100m, items[1]!["unitPrice"]!.GetValue<decimal>());
        Assert.Equal(3569.00m, purchase["total"]!.GetValue<decimal>());
        var page = await browser.GetPage(saved.Headers.Location!.OriginalString);
        Assert.Equal("R$ 3.569,00", page.QuerySelector(".purchase-total")!.TextContent.Trim());
    }
}

public sealed class PurchaseTestsSqlite(SqliteFixture fixture) : PurchaseTests(fixture), IClassFixture<SqliteFixture>;

public sealed class PurchaseTestsPostgres(PostgresFixture fixture) : PurchaseTests(fixture), IClassFixture<PostgresFixture>;
