using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Xunit;

namespace Atende.Browser.Tests;

public sealed class AgendaJourney
{
    [Fact]
    public async Task Create_a_conversation_from_a_week_slot_conclude_it_and_see_it_locked_and_done()
    {
        var chromium = BrowserApp.Chromium;
        Assert.NotEmpty(chromium);
        var ct = TestContext.Current.CancellationToken;
        await using var app = new BrowserApp();

        // The company and a partner, through the API.
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var setup = await http.PostAsJsonAsync("/api/v1/setup", new
        {
            companyName = "Distribuidora Boa Safra", adminName = "Renata Siqueira", adminEmail = "renata@boasafra.com.br", adminPassword = "colheita-2026",
        }, ct);
        var token = (await setup.Content.ReadFromJsonAsync<JsonObject>(ct))!["token"]!.GetValue<string>();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var partner = await http.PostAsJsonAsync("/api/v1/partners", new { name = "Empório São Benedito", workspaceId = 1 }, ct);
        Assert.True(partner.IsSuccessStatusCode);

        // Next week's Wednesday, in the company's time zone.
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/Sao_Paulo");
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).Date;
        var day = today.AddDays(-(int)today.DayOfWeek + 7 + (int)DayOfWeek.Wednesday);
        var iso = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var shown = day.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserApp.Launch(playwright);
        var context = await browser.NewContextAsync(new() { Locale = "pt-BR", ViewportSize = new() { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);

        await page.GotoAsync(app.BaseUrl + "/login");
        await page.GetByLabel("E-mail").FillAsync("renata@boasafra.com.br");
        await page.GetByLabel("Senha").FillAsync("colheita-2026");
        await page.GetByRole(AriaRole.Button, new() { Name = "Entrar" }).ClickAsync();
        await page.WaitForAddressAsync(app.BaseUrl + "/");

        // The agenda, week view of that week.
        await page.GetByRole(AriaRole.Link, new() { Name = "Agenda" }).ClickAsync();
        await page.WaitForAddressAsync("**/agenda**");
        await page.Locator(".fc-next-button").ClickAsync();
        await Assertions.Expect(page.Locator($".fc-timegrid-col[data-date='{iso}']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".fc-col-header-cell").First).ToContainTextAsync("dom.");

        // Select the 14:30 slot of that day: the menu offers "Nova conversa" at that time.
        var column = await page.Locator($".fc-timegrid-col[data-date='{iso}']").BoundingBoxAsync();
        var lane = page.Locator(".fc-timegrid-slot-lane[data-time='14:30:00']");
        await lane.ScrollIntoViewIfNeededAsync();
        var slot = await lane.BoundingBoxAsync();
        await page.Mouse.ClickAsync(column!.X + (column.Width / 2), slot!.Y + (slot.Height / 2));
        var menuItem = page.GetByRole(AriaRole.Menuitem);
        await Assertions.Expect(menuItem).ToHaveTextAsync($"Nova conversa em {shown} 14:30");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.Locator("#agenda-menu")).ToBeHiddenAsync();
        // Right-clicking the slot offers the same.
        await page.Mouse.ClickAsync(column.X + (column.Width / 2), slot.Y + (slot.Height / 2), new() { Button = MouseButton.Right });
        await Assertions.Expect(menuItem).ToHaveTextAsync($"Nova conversa em {shown} 14:30");
        await menuItem.ClickAsync();

        // The form, with that date and time, the seller and a partner found without accents.
        await page.WaitForAddressAsync("**/conversations/new?**");
        Assert.Equal($"{shown} 14:30", await page.Locator("#Input_At").InputValueAsync());
        await Assertions.Expect(page.GetByLabel("Vendedor")).ToHaveValueAsync("1");
        await page.GetByLabel("Buscar entidade").FillAsync("emporio sao bene");
        await page.GetByLabel("Empório São Benedito").CheckAsync();
        await page.GetByLabel("Canal de comunicação").SelectOptionAsync(new SelectOptionValue { Label = "Presencial" });
        await page.GetByLabel("Tipo de oportunidade").SelectOptionAsync(new SelectOptionValue { Label = "Venda" });
        await page.GetByLabel("Assunto").FillAsync("Degustação da safra de café");
        await page.GetByLabel("Descrição").FillAsync("Levar amostras dos grãos especiais e a tabela de preços de atacado.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Concluir e salvar" }).ClickAsync();
        await page.Locator("#confirm-ok").ClickAsync();

        // Back on the same week: the conversation is there, shown as done and not draggable.
        await page.WaitForAddressAsync("**/agenda?**");
        await Assertions.Expect(page.Locator($".fc-timegrid-col[data-date='{iso}']")).ToBeVisibleAsync();
        var ev = page.Locator(".fc-event", new() { HasText = "Empório São Benedito" });
        await Assertions.Expect(ev).ToBeVisibleAsync();
        await Assertions.Expect(ev).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("conv-done"));
        await Assertions.Expect(ev).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("fc-event-draggable"));
        await Assertions.Expect(ev).ToContainTextAsync("14:30");
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("Conversa concluída");

        // Opening it: read-only.
        await ev.ClickAsync();
        await page.WaitForAddressAsync("**/conversations/*");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Conversa concluída");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Esta conversa foi concluída e não pode mais ser alterada.");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync($"{shown} 14:30");
        await Assertions.Expect(page.Locator("main input[name^='Input.'], main textarea")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Salvar" })).ToHaveCountAsync(0);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
