using Atende.Core.Queue;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Atende.Core.Data;
using Atende.Core.Email;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;

namespace Atende.Browser.Tests;

/// <summary>The ticket page at a desktop size: quick status, the form's Salvar in view, Ctrl+Enter, e-mail states inside their card.</summary>
public sealed class TicketPageJourney
{
    [Fact]
    public async Task Quick_status_sticky_save_ctrl_enter_and_a_long_email_failure_that_stays_in_its_card()
    {
        var chromium = BrowserApp.Chromium;
        Assert.NotEmpty(chromium);
        await using var app = new BrowserApp();
        var ct = TestContext.Current.CancellationToken;

        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var setup = await http.PostAsJsonAsync("/api/v1/setup", new { companyName = "Oficina do Zé", adminName = "Zé Oficina", adminEmail = "ze@oficina.com.br", adminPassword = "motor-forte-123" }, ct);
        var token = (await setup.Content.ReadFromJsonAsync<JsonObject>(ct))!["token"]!.GetValue<string>();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var workspaceId = (await http.GetFromJsonAsync<JsonObject>("/api/v1/workspaces", ct))!["items"]![0]!["id"]!.GetValue<long>();
        var partner = (await (await http.PostAsJsonAsync("/api/v1/partners", new { name = "Auto Peças Gonçalves", workspaceId }, ct)).Content.ReadFromJsonAsync<JsonObject>(ct))!;
        var contact = (await (await http.PostAsJsonAsync($"/api/v1/partners/{partner["id"]}/contacts", new { name = "Conceição Araújo" }, ct)).Content.ReadFromJsonAsync<JsonObject>(ct))!;
        var pipeline = (await (await http.PostAsJsonAsync("/api/v1/pipelines", new { name = "Oficina", alias = "OFC", description = "", authorizedUserIds = Array.Empty<long>() }, ct)).Content.ReadFromJsonAsync<JsonObject>(ct))!;
        var ticket = (await (await http.PostAsJsonAsync("/api/v1/tickets", new
        {
            pipelineId = pipeline["id"]!.GetValue<long>(), partnerId = partner["id"]!.GetValue<long>(), contactId = contact["id"]!.GetValue<long>(), title = "Troca de embreagem",
            description = "Cliente relata ruído ao trocar de marcha.",
        }, ct)).Content.ReadFromJsonAsync<JsonObject>(ct))!;
        var id = ticket["id"]!.GetValue<long>();
        // An e-mail the server refused for good, with a long reason (one long word too, as servers answer).
        var reason = "550 5.1.1 <conceicao.araujo.da.silva.pereira@autopecasgoncalves-filial-centro.com.br>: Recipient address rejected: "
            + "User unknown in virtual mailbox table; the mailbox does not exist or is disabled, contact the postmaster of autopecasgoncalves.com.br "
            + new string('x', 90);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
            db.OutboxEmails.Add(new OutboxEmail
            {
                To = "conceicao.araujo.da.silva.pereira@autopecasgoncalves-filial-centro.com.br", Subject = "[OFC-1] Troca de embreagem — situação: Aberto",
                TicketId = id, Token = "journey", Status = LeaseStatus.Dead, Attempts = 5, NextAttemptAt = DateTimeOffset.UtcNow, LastError = reason,
                CreatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync(ct);
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserApp.Launch(playwright);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
        page.SetDefaultTimeout(15_000);
        await page.GotoAsync(app.BaseUrl + "/login");
        await page.GetByLabel("E-mail").FillAsync("ze@oficina.com.br");
        await page.GetByLabel("Senha").FillAsync("motor-forte-123");
        await page.GetByRole(AriaRole.Button, new() { Name = "Entrar" }).ClickAsync();
        await page.WaitForAddressAsync(app.BaseUrl + "/");

        // Status from the header: the badge and the history show it, the user stays on the ticket.
        await page.GotoAsync($"{app.BaseUrl}/tickets/{id}");
        await page.Locator("#quick-status").SelectOptionAsync(new SelectOptionValue { Label = "Analisando" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Alterar situação" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash:not(.flash-email)")).ToHaveTextAsync("OFC-1: situação alterada para Analisando.");
        await Assertions.Expect(page.Locator("#ticket-status")).ToHaveTextAsync("Analisando");
        Assert.StartsWith($"{app.BaseUrl}/tickets/{id}", page.Url, StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Tab, new() { Name = "Histórico" }).ClickAsync();
        await Assertions.Expect(page.Locator("#historico tbody tr").Filter(new() { HasText = "Situação" })).ToContainTextAsync("Analisando");

        // The long form does not fit the screen, yet its Salvar is in view while the form is.
        await page.GotoAsync($"{app.BaseUrl}/tickets/{id}");
        var form = await page.Locator("form[action*='handler=Save']").BoundingBoxAsync();
        Assert.True(form!.Y + form.Height > 900, $"the form should be taller than the screen (bottom at {form.Y + form.Height})");
        var save = await page.Locator("#ticket-save").BoundingBoxAsync();
        Assert.True(save!.Y >= 0 && save.Y + save.Height <= 900, $"Salvar should be in view, at y={save.Y}");
        await page.Mouse.WheelAsync(0, 300);
        await Assertions.Expect(page.Locator("#ticket-save")).ToBeInViewportAsync(new() { Ratio = 1 });

        // Ctrl+Enter in Nova interação posts it.
        await page.Locator("#nova-interacao .rich-text-editor").ClickAsync();
        await page.Keyboard.TypeAsync("Cliente autorizou a troca.");
        await page.Keyboard.PressAsync("Control+Enter");
        await Assertions.Expect(page.Locator(".flash:not(.flash-email)")).ToHaveTextAsync("Interação registrada.");
        await Assertions.Expect(page.Locator("article.interaction .interaction-body").First).ToHaveTextAsync("Cliente autorizou a troca.");

        // The failure reason wraps inside its card, on a desktop and on a phone.
        foreach (var (width, height) in new[] { (1400, 900), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            await Assertions.Expect(page.Locator(".timeline-email .email-state")).ToHaveTextAsync("Falhou");
            await Assertions.Expect(page.Locator(".timeline-email .email-problem")).ToContainTextAsync("Motivo: 550 5.1.1");
            var card = await page.Locator(".timeline-email").BoundingBoxAsync();
            foreach (var part in new[] { ".email-state", ".email-problem", ".card-header .fw-semibold", "time" })
            {
                var box = await page.Locator(".timeline-email " + part).BoundingBoxAsync();
                Assert.True(box!.X >= card!.X && box.X + box.Width <= card.X + card.Width + 0.5,
                    $"at {width}px {part} ({box.X}..{box.X + box.Width}) leaves its card ({card.X}..{card.X + card.Width})");
            }
            var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth");
            Assert.False(overflow, $"at {width}px the page scrolls sideways");
        }
    }
}
