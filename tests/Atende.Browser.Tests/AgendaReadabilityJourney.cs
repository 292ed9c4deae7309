using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Xunit;

namespace Atende.Browser.Tests;

/// <summary>
/// The agenda and "Nova conversa" as a user meets them: long names readable, no console error (CSP violations and htmx
/// errors included), and a refused form that says what is wrong at the top, focuses the field and names the files to pick again.
/// </summary>
public sealed class AgendaReadabilityJourney
{
    private const string PartnerName = "Cooperativa Agroindustrial dos Produtores de Café Especial do Sul de Minas";
    private const string Subject = "Renegociação do contrato anual de fornecimento de sacas de café arábica tipo exportação";

    [Fact]
    public async Task Long_events_show_partner_and_subject_and_a_refused_Nova_conversa_points_at_its_error_without_console_errors()
    {
        var chromium = BrowserApp.Chromium;
        Assert.NotEmpty(chromium);
        var ct = TestContext.Current.CancellationToken;
        await using var app = new BrowserApp();
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var setup = await http.PostAsJsonAsync("/api/v1/setup", new
        {
            companyName = "Torrefação Serra Azul", adminName = "Helena Prado", adminEmail = "helena@serraazul.com.br", adminPassword = "grao-torrado-26",
        }, ct);
        var token = (await setup.Content.ReadFromJsonAsync<JsonObject>(ct))!["token"]!.GetValue<string>();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var partner = await (await http.PostAsJsonAsync("/api/v1/partners", new { name = PartnerName, workspaceId = 1 }, ct)).Content.ReadFromJsonAsync<JsonObject>(ct);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/Sao_Paulo");
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).Date;
        var day = today.AddDays(-(int)today.DayOfWeek + 7 + (int)DayOfWeek.Wednesday);
        var iso = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var created = await http.PostAsJsonAsync("/api/v1/conversations", new
        {
            partnerId = partner!["id"]!.GetValue<long>(), channelId = 1, opportunityTypeId = 1, subject = Subject,
            description = "Proposta de reajuste pelo índice do café.", at = iso + "T10:00",
        }, ct);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(ct));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserApp.Launch(playwright);
        var context = await browser.NewContextAsync(new() { Locale = "pt-BR", ViewportSize = new() { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add($"{page.Url}: {message.Text}");
            }
        };
        page.PageError += (_, e) => errors.Add($"{page.Url}: {e}");

        await page.GotoAsync(app.BaseUrl + "/login");
        await page.GetByLabel("E-mail").FillAsync("helena@serraazul.com.br");
        await page.GetByLabel("Senha").FillAsync("grao-torrado-26");
        await page.GetByRole(AriaRole.Button, new() { Name = "Entrar" }).ClickAsync();
        await page.WaitForAddressAsync(app.BaseUrl + "/");

        // Week and month: the partner's whole name and the subject are on the event, each cut with an ellipsis, and the
        // whole text is in its title and, with keyboard focus, in a tip.
        foreach (var view in new[] { "timeGridWeek", "dayGridMonth" })
        {
            await page.GotoAsync($"{app.BaseUrl}/agenda?seller=all&view={view}&date={iso}");
            var ev = page.Locator(".fc-event", new() { HasText = "Cooperativa Agroindustrial" });
            await Assertions.Expect(ev).ToBeVisibleAsync();
            var partnerLine = ev.Locator(".conv-event-partner");
            var subjectLine = ev.Locator(".conv-event-subject");
            await Assertions.Expect(partnerLine).ToHaveTextAsync(PartnerName);
            await Assertions.Expect(subjectLine).ToContainTextAsync(Subject);
            await Assertions.Expect(subjectLine).ToBeVisibleAsync();
            Assert.True(await partnerLine.EvaluateAsync<bool>("e => e.scrollWidth > e.clientWidth && getComputedStyle(e).textOverflow === 'ellipsis'"), view);
            Assert.True(await subjectLine.EvaluateAsync<bool>("e => e.scrollWidth > e.clientWidth && getComputedStyle(e).textOverflow === 'ellipsis'"), view);
            var title = await ev.GetAttributeAsync("title");
            Assert.Contains(PartnerName, title, StringComparison.Ordinal);
            Assert.Contains(Subject, title, StringComparison.Ordinal);
            await ev.FocusAsync();
            var tip = page.Locator("#agenda-tip");
            await Assertions.Expect(tip).ToBeVisibleAsync();
            await Assertions.Expect(tip).ToContainTextAsync(PartnerName);
            await Assertions.Expect(tip).ToContainTextAsync(Subject);
            await page.Keyboard.PressAsync("Escape");
            await Assertions.Expect(tip).ToBeHiddenAsync();
        }
        await page.GotoAsync($"{app.BaseUrl}/agenda?seller=all&view=listWeek&date={iso}");
        var row = page.Locator(".fc-list-event", new() { HasText = "Cooperativa Agroindustrial" });
        await Assertions.Expect(row.Locator(".conv-event-partner")).ToHaveTextAsync(PartnerName);
        await Assertions.Expect(row.Locator(".conv-event-subject")).ToHaveTextAsync(Subject);

        // Nova conversa: the partner search (htmx) works; a bad date with a chosen file is refused.
        await page.GotoAsync(app.BaseUrl + "/agenda");
        await page.Locator("#new-conversation").ClickAsync();
        await page.WaitForAddressAsync("**/conversations/new?**");
        await page.GetByLabel("Buscar entidade").FillAsync("cafe especial");
        await page.GetByLabel(PartnerName).CheckAsync();
        await page.GetByLabel("Buscar entidade").FillAsync("sul de minas");
        await Assertions.Expect(page.GetByLabel(PartnerName)).ToBeCheckedAsync();
        await page.GetByLabel("Canal de comunicação").SelectOptionAsync(new SelectOptionValue { Label = "Telefone" });
        await page.GetByLabel("Tipo de oportunidade").SelectOptionAsync(new SelectOptionValue { Label = "Venda" });
        await page.GetByLabel("Assunto").FillAsync("Amostras da nova safra");
        await page.GetByLabel("Descrição").FillAsync("Enviar 3 amostras de 250 g.");
        await page.GetByLabel("Data e hora").FillAsync("31/02/2027 10:00");
        var pdf = new FilePayload { Name = "proposta-safra.pdf", MimeType = "application/pdf", Buffer = "%PDF-1.4\n%%EOF\n"u8.ToArray() };
        await page.Locator("#conversation-files").SetInputFilesAsync(pdf);
        await page.GetByRole(AriaRole.Button, new() { Name = "Salvar", Exact = true }).ClickAsync();

        var summary = page.Locator("#error-summary");
        await Assertions.Expect(summary).ToBeVisibleAsync();
        await Assertions.Expect(summary).ToBeInViewportAsync();
        await Assertions.Expect(summary).ToContainTextAsync("Data e hora: o dia 31/02/2027 não existe.");
        await Assertions.Expect(page.Locator("#Input_At")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#Input_At")).ToHaveValueAsync("31/02/2027 10:00");
        await Assertions.Expect(page.Locator("#files-again")).ToContainTextAsync("proposta-safra.pdf");
        await Assertions.Expect(summary).ToContainTextAsync("escolha de novo proposta-safra.pdf");
        await Assertions.Expect(page.GetByLabel(PartnerName)).ToBeCheckedAsync();

        // The summary's link focuses the field; typing digits fills in the separators.
        await page.GetByLabel("Buscar entidade").FocusAsync();
        await summary.GetByRole(AriaRole.Link).First.ClickAsync();
        await Assertions.Expect(page.Locator("#Input_At")).ToBeFocusedAsync();
        await page.Locator("#Input_At").FillAsync("");
        await page.Locator("#Input_At").PressSequentiallyAsync("280220271030");
        await Assertions.Expect(page.Locator("#Input_At")).ToHaveValueAsync("28/02/2027 10:30");
        await page.Locator("#conversation-files").SetInputFilesAsync(pdf);
        await page.GetByRole(AriaRole.Button, new() { Name = "Salvar", Exact = true }).ClickAsync();
        await page.WaitForAddressAsync("**/agenda**");
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("Conversa registrada.");

        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
