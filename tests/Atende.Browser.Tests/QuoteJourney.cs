using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Xunit;

namespace Atende.Browser.Tests;

/// <summary>
/// "Nova venda" in Chromium: a catalog item fills its line, the totals follow what is typed with QuoteMath's rounding
/// (1,5 × R$ 10,01 = 15,015 → R$ 15,02), the saved quote shows the same figures, and the pages fit a 390 px phone.
/// </summary>
public sealed class QuoteJourney
{
    [Fact]
    public async Task The_quote_form_fills_from_the_catalog_and_shows_the_totals_the_server_saves()
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
        var pipeline = await Post("/api/v1/pipelines", new { name = "Comercial", alias = "COM", authorizedUserIds = Array.Empty<long>() });
        var partner = await Post("/api/v1/partners", new { name = "Padaria Pão Quente", workspaceId });
        var ticket = await Post("/api/v1/tickets", new { pipelineId = pipeline["id"], partnerId = partner["id"], title = "Manutenção do forno" });
        await Post("/api/v1/settings/catalog-items", new { name = "Manutenção preventiva", kind = "Service", defaultPrice = 10.01m });

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserApp.Launch(playwright);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
        page.SetDefaultTimeout(15_000);
        await page.GotoAsync(app.BaseUrl + "/login");
        await page.GetByLabel("E-mail").FillAsync("ana@horizonte.com.br");
        await page.GetByLabel("Senha").FillAsync("balanco-anual-123");
        await page.GetByRole(AriaRole.Button, new() { Name = "Entrar" }).ClickAsync();
        await page.WaitForAddressAsync(app.BaseUrl + "/");

        // From the ticket's Vendas tab, loaded when shown.
        await page.GotoAsync($"{app.BaseUrl}/tickets/{ticket["id"]}");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Vendas" }).ClickAsync();
        await page.Locator("#vendas").GetByRole(AriaRole.Link, new() { Name = "Nova venda" }).ClickAsync();
        await page.WaitForAddressAsync($"**/tickets/{ticket["id"]}/quotes/new");

        await page.Locator("#item_0_catalog").SelectOptionAsync(new SelectOptionValue { Label = "Manutenção preventiva" });
        await Assertions.Expect(page.Locator("#item_0_description")).ToHaveValueAsync("Manutenção preventiva");
        await Assertions.Expect(page.Locator("#item_0_price")).ToHaveValueAsync("10,01");
        await page.Locator("#item_0_quantity").FillAsync("1,5");
        await page.Locator("#item_0_kind").SelectOptionAsync("Percent");
        await page.Locator("#item_0_discount").FillAsync("10");
        await Assertions.Expect(page.Locator(".quote-line").First.Locator("[data-quote-line-total]")).ToHaveTextAsync("R$ 13,52");
        await page.Locator("#item_1_description").FillAsync("Visita técnica");
        await page.Locator("#item_1_quantity").FillAsync("2");
        await page.Locator("#item_1_price").FillAsync("150");
        await page.Locator("#item_1_discount").FillAsync("20");
        await Assertions.Expect(page.Locator("[data-quote-subtotal]")).ToHaveTextAsync("R$ 315,02");
        await Assertions.Expect(page.Locator("[data-quote-discounts]")).ToHaveTextAsync("R$ 21,50");
        await Assertions.Expect(page.Locator("[data-quote-total]")).ToHaveTextAsync("R$ 293,52");
        // "Adicionar item" adds a fourth row with the next number; an empty row changes nothing and is ignored on saving.
        await page.GetByRole(AriaRole.Button, new() { Name = "Adicionar item" }).ClickAsync();
        await Assertions.Expect(page.Locator(".quote-lines > .quote-line")).ToHaveCountAsync(4);
        await Assertions.Expect(page.Locator("#item_3_catalog")).ToBeFocusedAsync();
        Assert.Equal("Input.items[3].Description", await page.Locator(".quote-lines > .quote-line").Nth(3).Locator("[data-quote-description]").GetAttributeAsync("name"), StringComparer.OrdinalIgnoreCase);
        await Assertions.Expect(page.Locator("[data-quote-total]")).ToHaveTextAsync("R$ 293,52");

        await page.GetByRole(AriaRole.Button, new() { Name = "Salvar" }).ClickAsync();
        await page.WaitForAddressAsync("**/quotes/*");
        await Assertions.Expect(page.Locator(".flash").First).ToContainTextAsync("criado, em aprovação");
        await Assertions.Expect(page.Locator("#quote-subtotal")).ToHaveTextAsync("R$ 315,02");
        await Assertions.Expect(page.Locator("#quote-total")).ToHaveTextAsync("R$ 293,52");
        await Assertions.Expect(page.Locator(".quote-items tbody tr")).ToHaveCountAsync(2);

        // On a phone: the quote page and the form fit the width (no sideways scroll of the page).
        await page.SetViewportSizeAsync(390, 844);
        var quoteUrl = page.Url;
        foreach (var url in new[] { quoteUrl, quoteUrl + "/edit", app.BaseUrl + "/sales?tab=orcamentos" })
        {
            await page.GotoAsync(url);
            var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
            Assert.True(widths[0] <= widths[1], $"{url} is {widths[0]} px wide on a {widths[1]} px screen");
        }
        await page.GotoAsync(quoteUrl);
        var total = (await page.Locator("#quote-total").BoundingBoxAsync())!;
        Assert.True(total.X >= 0 && total.X + total.Width <= 390, $"the total is at x={total.X}, width {total.Width}");
    }
}

/// <summary>
/// The whole sale in Chromium: ticket → quote with two items → edit (version 2) → "Enviar ao cliente" → the customer, in a
/// second browser context without a login, opens the e-mailed link on a phone and approves with name and CPF → the sale is
/// on the ticket's timeline and the quote page says who approved.
/// </summary>
public sealed class QuoteApprovalJourney
{
    [Fact]
    public async Task A_quote_edited_and_sent_is_approved_by_the_customer_through_the_link_and_the_sale_shows_on_the_ticket()
    {
        Assert.NotEmpty(BrowserApp.Chromium);
        await using var app = new BrowserApp();
        var ct = TestContext.Current.CancellationToken;
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var setup = await http.PostAsJsonAsync("/api/v1/setup", new { companyName = "Padaria Pão Quente Ltda", adminName = "Ana Prado", adminEmail = "ana@paoquente.com.br", adminPassword = "fermento-natural-7" }, ct);
        http.DefaultRequestHeaders.Authorization = new("Bearer", (await setup.Content.ReadFromJsonAsync<JsonObject>(ct))!["token"]!.GetValue<string>());
        async Task<JsonObject> Send(HttpMethod method, string url, object body)
        {
            var response = await http.SendAsync(new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) }, ct);
            Assert.True(response.IsSuccessStatusCode, $"{method} {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            return (await response.Content.ReadFromJsonAsync<JsonObject>(ct))!;
        }
        // E-mail set up (the outbox keeps the message whatever the server does) and the address links are built on.
        await Send(HttpMethod.Put, "/api/v1/settings/smtp", new { host = "127.0.0.1", port = 1, security = "None", fromName = "Padaria Pão Quente", fromAddress = "vendas@paoquente.test" });
        await Send(HttpMethod.Put, "/api/v1/settings/company", new { name = "Padaria Pão Quente Ltda", timeZone = "America/Sao_Paulo", publicUrl = app.BaseUrl });
        var workspaceId = (await http.GetFromJsonAsync<JsonObject>("/api/v1/workspaces", ct))!["items"]![0]!["id"]!.GetValue<long>();
        var pipeline = await Send(HttpMethod.Post, "/api/v1/pipelines", new { name = "Comercial", alias = "COM", authorizedUserIds = Array.Empty<long>() });
        var partner = await Send(HttpMethod.Post, "/api/v1/partners", new { name = "Mercado São João", workspaceId });
        var contact = await Send(HttpMethod.Post, $"/api/v1/partners/{partner["id"]}/contacts", new { name = "Joana Prado", emails = new[] { "joana@mercado.test" } });
        var ticket = await Send(HttpMethod.Post, "/api/v1/tickets", new { pipelineId = pipeline["id"], partnerId = partner["id"], contactId = contact["id"], title = "Pães para o mercado" });
        var ticketId = ticket["id"]!.GetValue<long>();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserApp.Launch(playwright);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
        page.SetDefaultTimeout(15_000);
        await page.GotoAsync(app.BaseUrl + "/login");
        await page.GetByLabel("E-mail").FillAsync("ana@paoquente.com.br");
        await page.GetByLabel("Senha").FillAsync("fermento-natural-7");
        await page.GetByRole(AriaRole.Button, new() { Name = "Entrar" }).ClickAsync();
        await page.WaitForAddressAsync(app.BaseUrl + "/");

        await page.GotoAsync($"{app.BaseUrl}/tickets/{ticketId}?tab=vendas");
        await page.Locator("#vendas").GetByRole(AriaRole.Link, new() { Name = "Nova venda" }).ClickAsync();
        await page.WaitForAddressAsync($"**/tickets/{ticketId}/quotes/new");
        await page.Locator("#item_0_description").FillAsync("Pão francês (kg)");
        await page.Locator("#item_0_quantity").FillAsync("12,5");
        await page.Locator("#item_0_price").FillAsync("18,90");
        await page.Locator("#item_1_description").FillAsync("Bolo de fubá");
        await page.Locator("#item_1_quantity").FillAsync("4");
        await page.Locator("#item_1_price").FillAsync("32");
        await page.GetByRole(AriaRole.Button, new() { Name = "Salvar" }).ClickAsync();
        await page.WaitForAddressAsync("**/quotes/*");
        await Assertions.Expect(page.Locator("#quote-total")).ToHaveTextAsync("R$ 364,25");
        var quoteUrl = page.Url;

        // Edit: version 2 with another quantity; version 1 stays.
        await page.GetByRole(AriaRole.Link, new() { Name = "Editar" }).ClickAsync();
        await page.WaitForAddressAsync("**/quotes/*/edit");
        await page.Locator("#item_1_quantity").FillAsync("6");
        await page.GetByRole(AriaRole.Button, new() { Name = "Salvar versão 2" }).ClickAsync();
        await page.WaitForAddressAsync(quoteUrl);
        await Assertions.Expect(page.Locator("#quote-total")).ToHaveTextAsync("R$ 428,25");

        await page.GetByRole(AriaRole.Button, new() { Name = "Enviar ao cliente" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash").First).ToContainTextAsync("enviado para joana@mercado.test");

        // The e-mail in the outbox carries the PDF and the link.
        string link;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Atende.Core.Data.AtendeDb>();
            var email = await db.OutboxEmails.Include(e => e.Attachments).SingleAsync(e => e.TicketId == ticketId, ct);
            Assert.Single(email.Attachments);
            link = System.Text.RegularExpressions.Regex.Match(email.TextBody!, @"https?://\S+/q/\S+").Value;
        }
        Assert.StartsWith(app.BaseUrl + "/q/", link);

        // The customer, on a phone, in a browser with no session.
        await using var customerContext = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 390, Height = 844 } });
        var customer = await customerContext.NewPageAsync();
        customer.SetDefaultTimeout(15_000);
        await customer.GotoAsync(link);
        await Assertions.Expect(customer.Locator("h1")).ToContainTextAsync("versão 2");
        var width = await customer.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"the approval page is {width} px wide on a 390 px phone");
        await customer.GetByLabel("Seu nome completo").FillAsync("Joana Prado");
        await customer.GetByLabel("CPF").FillAsync("529.982.247-25");
        // Enter in a field decides nothing: approving takes the button, and what was typed stays.
        await customer.GetByLabel("CPF").PressAsync("Enter");
        await Assertions.Expect(customer.Locator(".alert-danger")).ToContainTextAsync("escolha Aprovar ou Recusar");
        await Assertions.Expect(customer.GetByLabel("CPF")).ToHaveValueAsync("529.982.247-25");
        await customer.GetByRole(AriaRole.Button, new() { Name = "Aprovar versão 2" }).ClickAsync();
        await Assertions.Expect(customer.Locator(".alert-success")).ToContainTextAsync("Aprovado por Joana Prado");

        // Back at the office: the sale is on the ticket's timeline and the quote says who approved.
        await page.GotoAsync($"{app.BaseUrl}/tickets/{ticketId}?tab=timeline");
        await Assertions.Expect(page.Locator(".timeline-sale").Filter(new() { HasText = "pelo cliente Joana Prado" })).ToContainTextAsync("aprovado (venda)");
        await page.GotoAsync(quoteUrl);
        await Assertions.Expect(page.Locator("#quote-state")).ToHaveTextAsync("Aprovado");
        await Assertions.Expect(page.Locator("#customer-decision")).ToContainTextAsync("Joana Prado");
    }
}
