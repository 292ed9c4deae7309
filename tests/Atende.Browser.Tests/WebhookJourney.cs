using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Xunit;

namespace Atende.Browser.Tests;

/// <summary>Configurações → Webhooks on a 390 px phone: create, copy the secret shown once, send a test, rotate, delete.</summary>
public sealed class WebhookJourney
{
    [Fact]
    public async Task An_admin_on_a_phone_creates_a_webhook_copies_its_secret_sends_a_test_rotates_and_deletes_it()
    {
        var chromium = BrowserApp.Chromium;
        Assert.NotEmpty(chromium);
        // Loopback allowed, so the test event goes to 127.0.0.1:1, where nothing listens: the row shows the failure.
        await using var app = new BrowserApp(new() { ["Atende:Webhooks:AllowPrivateTargets"] = "true" });
        var ct = TestContext.Current.CancellationToken;
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var setup = await http.PostAsJsonAsync("/api/v1/setup", new { companyName = "Padaria Pão Quente Ltda", adminName = "Ana Horizonte", adminEmail = "ana@paoquente.com.br", adminPassword = "fermento-natural-7" }, ct);
        Assert.True(setup.IsSuccessStatusCode);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserApp.Launch(playwright);
        await using var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 390, Height = 844 } });
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = app.BaseUrl });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        await page.GotoAsync(app.BaseUrl + "/login");
        await page.GetByLabel("E-mail").FillAsync("ana@paoquente.com.br");
        await page.GetByLabel("Senha").FillAsync("fermento-natural-7");
        await page.GetByRole(AriaRole.Button, new() { Name = "Entrar" }).ClickAsync();
        await page.WaitForAddressAsync(app.BaseUrl + "/");

        async Task AssertFitsThePhone()
        {
            var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            Assert.True(width <= 390, $"{page.Url} is {width} px wide on a 390 px phone");
        }

        await page.GotoAsync(app.BaseUrl + "/settings/webhooks");
        await Assertions.Expect(page.GetByText("Nenhum webhook ainda")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Novo webhook" }).First.ClickAsync();
        var target = "http://127.0.0.1:1/integracoes/atende/webhooks/eventos-de-atendimentos-e-parceiros";
        await page.GetByLabel("URL").FillAsync(target);
        await page.GetByLabel("Descrição").FillAsync("Sistema de gestão da padaria (ERP)");
        await page.GetByLabel("Todos os eventos").UncheckAsync();
        await page.GetByLabel("Atendimento criado").CheckAsync();
        await AssertFitsThePhone();
        await page.GetByRole(AriaRole.Button, new() { Name = "Criar webhook" }).ClickAsync();

        var secretBox = page.GetByLabel("Segredo", new() { Exact = true });
        var secret = await secretBox.InputValueAsync();
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#webhook-secret")).ToContainTextAsync("não será mostrado de novo");
        await page.GetByRole(AriaRole.Button, new() { Name = "Copiar" }).ClickAsync();
        await Assertions.Expect(page.Locator("#webhook-secret button")).ToHaveTextAsync("Copiado");
        Assert.Equal(secret, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await AssertFitsThePhone();

        await page.GetByRole(AriaRole.Button, new() { Name = "Enviar evento de teste" }).ClickAsync();
        await Assertions.Expect(page.Locator(".deliveries-table tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".deliveries-table tbody tr")).ToContainTextAsync("webhook.test");
        await Assertions.Expect(page.Locator("#webhook-secret")).ToHaveCountAsync(0);
        // Once the dispatcher has tried, the row tells why it failed; still on a phone's width.
        // (a bound for a broken dispatcher, not a timing: the attempt to a closed port fails at once)
        for (var i = 0; i < 300 && await page.Locator(".deliveries-table tbody tr .text-danger").CountAsync() == 0; i++)
        {
            await page.WaitForTimeoutAsync(100);
            await page.ReloadAsync();
        }
        await Assertions.Expect(page.Locator(".deliveries-table tbody tr .text-danger")).Not.ToBeEmptyAsync();
        await AssertFitsThePhone();

        await page.GetByRole(AriaRole.Button, new() { Name = "Gerar novo segredo" }).ClickAsync();
        await Assertions.Expect(page.Locator("#confirm-modal")).ToContainTextAsync("24 horas");
        await page.Locator("#confirm-ok").ClickAsync();
        await Assertions.Expect(page.Locator("#webhook-secret")).ToBeVisibleAsync();
        Assert.NotEqual(secret, await secretBox.InputValueAsync());

        await page.GotoAsync(app.BaseUrl + "/settings/webhooks");
        await Assertions.Expect(page.Locator("#webhooks tbody tr")).ToContainTextAsync("Sistema de gestão da padaria (ERP)");
        await AssertFitsThePhone();
        await page.GetByRole(AriaRole.Link, new() { Name = "Abrir webhook " + target }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Excluir" }).ClickAsync();
        await page.Locator("#confirm-ok").ClickAsync();
        await page.WaitForAddressAsync(app.BaseUrl + "/settings/webhooks");
        await Assertions.Expect(page.GetByText("Nenhum webhook ainda")).ToBeVisibleAsync();
    }
}
