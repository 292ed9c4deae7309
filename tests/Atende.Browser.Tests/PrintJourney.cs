using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Xunit;

namespace Atende.Browser.Tests;

/// <summary>
/// The ticket and quote prints as Chromium prints them to PDF on A4, read back with poppler: A4 pages, the header fields on
/// page 1, each interaction whole on one page, none of the app's menu or buttons, no blank page; and axe-core on both pages.
/// With ATENDE_PRINT_ARTIFACTS set to a folder, the screenshots and the pages as PNG are left there to look at.
/// </summary>
public sealed class PrintJourney
{
    private const string Company = "Contabilidade Horizonte Ltda";
    private const string Assignee = "Marta Responsável";

    /// <summary>Words of the app's frame and of the print pages' own buttons: none may reach paper.</summary>
    private static readonly string[] ScreenOnly =
        ["Atendimentos", "Entidades", "Notificações", "Sair", "Imprimir", "Voltar ao", "Com interações", "Sem interações", "Baixar PDF", "Pular para o conteúdo"];

    private static readonly string Filler = string.Join(" ", Enumerable.Repeat(
        "O cliente enviou os extratos bancários do trimestre e pediu a conferência dos lançamentos de despesas com fornecedores.", 3));

    [Fact]
    public async Task Ticket_and_quote_prints_fit_A4_keep_every_interaction_on_one_page_and_leave_the_menu_out()
    {
        Assert.NotEmpty(BrowserApp.Chromium);
        Poppler.Require();
        await using var app = new BrowserApp();
        var ct = TestContext.Current.CancellationToken;
        var work = Path.Combine(Path.GetTempPath(), "atende-print", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        var artifacts = Environment.GetEnvironmentVariable("ATENDE_PRINT_ARTIFACTS") is { Length: > 0 } folder ? Directory.CreateDirectory(folder).FullName : null;

        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var setup = await http.PostAsJsonAsync("/api/v1/setup", new { companyName = Company, adminName = "Ana Ribeiro", adminEmail = "ana@horizonte.com.br", adminPassword = "balanco-anual-123" }, ct);
        http.DefaultRequestHeaders.Authorization = new("Bearer", (await setup.Content.ReadFromJsonAsync<JsonObject>(ct))!["token"]!.GetValue<string>());
        async Task<JsonObject> Send(HttpMethod method, string url, object body)
        {
            var response = await http.SendAsync(new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) }, ct);
            Assert.True(response.IsSuccessStatusCode, $"{method} {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            var text = await response.Content.ReadAsStringAsync(ct);
            return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
        }
        Task<JsonObject> Post(string url, object body) => Send(HttpMethod.Post, url, body);
        await Send(HttpMethod.Put, "/api/v1/settings/company", new
        {
            name = Company, email = "contato@horizonte.com.br", timeZone = "America/Sao_Paulo", taxId = "11.222.333/0001-81", phone = "(11) 3456-7890",
            address = new { postalCode = "01310-100", street = "Av. Paulista", number = "1000", district = "Bela Vista", city = "São Paulo", state = "SP" },
        });
        var workspaceId = (await http.GetFromJsonAsync<JsonObject>("/api/v1/workspaces", ct))!["items"]![0]!["id"]!.GetValue<long>();
        var marta = await Post("/api/v1/users", new { name = Assignee, email = "marta@horizonte.com.br", role = "Agent", workspaceIds = new[] { workspaceId }, password = "balanco-anual-123" });
        var pipeline = await Post("/api/v1/pipelines", new { name = "Contábil", alias = "CTB", authorizedUserIds = new[] { marta["id"] } });
        var partner = await Post("/api/v1/partners", new
        {
            name = "Padaria Pão Quente", workspaceId, code = "12.345.678/0001-95", stateRegistration = "ISENTO",
            address = new { postalCode = "04567-000", street = "Rua das Flores", number = "12", district = "Centro", city = "Santos", state = "SP" },
        });
        var contact = await Post($"/api/v1/partners/{partner["id"]}/contacts", new
        {
            name = "Joana Prado", emails = new[] { "joana@paoquente.com.br" },
            phones = new[] { new { country = "BR", areaCode = "11", number = "987654321", type = "Mobile" }, new { country = "BR", areaCode = "11", number = "33334444", type = "Fixed" } },
        });
        var ticket = await Post("/api/v1/tickets", new
        {
            pipelineId = pipeline["id"], partnerId = partner["id"], contactId = contact["id"], title = "Balanço anual de 2025", value = 1234.56m,
            assigneeId = marta["id"], dueAt = "2026-11-22T14:30:00-03:00", description = "Fechar o balanço e entregar as demonstrações.",
        });
        var reference = ticket["reference"]!.GetValue<string>();
        const int interactions = 25;
        for (var n = 1; n <= interactions; n++)
        {
            // Different lengths, so the page breaks fall in different places of an interaction.
            var paragraphs = string.Concat(Enumerable.Repeat($"<p>{Filler}</p>", 1 + n % 3));
            await Post($"/api/v1/tickets/{ticket["id"]}/interactions", new { body = $"<p>INICIO-{n:00} Registro {n}.</p>{paragraphs}<p>Fim do registro FIM-{n:00}</p>", @internal = n % 5 == 0 });
        }
        const int lines = 30;
        var quote = await Post("/api/v1/quotes", new
        {
            ticketId = ticket["id"], validUntil = DateTime.UtcNow.AddDays(20).ToString("yyyy-MM-dd"), notes = "Pagamento em 30 dias.\nEntrega das demonstrações por e-mail.",
            items = Enumerable.Range(1, lines).Select(n => new
            {
                description = $"LINHA-{n:00} Escrituração contábil do mês {n} com conciliação bancária e relatório gerencial", quantity = 1 + n % 3, unitPrice = 150.25m * n,
                discountPercent = n % 4 == 0 ? 5m : (decimal?)null,
            }).ToArray(),
        });
        var quoteTotal = quote["total"]!.GetValue<decimal>().ToString("N2", System.Globalization.CultureInfo.GetCultureInfo("pt-BR"));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserApp.Launch(playwright);
        // BypassCSP: the app's Content-Security-Policy would block the injected axe script; it changes nothing axe checks or prints.
        var page = await browser.NewPageAsync(new() { Locale = "pt-BR", ViewportSize = new() { Width = 1280, Height = 900 }, BypassCSP = true });
        page.SetDefaultTimeout(15_000);
        await page.GotoAsync(app.BaseUrl + "/login");
        await page.GetByLabel("E-mail").FillAsync("ana@horizonte.com.br");
        await page.GetByLabel("Senha").FillAsync("balanco-anual-123");
        await page.GetByRole(AriaRole.Button, new() { Name = "Entrar" }).ClickAsync();
        await page.WaitForAddressAsync(app.BaseUrl + "/");

        // Opens a print page, runs axe on it, keeps a screenshot, prints it to PDF on A4 and answers the file.
        async Task<string> Print(string url, string name)
        {
            await page.GotoAsync(app.BaseUrl + url, new() { WaitUntil = WaitUntilState.NetworkIdle });
            var violations = await AccessibilityJourney.Axe(page, url);
            Assert.True(violations.Count == 0, AccessibilityJourney.Summary(violations, [url]));
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Imprimir" })).ToBeVisibleAsync();
            if (artifacts is not null)
            {
                await page.ScreenshotAsync(new() { Path = Path.Combine(artifacts, name + "-screen.png"), FullPage = false });
            }
            var pdf = Path.Combine(work, name + ".pdf");
            await page.PdfAsync(new() { Path = pdf, Format = "A4", PrintBackground = true });
            if (artifacts is not null)
            {
                await Poppler.Png(pdf, Path.Combine(artifacts, name));
            }
            return pdf;
        }

        async Task<List<string>> ReadA4(string pdf, string name, int minPages)
        {
            var (width, height, pages) = await Poppler.Info(pdf);
            // A4 is 595 x 842 pts; Chromium rounds it to whole pixels of its own (595.92 x 842.88).
            Assert.True(Math.Abs(width - 595.28) < 2 && Math.Abs(height - 841.89) < 2, $"{name}: {width} x {height} pts, not A4");
            Assert.True(pages >= minPages, $"{name}: {pages} page(s), expected at least {minPages}");
            var texts = await Poppler.PageTexts(pdf, pages);
            var all = string.Join("\n", texts);
            foreach (var word in ScreenOnly)
            {
                Assert.False(all.Contains(word, StringComparison.Ordinal), $"{name}: \"{word}\" reached the paper");
            }
            var ink = await Poppler.InkPerPage(pdf, Path.Combine(work, name + "-pages"));
            Assert.Equal(pages, ink.Count);
            for (var n = 0; n < ink.Count; n++)
            {
                Assert.True(ink[n] > 0.001, $"{name}: page {n + 1} looks blank ({ink[n]:P2} of its pixels above the page number are not white)");
            }
            return texts;
        }

        // The ticket with its interactions: several pages, the header on the first, each interaction on one page.
        var ticketPages = await ReadA4(await Print($"/tickets/{ticket["id"]}/print", "ticket"), "ticket", minPages: 3);
        foreach (var expected in new[] { Company, "CNPJ 11.222.333/0001-81", reference, Assignee, "(11) 98765-4321", "R$ 1.234,56", "22/11/2026 14:30", "Padaria Pão Quente" })
        {
            Assert.True(ticketPages[0].Contains(expected, StringComparison.Ordinal), $"page 1 lacks \"{expected}\":\n{ticketPages[0]}");
        }
        var cut = new StringBuilder();
        for (var n = 1; n <= interactions; n++)
        {
            var starts = PagesWith(ticketPages, $"INICIO-{n:00}");
            var ends = PagesWith(ticketPages, $"FIM-{n:00}");
            Assert.True(starts.Count == 1 && ends.Count == 1, $"interaction {n}: start on pages [{string.Join(", ", starts)}], end on [{string.Join(", ", ends)}]");
            if (starts[0] != ends[0])
            {
                cut.AppendLine($"interaction {n} starts on page {starts[0]} and ends on page {ends[0]}");
            }
        }
        Assert.True(cut.Length == 0, cut.ToString());
        // The marks survive printing: the internal notes say so.
        Assert.Contains("NOTA INTERNA", string.Join("\n", ticketPages).ToUpperInvariant(), StringComparison.Ordinal);

        // Without interactions: one page with the fields and none of the interactions.
        var plainPages = await ReadA4(await Print($"/tickets/{ticket["id"]}/print?interactions=false", "ticket-plain"), "ticket-plain", minPages: 1);
        Assert.Single(plainPages);
        Assert.Contains(Assignee, plainPages[0], StringComparison.Ordinal);
        Assert.DoesNotContain("INICIO-01", plainPages[0], StringComparison.Ordinal);

        // The quote: every line once, whole on its page, and the totals.
        var quotePages = await ReadA4(await Print($"/quotes/{quote["id"]}/print", "quote"), "quote", minPages: 1);
        Assert.Contains(Company, quotePages[0], StringComparison.Ordinal);
        Assert.Contains(quote["number"]!.GetValue<string>(), quotePages[0], StringComparison.Ordinal);
        Assert.Contains("(11) 98765-4321", quotePages[0], StringComparison.Ordinal);
        for (var n = 1; n <= lines; n++)
        {
            Assert.True(PagesWith(quotePages, $"LINHA-{n:00}").Count == 1, $"line {n} is not on exactly one page");
        }
        var quoteText = string.Join("\n", quotePages);
        Assert.Contains("R$ " + quoteTotal, quoteText, StringComparison.Ordinal);
        Assert.Contains("Pagamento em 30 dias.", quoteText, StringComparison.Ordinal);
        Directory.Delete(work, recursive: true);
    }

    /// <summary>The pages (1-based) whose text holds <paramref name="marker"/>.</summary>
    private static List<int> PagesWith(List<string> pages, string marker) =>
        [.. pages.Select((text, i) => (text, i)).Where(p => p.text.Contains(marker, StringComparison.Ordinal)).Select(p => p.i + 1)];
}
