using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Xunit;

namespace Atende.Browser.Tests;

public sealed class TicketListJourney
{
    [Fact]
    public async Task The_list_fits_a_1400_screen_and_changes_status_assignee_and_columns_from_the_rows()
    {
        var chromium = BrowserApp.Chromium;
        Assert.NotEmpty(chromium);
        await using var app = new BrowserApp();
        var ct = TestContext.Current.CancellationToken;

        var pipeline = await Company(app, ct);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserApp.Launch(playwright);
        var page = await SignIn(browser, app);
        var list = $"{app.BaseUrl}/tickets?pipelineId={pipeline["id"]}";
        await page.GotoAsync(list);
        await Assertions.Expect(page.Locator("#results tbody tr")).ToHaveCountAsync(12);

        // The default columns fit: no sideways scroll, and each row's ⋯ is on screen.
        await AssertFits(page, 1400);

        // Status from the row's badge menu.
        await page.GetByRole(AriaRole.Button, new() { Name = "Aberto: mudar a situação de SUP-1", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Analisando", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash").First).ToContainTextAsync("SUP-1: situação alterada para Analisando.");
        var row = page.Locator("tr[data-ticket-id]", new() { Has = page.GetByRole(AriaRole.Link, new() { Name = "SUP-1", Exact = true }) });
        await Assertions.Expect(row.Locator(".status-badge")).ToHaveTextAsync("Analisando");
        Assert.StartsWith(list, page.Url, StringComparison.Ordinal);

        // Assignee from the row: the menu loads when it opens.
        await page.GetByRole(AriaRole.Button, new() { Name = "Atribuir SUP-1 a um responsável", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Atribuir a mim" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash").First).ToContainTextAsync("SUP-1: responsável alterado para Ana Ribeiro.");
        await Assertions.Expect(row.Locator(".assignee-toggle")).ToHaveTextAsync("Ana Ribeiro");

        // Hide "Valor" in "Colunas": the list follows at once, and after a reload.
        await page.GetByText("Colunas", new() { Exact = true }).ClickAsync();
        await page.GetByLabel("Valor", new() { Exact = true }).UncheckAsync();
        await Assertions.Expect(page.Locator(".ticket-table thead")).Not.ToContainTextAsync("Valor");
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#results tbody tr")).ToHaveCountAsync(12);
        await Assertions.Expect(page.Locator(".ticket-table thead")).Not.ToContainTextAsync("Valor");
        await Assertions.Expect(page.Locator(".ticket-table tbody")).Not.ToContainTextAsync("R$");
        Assert.False(await page.GetByLabel("Valor", new() { Exact = true }).IsCheckedAsync());

        // On a phone the table scrolls sideways, but the row actions stay on screen.
        await page.SetViewportSizeAsync(390, 844);
        await page.ReloadAsync();
        // On a phone each row is a card: no sideways scroll, and the title is never under the row's buttons.
        var fit = await page.EvaluateAsync<int[]>("() => { const box = document.querySelector('#results .table-responsive'); return [box.scrollWidth, box.clientWidth]; }");
        Assert.True(fit[0] <= fit[1], $"on a phone the list is {fit[0]} px wide in a {fit[1]} px box");
        foreach (var card in await page.Locator("#results tbody tr").AllAsync())
        {
            var title = (await card.Locator("td.col-title .row-link").BoundingBoxAsync())!;
            var actions = (await card.Locator("td.row-actions").BoundingBoxAsync())!;
            var overlaps = title.X < actions.X + actions.Width && actions.X < title.X + title.Width && title.Y < actions.Y + actions.Height && actions.Y < title.Y + title.Height;
            Assert.False(overlaps, $"a title at ({title.X},{title.Y}) lies under the row's buttons at ({actions.X},{actions.Y})");
        }
        var more = page.GetByRole(AriaRole.Button, new() { Name = "Ações de SUP-12" });
        var box = (await more.BoundingBoxAsync())!;
        Assert.True(box.X >= 0 && box.X + box.Width <= 390, $"⋯ at x={box.X}, width {box.Width}");
        await more.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Arquivar" }).First).ToBeVisibleAsync();
    }

    /// <summary>
    /// A company with data like the demo's, through the API: long names and titles, values, assignees, due dates, tags
    /// ("Em andamento", "Aguardando cliente", "Resolvido"); twelve tickets SUP-1…SUP-12 in pipeline SUP. Answers the pipeline.
    /// </summary>
    private static async Task<JsonObject> Company(BrowserApp app, CancellationToken ct, int count = 12)
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var setup = await http.PostAsJsonAsync("/api/v1/setup", new { companyName = "Contabilidade Horizonte", adminName = "Ana Ribeiro", adminEmail = "ana@horizonte.com.br", adminPassword = "balanco-anual-123" }, ct);
        var token = (await setup.Content.ReadFromJsonAsync<JsonObject>(ct))!["token"]!.GetValue<string>();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        async Task<JsonObject> Post(string url, object body)
        {
            var response = await http.PostAsJsonAsync(url, body, ct);
            Assert.True(response.IsSuccessStatusCode, $"POST {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            return (await response.Content.ReadFromJsonAsync<JsonObject>(ct))!;
        }
        var workspaceId = (await http.GetFromJsonAsync<JsonObject>("/api/v1/workspaces", ct))!["items"]![0]!["id"]!.GetValue<long>();
        var colleague = await Post("/api/v1/users", new { name = "Maria Aparecida dos Santos Figueiredo", email = "maria@horizonte.com.br", role = "Admin", workspaceIds = new[] { workspaceId }, password = "balanco-anual-123" });
        var pipeline = await Post("/api/v1/pipelines", new { name = "Suporte", alias = "SUP", description = "Pedidos e dúvidas dos clientes", authorizedUserIds = Array.Empty<long>() });
        var tags = new List<long>();
        foreach (var tag in new[] { "Em andamento", "Aguardando cliente", "Resolvido" })
        {
            tags.Add((await Post($"/api/v1/pipelines/{pipeline["id"]}/tags", new { name = tag }))["id"]!.GetValue<long>());
        }
        var requesters = new List<(long Partner, long Contact)>();
        foreach (var (partnerName, contactName) in new[]
        {
            ("Construtora e Incorporadora Horizonte Azul Ltda", "Maria Eduarda Cavalcanti de Albuquerque"),
            ("Supermercados Irmãos Albuquerque de Oliveira", "José Roberto Nascimento Filho"),
            ("Clínica Odontológica Sorriso Perfeito", "Ana Beatriz Figueiredo Rocha"),
        })
        {
            var partner = await Post("/api/v1/partners", new { name = partnerName, workspaceId });
            var contact = await Post($"/api/v1/partners/{partner["id"]}/contacts", new { name = contactName });
            requesters.Add((partner["id"]!.GetValue<long>(), contact["id"]!.GetValue<long>()));
        }
        string[] titles =
        [
            "Nota fiscal de serviço emitida com o código de tributação municipal errado",
            "Integração com o sistema de ponto eletrônico parou de enviar as marcações",
            "Erro ao gerar o relatório consolidado de vendas do trimestre",
            "Treinamento da equipe financeira no novo módulo de conciliação bancária",
        ];
        for (var i = 0; i < count; i++)
        {
            var (partnerId, contactId) = requesters[i % requesters.Count];
            await Post("/api/v1/tickets", new
            {
                pipelineId = pipeline["id"]!.GetValue<long>(), partnerId, contactId, title = titles[i % titles.Length], value = 1234.56m * (i + 7),
                assigneeId = i % 3 == 0 ? (long?)null : colleague["id"]!.GetValue<long>(), dueAt = DateTimeOffset.UtcNow.AddDays(i - 3),
                tagIds = tags.Take(1 + i % 2).ToArray(),
            });
        }

        return pipeline;
    }

    /// <param name="axe">Lets axe-core's script in past the page's Content-Security-Policy.</param>
    private static async Task<IPage> SignIn(IBrowser browser, BrowserApp app, bool axe = false)
    {
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 }, BypassCSP = axe });
        page.SetDefaultTimeout(15_000);
        await page.GotoAsync(app.BaseUrl + "/login");
        await page.GetByLabel("E-mail").FillAsync("ana@horizonte.com.br");
        await page.GetByLabel("Senha").FillAsync("balanco-anual-123");
        await page.GetByRole(AriaRole.Button, new() { Name = "Entrar" }).ClickAsync();
        await page.WaitForAddressAsync(app.BaseUrl + "/");
        return page;
    }

    [Fact]
    public async Task The_row_menus_written_once_work_by_keyboard_and_pointer_and_tags_come_off_and_on()
    {
        Assert.NotEmpty(BrowserApp.Chromium);
        await using var app = new BrowserApp();
        var ct = TestContext.Current.CancellationToken;
        var pipeline = await Company(app, ct);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserApp.Launch(playwright);
        var page = await SignIn(browser, app);
        var list = $"{app.BaseUrl}/tickets?pipelineId={pipeline["id"]}";
        await page.GotoAsync(list);
        await Assertions.Expect(page.Locator("#results tbody tr")).ToHaveCountAsync(12);
        Assert.Equal(1, await page.Locator("input[name=__RequestVerificationToken]").CountAsync());
        ILocator Row(string reference) =>
            page.Locator("tr[data-ticket-id]", new() { Has = page.GetByRole(AriaRole.Link, new() { Name = reference, Exact = true }) });

        // The actions menu by keyboard: Enter opens it, the arrows walk it, Escape closes it and gives the focus back.
        var more = page.GetByRole(AriaRole.Button, new() { Name = "Ações de SUP-2", Exact = true });
        var menu = Row("SUP-2").Locator(".row-actions .dropdown-menu");
        await more.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(more).ToHaveAttributeAsync("aria-expanded", "true");
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(menu.GetByRole(AriaRole.Link, new() { Name = "Editar" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(menu.GetByRole(AriaRole.Link, new() { Name = "Registrar interação" })).ToBeFocusedAsync();
        // An open ticket, never edited: no "Reabrir", "Notificar" offered.
        await Assertions.Expect(menu.GetByRole(AriaRole.Button, new() { Name = "Reabrir" })).ToHaveCountAsync(0);
        await Assertions.Expect(menu.GetByRole(AriaRole.Button, new() { Name = "Notificar" })).ToBeEnabledAsync();
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(more).ToHaveAttributeAsync("aria-expanded", "false");
        await Assertions.Expect(more).ToBeFocusedAsync();

        // "Notificar" from the menu.
        await more.ClickAsync();
        await menu.GetByRole(AriaRole.Button, new() { Name = "Notificar" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash").First).ToContainTextAsync("SUP-2: responsável notificado.");

        // The status menu by keyboard (Space on its button): the current status is disabled; a closed ticket offers "Reabrir"
        // and, edited, no longer "Notificar".
        var status = page.GetByRole(AriaRole.Button, new() { Name = "Aberto: mudar a situação de SUP-2", Exact = true });
        await status.FocusAsync();
        await page.Keyboard.PressAsync(" ");
        var statusMenu = Row("SUP-2").Locator(".c-status .dropdown-menu");
        await Assertions.Expect(statusMenu.GetByRole(AriaRole.Button, new() { Name = "Aberto", Exact = true })).ToBeDisabledAsync();
        await statusMenu.GetByRole(AriaRole.Button, new() { Name = "Finalizado" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash").First).ToContainTextAsync("SUP-2: situação alterada para Finalizado.");
        await Assertions.Expect(Row("SUP-2").Locator(".status-badge")).ToHaveTextAsync("Finalizado");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ações de SUP-2", Exact = true }).ClickAsync();
        await Assertions.Expect(menu.GetByRole(AriaRole.Button, new() { Name = "Reabrir" })).ToBeVisibleAsync();
        await Assertions.Expect(menu.GetByRole(AriaRole.Button, new() { Name = "Notificar" })).ToBeDisabledAsync();
        await page.Keyboard.PressAsync("Escape");

        // "Excluir" asks first: cancelled, nothing happens; confirmed, the ticket goes to the trash.
        await page.GetByRole(AriaRole.Button, new() { Name = "Ações de SUP-3", Exact = true }).ClickAsync();
        await Row("SUP-3").GetByRole(AriaRole.Button, new() { Name = "Excluir" }).ClickAsync();
        var dialog = page.Locator("#confirm-modal");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("Mover SUP-3 para a lixeira?");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancelar" }).ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        await Assertions.Expect(Row("SUP-3")).ToHaveCountAsync(1);
        await page.GetByRole(AriaRole.Button, new() { Name = "Ações de SUP-3", Exact = true }).ClickAsync();
        await Row("SUP-3").GetByRole(AriaRole.Button, new() { Name = "Excluir" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Mover para a lixeira" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash").First).ToContainTextAsync("SUP-3 movido para a lixeira.");
        await Assertions.Expect(Row("SUP-3")).ToHaveCountAsync(0);

        // "Arquivar" from the menu.
        await page.GetByRole(AriaRole.Button, new() { Name = "Ações de SUP-4", Exact = true }).ClickAsync();
        await Row("SUP-4").GetByRole(AriaRole.Button, new() { Name = "Arquivar" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash").First).ToContainTextAsync("SUP-4 arquivado.");
        await Assertions.Expect(Row("SUP-4")).ToHaveCountAsync(0);

        // A tag chip's remove button, then the tag dragged back from the tag bar onto the row (its chip gets a remove button too).
        await Row("SUP-6").GetByRole(AriaRole.Button, new() { Name = "Tirar a etiqueta Em andamento de SUP-6" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash").First).ToContainTextAsync("Etiqueta retirada de SUP-6.");
        await Assertions.Expect(Row("SUP-6").Locator(".row-tags")).Not.ToContainTextAsync("Em andamento");
        await page.Locator(".tag-bar [data-tag-id]", new() { HasText = "Resolvido" }).DragToAsync(Row("SUP-6"));
        await Assertions.Expect(Row("SUP-6").GetByRole(AriaRole.Button, new() { Name = "Tirar a etiqueta Resolvido de SUP-6" })).ToBeVisibleAsync();
        Assert.Equal(1, await page.Locator("input[name=__RequestVerificationToken]").CountAsync());

        // The quick "Registrar interação" opens the ticket's timeline form.
        await page.GetByRole(AriaRole.Link, new() { Name = "Registrar interação em SUP-6" }).ClickAsync();
        await page.WaitForAddressAsync("**/tickets/*tab=timeline*");
    }

    [Fact]
    public async Task Ticked_rows_make_the_contact_report_and_a_whole_page_offers_the_whole_filter()
    {
        Assert.NotEmpty(BrowserApp.Chromium);
        await using var app = new BrowserApp();
        var ct = TestContext.Current.CancellationToken;
        var pipeline = await Company(app, ct, count: 53);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserApp.Launch(playwright);
        var page = await SignIn(browser, app, axe: true);
        var list = $"{app.BaseUrl}/tickets?pipelineId={pipeline["id"]}";
        await page.GotoAsync(list);
        await Assertions.Expect(page.Locator("#results tbody tr")).ToHaveCountAsync(50);

        // Nothing ticked: "Dos selecionados" says so and cannot be pressed.
        var reports = page.GetByRole(AriaRole.Button, new() { Name = "Relatórios" });
        await reports.ClickAsync();
        var selected = page.GetByRole(AriaRole.Button, new() { Name = "Dos selecionados" });
        await Assertions.Expect(selected).ToBeDisabledAsync();
        await Assertions.Expect(selected).ToContainTextAsync("(nenhum)");
        await page.Keyboard.PressAsync("Escape");

        // Two rows ticked: the report of those two, in the list's order, with its exports.
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Selecionar SUP-53", Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Selecionar SUP-51", Exact = true }).CheckAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = "Selecionar todos desta página" })).Not.ToBeCheckedAsync();
        await reports.ClickAsync();
        await Assertions.Expect(selected).ToContainTextAsync("(2)");
        await selected.ClickAsync();
        await page.WaitForAddressAsync("**/reports/contact-data?**");
        await Assertions.Expect(page.Locator(".subtitle")).ToHaveTextAsync("2 atendimentos");
        await Assertions.Expect(page.Locator(".contact-report tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator(".contact-report tbody tr").First).ToContainTextAsync("SUP-53");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Excel (XLSX)" }).ClickAsync());
        Assert.EndsWith(".xlsx", download.SuggestedFilename, StringComparison.Ordinal);
        var violations = await AccessibilityJourney.Axe(page, "/reports/contact-data");
        Assert.True(violations.Count == 0, AccessibilityJourney.Summary(violations, ["/reports/contact-data"]));

        // The whole page ticked from the header: a bar offers the report of all 53 of the filter.
        await page.GoBackAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Selecionar todos desta página" }).CheckAsync();
        await Assertions.Expect(page.Locator("#results tbody input[name=ids]:checked")).ToHaveCountAsync(50);
        var bar = page.Locator("#select-all-bar");
        await Assertions.Expect(bar).ToContainTextAsync("Os 50 atendimentos desta página estão selecionados.");
        await Assertions.Expect(bar).ToContainTextAsync("Relatório de todos os 53 do filtro");
        await bar.GetByRole(AriaRole.Link).ClickAsync();
        await page.WaitForAddressAsync("**all=1**");
        await Assertions.Expect(page.Locator(".subtitle")).ToHaveTextAsync("53 atendimentos");
        await Assertions.Expect(page.Locator(".contact-report tbody tr")).ToHaveCountAsync(53);
    }

    private static async Task AssertFits(IPage page, int viewportWidth)
    {
        var sizes = await page.EvaluateAsync<int[]>("() => { const box = document.querySelector('#results .table-responsive'); return [box.scrollWidth, box.clientWidth]; }");
        Assert.True(sizes[0] <= sizes[1], $"the table is {sizes[0]} px wide in a {sizes[1]} px box");
        var buttons = await page.Locator("#results tbody tr button[aria-label^='Ações de']").AllAsync();
        foreach (var button in buttons)
        {
            var box = (await button.BoundingBoxAsync())!;
            Assert.True(box.X >= 0 && box.X + box.Width <= viewportWidth, $"⋯ at x={box.X}, width {box.Width}");
        }
        var first = (await buttons[0].BoundingBoxAsync())!;
        Assert.True(first.Y >= 0 && first.Y + first.Height <= page.ViewportSize!.Height, $"the first row's ⋯ is at y={first.Y}, below the screen");
    }
}
