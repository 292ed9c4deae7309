using System.Net;
using System.Net.Http.Json;
using System.Text;
using AngleSharp.Html.Dom;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;
using static Atende.Web.Tests.Tickets.TicketSteps;

namespace Atende.Web.Tests.Sales;

/// <summary>
/// The pages a salesperson uses (SPEC S6): "Nova venda" on a ticket, the quote page with its versions, approve and reject,
/// the menu Vendas with its tabs, totals and CSV, and the Vendas tabs of the ticket and the partner. Forms are posted as a
/// browser posts them, and the assertions read what the pages show.
/// </summary>
public abstract class QuotePageTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record World(HttpClient Api, HttpClient Browser, long WorkspaceId, long PipelineId, long PartnerId, string PartnerName, long TicketId,
        string TicketReference);

    private async Task<World> TicketOfAdmin(string partnerName = "Padaria Pão Quente")
    {
        var api = App.Api(fixture.AdminToken);
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Vendas"));
        var pipelineId = (await Pipeline(api))["id"]!.GetValue<long>();
        var name = Unique(partnerName);
        var (partnerId, contactId) = await Partner(api, workspaceId, name, "Joana Prado");
        var ticket = await Ticket(api, pipelineId, partnerId, contactId, "Orçamento de manutenção");
        return new World(api, await App.LoggedIn(), workspaceId, pipelineId, partnerId, name, ticket["id"]!.GetValue<long>(),
            ticket["reference"]!.GetValue<string>());
    }

    /// <summary>Two lines: 1,5 × R$ 10,01 with 10% off (15,015 → 15,02; 1,502 → 1,50) and 2 × R$ 150,00 with R$ 20,00 off.</summary>
    private static Dictionary<string, string> TwoItems(string notes = "Pagamento em 30 dias.") => new()
    {
        ["Input.Items[0].Description"] = "Manutenção preventiva do forno", ["Input.Items[0].Quantity"] = "1,5", ["Input.Items[0].UnitPrice"] = "10,01",
        ["Input.Items[0].Discount"] = "10", ["Input.Items[0].DiscountKind"] = "Percent",
        ["Input.Items[1].Description"] = "Visita técnica", ["Input.Items[1].Quantity"] = "2", ["Input.Items[1].UnitPrice"] = "150,00",
        ["Input.Items[1].Discount"] = "20,00", ["Input.Items[1].DiscountKind"] = "Amount",
        ["Input.Notes"] = notes,
    };

    private static string Text(IHtmlDocument page, string selector) =>
        (page.QuerySelector(selector)?.TextContent ?? throw new InvalidOperationException($"nothing matches {selector}")).Replace('\u00a0', ' ').Trim();

    private static string Location(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"expected a redirect, got {(int)response.StatusCode}");
        return response.Headers.Location!.OriginalString;
    }

    /// <summary>Fills "Nova venda" on the ticket and saves; answers the new quote's page URL.</summary>
    private static async Task<string> CreateThroughTheForm(World w, Dictionary<string, string> values)
    {
        var url = Location(await w.Browser.SubmitForm($"/tickets/{w.TicketId}/quotes/new", "form[data-quote-form]", values));
        Assert.Matches(@"^/quotes/\d+$", url);
        return url;
    }

    [Fact]
    public async Task A_quote_made_through_the_form_shows_its_lines_and_totals_on_its_page_and_the_ticket_tab()
    {
        var w = await TicketOfAdmin();
        var form = await w.Browser.GetPage($"/tickets/{w.TicketId}/quotes/new");
        // Validity defaults to 15 days ahead; "Em aprovação" is the default choice; three empty rows to fill without JavaScript.
        Assert.Matches(@"^\d{2}/\d{2}/\d{4}$", ((IHtmlInputElement)form.QuerySelector("#Input_ValidUntil")!).Value);
        Assert.True(((IHtmlInputElement)form.QuerySelector("#Input_Approve_false")!).IsChecked);
        Assert.Equal(3, form.QuerySelectorAll("[data-quote-form] .quote-lines > .quote-line").Length);

        var url = await CreateThroughTheForm(w, TwoItems());
        var page = await w.Browser.GetPage(url);
        Assert.Equal("Em aprovação", Text(page, "#quote-state"));
        Assert.Equal("R$ 315,02", Text(page, "#quote-subtotal"));
        Assert.Equal("R$ 21,50", Text(page, "#quote-discounts"));
        Assert.Equal("R$ 293,52", Text(page, "#quote-total"));
        var rows = page.QuerySelectorAll(".quote-items tbody tr");
        Assert.Equal(2, rows.Length);
        Assert.Contains("10%", rows[0].TextContent);
        Assert.Contains("R$ 13,52", rows[0].TextContent.Replace('\u00a0', ' '));
        Assert.Equal("Pagamento em 30 dias.", Text(page, ".quote-notes"));
        var number = Text(page, "h1").Split(' ')[0];
        Assert.Matches(@"^ORC-\d{4}-\d{4,}$", number);
        // The customer and the ticket link back.
        Assert.NotNull(page.QuerySelector($"a[href='/partners/{w.PartnerId}?tab=vendas']"));
        Assert.NotNull(page.QuerySelector($"a[href='/tickets/{w.TicketId}?tab=vendas']"));

        // The ticket's Vendas tab lists it, with the page and lazily (htmx) alike.
        foreach (var tab in new[] { $"/tickets/{w.TicketId}?tab=vendas", $"/tickets/{w.TicketId}?handler=Tab&tab=vendas" })
        {
            var ticket = await w.Browser.GetPage(tab);
            var row = ticket.QuerySelectorAll(".quote-table tbody tr").Single();
            Assert.Equal(number, row.QuerySelector("a")!.TextContent.Trim());
            Assert.Equal(url, row.QuerySelector("a")!.GetAttribute("href"));
            Assert.Contains("Em aprovação", row.TextContent);
            Assert.Contains("R$ 293,52", row.TextContent.Replace('\u00a0', ' '));
            Assert.NotNull(ticket.QuerySelector($"a[href='/tickets/{w.TicketId}/quotes/new']"));
        }
        // The default page (Timeline) does not read the quotes: the Vendas pane loads when shown.
        var timeline = await w.Browser.GetPage($"/tickets/{w.TicketId}");
        Assert.Null(timeline.QuerySelector("#vendas .quote-table"));
        Assert.Matches($@"^/tickets/{w.TicketId}\?.*handler=Tab&tab=vendas$", timeline.QuerySelector("#vendas")!.GetAttribute("hx-get"));

        // The partner's Vendas tab lists it with the ticket, and links to the menu Vendas filtered by the partner.
        var partner = await w.Browser.GetPage($"/partners/{w.PartnerId}?tab=vendas");
        var partnerRow = partner.QuerySelectorAll("#vendas .quote-table tbody tr").Single();
        Assert.Contains(number, partnerRow.TextContent);
        Assert.Contains(w.TicketReference, partnerRow.TextContent);
        Assert.NotNull(partner.QuerySelector($"#vendas a[href='/sales?tab=orcamentos&partnerId={w.PartnerId}']"));
    }

    [Fact]
    public async Task Editing_writes_version_2_and_version_1_stays_viewable_read_only()
    {
        var w = await TicketOfAdmin();
        var url = await CreateThroughTheForm(w, TwoItems());
        var edit = await w.Browser.GetPage(url + "/edit");
        // The form holds version 1 as saved.
        Assert.Equal("1,5", ((IHtmlInputElement)edit.QuerySelector("#item_0_quantity")!).Value);
        Assert.Equal("10,01", ((IHtmlInputElement)edit.QuerySelector("#item_0_price")!).Value);
        Assert.Equal("Percent", ((IHtmlSelectElement)edit.QuerySelector("#item_0_kind")!).Value);
        Assert.Equal(url, Location(await w.Browser.SubmitForm(url + "/edit", "form[data-quote-form]",
            new() { ["Input.Items[1].Quantity"] = "3", ["Input.Notes"] = "Pagamento à vista." })));

        var page = await w.Browser.GetPage(url);
        Assert.Equal("R$ 443,52", Text(page, "#quote-total"));
        var versions = page.QuerySelectorAll(".quote-versions li");
        Assert.Equal(2, versions.Length);
        Assert.Contains("Versão 2", versions[0].TextContent);
        Assert.Contains("atual", versions[0].TextContent);
        Assert.Contains("Versão 1", versions[1].TextContent);
        Assert.Contains("substituída", versions[1].TextContent);
        Assert.Null(page.QuerySelector("#superseded"));

        var old = await w.Browser.GetPage(versions[1].QuerySelector("a")!.GetAttribute("href")!);
        Assert.Contains("Versão substituída — a atual é a 2", Text(old, "#superseded"));
        Assert.Equal("R$ 293,52", Text(old, "#quote-total"));
        Assert.Equal("Pagamento em 30 dias.", Text(old, ".quote-notes"));
        // Read-only: no approve/reject form, no "Editar".
        Assert.Null(old.QuerySelector("form.quote-decision"));
        Assert.Null(old.QuerySelector($"a[href='{url}/edit']"));
        var pdf = await w.Browser.GetAsync(old.QuerySelector($"a[href='{url}/pdf?version=1']")!.GetAttribute("href"), Ct);
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Approving_from_the_page_makes_it_a_sale_in_Vendas_and_takes_it_out_of_Orcamentos()
    {
        var w = await TicketOfAdmin();
        var url = await CreateThroughTheForm(w, TwoItems());
        var page = await w.Browser.GetPage(url);
        var number = Text(page, "h1").Split(' ')[0];
        var pending = await w.Browser.GetPage($"/sales?tab=orcamentos&pipelineId={w.PipelineId}");
        Assert.Contains(number, Text(pending, ".sales-table"));
        Assert.Contains("R$ 293,52", Text(pending, "#sales-totals"));

        var decision = (IHtmlFormElement)page.QuerySelector("form.quote-decision")!;
        Assert.NotNull(decision.QuerySelector("button[data-confirm][formaction$='handler=Approve']"));
        Assert.Equal(url, Location(await w.Browser.Submit(decision, url, [], formAction: $"{url}?handler=Approve")));
        var approved = await w.Browser.GetPage(url);
        Assert.Equal("Aprovado", Text(approved, "#quote-state"));
        Assert.Contains("aprovado: agora é uma venda", Text(approved, ".flash"));
        Assert.Null(approved.QuerySelector("form.quote-decision"));

        var sales = await w.Browser.GetPage($"/sales?tab=vendas&pipelineId={w.PipelineId}");
        Assert.Contains(number, Text(sales, ".sales-table"));
        Assert.StartsWith("1 venda", Text(sales, "#sales-totals"));
        Assert.Contains("R$ 293,52", Text(sales, "#sales-totals"));
        var quotes = await w.Browser.GetPage($"/sales?tab=orcamentos&pipelineId={w.PipelineId}");
        Assert.Null(quotes.QuerySelector(".sales-table"));
        Assert.StartsWith("0 orçamentos em aprovação", Text(quotes, "#sales-totals"));
        // The partner filter narrows the list to that partner's sales.
        var byPartner = await w.Browser.GetPage($"/sales?tab=vendas&partnerId={w.PartnerId}");
        Assert.Equal(number, Text(byPartner, ".sales-table tbody tr a"));
    }

    [Fact]
    public async Task Approving_from_a_page_gone_stale_shows_the_conflict_message_and_decides_nothing()
    {
        var w = await TicketOfAdmin();
        var url = await CreateThroughTheForm(w, TwoItems());
        var id = long.Parse(url.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        var page = await w.Browser.GetPage(url);
        // Meanwhile someone writes version 2 through the API.
        await Json(await TicketSteps.Patch(w.Api, $"/api/v1/quotes/{id}", new { notes = "Revisado por telefone." }, "\"1\""), HttpStatusCode.OK);

        var decision = (IHtmlFormElement)page.QuerySelector("form.quote-decision")!;
        Assert.Equal(url, Location(await w.Browser.Submit(decision, url, [], formAction: $"{url}?handler=Approve")));
        var back = await w.Browser.GetPage(url);
        var error = Text(back, ".alert-danger");
        Assert.Contains("A versão 1", error);
        Assert.Contains("substituída pela versão 2", error);
        Assert.Equal("Em aprovação", Text(back, "#quote-state"));
        var quote = await Json(await w.Api.GetAsync($"/api/v1/quotes/{id}", Ct), HttpStatusCode.OK);
        Assert.Equal("PendingApproval", quote["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_bad_quantity_is_shown_next_to_its_field_with_everything_typed_kept_and_nothing_saved()
    {
        var w = await TicketOfAdmin();
        foreach (var (quantity, message) in new[] { ("abc", "Item 2: quantidade inválida"), ("0", "Item 2: a quantidade deve ser maior que zero") })
        {
            // The second line typed in the third row, the second left blank: the blank row is ignored and the lines are numbered 1 and 2.
            var values = TwoItems("Entrega em 10 dias.").ToDictionary(v => v.Key.Replace("Items[1]", "Items[2]", StringComparison.Ordinal), v => v.Value);
            values["Input.Items[2].Quantity"] = quantity;
            values["Input.Items[0].Description"] = new string('x', 501);
            var response = await w.Browser.SubmitForm($"/tickets/{w.TicketId}/quotes/new", "form[data-quote-form]", values);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await HtmlClient.Parse(response);
            var field = (IHtmlInputElement)page.QuerySelector("#item_1_quantity")!;
            Assert.Equal(quantity, field.Value);
            Assert.Contains("is-invalid", field.ClassName);
            Assert.Contains(message, Text(page, "#item_1_quantity_error"));
            Assert.Contains(message, Text(page, "#error-summary"));
            // Every error in one round, in the form's order: the first line's too long description, then the quantity (the
            // page's own message where it could not read the text, not the service's for the value it was sent).
            Assert.Equal(["item_0_description", "item_1_quantity"], page.QuerySelectorAll("#error-summary a").Select(a => a.GetAttribute("data-error-for")));
            Assert.Contains("Item 1: a descrição pode ter no máximo 500 caracteres.", Text(page, "#error-summary"));
            Assert.Equal(2, page.QuerySelectorAll("#error-summary li").Length);
            // The rest as typed.
            Assert.Equal(new string('x', 501), ((IHtmlInputElement)page.QuerySelector("#item_0_description")!).Value);
            Assert.Equal("10,01", ((IHtmlInputElement)page.QuerySelector("#item_0_price")!).Value);
            Assert.Equal("Percent", ((IHtmlSelectElement)page.QuerySelector("#item_0_kind")!).Value);
            Assert.Equal("150,00", ((IHtmlInputElement)page.QuerySelector("#item_1_price")!).Value);
            Assert.Equal("Entrega em 10 dias.", ((IHtmlTextAreaElement)page.QuerySelector("#Input_Notes")!).Value);
            Assert.Null(page.QuerySelector("#item_0_quantity.is-invalid"));
        }
        var quotes = await Json(await w.Api.GetAsync($"/api/v1/quotes?ticketId={w.TicketId}", Ct), HttpStatusCode.OK);
        Assert.Empty(quotes["items"]!.AsArray());
    }

    [Fact]
    public async Task An_agent_who_cannot_see_the_ticket_gets_404_on_the_quote_and_sees_nothing_in_Vendas()
    {
        var w = await TicketOfAdmin();
        var url = await CreateThroughTheForm(w, TwoItems());
        var number = Text(await w.Browser.GetPage(url), "h1").Split(' ')[0];
        await w.Browser.GetPage(url + "/edit");
        // The agent has the workspace but not the pipeline: the ticket, and so its quote, is not theirs.
        var email = $"vendas-{Guid.NewGuid():N}@test.com.br";
        await App.CreateUser(fixture.AdminToken, email, "Agent", w.WorkspaceId);
        using var agent = await App.LoggedIn(email);
        foreach (var hidden in new[] { url, url + "?version=1", url + "/edit", $"/tickets/{w.TicketId}/quotes/new" })
        {
            Assert.True((await agent.GetAsync(hidden, Ct)).StatusCode == HttpStatusCode.NotFound, hidden);
        }
        foreach (var list in new[] { "/sales?tab=orcamentos", "/sales?tab=vendas", $"/sales?tab=orcamentos&partnerId={w.PartnerId}" })
        {
            var page = await agent.GetPage(list);
            Assert.DoesNotContain(number, page.Body!.TextContent);
            Assert.StartsWith("0 ", Text(page, "#sales-totals"));
        }
        var csv = await agent.GetStringAsync("/sales?tab=orcamentos&handler=Export", Ct);
        Assert.DoesNotContain(number, csv);
        // Its approve handler answers the same not found.
        var agentPage = await agent.GetPage("/sales");
        var token = agentPage.QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!;
        var refused = await agent.PostAsync($"{url}?handler=Approve", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["revision"] = "1", ["version"] = "1",
        }), Ct);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        var quote = await Json(await w.Api.GetAsync($"/api/v1/{url.TrimStart('/')}", Ct), HttpStatusCode.OK);
        Assert.Equal("PendingApproval", quote["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Orcamentos_page_by_keyset_and_filter_by_partner_search_state_and_period()
    {
        var w = await TicketOfAdmin();
        var items = new object[] { new { description = "Visita técnica", quantity = 1, unitPrice = 100m } };
        var ids = new List<long>();
        for (var i = 0; i < 51; i++)
        {
            ids.Add((await Json(await w.Api.PostAsJsonAsync("/api/v1/quotes", new { ticketId = w.TicketId, items }, Ct), HttpStatusCode.Created))["id"]!.GetValue<long>());
        }
        var first = await w.Browser.GetPage($"/sales?tab=orcamentos&partnerId={w.PartnerId}");
        Assert.Equal(50, first.QuerySelectorAll(".sales-table tbody tr").Length);
        Assert.StartsWith("51 orçamentos em aprovação", Text(first, "#sales-totals"));
        Assert.Contains("R$ 5.100,00", Text(first, "#sales-totals"));
        Assert.Equal(w.PartnerName, Text(first, "#partnerQ"));
        var older = first.QuerySelectorAll("nav a").Single(a => a.TextContent.Contains("Mais antigos", StringComparison.Ordinal)).GetAttribute("href")!;
        Assert.Contains($"partnerId={w.PartnerId}", older);
        var second = await w.Browser.GetPage(older);
        var last = second.QuerySelectorAll(".sales-table tbody tr").Single();
        Assert.Equal($"/quotes/{ids[0]}", last.QuerySelector("a")!.GetAttribute("href"));
        Assert.NotNull(second.QuerySelectorAll("nav a").SingleOrDefault(a => a.TextContent.Contains("Mais recentes", StringComparison.Ordinal)));
        Assert.StartsWith("51 ", Text(second, "#sales-totals"));

        // "Rejeitar" on the quote page, then the state filter of Orçamentos finds it.
        var url = $"/quotes/{ids[0]}";
        var decision = (IHtmlFormElement)(await w.Browser.GetPage(url)).QuerySelector("form.quote-decision")!;
        Assert.Equal(url, Location(await w.Browser.Submit(decision, url, [], formAction: $"{url}?handler=Reject")));
        Assert.Equal("Rejeitado", Text(await w.Browser.GetPage(url), "#quote-state"));
        var rejected = await w.Browser.GetPage($"/sales?tab=orcamentos&state=Rejected&partnerId={w.PartnerId}");
        Assert.Equal(url, rejected.QuerySelectorAll(".sales-table tbody tr").Single().QuerySelector("a")!.GetAttribute("href"));
        Assert.StartsWith("1 orçamento rejeitado", Text(rejected, "#sales-totals"));
        Assert.StartsWith("50 orçamentos em aprovação", Text(await w.Browser.GetPage($"/sales?tab=orcamentos&partnerId={w.PartnerId}"), "#sales-totals"));

        // The partner search (without JavaScript, "Filtrar") offers the matches as links that filter by the partner; as you type, htmx gets them alone.
        var search = await w.Browser.GetPage($"/sales?tab=orcamentos&partnerQ={Uri.EscapeDataString(w.PartnerName)}");
        var choice = search.QuerySelectorAll("#partner-choices a").Single();
        Assert.Contains($"partnerId={w.PartnerId}", choice.GetAttribute("href"));
        using var typed = new HttpRequestMessage(HttpMethod.Get, $"/sales?handler=Partners&tab=orcamentos&partnerQ={Uri.EscapeDataString(w.PartnerName)}");
        typed.Headers.Add("HX-Request", "true");
        var fragment = await (await w.Browser.SendAsync(typed, Ct)).Content.ReadAsStringAsync(Ct);
        Assert.StartsWith("<div id=\"partner-choices\"", fragment.Trim());
        Assert.Contains($"partnerId={w.PartnerId}", fragment);

        // The period is the creation day: tomorrow on holds nothing; a date that cannot be read is named and ignored.
        var tomorrow = DateTime.UtcNow.AddDays(2).ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture);
        Assert.StartsWith("0 ", Text(await w.Browser.GetPage($"/sales?tab=orcamentos&partnerId={w.PartnerId}&from={tomorrow}"), "#sales-totals"));
        var typo = await w.Browser.GetPage($"/sales?tab=orcamentos&partnerId={w.PartnerId}&from=32/13/2026");
        Assert.Contains("De: use o formato dd/mm/aaaa", Text(typo, ".sales-filters [role=alert]"));
        Assert.StartsWith("50 ", Text(typo, "#sales-totals"));
    }

    [Fact]
    public async Task The_CSV_export_has_the_filtered_rows_in_pt_BR_and_is_formula_safe()
    {
        var w = await TicketOfAdmin("=HIPERLINK(\"http://mal.example\")");
        await CreateThroughTheForm(w, TwoItems());
        var page = await w.Browser.GetPage($"/sales?tab=orcamentos&partnerId={w.PartnerId}");
        var export = page.QuerySelector("a[href*='handler=Export']")!.GetAttribute("href")!;
        Assert.Contains($"partnerId={w.PartnerId}", export);
        var response = await w.Browser.GetAsync(export, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("orcamentos-", response.Content.Headers.ContentDisposition!.ToString());
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Número;Situação;Versão;Atendimento;Entidade;Criado em;Atualizado em;Decidido em;Validade;Subtotal;Descontos;Total;Emitir NF-e", lines[0]);
        var row = Assert.Single(lines[1..]);
        Assert.Matches(@"^ORC-\d{4}-\d{4,};Em aprovação;1;", row);
        Assert.Contains($";{w.TicketReference};", row);
        // The partner's name, which a spreadsheet would run as a formula, starts with an apostrophe.
        Assert.Contains(";\"'=HIPERLINK(\"\"http://mal.example\"\")", row);
        Assert.Contains(";315,02;21,50;293,52;Não", row);
        Assert.Matches(@";\d{2}/\d{2}/\d{4};", row);
        // Another tab's filter holds nothing of it.
        var sales = await w.Browser.GetStringAsync($"/sales?tab=vendas&partnerId={w.PartnerId}&handler=Export", Ct);
        Assert.Single(sales.Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
    }
}

public sealed class QuotePageTestsSqlite(SqliteFixture fixture) : QuotePageTests(fixture), IClassFixture<SqliteFixture>;

public sealed class QuotePageTestsPostgres(PostgresFixture fixture) : QuotePageTests(fixture), IClassFixture<PostgresFixture>;
