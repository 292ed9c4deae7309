using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit;

namespace Atende.Browser.Tests;

/// <summary>
/// The board in Chromium while someone else works: an agent keeps the board of his pipeline open while the admin (through the
/// API) moves a card to another column and changes its status, renames another and opens a new ticket. The board is never
/// rebuilt under him: the changed cards glow where they are and a bar offers "Atualizar", which reloads it with the card in its
/// new column and the new ticket in place; a change to a ticket of another of his pipelines leaves this board alone. Changes to
/// tickets he does not see (a pipeline he is not authorized on, his pipeline
/// in a workspace he is not in) never reach his screen. axe-core on the board with the bar and the glow.
/// </summary>
public sealed class BoardLiveJourney
{
    [Fact]
    public async Task The_board_glows_and_offers_Atualizar_for_others_changes_to_tickets_its_user_sees_only()
    {
        Assert.NotEmpty(BrowserApp.Chromium);
        await using var app = new BrowserApp();
        var ct = TestContext.Current.CancellationToken;
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var setup = await http.PostAsJsonAsync("/api/v1/setup", new { companyName = "Padaria Pão Quente Ltda", adminName = "Ana Horizonte", adminEmail = "ana@paoquente.com.br", adminPassword = "fermento-natural-7" }, ct);
        http.DefaultRequestHeaders.Authorization = new("Bearer", (await setup.Content.ReadFromJsonAsync<JsonObject>(ct))!["token"]!.GetValue<string>());
        async Task<long> Send(HttpMethod method, string url, object body)
        {
            var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) };
            if (method == HttpMethod.Patch)
            {
                request.Headers.IfMatch.Add(System.Net.Http.Headers.EntityTagHeaderValue.Any);
            }
            var response = await http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            Assert.True(response.IsSuccessStatusCode, $"{method} {url}: {(int)response.StatusCode} {text}");
            return JsonNode.Parse(text)!["id"]!.GetValue<long>();
        }
        var workspace = (await http.GetFromJsonAsync<JsonObject>("/api/v1/workspaces", ct))!["items"]![0]!["id"]!.GetValue<long>();
        var otherWorkspace = await Send(HttpMethod.Post, "/api/v1/workspaces", new { name = "Filial Norte" });
        var bruno = await Send(HttpMethod.Post, "/api/v1/users", new { name = "Bruno Carvalho", email = "bruno@paoquente.com.br", role = "Agent", workspaceIds = new[] { workspace }, password = "fermento-natural-8" });
        var sales = await Send(HttpMethod.Post, "/api/v1/pipelines", new { name = "Vendas", alias = "VEN", description = "Encomendas", authorizedUserIds = new[] { bruno } });
        var column = new Dictionary<string, long>();
        foreach (var name in new[] { "Novo", "Proposta", "Fechado" })
        {
            column[name] = await Send(HttpMethod.Post, $"/api/v1/pipelines/{sales}/tags", new { name });
        }
        var deliveries = await Send(HttpMethod.Post, "/api/v1/pipelines", new { name = "Entregas", alias = "ENT", description = "Rotas", authorizedUserIds = new[] { bruno } });
        var management = await Send(HttpMethod.Post, "/api/v1/pipelines", new { name = "Diretoria", alias = "DIR", description = "Só a direção", authorizedUserIds = Array.Empty<long>() });
        var partner = await Send(HttpMethod.Post, "/api/v1/partners", new { name = "Mercearia Dois Irmãos", workspaceId = workspace });
        var otherPartner = await Send(HttpMethod.Post, "/api/v1/partners", new { name = "Empório do Norte", workspaceId = otherWorkspace });
        Task<long> Ticket(long pipelineId, long partnerId, string title, params long[] tagIds) =>
            Send(HttpMethod.Post, "/api/v1/tickets", new { pipelineId, partnerId, title, tagIds });
        var moved = await Ticket(sales, partner, "Orçamento de 200 pães", column["Novo"]);
        var renamed = await Ticket(sales, partner, "Bolo de aniversário", column["Novo"]);
        var otherPipeline = await Ticket(management, partner, "Reajuste da tabela de preços");
        var otherBranch = await Ticket(sales, otherPartner, "Pedido da filial norte", column["Novo"]);
        var delivery = await Ticket(deliveries, partner, "Entrega de sábado");

        // Bruno opens the board of Vendas.
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserApp.Launch(playwright);
        var context = await browser.NewContextAsync(new() { Locale = "pt-BR", ViewportSize = new() { Width = 1400, Height = 900 }, BypassCSP = true });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        await page.GotoAsync(app.BaseUrl + "/login");
        await page.GetByLabel("E-mail").FillAsync("bruno@paoquente.com.br");
        await page.GetByLabel("Senha").FillAsync("fermento-natural-8");
        await page.GetByRole(AriaRole.Button, new() { Name = "Entrar" }).ClickAsync();
        await page.WaitForAddressAsync(app.BaseUrl + "/");
        await page.GotoAsync(app.BaseUrl + $"/tickets/board?pipelineId={sales}");
        ILocator Card(long ticket) => page.Locator($"article[data-ticket-id='{ticket}']");
        ILocator CardIn(string name, long ticket) => page.Locator($".board-cards[data-tag-id='{column[name]}'] article[data-ticket-id='{ticket}']");
        await Assertions.Expect(CardIn("Novo", moved)).ToContainTextAsync("Orçamento de 200 pães");
        await Assertions.Expect(CardIn("Novo", renamed)).ToContainTextAsync("Bolo de aniversário");
        await Assertions.Expect(Card(otherBranch)).ToHaveCountAsync(0);
        var bar = page.Locator("#live-tickets-bar");
        await Assertions.Expect(bar).ToBeHiddenAsync();

        // The page asks the hub for ticket changes when it connects; asking again returns once the server has it (no sleep).
        // Every "ticket" push is kept on the page, which also shows it was never reloaded until "Atualizar".
        await page.WaitForFunctionAsync("() => window.Atende.live.connection.state === 'Connected'");
        await page.EvaluateAsync(@"async () => {
            window.ticketPushes = [];
            window.Atende.live.connection.on('ticket', note => window.ticketPushes.push(note.ticketId));
            await window.Atende.live.connection.invoke('WatchTickets');
        }");

        // Ana changes two tickets Bruno does not see, then moves one card, changes its status, renames another and opens a
        // ticket. The pushes come in the order of the changes, so when the new ticket's has come the others' would have too.
        await Send(HttpMethod.Patch, $"/api/v1/tickets/{otherPipeline}", new { title = "Reajuste da tabela — confidencial" });
        await Send(HttpMethod.Patch, $"/api/v1/tickets/{otherBranch}", new { title = "Pedido da filial norte — urgente" });
        // One he sees, on another board: pushed to his screen, but this board has nothing to update for it.
        await Send(HttpMethod.Patch, $"/api/v1/tickets/{delivery}", new { title = "Entrega de sábado — 7h" });
        await Send(HttpMethod.Put, $"/api/v1/tickets/{moved}/tags", new { tagIds = new[] { column["Proposta"] } });
        await Send(HttpMethod.Post, $"/api/v1/tickets/{moved}/status", new { status = "Analyzing" });
        await Send(HttpMethod.Patch, $"/api/v1/tickets/{renamed}", new { title = "Bolo de aniversário — 3 kg" });
        var created = await Ticket(sales, partner, "Salgados para a festa", column["Novo"]);
        await page.WaitForFunctionAsync($"() => window.ticketPushes.includes({created})");
        var pushed = await page.EvaluateAsync<long[]>("() => window.ticketPushes");
        Assert.Equal(new[] { moved, renamed, delivery, created }, pushed.Distinct().Order());

        // Nothing moved under him: the changed cards glow where they were, unchanged; the new ticket waits for "Atualizar".
        await Assertions.Expect(bar).ToBeVisibleAsync();
        await Assertions.Expect(bar).ToContainTextAsync("Ana Horizonte alterou 3 atendimentos desta lista.");
        await Assertions.Expect(CardIn("Novo", moved)).ToHaveClassAsync(new Regex(@"\blive-changed\b"));
        await Assertions.Expect(CardIn("Novo", renamed)).ToHaveClassAsync(new Regex(@"\blive-changed\b"));
        await Assertions.Expect(page.Locator(".live-changed")).ToHaveCountAsync(2);
        await Assertions.Expect(CardIn("Novo", moved).Locator(".status-badge")).ToHaveTextAsync("Aberto");
        await Assertions.Expect(CardIn("Novo", renamed)).Not.ToContainTextAsync("3 kg");
        await Assertions.Expect(Card(created)).ToHaveCountAsync(0);
        var violations = await AccessibilityJourney.Axe(page, new Uri(page.Url).PathAndQuery);
        Assert.True(violations.Count == 0, AccessibilityJourney.Summary(violations, [new Uri(page.Url).PathAndQuery]));
        Assert.True(await page.EvaluateAsync<bool>("() => Array.isArray(window.ticketPushes)"), "the board was reloaded before 'Atualizar'");

        // "Atualizar" reloads the board: the card in its new column with its status, the new title, the new ticket; still
        // nothing of the other workspace.
        await bar.GetByRole(AriaRole.Button, new() { Name = "Atualizar" }).ClickAsync();
        await Assertions.Expect(CardIn("Proposta", moved)).ToContainTextAsync("Orçamento de 200 pães");
        Assert.False(await page.EvaluateAsync<bool>("() => Array.isArray(window.ticketPushes)"), "'Atualizar' did not reload the board");
        await Assertions.Expect(CardIn("Proposta", moved).Locator(".status-badge")).ToHaveTextAsync("Analisando");
        await Assertions.Expect(Card(moved)).ToHaveCountAsync(1);
        await Assertions.Expect(CardIn("Novo", renamed)).ToContainTextAsync("Bolo de aniversário — 3 kg");
        await Assertions.Expect(CardIn("Novo", created)).ToContainTextAsync("Salgados para a festa");
        await Assertions.Expect(Card(otherBranch)).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".live-changed")).ToHaveCountAsync(0);
        await Assertions.Expect(bar).ToBeHiddenAsync();
    }
}
