using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Xunit;

namespace Atende.Browser.Tests;

/// <summary>
/// "Nova compra" in Chromium, through the quote form's script: a catalog item fills its line's description and price (both
/// still editable), the line and form totals follow what is typed with QuoteMath's rounding, the saved purchase shows the
/// same figures, and the form fits a 390 px phone.
/// </summary>
public sealed class PurchaseJourney
{
    [Fact]
    public async Task The_purchase_form_fills_from_the_catalog_and_shows_the_totals_the_server_saves()
    {
        Assert.NotEmpty(BrowserApp.Chromium);
        await using var app = new BrowserApp();
        var ct = TestContext.Current.CancellationToken;
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var setup = await http.PostAsJsonAsync("/api/v1/setup", new { companyName = "Contabilidade Horizonte", adminName = "Ana Ribeiro", adminEmail = "ana@horizonte.com.br", adminPassword = "balanco-anual-123" }, ct);
        http.DefaultRequestHeaders.Authorization = new("Bearer", (await setup.Content.ReadFromJsonAsync<JsonObject>(ct))!["token"]!.GetValue<string>());
        async Task<JsonObject> Post(string url, object body)
        {
            var response = await http.PostAsJsonAsync(url, body, ct);
            Assert.True(response.IsSuccessStatusCode, $"POST {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            return (await response.Content.ReadFromJsonAsync<JsonObject>(ct))!;
        }
        var workspaceId = (await http.GetFromJsonAsync<JsonObject>("/api/v1/workspaces", ct))!["items"]![0]!["id"]!.GetValue<long>();
        var pipeline = await Post("/api/v1/pipelines", new { name = "Atendimento", alias = "ATC", authorizedUserIds = Array.Empty<long>() });
        var partner = await Post("/api/v1/partners", new { name = "Padaria Pão Quente", workspaceId });
        await Post("/api/v1/partners", new { name = "Certificadora Digital Confiança", workspaceId, roles = new[] { "Supplier" } });
        var ticket = await Post("/api/v1/tickets", new { pipelineId = pipeline["id"], partnerId = partner["id"], title = "Certificado digital da padaria" });
        await Post("/api/v1/settings/catalog-items", new { name = "Certificado digital e-CNPJ A1", kind = "Product", defaultPrice = 210m });

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserApp.Launch(playwright);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
        page.SetDefaultTimeout(15_000);
        await page.GotoAsync(app.BaseUrl + "/login");
        await page.GetByLabel("E-mail").FillAsync("ana@horizonte.com.br");
        await page.GetByLabel("Senha").FillAsync("balanco-anual-123");
        await page.GetByRole(AriaRole.Button, new() { Name = "Entrar" }).ClickAsync();
        await page.WaitForAddressAsync(app.BaseUrl + "/");

        // From the ticket's Compras tab, loaded when shown.
        await page.GotoAsync($"{app.BaseUrl}/tickets/{ticket["id"]}");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Compras" }).ClickAsync();
        await page.Locator("#compras").GetByRole(AriaRole.Link, new() { Name = "Nova compra" }).ClickAsync();
        await page.WaitForAddressAsync($"**/purchases/new?ticketId={ticket["id"]}");

        await page.Locator("#Input_SupplierId").SelectOptionAsync(new SelectOptionValue { Label = "Certificadora Digital Confiança" });
        await page.Locator("#item_0_catalog").SelectOptionAsync(new SelectOptionValue { Label = "Certificado digital e-CNPJ A1" });
        await Assertions.Expect(page.Locator("#item_0_description")).ToHaveValueAsync("Certificado digital e-CNPJ A1");
        await Assertions.Expect(page.Locator("#item_0_unitprice")).ToHaveValueAsync("210,00");
        var firstTotal = page.Locator(".quote-line").First.Locator("[data-quote-line-total]");
        await Assertions.Expect(firstTotal).ToHaveTextAsync("R$ 210,00");
        await Assertions.Expect(page.Locator("[data-quote-total]")).ToHaveTextAsync("R$ 210,00");
        // The supplier's price is not the catalog's: typed over, the line and the totals follow at once.
        await page.Locator("#item_0_unitprice").FillAsync("128,90");
        await page.Locator("#item_0_quantity").FillAsync("1,5");
        await Assertions.Expect(firstTotal).ToHaveTextAsync("R$ 193,35");
        await page.Locator("#item_1_description").FillAsync("Taxa de validação presencial");
        await page.Locator("#item_1_unitprice").FillAsync("45");
        await page.Locator("#item_1_discountkind").SelectOptionAsync("Percent");
        await page.Locator("#item_1_discount").FillAsync("10");
        await Assertions.Expect(page.Locator("[data-quote-subtotal]")).ToHaveTextAsync("R$ 238,35");
        await Assertions.Expect(page.Locator("[data-quote-discounts]")).ToHaveTextAsync("R$ 4,50");
        await Assertions.Expect(page.Locator("[data-quote-total]")).ToHaveTextAsync("R$ 233,85");

        // On a phone the form fits the width (no sideways scroll of the page); what was typed stays.
        await page.SetViewportSizeAsync(390, 844);
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"/purchases/new is {widths[0]} px wide on a {widths[1]} px screen");
        await page.SetViewportSizeAsync(1400, 900);

        await page.GetByRole(AriaRole.Button, new() { Name = "Registrar compra" }).ClickAsync();
        await page.WaitForAddressAsync("**/purchases/*");
        await Assertions.Expect(page.Locator(".flash").First).ToContainTextAsync("registrada: R$ 233,85");
        await Assertions.Expect(page.Locator(".purchase-total")).ToHaveTextAsync("R$ 233,85");
        await Assertions.Expect(page.Locator(".purchase-items tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator(".purchase-items tbody")).ToContainTextAsync("Certificado digital e-CNPJ A1");
    }
}
