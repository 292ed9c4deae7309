using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Xunit;

namespace Atende.Browser.Tests;

/// <summary>
/// The ticket page's tabs load when shown: opened on Histórico (a direct link), the Timeline and Arquivos arrive on
/// their first show, with a working editor (Ctrl+Enter posts), and the tabs answer the keyboard.
/// </summary>
public sealed class TicketTabsJourney
{
    [Fact]
    public async Task Tabs_opened_from_a_direct_link_load_their_content_when_shown_and_answer_the_keyboard()
    {
        var chromium = BrowserApp.Chromium;
        Assert.NotEmpty(chromium);
        await using var app = new BrowserApp();
        var ct = TestContext.Current.CancellationToken;

        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var setup = await http.PostAsJsonAsync("/api/v1/setup", new { companyName = "Vidraçaria Luz", adminName = "Lúcia Vidros", adminEmail = "lucia@vidracaria.com.br", adminPassword = "vidro-temperado-9" }, ct);
        var token = (await setup.Content.ReadFromJsonAsync<JsonObject>(ct))!["token"]!.GetValue<string>();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var workspaceId = (await http.GetFromJsonAsync<JsonObject>("/api/v1/workspaces", ct))!["items"]![0]!["id"]!.GetValue<long>();
        var partner = (await (await http.PostAsJsonAsync("/api/v1/partners", new { name = "Condomínio Jardim", workspaceId }, ct)).Content.ReadFromJsonAsync<JsonObject>(ct))!;
        var pipeline = (await (await http.PostAsJsonAsync("/api/v1/pipelines", new { name = "Obras", alias = "OBR", description = "", authorizedUserIds = Array.Empty<long>() }, ct)).Content.ReadFromJsonAsync<JsonObject>(ct))!;
        var ticket = (await (await http.PostAsJsonAsync("/api/v1/tickets", new
        {
            pipelineId = pipeline["id"]!.GetValue<long>(), partnerId = partner["id"]!.GetValue<long>(), title = "Box do bloco B",
        }, ct)).Content.ReadFromJsonAsync<JsonObject>(ct))!;
        var id = ticket["id"]!.GetValue<long>();
        (await http.PostAsJsonAsync($"/api/v1/tickets/{id}/interactions", new { body = "<p>Medição feita pelo síndico.</p>" }, ct)).EnsureSuccessStatusCode();
        using (var upload = new MultipartFormDataContent())
        {
            var part = new ByteArrayContent(Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"));
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            upload.Add(part, "files", "Planta do box.pdf");
            (await http.PostAsync($"/api/v1/tickets/{id}/attachments", upload, ct)).EnsureSuccessStatusCode();
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserApp.Launch(playwright);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
        page.SetDefaultTimeout(15_000);
        await page.GotoAsync(app.BaseUrl + "/login");
        await page.GetByLabel("E-mail").FillAsync("lucia@vidracaria.com.br");
        await page.GetByLabel("Senha").FillAsync("vidro-temperado-9");
        await page.GetByRole(AriaRole.Button, new() { Name = "Entrar" }).ClickAsync();
        await page.WaitForAddressAsync(app.BaseUrl + "/");

        // A direct link to Histórico renders it with the page.
        await page.GotoAsync($"{app.BaseUrl}/tickets/{id}?tab=historico");
        await Assertions.Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Histórico" })).ToHaveAttributeAsync("aria-selected", "true");
        await Assertions.Expect(page.Locator("#historico tbody tr").Filter(new() { HasText = "Planta do box.pdf" })).ToHaveCountAsync(1);

        // Timeline loads on its first show, with the editor working (Ctrl+Enter posts the new interaction).
        await page.GetByRole(AriaRole.Tab, new() { Name = "Timeline" }).ClickAsync();
        await Assertions.Expect(page.Locator("#timeline article.interaction .interaction-body")).ToHaveTextAsync("Medição feita pelo síndico.");
        // The address follows the tab (with the list the page came from), so a reload opens it again.
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/tickets/{id}\\?(.*&)?tab=timeline$"));
        await page.Locator("#nova-interacao .rich-text-editor").ClickAsync();
        await page.Keyboard.TypeAsync("Vidro encomendado.");
        await page.Keyboard.PressAsync("Control+Enter");
        await Assertions.Expect(page.Locator(".flash:not(.flash-email)")).ToHaveTextAsync("Interação registrada.");
        await Assertions.Expect(page.Locator("#timeline article.interaction .interaction-body").First).ToHaveTextAsync("Vidro encomendado.");

        // The keyboard moves between tabs (arrow keys) and a tab shown that way loads too.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Timeline" }).FocusAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        var files = page.GetByRole(AriaRole.Tab, new() { Name = "Arquivos" });
        await Assertions.Expect(files).ToBeFocusedAsync();
        await Assertions.Expect(files).ToHaveAttributeAsync("aria-selected", "true");
        await Assertions.Expect(page.Locator("#arquivos").GetByRole(AriaRole.Link, new() { Name = "Planta do box.pdf" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Tabpanel)).ToHaveAttributeAsync("aria-labelledby", "tab-arquivos");

        // Histórico again, now loaded in place: the interaction's change is not history, the file's is.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Histórico" }).ClickAsync();
        await Assertions.Expect(page.Locator("#historico tbody tr").Filter(new() { HasText = "Planta do box.pdf" })).ToHaveCountAsync(1);
    }
}
