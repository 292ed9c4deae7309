using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Xunit;

namespace Atende.Browser.Tests;

/// <summary>
/// Live screens in Chromium, three people at once: an agent and the customer (on a phone) chat on the ticket's Chat tab and
/// the portal request page — messages, typing and the read mark appear without reloading, Enter sends and Shift+Enter breaks
/// the line; a second agent's ticket list shows the first agent's change in place and their bell counts a new notice; the
/// ticket page warns "alterado por" when someone else changes it (the board: <see cref="BoardLiveJourney"/>). axe-core on the
/// chat screens.
/// </summary>
public sealed class LiveJourney
{
    [Fact]
    public async Task Staff_and_customer_chat_live_while_another_agent_sees_the_list_and_the_bell_update()
    {
        var chromium = BrowserApp.Chromium;
        Assert.NotEmpty(chromium);
        await using var app = new BrowserApp();
        var ct = TestContext.Current.CancellationToken;
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var setup = await http.PostAsJsonAsync("/api/v1/setup", new { companyName = "Padaria Pão Quente Ltda", adminName = "Ana Horizonte", adminEmail = "ana@paoquente.com.br", adminPassword = "fermento-natural-7" }, ct);
        http.DefaultRequestHeaders.Authorization = new("Bearer", (await setup.Content.ReadFromJsonAsync<JsonObject>(ct))!["token"]!.GetValue<string>());
        async Task<JsonObject> Send(HttpMethod method, string url, object? body)
        {
            var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
            if (method == HttpMethod.Patch)
            {
                request.Headers.IfMatch.Add(System.Net.Http.Headers.EntityTagHeaderValue.Any);
            }
            var response = await http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            Assert.True(response.IsSuccessStatusCode, $"{method} {url}: {(int)response.StatusCode} {text}");
            return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
        }
        var workspaceId = (await http.GetFromJsonAsync<JsonObject>("/api/v1/workspaces", ct))!["items"]![0]!["id"]!.GetValue<long>();
        var bruno = (await Send(HttpMethod.Post, "/api/v1/users", new { name = "Bruno Carvalho", email = "bruno@paoquente.com.br", role = "Agent", workspaceIds = new[] { workspaceId }, password = "fermento-natural-8" }))["id"]!.GetValue<long>();
        var pipelineId = (await Send(HttpMethod.Post, "/api/v1/pipelines", new { name = "Suporte", alias = "SUP", description = "Pedidos dos clientes", authorizedUserIds = new[] { bruno } }))["id"]!.GetValue<long>();
        var tagId = (await Send(HttpMethod.Post, $"/api/v1/pipelines/{pipelineId}/tags", new { name = "Encomendas" }))["id"]!.GetValue<long>();
        var partnerId = (await Send(HttpMethod.Post, "/api/v1/partners", new { name = "Mercearia Dois Irmãos", workspaceId }))["id"]!.GetValue<long>();
        await Send(HttpMethod.Post, "/api/v1/users", new { name = "Otávio Lima", email = "otavio@mercearia.test", role = "Portal", partnerId, seesCompanyRequests = true, password = "pao-de-queijo-42" });
        var ticketId = (await Send(HttpMethod.Post, "/api/v1/tickets", new { pipelineId, partnerId, title = "Entrega de pães atrasada" }))["id"]!.GetValue<long>();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserApp.Launch(playwright);
        var violations = new List<AccessibilityJourney.Violation>();
        var checkedPages = new List<string>();
        async Task<IPage> SignIn(string email, string password, int width, int height)
        {
            var context = await browser.NewContextAsync(new() { Locale = "pt-BR", ViewportSize = new() { Width = width, Height = height }, BypassCSP = true });
            var page = await context.NewPageAsync();
            page.SetDefaultTimeout(15_000);
            await page.GotoAsync(app.BaseUrl + "/login");
            await page.GetByLabel("E-mail").FillAsync(email);
            await page.GetByLabel("Senha").FillAsync(password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Entrar" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/(portal)?$"));
            return page;
        }
        async Task Axe(IPage page)
        {
            var url = new Uri(page.Url).PathAndQuery;
            violations.AddRange(await AccessibilityJourney.Axe(page, url));
            checkedPages.Add(url);
        }

        // Bruno keeps the ticket list open; Ana opens the ticket's Chat tab; the customer opens the request on a phone.
        var list = await SignIn("bruno@paoquente.com.br", "fermento-natural-8", 1400, 900);
        await list.GotoAsync(app.BaseUrl + $"/tickets?pipelineId={pipelineId}");
        await Assertions.Expect(list.Locator($"tr[data-ticket-id='{ticketId}']")).ToContainTextAsync("Entrega de pães atrasada");
        await Assertions.Expect(list.Locator("[data-bell-count]")).ToBeHiddenAsync();
        var staff = await SignIn("ana@paoquente.com.br", "fermento-natural-7", 1400, 900);
        // The list's "Mensagem" action opens the Chat tab.
        await staff.GotoAsync(app.BaseUrl + $"/tickets?pipelineId={pipelineId}");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Ações de SUP-1" }).ClickAsync();
        await staff.GetByRole(AriaRole.Link, new() { Name = "Mensagem" }).ClickAsync();
        await Assertions.Expect(staff.GetByText("Nenhuma mensagem ainda.")).ToBeVisibleAsync();
        var customer = await SignIn("otavio@mercearia.test", "pao-de-queijo-42", 390, 844);
        await customer.GotoAsync(app.BaseUrl + $"/portal/pedidos/{ticketId}");
        await Assertions.Expect(customer.GetByRole(AriaRole.Heading, new() { Name = "Chat com a equipe" })).ToBeVisibleAsync();
        var staffInput = staff.GetByLabel("Mensagem do chat");
        var customerInput = customer.GetByLabel("Mensagem do chat");
        // Wait until both screens are live (the status line is empty when connected) before talking.
        await Assertions.Expect(staff.Locator("[data-chat-ready]")).ToHaveCountAsync(1);
        await Assertions.Expect(customer.Locator("[data-chat-ready]")).ToHaveCountAsync(1);
        await Task.Delay(1000, ct);

        // Ana writes two lines (Shift+Enter) and sends with Enter; the customer sees it at once, as text.
        await staffInput.FillAsync("Bom dia, Otávio! <b>Já vi</b> o atraso.");
        await staffInput.PressAsync("Shift+Enter");
        await staffInput.PressSequentiallyAsync("Sai hoje às 15h.");
        await staffInput.PressAsync("Enter");
        await Assertions.Expect(staffInput).ToHaveValueAsync("");
        var received = customer.Locator(".chat-msg.theirs").Last;
        await Assertions.Expect(received).ToContainTextAsync("Bom dia, Otávio! <b>Já vi</b> o atraso.\nSai hoje às 15h.");
        await Assertions.Expect(received).ToContainTextAsync("Ana Horizonte");
        await Assertions.Expect(received.Locator(".badge")).ToHaveTextAsync("Equipe");
        // The customer reads it: Ana's mark turns to "Lida"; the customer types and Ana sees it, then the answer.
        await Assertions.Expect(staff.Locator(".chat-msg.mine .chat-mark").Last).ToContainTextAsync("Lida");
        await customerInput.PressSequentiallyAsync("Obrigado!");
        await Assertions.Expect(staff.Locator(".chat-typing")).ToHaveTextAsync("Otávio Lima está digitando…");
        await customerInput.PressAsync("Enter");
        await Assertions.Expect(staff.Locator(".chat-msg.theirs").Last).ToContainTextAsync("Obrigado!");
        await Assertions.Expect(staff.Locator(".chat-msg.theirs .badge").Last).ToHaveTextAsync("Cliente");
        // An empty message is refused on the screen; nothing is sent.
        await customerInput.FillAsync("   ");
        await customerInput.PressAsync("Enter");
        await Assertions.Expect(customer.Locator(".chat-error")).ToHaveTextAsync("Escreva a mensagem.");
        await Axe(staff);
        await Axe(customer);
        var width = await customer.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"the request page is {width} px wide on a 390 px phone");

        // Reloading shows the same conversation, once each.
        await customer.ReloadAsync();
        await Assertions.Expect(customer.Locator(".chat-msg")).ToHaveCountAsync(2);

        // Ana's change reaches Bruno's list in place (his pointer is elsewhere), and his bell counts the notice for him.
        await list.Mouse.MoveAsync(5, 5);
        await Send(HttpMethod.Patch, $"/api/v1/tickets/{ticketId}", new { title = "Entrega de pães atrasada — sai às 15h" });
        await Assertions.Expect(list.Locator($"tr[data-ticket-id='{ticketId}']")).ToContainTextAsync("sai às 15h");
        var second = (await Send(HttpMethod.Post, "/api/v1/tickets", new { pipelineId, partnerId, title = "Pedido de bolo para sábado", assigneeId = bruno, tagIds = new[] { tagId } }))["id"]!.GetValue<long>();
        await Send(HttpMethod.Post, $"/api/v1/tickets/{second}/notify", null);
        await Assertions.Expect(list.Locator("[data-bell-count]")).ToHaveTextAsync("1");
        await Assertions.Expect(list.Locator($"tr[data-ticket-id='{second}']")).ToContainTextAsync("Pedido de bolo para sábado");

        // With his pointer on the list nothing moves under it: a bar says who changed it, and "Atualizar" brings the change in.
        var secondRow = list.Locator($"tr[data-ticket-id='{second}']");
        await secondRow.HoverAsync();
        await Send(HttpMethod.Patch, $"/api/v1/tickets/{second}", new { title = "Pedido de bolo para sábado — 2 kg" });
        var bar = list.Locator("#live-tickets-bar");
        await Assertions.Expect(bar).ToContainTextAsync("Ana Horizonte alterou um atendimento desta lista.");
        await Assertions.Expect(secondRow).Not.ToContainTextAsync("2 kg");
        await bar.GetByRole(AriaRole.Button, new() { Name = "Atualizar" }).ClickAsync();
        await Assertions.Expect(list.Locator($"tr[data-ticket-id='{second}']")).ToContainTextAsync("2 kg");
        await Assertions.Expect(list.Locator($"tr[data-ticket-id='{second}'].live-changed")).ToHaveCountAsync(1);
        await Assertions.Expect(bar).ToBeHiddenAsync();

        // Bruno opens the ticket; Ana changes it meanwhile: his page says so and offers to reload.
        await list.GotoAsync(app.BaseUrl + $"/tickets/{ticketId}");
        await Assertions.Expect(list.Locator("#ticket-changed")).ToBeHiddenAsync();
        await Task.Delay(1000, ct);
        await Send(HttpMethod.Patch, $"/api/v1/tickets/{ticketId}", new { title = "Entrega de pães — resolvida" });
        await Assertions.Expect(list.Locator("#ticket-changed")).ToContainTextAsync("Alterado por Ana Horizonte agora.");
        await list.GetByRole(AriaRole.Link, new() { Name = "Recarregar" }).ClickAsync();
        await Assertions.Expect(list.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Entrega de pães — resolvida");

        var summary = AccessibilityJourney.Summary(violations, checkedPages);
        Assert.True(violations.Count == 0, summary);
    }
}
