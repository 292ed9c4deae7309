using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Xunit;

namespace Atende.Browser.Tests;

public sealed class EmailTemplateJourney
{
    [Fact]
    public async Task Write_a_template_with_a_clicked_placeholder_preview_it_and_insert_it_into_an_interaction()
    {
        var chromium = BrowserApp.Chromium;
        Assert.NotEmpty(chromium);
        await using var app = new BrowserApp();
        var ct = TestContext.Current.CancellationToken;

        // The company, a customer with a contact and a ticket, through the API.
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var setup = await http.PostAsJsonAsync("/api/v1/setup", new { companyName = "Escritório Contábil Prumo", adminName = "Helena Prumo", adminEmail = "helena@prumo.com.br", adminPassword = "balanco-anual-9" }, ct);
        var token = (await setup.Content.ReadFromJsonAsync<JsonObject>(ct))!["token"]!.GetValue<string>();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var workspaceId = (await http.GetFromJsonAsync<JsonObject>("/api/v1/workspaces", ct))!["items"]![0]!["id"]!.GetValue<long>();
        var partner = await (await http.PostAsJsonAsync("/api/v1/partners", new { name = "Mercearia Dois Irmãos", workspaceId }, ct)).Content.ReadFromJsonAsync<JsonObject>(ct);
        var contact = await (await http.PostAsJsonAsync($"/api/v1/partners/{partner!["id"]}/contacts", new { name = "Otávio Lima" }, ct)).Content.ReadFromJsonAsync<JsonObject>(ct);
        var pipeline = await (await http.PostAsJsonAsync("/api/v1/pipelines", new { name = "Fiscal", alias = "FIS" }, ct)).Content.ReadFromJsonAsync<JsonObject>(ct);
        var ticket = await (await http.PostAsJsonAsync("/api/v1/tickets", new { pipelineId = pipeline!["id"], partnerId = partner["id"], contactId = contact!["id"], title = "Guias de março" }, ct))
            .Content.ReadFromJsonAsync<JsonObject>(ct);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserApp.Launch(playwright);
        var page = await browser.NewPageAsync(new() { Locale = "pt-BR", ViewportSize = new() { Width = 1400, Height = 1000 } });
        page.SetDefaultTimeout(15_000);
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(app.BaseUrl + "/login");
        await page.GetByLabel("E-mail").FillAsync("helena@prumo.com.br");
        await page.GetByLabel("Senha").FillAsync("balanco-anual-9");
        await page.GetByRole(AriaRole.Button, new() { Name = "Entrar" }).ClickAsync();
        await page.WaitForAddressAsync(app.BaseUrl + "/");

        // Settings → Modelos de e-mail → Novo modelo.
        await page.GetByRole(AriaRole.Link, new() { Name = "Modelos de e-mail" }).ClickAsync();
        // Status change, Notificar, Salvar e notificar, and the portal's confirmation and message to the assignee.
        await Assertions.Expect(page.Locator("#automatic-templates tbody tr")).ToHaveCountAsync(6);
        await page.GetByRole(AriaRole.Link, new() { Name = "Novo modelo" }).First.ClickAsync();
        await page.GetByLabel("Nome", new() { Exact = true }).FillAsync("Guias do mês");
        await page.GetByLabel("Assunto").FillAsync("Guias de ");
        await page.Locator("[data-insert-placeholder='{{parceiro.nome}}']").ClickAsync();
        Assert.Equal("Guias de {{parceiro.nome}}", await page.GetByLabel("Assunto").InputValueAsync());

        // The text: typed in the editor, a placeholder clicked in where the cursor is.
        var editor = page.Locator(".rich-text-editor");
        await editor.ClickAsync();
        await page.Keyboard.TypeAsync("Olá, ");
        await page.Locator("[data-insert-placeholder='{{contato.nome}}']").ClickAsync();
        await page.Keyboard.TypeAsync(". Seguem as guias de ");
        await page.Locator("[data-insert-placeholder='{{atendimento.titulo}}']").ClickAsync();
        await Assertions.Expect(editor).ToHaveTextAsync("Olá, {{contato.nome}}. Seguem as guias de {{atendimento.titulo}}");

        // Pré-visualizar (htmx): sample values, then this ticket's.
        await page.GetByRole(AriaRole.Button, new() { Name = "Pré-visualizar" }).ClickAsync();
        await Assertions.Expect(page.Locator("#template-preview .preview-subject")).ToHaveTextAsync("[SUP-123] Guias de Padaria Pão Quente Ltda");
        await Assertions.Expect(page.Locator("#template-preview .email-preview")).ToContainTextAsync("Olá, Maria Souza. Seguem as guias de Segunda via do boleto");
        Assert.EndsWith("/settings/email-templates/new", page.Url, StringComparison.Ordinal);
        await page.GetByLabel("Atendimento (opcional)").FillAsync(ticket!["reference"]!.GetValue<string>());
        await page.GetByLabel("Atendimento (opcional)").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#template-preview .email-preview")).ToContainTextAsync("Olá, Otávio Lima. Seguem as guias de Guias de março");
        await page.GetByRole(AriaRole.Button, new() { Name = "Criar modelo" }).ClickAsync();
        await Assertions.Expect(page.Locator("#custom-templates")).ToContainTextAsync("Guias do mês");

        // The ticket page: "Inserir modelo" puts the filled-in text into the interaction editor; Salvar records it.
        await page.GotoAsync(app.BaseUrl + $"/tickets/{ticket["id"]}");
        var interaction = page.Locator("#nova-interacao .rich-text-editor");
        await interaction.ClickAsync();
        await page.Keyboard.TypeAsync("Bom dia! ");
        await page.GetByLabel("Modelo de e-mail para inserir").SelectOptionAsync(new SelectOptionValue { Label = "Guias do mês" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Inserir modelo" }).ClickAsync();
        await Assertions.Expect(interaction).ToContainTextAsync("Bom dia! Olá, Otávio Lima. Seguem as guias de Guias de março");
        Assert.EndsWith($"/tickets/{ticket["id"]}", page.Url, StringComparison.Ordinal);
        await page.Locator("#nova-interacao").GetByRole(AriaRole.Button, new() { Name = "Salvar", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".interaction-body").First).ToContainTextAsync("Olá, Otávio Lima. Seguem as guias de Guias de março");
        Assert.Empty(errors);
    }
}
