using System.Net.Http.Json;
using System.Net;
using System.Text.Json.Nodes;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Atende.Web.Tests.Infrastructure;

namespace Atende.Web.Tests.Tickets;

/// <summary>The ticket list's own controls: "Colunas", the row's status and assignee menus, the "Mostrar" menu.</summary>
public abstract class TicketListPageTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record World(HttpClient Api, long WorkspaceId, long PipelineId, string Alias, long PartnerId, long ContactId, long[] AgentIds, string[] AgentEmails);

    /// <param name="agents">How many agents of the workspace to create and authorize on the pipeline.</param>
    private async Task<World> Setup(int agents = 0)
    {
        var api = App.Api(fixture.AdminToken);
        var ws = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio"));
        var emails = Enumerable.Range(0, agents).Select(i => $"agente{i}-{Guid.NewGuid():N}@test.com.br").ToArray();
        var ids = new List<long>();
        foreach (var email in emails)
        {
            ids.Add((await App.CreateUser(fixture.AdminToken, email, "Agent", ws)).Id);
        }
        var pipeline = await TicketSteps.Pipeline(api, users: ids.ToArray(), tags: ["Urgente"]);
        var (partnerId, contactId) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Padaria Pão Quente"), "Maria Eduarda Cavalcanti de Albuquerque");
        return new World(api, ws, pipeline["id"]!.GetValue<long>(), pipeline["alias"]!.GetValue<string>(), partnerId, contactId, ids.ToArray(), emails);
    }

    internal static string[] Headers(IHtmlDocument page) =>
        page.QuerySelectorAll(".ticket-table thead th").Select(h => h.TextContent.Trim()).Where(h => h != "Ações").ToArray();

    private static IElement Row(IHtmlDocument page, JsonNode ticket) =>
        page.QuerySelector($"tr[data-ticket-id='{ticket["id"]}']") ?? throw new InvalidOperationException($"No row for {ticket["reference"]}");

    private static string Flash(IHtmlDocument page) => string.Join(" | ", page.QuerySelectorAll(".flash").Select(f => f.TextContent.Trim()));

    private static async Task<JsonObject> Ticket(World w, long id) =>
        await TicketSteps.Json(await w.Api.GetAsync($"/api/v1/tickets/{id}", Ct), HttpStatusCode.OK);

    /// <summary>Posts what the row's status menu button posts (the menu is a template tickets.js fills for the row).</summary>
    private static Task<HttpResponseMessage> ChooseStatus(HttpClient browser, string listUrl, JsonNode ticket, string status) =>
        TicketListRows.Choose(browser, listUrl, ticket["id"]!, "status", status);

    /// <summary>"Aplicar" in "Colunas": its checkboxes and button belong to the page's form.</summary>
    internal static async Task<HttpResponseMessage> ApplyColumns(HttpClient browser, string listUrl, string columns)
    {
        var page = await browser.GetPage(listUrl);
        var apply = page.QuerySelector("details.column-chooser button[formaction]")!;
        return await browser.Submit(TicketListRows.PageForm(page), listUrl, new() { ["columns"] = columns }, formAction: apply.GetAttribute("formaction"));
    }

    /// <summary>The row's assignee menu, loaded as tickets.js loads it when the menu opens.</summary>
    private static async Task<(IHtmlFormElement Form, HttpResponseMessage Response)> AssigneeMenu(HttpClient browser, string listQuery, JsonNode ticket)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/tickets{listQuery}&handler=Assignees&id={ticket["id"]}");
        request.Headers.Add("HX-Request", "true");
        var response = await browser.SendAsync(request, Ct);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (null!, response);
        }
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("<html", html, StringComparison.OrdinalIgnoreCase);
        var fragment = new AngleSharp.Html.Parser.HtmlParser().ParseDocument("<body>" + html + "</body>");
        return ((IHtmlFormElement)fragment.QuerySelector("form")!, response);
    }

    [Fact]
    public async Task Columns_chosen_in_Colunas_are_remembered_for_that_user_in_any_browser_and_only_for_them()
    {
        // Agents of their own: the admin is shared by the tests of this class.
        var w = await Setup(agents: 2);
        var ticket = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, w.ContactId, "Bolo de aniversário", new { value = 120.5m });
        var list = $"/tickets?pipelineId={w.PipelineId}";
        string[] defaults = ["Situação", "Referência", "Título", "Nome de Contato", "Valor", "Última atualização", "Responsável", "Vencimento"];

        using var user = await App.LoggedIn(w.AgentEmails[0]);
        var page = await user.GetPage(list);
        Assert.Equal(defaults, Headers(page));
        var chooser = page.QuerySelector("details.column-chooser")!;
        Assert.False(((IHtmlInputElement)chooser.QuerySelector("input[value=createdAt]")!).IsChecked);
        Assert.True(((IHtmlInputElement)chooser.QuerySelector("input[value=reference]")!).IsDisabled);

        // Only "Data de criação" checked: the others hide, except the column the list is sorted by.
        var saved = await ApplyColumns(user, list, "createdAt");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(list, saved.Headers.Location!.ToString());
        var after = await user.GetPage(list);
        Assert.Equal(["Referência", "Título", "Última atualização", "Data de criação"], Headers(after));
        Assert.Contains("Colunas da lista atualizadas.", Flash(after), StringComparison.Ordinal);
        Assert.Equal(4 + 1, Row(after, ticket).QuerySelectorAll("td").Length);
        Assert.True(((IHtmlInputElement)after.QuerySelector("details.column-chooser input[value=createdAt]")!).IsChecked);
        Assert.False(((IHtmlInputElement)after.QuerySelector("details.column-chooser input[value=value]")!).IsChecked);

        // Sorting by a hidden column brings it back.
        var byValue = await user.GetPage(list + "&sort=-value");
        Assert.Contains("Valor", Headers(byValue));
        Assert.Contains("R$ 120,50", byValue.QuerySelector(".ticket-table tbody")!.TextContent, StringComparison.Ordinal);

        // The same user in another browser sees the choice; another user still sees the defaults.
        using var otherBrowser = await App.LoggedIn(w.AgentEmails[0]);
        Assert.Equal(["Referência", "Título", "Última atualização", "Data de criação"], Headers(await otherBrowser.GetPage(list)));
        using var otherUser = await App.LoggedIn(w.AgentEmails[1]);
        Assert.Equal(defaults, Headers(await otherUser.GetPage(list)));

        // With htmx the choice answers the list's fragment at once.
        var token = after.QuerySelector("#page-form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var htmx = new HttpRequestMessage(HttpMethod.Post, $"/tickets?handler=Columns&pipelineId={w.PipelineId}")
        {
            Content = new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("columns", "status"), new("columns", "value")]),
        };
        htmx.Headers.Add("HX-Request", "true");
        var fragment = await user.SendAsync(htmx, Ct);
        var html = await fragment.Content.ReadAsStringAsync(Ct);
        Assert.StartsWith("<div id=\"results\"", html.Trim(), StringComparison.Ordinal);
        Assert.Equal(["Situação", "Referência", "Título", "Valor", "Última atualização"],
            Headers(new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html)));
    }

    [Fact]
    public async Task An_unknown_column_is_refused_with_a_message_naming_it_and_the_choice_stays()
    {
        var w = await Setup();
        await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, null, "Qualquer");
        using var browser = await App.LoggedIn();
        var list = $"/tickets?pipelineId={w.PipelineId}";
        var before = Headers(await browser.GetPage(list));

        var refused = await ApplyColumns(browser, list, "senha");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        var page = await browser.GetPage(refused.Headers.Location!.ToString());
        Assert.Contains("Coluna desconhecida: senha.", Flash(page), StringComparison.Ordinal);
        Assert.Equal(before, Headers(page));
    }

    [Fact]
    public async Task A_status_chosen_in_the_row_is_recorded_in_the_history_and_returns_to_the_same_filtered_list()
    {
        var w = await Setup();
        var ticket = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, w.ContactId, "Entrega de bolo", new { dueAt = DateTimeOffset.UtcNow.AddDays(3) });
        await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, w.ContactId, "Outro assunto");
        using var browser = await App.LoggedIn();
        var list = $"/tickets?pipelineId={w.PipelineId}&q=bolo&sort=title";
        var page = await browser.GetPage(list);
        var badge = Row(page, ticket).QuerySelector(".c-status button.status-badge")!;
        Assert.Equal("Aberto", badge.TextContent.Trim());
        // The menu and the button's label are written once for every row (tickets.js fills them in; the browser journeys check that).
        var template = (IHtmlTemplateElement)page.GetElementById("status-menu")!;
        Assert.Equal("{text}: mudar a situação de {ref}", template.GetAttribute("data-label"));
        var menu = template.Content.QuerySelectorAll("button").ToList();
        Assert.Equal(["Aberto", "Reaberto", "Analisando", "Aguardando", "Cancelado", "Rejeitado", "Finalizado"], menu.Select(b => b.TextContent.Trim()));
        Assert.All(menu, b => Assert.Equal("page-form", b.GetAttribute("form")));

        var changed = await ChooseStatus(browser, list, ticket, "Analyzing");
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal(list, changed.Headers.Location!.ToString());
        var back = await browser.GetPage(list);
        Assert.Contains($"{ticket["reference"]}: situação alterada para Analisando.", Flash(back), StringComparison.Ordinal);
        Assert.Equal(["Entrega de bolo"], back.QuerySelectorAll(".ticket-table a.row-link").Select(a => a.TextContent.Trim()));
        Assert.Equal("Analisando", Row(back, ticket).QuerySelector(".status-badge")!.TextContent.Trim());
        Assert.Equal("Analyzing", (await Ticket(w, ticket["id"]!.GetValue<long>()))["status"]!.GetValue<string>());

        var history = await browser.GetPage($"/tickets/{ticket["id"]}?tab=historico");
        var row = history.QuerySelectorAll("#historico tbody tr").Select(r => r.QuerySelectorAll("td").Skip(1).Select(c => c.TextContent.Trim()).ToArray())
            .Single(r => r[1] == "Situação");
        Assert.Equal(["Administradora Teste", "Situação", "Aberto", "Analisando"], row);

        // The page of a paged list comes back too.
        var after = Convert.ToBase64String("[\"a\",\"0\"]"u8.ToArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var paged = await ChooseStatus(browser, list + "&after=" + after, ticket, "Done");
        Assert.Equal(list + "&after=" + after, paged.Headers.Location!.ToString());
    }

    [Fact]
    public async Task An_unknown_status_gives_a_message_and_changes_nothing()
    {
        var w = await Setup();
        var ticket = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, null, "Situação estranha");
        using var browser = await App.LoggedIn();
        var list = $"/tickets?pipelineId={w.PipelineId}";
        foreach (var bad in new[] { "Sleeping", "3", "Open,Done" })
        {
            var response = await ChooseStatus(browser, list, ticket, bad);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var page = await browser.GetPage(response.Headers.Location!.ToString());
            Assert.Contains($"Situação desconhecida: {bad}.", Flash(page), StringComparison.Ordinal);
        }
        var now = await Ticket(w, ticket["id"]!.GetValue<long>());
        Assert.Equal("Open", now["status"]!.GetValue<string>());
        Assert.False(now["edited"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_assignee_menu_offers_Atribuir_a_mim_and_the_users_of_the_pipeline_and_assigns_from_the_row()
    {
        var w = await Setup(agents: 1);
        var ticket = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, w.ContactId, "Sem dono");
        var (authorizedId, authorizedEmail) = (w.AgentIds[0], w.AgentEmails[0]);
        var outsiderEmail = $"de-fora{Guid.NewGuid():N}@test.com.br";
        var (outsiderId, _) = await App.CreateUser(fixture.AdminToken, outsiderEmail, "Agent", w.WorkspaceId);
        using var browser = await App.LoggedIn();
        var query = $"?pipelineId={w.PipelineId}&status=Open";
        var list = "/tickets" + query;

        var page = await browser.GetPage(list);
        var toggle = Row(page, ticket).QuerySelector(".c-who button.assignee-toggle")!;
        Assert.Equal("Atribuir", toggle.TextContent.Trim());
        // The list carries no user: the menu is loaded when it opens.
        Assert.Empty(((IHtmlTemplateElement)page.GetElementById("assignee-menu")!).Content.Children);
        Assert.DoesNotContain("Usuário " + authorizedEmail, page.Body!.TextContent, StringComparison.Ordinal);

        var (menu, _) = await AssigneeMenu(browser, query, ticket);
        var choices = menu.QuerySelectorAll("button").Select(b => b.TextContent.Trim()).ToList();
        Assert.Equal("Atribuir a mim", choices[0]);
        Assert.Contains("Usuário " + authorizedEmail, choices);
        Assert.DoesNotContain("Usuário " + outsiderEmail, choices);

        var mine = await browser.Submit(menu, list, [], "assigneeId", menu.QuerySelector("button")!.GetAttribute("value"));
        Assert.Equal(HttpStatusCode.Redirect, mine.StatusCode);
        Assert.Equal(list, mine.Headers.Location!.ToString());
        var back = await browser.GetPage(list);
        Assert.Contains($"{ticket["reference"]}: responsável alterado para Administradora Teste.", Flash(back), StringComparison.Ordinal);
        Assert.Equal("Administradora Teste", Row(back, ticket).QuerySelector(".assignee-toggle")!.TextContent.Trim());

        (menu, _) = await AssigneeMenu(browser, query, ticket);
        Assert.DoesNotContain("Atribuir a mim", menu.TextContent, StringComparison.Ordinal);
        Assert.True(menu.QuerySelectorAll("button").Single(b => b.TextContent.Contains("Administradora Teste", StringComparison.Ordinal)).HasAttribute("disabled"));
        await browser.Submit(menu, list, [], "assigneeId", authorizedId.ToString());
        Assert.Equal("Usuário " + authorizedEmail, Row(await browser.GetPage(list), ticket).QuerySelector(".assignee-toggle")!.TextContent.Trim());
        Assert.Equal(authorizedId, (await Ticket(w, ticket["id"]!.GetValue<long>()))["assigneeId"]!.GetValue<long>());

        // The history names both, as the form does.
        var history = await browser.GetPage($"/tickets/{ticket["id"]}?tab=historico");
        Assert.Contains(history.QuerySelectorAll("#historico tbody tr"), r => r.TextContent.Contains("Responsável", StringComparison.Ordinal)
            && r.TextContent.Contains("Administradora Teste", StringComparison.Ordinal) && r.TextContent.Contains("Usuário " + authorizedEmail, StringComparison.Ordinal));

        // Someone without access to the pipeline, or no user at all, is refused with a message; nobody clears it.
        foreach (var (value, message) in new[] { (outsiderId.ToString(), $"Usuário {outsiderEmail} não tem acesso a este atendimento (fluxo "), ("9x", "Responsável inválido: 9x.") })
        {
            var refused = await browser.Submit(menu, list, [], "assigneeId", value);
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.Contains(message, Flash(await browser.GetPage(list)), StringComparison.Ordinal);
            Assert.Equal(authorizedId, (await Ticket(w, ticket["id"]!.GetValue<long>()))["assigneeId"]!.GetValue<long>());
        }
        await browser.Submit(menu, list, [], "assigneeId", "");
        var cleared = await browser.GetPage(list);
        Assert.Contains($"{ticket["reference"]}: agora sem responsável.", Flash(cleared), StringComparison.Ordinal);
        Assert.Equal("Atribuir", Row(cleared, ticket).QuerySelector(".assignee-toggle")!.TextContent.Trim());
    }

    [Fact]
    public async Task An_agent_without_access_to_the_ticket_gets_404_from_the_row_menus_and_nothing_changes()
    {
        var w = await Setup();
        var ticket = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, null, "Confidencial");
        var email = $"sem-acesso{Guid.NewGuid():N}@test.com.br";
        var (agentId, _) = await App.CreateUser(fixture.AdminToken, email, "Agent", w.WorkspaceId);
        using var agent = await App.LoggedIn(email);
        var token = (await agent.GetPage("/tickets")).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var id = ticket["id"]!.GetValue<long>();

        async Task<HttpStatusCode> Post(string handler, params (string, string)[] fields)
        {
            var content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2)).Append(new("__RequestVerificationToken", token)));
            return (await agent.PostAsync($"/tickets?handler={handler}&id={id}&pipelineId={w.PipelineId}", content, Ct)).StatusCode;
        }
        Assert.Equal(HttpStatusCode.NotFound, await Post("Action", ("status", "Done")));
        Assert.Equal(HttpStatusCode.NotFound, await Post("Assign", ("assigneeId", agentId.ToString())));
        Assert.Equal(HttpStatusCode.NotFound, (await AssigneeMenu(agent, $"?pipelineId={w.PipelineId}", ticket)).Response.StatusCode);

        var now = await Ticket(w, id);
        Assert.Equal("Open", now["status"]!.GetValue<string>());
        Assert.Null(now["assigneeId"]);
        var history = await TicketSteps.Json(await w.Api.GetAsync($"/api/v1/tickets/{id}/history", Ct), HttpStatusCode.OK);
        Assert.DoesNotContain(history["items"]!.AsArray(), h => h!["field"]!.GetValue<string>() is "status" or "assignee");
    }

    [Fact]
    public async Task A_ticket_without_a_value_shows_a_dash_not_R_0_00_in_the_list_and_on_the_board()
    {
        var w = await Setup();
        // Tagged, so both are cards on the board too.
        var tags = await TicketSteps.Json(await w.Api.GetAsync($"/api/v1/pipelines/{w.PipelineId}/tags", Ct), HttpStatusCode.OK);
        var tagId = tags["items"]![0]!["id"]!.GetValue<long>();
        var none = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, null, "Sem valor", new { tagIds = new[] { tagId } });
        var priced = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, null, "Com valor", new { value = 1234.56m, tagIds = new[] { tagId } });
        using var browser = await App.LoggedIn();
        var list = await browser.GetPage($"/tickets?pipelineId={w.PipelineId}");
        var valueColumn = Array.IndexOf(Headers(list), "Valor");
        Assert.Equal("—", Row(list, none).QuerySelectorAll("td")[valueColumn].TextContent.Trim());
        Assert.Equal("R$ 1.234,56", Row(list, priced).QuerySelectorAll("td")[valueColumn].TextContent.Trim().Replace('\u00a0', ' '));
        var board = (await browser.GetPage($"/tickets/board?pipelineId={w.PipelineId}")).Body!.TextContent.Replace('\u00a0', ' ');
        Assert.Contains("Sem valor", board, StringComparison.Ordinal);
        Assert.DoesNotContain("R$ 0,00", board, StringComparison.Ordinal);
        Assert.Contains("R$ 1.234,56", board, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ticket_in_the_trash_keeps_its_tags_and_pipeline_until_restored()
    {
        var w = await Setup();
        var tags = await TicketSteps.Json(await w.Api.GetAsync($"/api/v1/pipelines/{w.PipelineId}/tags", Ct), HttpStatusCode.OK);
        var tagId = tags["items"]![0]!["id"]!.GetValue<long>();
        var ticket = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, null, "Na lixeira", new { tagIds = new[] { tagId } });
        var id = ticket["id"]!.GetValue<long>();
        var other = await TicketSteps.Pipeline(w.Api);
        await TicketSteps.Json(await w.Api.DeleteAsync($"/api/v1/tickets/{id}", Ct), HttpStatusCode.NoContent);

        // API: 409 with the reason.
        var untag = await TicketSteps.Problem(await w.Api.DeleteAsync($"/api/v1/tickets/{id}/tags/{tagId}", Ct), HttpStatusCode.Conflict);
        Assert.Contains("lixeira", untag["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await TicketSteps.Problem(await w.Api.PostAsJsonAsync($"/api/v1/tickets/{id}/move", new { pipelineId = other["id"] }, Ct), HttpStatusCode.Conflict);

        // Pages: the list's tag chip and the move form say why, with no error page.
        using var browser = await App.LoggedIn();
        var listUrl = $"/tickets?pipelineId={w.PipelineId}&bin=Trash";
        var list = await browser.GetPage(listUrl);
        Assert.Equal(["Urgente"], Row(list, ticket).QuerySelectorAll(".row-tags > span").Select(c => c.TextContent.Trim()));
        var removed = await TicketListRows.RemoveTag(browser, listUrl, id, tagId);
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Contains("está na lixeira", Flash(await browser.GetPage(removed.Headers.Location!.OriginalString)), StringComparison.Ordinal);
        var move = await browser.SubmitForm($"/tickets/{id}/move", "#move-form", new() { ["TargetPipelineId"] = other["id"]!.ToString() });
        Assert.Equal(HttpStatusCode.OK, move.StatusCode);
        Assert.Contains("está na lixeira", (await HtmlClient.Parse(move)).Body!.TextContent, StringComparison.Ordinal);

        var after = await Ticket(w, id);
        Assert.Equal([tagId], after["tagIds"]!.AsArray().Select(t => t!.GetValue<long>()));
        Assert.Equal(w.PipelineId, after["pipelineId"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_page_of_50_rows_with_every_column_and_tags_weighs_at_most_60_KB_and_carries_one_anti_forgery_token()
    {
        // Rows like an office's: titles of a few words, the requester's full name, values, an assignee, due dates, two tags each.
        var w = await Setup();
        var tags = await TicketSteps.TagIds(w.Api, w.PipelineId);
        var second = (await TicketSteps.Json(await w.Api.PostAsJsonAsync($"/api/v1/pipelines/{w.PipelineId}/tags", new { name = "Aguardando cliente" }, Ct), HttpStatusCode.Created))["id"]!.GetValue<long>();
        var users = await TicketSteps.Json(await w.Api.GetAsync("/api/v1/users", Ct), HttpStatusCode.OK);
        var adminId = users["items"]!.AsArray().First(u => u!["name"]!.GetValue<string>() == "Administradora Teste")!["id"]!.GetValue<long>();
        string[] titles = ["Certidão negativa de débitos", "Orçamento para manutenção preventiva", "Nota fiscal emitida com o código errado", "Renovação de contrato - dezembro"];
        for (var i = 0; i < 52; i++)
        {
            await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, w.ContactId, titles[i % titles.Length],
                new { value = 1234.56m * (i + 1), assigneeId = adminId, dueAt = DateTimeOffset.UtcNow.AddDays(i - 10), tagIds = new[] { tags[0], second } });
        }
        using var browser = await App.LoggedIn();
        var list = $"/tickets?pipelineId={w.PipelineId}";
        var before = await browser.GetPage(list);
        var token = before.QuerySelector("#page-form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var everyColumn = Core.Tickets.TicketColumns.Optional.Select(c => new KeyValuePair<string, string>("columns", Core.Tickets.TicketColumns.Name(c)));
        var shown = await browser.PostAsync(before.QuerySelector("details.column-chooser button[formaction]")!.GetAttribute("formaction"),
            new FormUrlEncodedContent(everyColumn.Append(new("__RequestVerificationToken", token))), Ct);
        Assert.Equal(HttpStatusCode.Redirect, shown.StatusCode);

        var response = await browser.GetAsync(list, Ct);
        var body = await response.Content.ReadAsByteArrayAsync(Ct);
        var bytes = body.Length;
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(System.Text.Encoding.UTF8.GetString(body));
        Assert.Equal(50, page.QuerySelectorAll("#results tbody tr").Length);
        Assert.Equal(["Situação", "Referência", "Título", "Nome de Contato", "Valor", "Última atualização", "Data de criação", "Responsável", "Vencimento"], Headers(page));
        Assert.All(page.QuerySelectorAll("#results tbody tr"), row => Assert.Equal(2, row.QuerySelectorAll(".row-tags > span").Length));
        Assert.True(bytes <= 60 * 1024, $"the page of 50 rows weighs {bytes} bytes");
        // One token, in the page's form; the list's buttons post that form.
        Assert.Single(page.QuerySelectorAll("input[name=__RequestVerificationToken]"));
        Assert.NotNull(page.QuerySelector("#page-form input[name=__RequestVerificationToken]"));
        Assert.All(page.QuerySelectorAll("template").OfType<IHtmlTemplateElement>().SelectMany(t => t.Content.QuerySelectorAll("button[form]")),
            b => Assert.Equal("page-form", b.GetAttribute("form")));
    }

    [Fact]
    public async Task The_pipeline_switcher_lists_the_visible_pipelines_when_it_opens_not_in_every_page()
    {
        var w = await Setup();
        var other = await TicketSteps.Pipeline(w.Api);
        await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, null, "Qualquer");
        using var browser = await App.LoggedIn();
        var page = await browser.GetPage($"/tickets?pipelineId={w.PipelineId}");
        var menu = page.QuerySelector(".pipeline-switcher .pipeline-menu")!;
        Assert.DoesNotContain(other["name"]!.GetValue<string>(), menu.TextContent, StringComparison.Ordinal);

        var entries = await HtmlClient.Parse(await browser.GetAsync(menu.GetAttribute("data-url"), Ct));
        var links = entries.QuerySelectorAll("a.dropdown-item").ToList();
        Assert.Contains(links, a => a.GetAttribute("href") == $"/tickets?pipelineId={other["id"]}" && a.TextContent.Contains(other["name"]!.GetValue<string>(), StringComparison.Ordinal));
        var current = links.Single(a => a.ClassList.Contains("active"));
        Assert.Equal($"/tickets?pipelineId={w.PipelineId}", current.GetAttribute("href"));
        Assert.Equal("true", current.GetAttribute("aria-current"));

        // An agent sees only the pipelines granted to them.
        var email = $"agente-fluxos{Guid.NewGuid():N}@test.com.br";
        await App.CreateUser(fixture.AdminToken, email, "Agent", w.WorkspaceId);
        using var agent = await App.LoggedIn(email);
        var agentEntries = await HtmlClient.Parse(await agent.GetAsync("/tickets?handler=Pipelines", Ct));
        Assert.DoesNotContain(agentEntries.QuerySelectorAll("a"), a => a.TextContent.Contains(other["name"]!.GetValue<string>(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_bin_menu_is_labelled_Mostrar_with_the_bin_not_the_pipeline()
    {
        var w = await Setup();
        await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, null, "Qualquer");
        using var browser = await App.LoggedIn();
        var active = await browser.GetPage($"/tickets?pipelineId={w.PipelineId}");
        var button = active.QuerySelectorAll(".page-header button.dropdown-toggle").Single(b => b.TextContent.Contains("Mostrar", StringComparison.Ordinal));
        Assert.Equal("Mostrar: Ativos", string.Join(" ", button.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
        Assert.Null(button.GetAttribute("aria-label")); // the visible text is the name (axe: label-content-name-mismatch)
        var items = button.ParentElement!.QuerySelectorAll(".dropdown-item").Select(a => a.TextContent.Trim()).ToList();
        Assert.Equal(["Ativos", "Arquivados", "Lixeira", "Etiquetas do fluxo"], items);
        Assert.Equal("true", button.ParentElement!.QuerySelector(".dropdown-item.active")!.GetAttribute("aria-current"));

        var trash = await browser.GetPage($"/tickets?pipelineId={w.PipelineId}&bin=Trash");
        Assert.Contains(trash.QuerySelectorAll(".page-header button.dropdown-toggle"), b => string.Join(" ", b.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)) == "Mostrar: Lixeira");
    }
}

public sealed class TicketListPageTestsSqlite(SqliteFixture fixture) : TicketListPageTests(fixture), IClassFixture<SqliteFixture>;

public sealed class TicketListPageTestsPostgres(PostgresFixture fixture) : TicketListPageTests(fixture), IClassFixture<PostgresFixture>;
