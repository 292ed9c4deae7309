using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;

namespace Atende.Browser.Tests;

/// <summary>
/// The customer portal in Chromium: staff invite a customer's contact from the partner page, the customer chooses a password
/// through the e-mailed link and lands in the portal, opens a request with a file; the staff reply in public and add an
/// internal note, the customer sees only the reply and answers, the staff see the answer on the ticket page; axe-core on
/// every portal page, and the phone width.
/// </summary>
public sealed class PortalJourney
{
    [Fact]
    public async Task An_invited_customer_opens_a_request_with_a_file_sees_only_the_public_reply_and_answers_it()
    {
        var chromium = BrowserApp.Chromium;
        Assert.NotEmpty(chromium);
        await using var app = new BrowserApp();
        var ct = TestContext.Current.CancellationToken;
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var setup = await http.PostAsJsonAsync("/api/v1/setup", new { companyName = "Padaria Pão Quente Ltda", adminName = "Ana Horizonte", adminEmail = "ana@paoquente.com.br", adminPassword = "fermento-natural-7" }, ct);
        http.DefaultRequestHeaders.Authorization = new("Bearer", (await setup.Content.ReadFromJsonAsync<JsonObject>(ct))!["token"]!.GetValue<string>());
        async Task<JsonObject> Send(HttpMethod method, string url, object body)
        {
            var response = await http.SendAsync(new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) }, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            Assert.True(response.IsSuccessStatusCode, $"{method} {url}: {(int)response.StatusCode} {text}");
            return JsonNode.Parse(text)!.AsObject();
        }
        var workspaceId = (await http.GetFromJsonAsync<JsonObject>("/api/v1/workspaces", ct))!["items"]![0]!["id"]!.GetValue<long>();
        var pipelineId = (await Send(HttpMethod.Post, "/api/v1/pipelines", new { name = "Suporte", alias = "SUP", description = "Pedidos dos clientes" }))["id"]!.GetValue<long>();
        var category = await Send(HttpMethod.Post, "/api/v1/settings/categories", new { name = "Cobrança" });
        await Send(HttpMethod.Post, $"/api/v1/settings/categories/{category["id"]}/subcategories", new { name = "Boleto" });
        await Send(HttpMethod.Post, "/api/v1/settings/categories", new { name = "Entregas da padaria" });
        await Send(HttpMethod.Put, "/api/v1/settings/portal", new { pipelineId, form = "Subcategory", reopen = "Requester" });
        var partnerId = (await Send(HttpMethod.Post, "/api/v1/partners", new { name = "Mercearia Dois Irmãos", workspaceId }))["id"]!.GetValue<long>();
        await Send(HttpMethod.Post, $"/api/v1/partners/{partnerId}/contacts", new { name = "Otávio Lima", emails = new[] { "otavio@mercearia.test" } });
        await Send(HttpMethod.Put, "/api/v1/settings/company", new { name = "Padaria Pão Quente Ltda", timeZone = "America/Sao_Paulo", publicUrl = app.BaseUrl });
        await Send(HttpMethod.Put, "/api/v1/settings/smtp", new { host = "127.0.0.1", port = 1, security = "None", fromName = "Padaria", fromAddress = "contato@paoquente.test" });

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserApp.Launch(playwright);
        var violations = new List<AccessibilityJourney.Violation>();
        var checkedPages = new List<string>();

        // The staff invite the contact from the partner page (confirming first).
        await using var staff = await browser.NewContextAsync(new() { Locale = "pt-BR", ViewportSize = new() { Width = 1400, Height = 900 } });
        var staffPage = await staff.NewPageAsync();
        staffPage.SetDefaultTimeout(15_000);
        await staffPage.GotoAsync(app.BaseUrl + "/login");
        await staffPage.GetByLabel("E-mail").FillAsync("ana@paoquente.com.br");
        await staffPage.GetByLabel("Senha").FillAsync("fermento-natural-7");
        await staffPage.GetByRole(AriaRole.Button, new() { Name = "Entrar" }).ClickAsync();
        await staffPage.WaitForAddressAsync(app.BaseUrl + "/");
        await staffPage.GotoAsync(app.BaseUrl + $"/partners/{partnerId}?tab=contatos");
        await Assertions.Expect(staffPage.Locator("[data-portal-state]")).ToHaveTextAsync("Sem acesso");
        await staffPage.GetByRole(AriaRole.Button, new() { Name = "Convidar para o portal" }).ClickAsync();
        await staffPage.Locator("#confirm-ok").ClickAsync();
        await Assertions.Expect(staffPage.Locator(".flash")).ToContainTextAsync("Convite enviado");
        await Assertions.Expect(staffPage.Locator("[data-portal-state]")).ToContainTextAsync("Convite enviado em");

        // The e-mail's link (read from the outbox) lets the customer choose a password; they land in the portal.
        string link;
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Atende.Core.Data.AtendeDb>();
            var invite = await db.OutboxEmails.SingleAsync(e => e.To == "otavio@mercearia.test", ct);
            link = System.Text.RegularExpressions.Regex.Match(invite.TextBody ?? "", @"https?://\S+/conta/senha/[A-Za-z0-9_\-]+").Value;
        }
        Assert.StartsWith(app.BaseUrl + "/conta/senha/", link, StringComparison.Ordinal);
        await using var context = await browser.NewContextAsync(new() { Locale = "pt-BR", ViewportSize = new() { Width = 1400, Height = 900 }, BypassCSP = true });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        async Task Axe()
        {
            var url = new Uri(page.Url).PathAndQuery;
            violations.AddRange(await AccessibilityJourney.Axe(page, url.StartsWith("/conta/senha/", StringComparison.Ordinal) ? "/conta/senha/{token}" : url));
            checkedPages.Add(url);
        }
        await page.GotoAsync(link);
        await Axe();
        await page.GetByLabel("Senha", new() { Exact = true }).FillAsync("pao-de-queijo-42");
        await page.GetByLabel("Confirme a senha").FillAsync("pao-de-queijo-42");
        await page.GetByRole(AriaRole.Button, new() { Name = "Definir senha e entrar" }).ClickAsync();
        // Not WaitForURL: it also waits for a load event a loaded CI machine may not report (see Loaded.cs).
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/portal(/pedidos)?$"));
        await Assertions.Expect(page.GetByText("Você ainda não abriu nenhum pedido")).ToBeVisibleAsync();
        await Axe();

        // "Novo contato": the sub-classification list follows the classification; a missing field is named and the text kept.
        await page.GetByRole(AriaRole.Link, new() { Name = "Novo contato" }).First.ClickAsync();
        await Assertions.Expect(page.GetByLabel("Pessoa de contato")).ToHaveValueAsync("Otávio Lima");
        await Axe();
        await page.GetByLabel("Mensagem").FillAsync("Preciso da segunda via do boleto de novembro.\nO anterior venceu.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enviar" }).ClickAsync();
        await Assertions.Expect(page.Locator("#error-summary")).ToContainTextAsync("Escolha a classificação");
        await Assertions.Expect(page.GetByLabel("Mensagem")).ToHaveValueAsync("Preciso da segunda via do boleto de novembro.\nO anterior venceu.");
        await Axe();
        await page.GetByLabel("Classificação", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Cobrança" });
        await page.GetByLabel("Sub-classificação").SelectOptionAsync(new SelectOptionValue { Label = "Boleto" });
        await page.GetByLabel("Telefone").FillAsync("(11) 98765-4321");
        await page.GetByLabel("Anexos").SetInputFilesAsync(new FilePayload { Name = "boleto-vencido.txt", MimeType = "text/plain", Buffer = "34191.79001 01043.510047"u8.ToArray() });
        await page.GetByRole(AriaRole.Button, new() { Name = "Enviar" }).ClickAsync();
        // Not WaitForURL: it also waits for a load event a loaded CI machine may not report (see Loaded.cs).
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/portal/pedidos/\d+$"));
        var requestUrl = page.Url;
        var ticketId = long.Parse(requestUrl.Split('/').Last());
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("enviado");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "boleto-vencido.txt" })).ToBeVisibleAsync();
        await Axe();

        // The staff reply in public and note something internal, with a file.
        await Send(HttpMethod.Post, $"/api/v1/tickets/{ticketId}/interactions", new { body = "<p>Segue a segunda via, com vencimento em 10 dias.</p>", @internal = false });
        await Send(HttpMethod.Post, $"/api/v1/tickets/{ticketId}/interactions", new { body = "<p>Cliente com três boletos em atraso: avisar o financeiro.</p>", @internal = true });

        await page.ReloadAsync();
        await Assertions.Expect(page.GetByText("Segue a segunda via, com vencimento em 10 dias.")).ToBeVisibleAsync();
        Assert.Equal(0, await page.GetByText("três boletos em atraso").CountAsync());
        await page.GetByLabel("Nova mensagem").FillAsync("Recebi, obrigado! Pago amanhã.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enviar mensagem" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("Mensagem enviada");
        await Assertions.Expect(page.Locator(".portal-message.from-customer").Last).ToContainTextAsync("Pago amanhã");
        await Axe();
        await page.GotoAsync(app.BaseUrl + "/portal/pedidos?state=open");
        await Assertions.Expect(page.Locator(".portal-request-link")).ToHaveCountAsync(1);
        await Axe();
        await page.GotoAsync(app.BaseUrl + "/portal/pedidos?state=finished");
        await Assertions.Expect(page.GetByText("Nenhum pedido finalizado.")).ToBeVisibleAsync();
        await Axe();

        // A staff page answers the customer with "access denied", in the portal's frame.
        await page.GotoAsync(app.BaseUrl + $"/tickets/{ticketId}");
        Assert.Contains("/acesso-negado", page.Url, StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#sidebar").CountAsync());

        // On a phone every portal page fits the width.
        var phone = await context.NewPageAsync();
        await phone.SetViewportSizeAsync(390, 844);
        foreach (var url in new[] { "/portal/pedidos", "/portal/pedidos/novo", new Uri(requestUrl).PathAndQuery })
        {
            await phone.GotoAsync(app.BaseUrl + url);
            var width = await phone.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            Assert.True(width <= 390, $"{url} is {width} px wide on a 390 px phone");
            await Assertions.Expect(phone.GetByRole(AriaRole.Link, new() { Name = "Finalizados" })).ToBeInViewportAsync();
        }

        // The staff see the customer's answer on the ticket page, marked as from the portal; the contact shows the access.
        await staffPage.GotoAsync(app.BaseUrl + $"/partners/{partnerId}?tab=contatos");
        await Assertions.Expect(staffPage.Locator("[data-portal-state]")).ToHaveTextAsync("Acesso ativo");
        await staffPage.GotoAsync(app.BaseUrl + $"/tickets/{ticketId}");
        await Assertions.Expect(staffPage.Locator("#ticket-origin")).ToHaveTextAsync("Portal");
        await Assertions.Expect(staffPage.GetByText("Recebi, obrigado! Pago amanhã.")).ToBeVisibleAsync();

        var summary = AccessibilityJourney.Summary(violations, checkedPages);
        Assert.True(violations.Count == 0, summary);
    }
}
