using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Xunit;

namespace Atende.Browser.Tests;

public sealed class TicketJourney
{
    [Fact]
    public async Task Pipeline_tags_ticket_tag_drop_status_file_search_archive_and_restore()
    {
        var chromium = BrowserApp.Chromium;
        Assert.NotEmpty(chromium);
        await using var app = new BrowserApp();
        var ct = TestContext.Current.CancellationToken;

        // Company and a customer with a contact through the API; the rest as a user would do it.
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var setup = await http.PostAsJsonAsync("/api/v1/setup", new { companyName = "Oficina do Zé", adminName = "Zé Oficina", adminEmail = "ze@oficina.com.br", adminPassword = "motor-forte-123" }, ct);
        var token = (await setup.Content.ReadFromJsonAsync<JsonObject>(ct))!["token"]!.GetValue<string>();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var workspaces = await http.GetFromJsonAsync<JsonObject>("/api/v1/workspaces", ct);
        var workspaceId = workspaces!["items"]![0]!["id"]!.GetValue<long>();
        var partner = await (await http.PostAsJsonAsync("/api/v1/partners", new { name = "Auto Peças Gonçalves", workspaceId }, ct)).Content.ReadFromJsonAsync<JsonObject>(ct);
        await http.PostAsJsonAsync($"/api/v1/partners/{partner!["id"]}/contacts", new { name = "Conceição Araújo" }, ct);
        var other = await (await http.PostAsJsonAsync("/api/v1/partners", new { name = "Borracharia São Jorge", workspaceId }, ct)).Content.ReadFromJsonAsync<JsonObject>(ct);
        await http.PostAsJsonAsync($"/api/v1/partners/{other!["id"]}/contacts", new { name = "Jorge Amado" }, ct);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserApp.Launch(playwright);
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        await page.GotoAsync(app.BaseUrl + "/login");
        await page.GetByLabel("E-mail").FillAsync("ze@oficina.com.br");
        await page.GetByLabel("Senha").FillAsync("motor-forte-123");
        await page.GetByRole(AriaRole.Button, new() { Name = "Entrar" }).ClickAsync();
        await page.WaitForAddressAsync(app.BaseUrl + "/");

        // A pipeline and two tags typed + Enter.
        await page.GotoAsync(app.BaseUrl + "/settings/pipelines/new");
        await page.GetByLabel("Nome", new() { Exact = true }).FillAsync("Oficina");
        await page.GetByLabel("Pseudônimo").FillAsync("ofc");
        await page.GetByRole(AriaRole.Button, new() { Name = "Criar fluxo" }).ClickAsync();
        await page.WaitForAddressAsync("**/settings/pipelines**");
        await page.GetByRole(AriaRole.Link, new() { Name = "Etiquetas" }).Last.ClickAsync();
        await page.WaitForAddressAsync("**/pipelines/*/tags");
        foreach (var tag in new[] { "Orçamento", "Urgente" })
        {
            await page.Locator("#new-tag-name").FillAsync(tag);
            await page.Locator("#new-tag-name").PressAsync("Enter");
            await Assertions.Expect(page.Locator($"input[value='{tag}']")).ToHaveCountAsync(1);
        }

        // A ticket: pick the customer, fill the title.
        await page.GotoAsync(app.BaseUrl + "/tickets");
        await page.GetByRole(AriaRole.Button, new() { Name = "Trocar de fluxo" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "OFC Oficina" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Novo atendimento" }).First.ClickAsync();
        await page.GetByLabel("Buscar entidade").FillAsync("goncalves");
        await page.GetByRole(AriaRole.Link, new() { Name = "Auto Peças Gonçalves" }).ClickAsync();
        await page.GetByLabel("Título").FillAsync("Troca de embreagem");
        await page.GetByRole(AriaRole.Button, new() { Name = "Criar atendimento" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("Atendimento OFC-1 criado.");

        // Drag the "Urgente" tag from the tag bar onto the ticket's row.
        await page.GetByRole(AriaRole.Link, new() { Name = "Oficina" }).First.ClickAsync();
        var row = page.Locator("tr[data-ticket-id]").First;
        await page.Locator(".tag-bar [data-tag-id]", new() { HasText = "Urgente" }).DragToAsync(row);
        await Assertions.Expect(page.Locator("tr[data-ticket-id] .row-tags")).ToContainTextAsync("Urgente");

        // Change the status on the ticket page and attach a file.
        await page.GetByRole(AriaRole.Link, new() { Name = "Troca de embreagem" }).ClickAsync();
        await page.Locator("#Input_Status").SelectOptionAsync(new SelectOptionValue { Label = "Analisando" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Salvar", Exact = true }).First.ClickAsync();
        await Assertions.Expect(page.Locator(".flash:not(.flash-email)")).ToContainTextAsync("OFC-1 salvo.");
        // The status change e-mails the requester; with no company e-mail set up, a second message says why not.
        await Assertions.Expect(page.Locator(".flash-email")).ToContainTextAsync("Não foi possível enviar o e-mail");
        await Assertions.Expect(page.Locator("h1 + .subtitle .status-badge")).ToHaveTextAsync("Analisando");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Arquivos" }).ClickAsync();
        await page.Locator("#ticket-files").SetInputFilesAsync(new FilePayload { Name = "orçamento.pdf", MimeType = "application/pdf", Buffer = Encoding.ASCII.GetBytes("%PDF-1.4\n%%EOF\n") });
        await page.GetByRole(AriaRole.Button, new() { Name = "Enviar" }).ClickAsync();
        await Assertions.Expect(page.Locator("#arquivos")).ToContainTextAsync("orçamento.pdf");

        // Search without accents, as people type.
        await page.GotoAsync(app.BaseUrl + "/tickets");
        await page.Locator("#q").PressSequentiallyAsync("conceicao araujo");
        await Assertions.Expect(page.Locator("#results tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#results")).ToContainTextAsync("Troca de embreagem");
        // The results of a shorter prefix ("conceicao") may already be that one row: wait for the whole query's answer
        // (its address is pushed after the swap), or its swap could replace the row under the menu opened next.
        await page.WaitForAddressAsync("**q=conceicao*araujo**");
        await Assertions.Expect(page.Locator(".htmx-request")).ToHaveCountAsync(0);

        // Archive from the row menu, find it among the archived, restore it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Ações de OFC-1" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Arquivar" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("OFC-1 arquivado.");
        await page.GotoAsync(app.BaseUrl + "/tickets?bin=Archived");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ações de OFC-1" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Desarquivar" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("OFC-1 voltou para a lista.");
        await page.GotoAsync(app.BaseUrl + "/tickets");
        await Assertions.Expect(page.Locator("#results")).ToContainTextAsync("OFC-1");

        // Hand the ticket to another requester: search in place, pick, the contact follows, save.
        await page.GetByRole(AriaRole.Link, new() { Name = "Troca de embreagem" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Trocar" }).ClickAsync();
        await page.Locator("#partner-q").PressSequentiallyAsync("sao jorge");
        await page.Locator("#partner-choices [data-partner-name='Borracharia São Jorge']").ClickAsync();
        await Assertions.Expect(page.Locator("[data-partner-name]").First).ToHaveTextAsync("Borracharia São Jorge");
        await Assertions.Expect(page.Locator("#Input_ContactId option:checked")).ToHaveTextAsync("Jorge Amado");
        await page.GetByRole(AriaRole.Button, new() { Name = "Salvar", Exact = true }).First.ClickAsync();
        await Assertions.Expect(page.Locator(".flash:not(.flash-email)")).ToContainTextAsync("OFC-1 salvo.");
        await Assertions.Expect(page.Locator("#partner-picker")).ToContainTextAsync("Borracharia São Jorge");
    }
}
