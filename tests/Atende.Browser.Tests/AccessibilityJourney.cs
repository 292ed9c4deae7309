using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Xunit;

namespace Atende.Browser.Tests;

/// <summary>
/// axe-core (vendored in axe/, no network needed) on every main page at 1400×900, with tags of light and dark colours on screen:
/// no violation of impact serious or critical may remain.
/// </summary>
public sealed class AccessibilityJourney
{
    private static readonly string AxeScript = Path.Combine(AppContext.BaseDirectory, "axe", "axe.min.js");

    internal sealed record Violation(string Page, string Rule, string Impact, string Help, int Nodes, string[] Targets);

    [Fact]
    public async Task Axe_finds_no_serious_or_critical_violation_on_the_main_pages()
    {
        var chromium = BrowserApp.Chromium;
        Assert.NotEmpty(chromium);
        Assert.True(File.Exists(AxeScript), $"axe-core is missing at {AxeScript}");
        await using var app = new BrowserApp();
        var ct = TestContext.Current.CancellationToken;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserApp.Launch(playwright);
        var page = await browser.NewPageAsync(new() { Locale = "pt-BR", ViewportSize = new() { Width = 1400, Height = 900 }, BypassCSP = true });
        // BypassCSP: the app's Content-Security-Policy (script-src 'self') would block the injected axe script; it changes nothing axe checks.
        page.SetDefaultTimeout(15_000);
        var violations = new List<Violation>();
        var checkedPages = new List<string>();

        async Task Check(string url)
        {
            await page.GotoAsync(app.BaseUrl + url, new() { WaitUntil = WaitUntilState.NetworkIdle });
            Assert.True(!page.Url.Contains("/login", StringComparison.Ordinal) || url.StartsWith("/login", StringComparison.Ordinal), $"{url} went to {page.Url}");
            violations.AddRange(await Axe(page, url));
            checkedPages.Add(url);
        }

        // A fresh app shows setup.
        await Check("/setup");

        // Company, a pipeline with light and dark tags, tickets (one archived), a partner with contacts, a conversation, a template.
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var setup = await http.PostAsJsonAsync("/api/v1/setup", new { companyName = "Padaria Pão Quente Ltda", adminName = "Ana Horizonte", adminEmail = "ana@paoquente.com.br", adminPassword = "fermento-natural-7" }, ct);
        var token = (await setup.Content.ReadFromJsonAsync<JsonObject>(ct))!["token"]!.GetValue<string>();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        async Task<JsonObject> Post(string url, object body)
        {
            var response = await http.PostAsJsonAsync(url, body, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            Assert.True(response.IsSuccessStatusCode, $"POST {url}: {(int)response.StatusCode} {text}");
            return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
        }
        var workspaceId = (await http.GetFromJsonAsync<JsonObject>("/api/v1/workspaces", ct))!["items"]![0]!["id"]!.GetValue<long>();
        var pipeline = await Post("/api/v1/pipelines", new { name = "Comercial", alias = "COM", description = "Vendas" });
        var pipelineId = pipeline["id"]!.GetValue<long>();
        (string Name, string Color)[] colors = [("Amarela", "#ffc107"), ("Ciano", "#0dcaf0"), ("Clara", "#f8f9fa"), ("Verde-água", "#20c997"),
            ("Laranja", "#fd7e14"), ("Escura", "#212529"), ("Azul", "#0d6efd"), ("Rosa", "#d63384")];
        var tagIds = new List<long>();
        foreach (var (name, color) in colors)
        {
            tagIds.Add((await Post($"/api/v1/pipelines/{pipelineId}/tags", new { name, color }))["id"]!.GetValue<long>());
        }
        var partner = await Post("/api/v1/partners", new { name = "Mercearia Dois Irmãos", workspaceId });
        var partnerId = partner["id"]!.GetValue<long>();
        var contact = await Post($"/api/v1/partners/{partnerId}/contacts", new { name = "Otávio Lima" });
        await Post($"/api/v1/partners/{partnerId}/contacts", new { name = "Maria Souza" });
        long ticketId = 0;
        for (var i = 0; i < colors.Length; i += 2)
        {
            var ticket = await Post("/api/v1/tickets", new { pipelineId, partnerId, contactId = contact["id"], title = $"Pedido {i + 1}", tagIds = new[] { tagIds[i], tagIds[i + 1] } });
            ticketId = ticketId == 0 ? ticket["id"]!.GetValue<long>() : ticketId;
        }
        await Post($"/api/v1/tickets/{ticketId}/interactions", new { body = "<p>Cliente pediu a segunda via do boleto.</p>" });
        var archived = await Post("/api/v1/tickets", new { pipelineId, partnerId, title = "Guias de março", tagIds = new[] { tagIds[0] } });
        await Post($"/api/v1/tickets/{archived["id"]}/archive", new { });
        var conversation = await Post("/api/v1/conversations", new
        {
            partnerId, channelId = 1, opportunityTypeId = 1, subject = "Retorno da proposta", description = "Ligar de volta com a proposta revisada.",
            at = DateTimeOffset.UtcNow.AddHours(2).ToString("O"),
        });
        var template = await Post("/api/v1/settings/email-templates", new { name = "Guias do mês", subject = "Guias de {{parceiro.nome}}", body = "<p>Olá, {{contato.nome}}.</p>" });
        var webhook = await Post("/api/v1/webhooks", new { url = "https://erp.paoquente.com.br/atende", description = "ERP", events = new[] { "ticket.created" }, active = false });
        var items = new object[] { new { description = "Pão de fermentação natural", quantity = 1.5m, unitPrice = 10.01m, discountPercent = 10m } };
        var quote = await Post("/api/v1/quotes", new { ticketId, items, notes = "Entrega na segunda-feira." });
        // A sale to invoice (its NF-e page with the checklist), a purchase from a supplier, and a quote sent to the customer.
        var nfeSale = await Post("/api/v1/quotes", new { ticketId, items, state = "Approved", issueNfe = true });
        var supplier = await Post("/api/v1/partners", new { name = "Distribuidora Forno Forte", workspaceId, roles = new[] { "Supplier" } });
        var purchase = await Post("/api/v1/purchases", new
        {
            ticketId, supplierId = supplier["id"], items = new[] { new { description = "Resistência 220V", quantity = 2, unitPrice = 89.90m } }, notes = "Entrega em 5 dias úteis.",
        });
        Assert.True((await http.PutAsJsonAsync("/api/v1/settings/smtp", new { host = "127.0.0.1", port = 1, security = "None", fromName = "Padaria Pão Quente", fromAddress = "vendas@paoquente.test" }, ct)).IsSuccessStatusCode);
        Assert.True((await http.PutAsJsonAsync("/api/v1/settings/company", new { name = "Padaria Pão Quente Ltda", timeZone = "America/Sao_Paulo", publicUrl = app.BaseUrl }, ct)).IsSuccessStatusCode);
        var toSend = await Post("/api/v1/quotes", new { ticketId, items, notes = "Entrega às 6h.", validUntil = DateTime.UtcNow.AddDays(10).ToString("yyyy-MM-dd") });
        using var send = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/quotes/{toSend["id"]}/send") { Content = JsonContent.Create(new { to = "compras@mercearia.test" }) };
        send.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"1\""));
        var sent = await http.SendAsync(send, ct);
        Assert.True(sent.IsSuccessStatusCode, $"send: {(int)sent.StatusCode} {await sent.Content.ReadAsStringAsync(ct)}");
        var link = (await sent.Content.ReadFromJsonAsync<JsonObject>(ct))!["link"]!.GetValue<string>();

        // The customer's approval page, in a fresh context without a login: the current version, and the page of an unknown link.
        await using (var customer = await browser.NewContextAsync(new() { Locale = "pt-BR", ViewportSize = new() { Width = 1400, Height = 900 }, BypassCSP = true }))
        {
            var anonymous = await customer.NewPageAsync();
            anonymous.SetDefaultTimeout(15_000);
            foreach (var url in new[] { new Uri(link).PathAndQuery, "/q/" + new string('A', 43) })
            {
                await anonymous.GotoAsync(app.BaseUrl + url, new() { WaitUntil = WaitUntilState.NetworkIdle });
                Assert.DoesNotContain("/login", anonymous.Url, StringComparison.Ordinal);
                violations.AddRange(await Axe(anonymous, url));
                checkedPages.Add(url);
            }
        }
        var users = await http.GetFromJsonAsync<JsonObject>("/api/v1/users", ct);
        var adminId = users!["items"]![0]!["id"]!.GetValue<long>();

        await Check("/login");
        await page.GetByLabel("E-mail").FillAsync("ana@paoquente.com.br");
        await page.GetByLabel("Senha").FillAsync("fermento-natural-7");
        await page.GetByRole(AriaRole.Button, new() { Name = "Entrar" }).ClickAsync();
        await page.WaitForAddressAsync(app.BaseUrl + "/");

        string[] pages =
        [
            "/", "/tickets", $"/tickets?pipelineId={pipelineId}", $"/tickets?pipelineId={pipelineId}&bin=Archived", $"/tickets/board?pipelineId={pipelineId}",
            .. new[] { "timeline", "arquivos", "vendas", "compras", "chat", "historico" }.Select(tab => $"/tickets/{ticketId}?tab={tab}"),
            $"/tickets/new?pipelineId={pipelineId}", $"/tickets/new?pipelineId={pipelineId}&partnerId={partnerId}", $"/tickets/{ticketId}/move",
            "/partners", $"/partners/{partnerId}", $"/partners/{partnerId}/edit", "/partners/new", $"/partners/{partnerId}/contacts/new",
            $"/partners/{partnerId}/contacts/{contact["id"]}/edit", "/agenda", "/conversations/new", $"/conversations/{conversation["id"]}",
            "/notifications", "/account/tokens", $"/pipelines/{pipelineId}/tags",
            "/settings/company", "/settings/portal", "/settings/email", "/settings/inbox", "/settings/email-templates", "/settings/email-templates/new",
            $"/settings/email-templates/{template["id"]}/edit", "/settings/outbox", "/settings/lists", "/settings/lists/categories", "/settings/users",
            $"/settings/users/{adminId}/edit", "/settings/workspaces", "/settings/pipelines", $"/settings/pipelines/{pipelineId}/edit",
            "/settings/webhooks", "/settings/webhooks/new", $"/settings/webhooks/{webhook["id"]}", $"/settings/webhooks/{webhook["id"]}/edit",
            "/sales", "/sales?tab=orcamentos", $"/quotes/{quote["id"]}", $"/quotes/{quote["id"]}/edit", $"/tickets/{ticketId}/quotes/new",
            $"/partners/{partnerId}?tab=vendas", $"/quotes/{nfeSale["id"]}/nfe", "/purchases", $"/purchases/new?ticketId={ticketId}",
            $"/purchases/{purchase["id"]}", $"/purchases?supplierId={supplier["id"]}&pipelineId={pipelineId}&from={DateTime.UtcNow.AddDays(-1):dd'/'MM'/'yyyy}",
            "/purchases?supplierId=999999",
        ];
        foreach (var url in pages)
        {
            await Check(url);
        }

        var summary = Summary(violations, checkedPages);
        TestContext.Current.SendDiagnosticMessage(summary);
        if (Environment.GetEnvironmentVariable("ATENDE_AXE_REPORT") is { Length: > 0 } reportPath)
        {
            await File.WriteAllTextAsync(reportPath, summary, ct);
        }
        Assert.True(violations.Count == 0, summary);
    }

    /// <summary>Runs axe-core on the page as it stands; answers the serious and critical violations.</summary>
    internal static async Task<List<Violation>> Axe(IPage page, string url)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe !== 'undefined'"))
        {
            await page.AddScriptTagAsync(new() { Path = AxeScript });
        }
        var json = await page.EvaluateAsync<string>("""
            async () => {
                const colors = n => {
                    const d = n.any.concat(n.all, n.none).map(c => c.data).find(d => d && d.contrastRatio);
                    return d ? ` (${d.fgColor} on ${d.bgColor}: ${d.contrastRatio}:1)` : '';
                };
                const result = await axe.run(document, { resultTypes: ['violations'] });
                return JSON.stringify(result.violations
                    .filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length, targets: v.nodes.slice(0, 4).map(n => n.target.join(' ') + colors(n)) })));
            }
            """);
        return [.. JsonSerializer.Deserialize<JsonArray>(json)!.Select(v => new Violation(url, v!["id"]!.GetValue<string>(), v["impact"]!.GetValue<string>(),
            v["help"]!.GetValue<string>(), v["nodes"]!.GetValue<int>(), v["targets"]!.AsArray().Select(t => t!.GetValue<string>()).ToArray()))];
    }

    /// <summary>Totals, then each violation with its page, rule and first node targets, so a failure says what to fix where.</summary>
    internal static string Summary(List<Violation> violations, List<string> pages)
    {
        var text = new StringBuilder();
        text.AppendLine($"axe-core: {violations.Count} serious/critical rule hits, {violations.Sum(v => v.Nodes)} nodes, on {pages.Count} pages");
        foreach (var v in violations)
        {
            text.AppendLine($"  {v.Page}: {v.Rule} ({v.Impact}, {v.Nodes} nodes) {v.Help} — {string.Join(" | ", v.Targets)}");
        }
        return text.ToString();
    }
}
