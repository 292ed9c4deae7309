using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using Atende.Web.Tests.Infrastructure;

namespace Atende.Web.Tests.Tickets;

public abstract class TicketPageTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record World(HttpClient Api, long WorkspaceId, long PipelineId, string Alias, long[] TagIds, long PartnerId, long ContactId);

    private async Task<World> Setup(string partnerName = "Padaria Pão Quente", string contact = "João Conceição")
    {
        var api = App.Api(fixture.AdminToken);
        var ws = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio"));
        var pipeline = await TicketSteps.Pipeline(api, tags: ["Urgente", "Visita"]);
        var id = pipeline["id"]!.GetValue<long>();
        var (partnerId, contactId) = await TicketSteps.Partner(api, ws, TicketSteps.Unique(partnerName), contact);
        return new World(api, ws, id, pipeline["alias"]!.GetValue<string>(), await TicketSteps.TagIds(api, id), partnerId, contactId);
    }

    private static string[] Column(IHtmlDocument page, int index) =>
        page.QuerySelectorAll(".ticket-table tbody tr").Select(r => r.QuerySelectorAll("td")[index].TextContent.Trim()).ToArray();

    [Fact]
    public async Task The_list_shows_tickets_with_TODOS_first_sorts_by_a_column_and_marks_overdue_ones()
    {
        var w = await Setup();
        await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, w.ContactId, "Bolo de aniversário", new { value = 120.5m, tagIds = new[] { w.TagIds[0] } });
        await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, null, "Atraso na entrega", new { dueAt = DateTimeOffset.UtcNow.AddDays(-2) });
        using var browser = await App.LoggedIn();

        var page = await browser.GetPage($"/tickets?pipelineId={w.PipelineId}");
        Assert.Equal(["TODOS", "Urgente", "Visita"], page.QuerySelectorAll(".tag-bar .tag-chip").Select(c => c.TextContent.Trim()));
        Assert.Equal([$"{w.Alias}-2", $"{w.Alias}-1"], Column(page, 1));
        Assert.Contains("R$ 120,50", Column(page, 4));
        var overdue = page.QuerySelector("tr.overdue")!;
        Assert.Contains("Atrasado", overdue.TextContent, StringComparison.Ordinal);
        Assert.Contains("Atraso na entrega", overdue.TextContent, StringComparison.Ordinal);
        var headers = page.QuerySelectorAll(".ticket-table thead th").Select(h => h.TextContent.Trim()).ToList();
        Assert.Equal(["Situação", "Referência", "Título", "Nome de Contato", "Valor", "Última atualização", "Responsável", "Vencimento"], headers.Take(8));

        var byTitle = await browser.GetPage(page.QuerySelectorAll(".ticket-table thead a.sort-link").First(a => a.TextContent.Contains("Título", StringComparison.Ordinal)).GetAttribute("href")!);
        Assert.Equal(["Atraso na entrega", "Bolo de aniversário"], byTitle.QuerySelectorAll(".ticket-table tbody tr a.row-link").Select(a => a.TextContent.Trim()));
        Assert.Equal("ascending", byTitle.QuerySelector("th[aria-sort]")!.GetAttribute("aria-sort"));

        var tagged = await browser.GetPage($"/tickets?pipelineId={w.PipelineId}&tag={w.TagIds[0]}");
        Assert.Equal([$"{w.Alias}-1"], Column(tagged, 1));
    }

    [Fact]
    public async Task A_tag_is_applied_to_a_row_and_taken_off_it()
    {
        var w = await Setup();
        var ticket = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, null, "Etiquetar");
        using var browser = await App.LoggedIn();
        var list = $"/tickets?pipelineId={w.PipelineId}";
        var page = await browser.GetPage(list);
        var token = page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var dropUrl = TicketListRows.AddTagUrl(page, ticket["id"]!);
        using var drop = new HttpRequestMessage(HttpMethod.Post, dropUrl + "&tagId=" + w.TagIds[1]) { Content = new FormUrlEncodedContent([]) };
        drop.Headers.Add("RequestVerificationToken", token);
        drop.Headers.Add("HX-Request", "true");
        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(drop, Ct)).StatusCode);

        var tagged = await browser.GetPage(list);
        Assert.Equal(["Visita"], tagged.QuerySelectorAll($"tr[data-ticket-id='{ticket["id"]}'] .row-tags > span").Select(c => c.TextContent.Trim()));
        var removed = await TicketListRows.RemoveTag(browser, list, ticket["id"]!, w.TagIds[1]);
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        var after = await browser.GetPage(removed.Headers.Location!.ToString());
        Assert.Contains($"Etiqueta retirada de {ticket["reference"]}.", after.QuerySelector(".flash")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(after.QuerySelectorAll($"tr[data-ticket-id='{ticket["id"]}'] .row-tags > span"));
    }

    [Fact]
    public async Task Search_as_you_type_answers_a_fragment_and_ignores_accents()
    {
        var w = await Setup();
        await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, w.ContactId, "Emissão de nota");
        await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, null, "Outro assunto");
        using var browser = await App.LoggedIn();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/tickets?pipelineId={w.PipelineId}&q=conceicao emissao");
        request.Headers.Add("HX-Request", "true");
        var response = await browser.SendAsync(request, Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.StartsWith("<div id=\"results\"", html.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("<html", html, StringComparison.OrdinalIgnoreCase);
        var titles = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html).QuerySelectorAll("a.row-link").Select(a => a.TextContent.Trim());
        Assert.Equal(["Emissão de nota"], titles);
    }

    [Fact]
    public async Task Creating_through_the_form_picks_the_partner_then_fills_price_and_keeps_input_on_errors()
    {
        var w = await Setup("Açougue Boi Gordo", "Márcia");
        using var browser = await App.LoggedIn();
        var search = await browser.GetPage($"/tickets/new?pipelineId={w.PipelineId}&q=acougue boi");
        var choose = search.QuerySelectorAll("#partner-choices a").Single();
        Assert.Contains("Açougue Boi Gordo", choose.TextContent, StringComparison.Ordinal);
        var formUrl = choose.GetAttribute("href")!;

        var items = await TicketSteps.Json(await w.Api.GetAsync("/api/v1/settings/catalog-items", Ct), HttpStatusCode.OK);
        var item = items["items"]!.AsArray().First(i => i!["name"]!.GetValue<string>() == "Suporte mensal")!["id"]!.GetValue<long>();

        var bad = await browser.SubmitForm(formUrl, "#ticket-form", new() { ["Input.Title"] = "  ", ["Input.Value"] = "12.34", ["Input.Description"] = "Cliente ligou <b>duas</b> vezes" });
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        var errors = await HtmlClient.Parse(bad);
        Assert.Contains("Valor inválido", errors.QuerySelector("#Value-error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("12.34", (errors.QuerySelector("#Input_Value") as IHtmlInputElement)!.Value);
        Assert.Equal("Cliente ligou <b>duas</b> vezes", (errors.QuerySelector("#Input_Description") as IHtmlTextAreaElement)!.Value);

        var missingTitle = await browser.SubmitForm(formUrl, "#ticket-form", new() { ["Input.Title"] = "" });
        Assert.Equal("Título é obrigatório.", (await HtmlClient.Parse(missingTitle)).QuerySelector("#Title-error")!.TextContent);

        var created = await browser.SubmitForm(formUrl, "#ticket-form", new() { ["Input.Title"] = "Mensalidade de novembro", ["Input.CatalogItemId"] = item.ToString(), ["Input.Value"] = "" });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var ticketPage = await browser.GetPage(created.Headers.Location!.ToString());
        Assert.Contains($"{w.Alias}-1", ticketPage.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("390,00", (ticketPage.QuerySelector("#Input_Value") as IHtmlInputElement)!.Value);
        Assert.Contains($"Atendimento {w.Alias}-1 criado.", ticketPage.QuerySelector(".flash")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stale_save_names_who_changed_it_and_keeps_what_the_user_typed()
    {
        var w = await Setup();
        var ticket = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, null, "Original");
        using var browser = await App.LoggedIn();
        var url = $"/tickets/{ticket["id"]}";
        var page = await browser.GetPage(url);
        var form = (IHtmlFormElement)page.QuerySelector("form[data-tag-drop-form]")!;

        var etag = (await w.Api.GetAsync($"/api/v1/tickets/{ticket["id"]}", Ct)).Headers.ETag!.Tag;
        await TicketSteps.Json(await TicketSteps.Patch(w.Api, $"/api/v1/tickets/{ticket["id"]}", new { title = "Mudado pela API" }, etag), HttpStatusCode.OK);

        var response = await browser.Submit(form, url, new() { ["Input.Title"] = "Minha edição" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stale = await HtmlClient.Parse(response);
        Assert.Matches(@"alterado por Administradora Teste em \d\d/\d\d/\d{4} às \d\d:\d\d", stale.QuerySelector(".alert-warning:not(.address-banner):not([hidden])")!.TextContent);
        Assert.Equal("Minha edição", (stale.QuerySelector("#Input_Title") as IHtmlInputElement)!.Value);
        Assert.NotNull(stale.QuerySelector($".alert-warning:not([hidden]) a[href='/tickets/{ticket["id"]}?from.pipelineId={w.PipelineId}']"));

        var fresh = await browser.SubmitForm(url, "form[data-tag-drop-form]", new() { ["Input.Title"] = "Minha edição", ["Input.Status"] = "Analyzing" });
        Assert.Equal(HttpStatusCode.Redirect, fresh.StatusCode);
        var saved = await TicketSteps.Json(await w.Api.GetAsync($"/api/v1/tickets/{ticket["id"]}", Ct), HttpStatusCode.OK);
        Assert.Equal("Minha edição", saved["title"]!.GetValue<string>());
        Assert.Equal("Analyzing", saved["status"]!.GetValue<string>());
        var history = await browser.GetPage(url + "?tab=historico");
        var rows = history.QuerySelectorAll("#historico tbody tr").Select(r => string.Join("|", r.QuerySelectorAll("td").Skip(2).Select(td => td.TextContent.Trim()))).ToList();
        Assert.Contains("Situação|Aberto|Analisando", rows);
        Assert.Contains("Título|Mudado pela API|Minha edição", rows);
    }

    private static string[] Options(IHtmlDocument page, string selector) =>
        page.QuerySelectorAll(selector + " option").Select(o => o.TextContent.Trim()).ToArray();

    [Fact]
    public async Task The_requester_partner_is_changed_on_the_page_and_the_contacts_follow()
    {
        var w = await Setup();
        var otherName = TicketSteps.Unique("Ótica Visão Clara");
        var (otherId, otherContact) = await TicketSteps.Partner(w.Api, w.WorkspaceId, otherName, "Márcia Peçanha");
        var ticket = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, w.ContactId, "Quem pede");
        var oldName = (await TicketSteps.Json(await w.Api.GetAsync($"/api/v1/partners/{w.PartnerId}", Ct), HttpStatusCode.OK))["name"]!.GetValue<string>();
        using var browser = await App.LoggedIn();
        var url = $"/tickets/{ticket["id"]}";

        var page = await browser.GetPage(url + $"?from.pipelineId={w.PipelineId}");
        Assert.True(page.QuerySelector("#partner-panel")!.HasAttribute("hidden"));
        Assert.Equal($"{url}?from.pipelineId={w.PipelineId}&partnerQ=#partner-picker", page.QuerySelector("[data-partner-change]")!.GetAttribute("href"));
        Assert.Equal([w.PipelineId.ToString()], page.QuerySelectorAll("#partner-search-form input[name='from.pipelineId']").Select(i => i.GetAttribute("value")));

        var search = await browser.GetPage(url + $"?from.pipelineId={w.PipelineId}&partnerQ=" + Uri.EscapeDataString(otherName.Replace("Ótica Visão", "otica visao", StringComparison.Ordinal)));
        Assert.False(search.QuerySelector("#partner-panel")!.HasAttribute("hidden"));
        var choice = search.QuerySelectorAll("#partner-choices a[data-partner-id]").Single();
        Assert.Equal(otherName, choice.GetAttribute("data-partner-name"));
        var chosenUrl = choice.GetAttribute("href")!;
        Assert.Equal($"{url}?from.pipelineId={w.PipelineId}&partnerId={otherId}", chosenUrl);

        var chosen = await browser.GetPage(chosenUrl);
        Assert.Equal(otherId.ToString(), chosen.QuerySelector("#Input_PartnerId")!.GetAttribute("value"));
        Assert.Equal(otherName, chosen.QuerySelector("[data-partner-name]")!.TextContent.Trim());
        Assert.Equal(["— sem contato —", "Márcia Peçanha"], Options(chosen, "#Input_ContactId"));
        Assert.Equal(otherContact.ToString(), (chosen.QuerySelector("#Input_ContactId") as IHtmlSelectElement)!.Value);
        Assert.False(chosen.QuerySelector("[data-partner-note]")!.HasAttribute("hidden"));
        Assert.False(chosen.QuerySelector("[data-partner-cancel]")!.HasAttribute("hidden"));

        var contacts = JsonNode.Parse(await browser.GetStringAsync($"{url}?handler=Contacts&partnerId={otherId}", Ct))!.AsArray();
        Assert.Equal([(otherContact, "Márcia Peçanha")], contacts.Select(c => (c!["id"]!.GetValue<long>(), c["name"]!.GetValue<string>())));

        var oldContact = await browser.SubmitForm(chosenUrl, "form[data-tag-drop-form]", new() { ["Input.ContactId"] = w.ContactId.ToString(), ["Input.Title"] = "Quem pede agora" });
        Assert.Equal(HttpStatusCode.OK, oldContact.StatusCode);
        var refused = await HtmlClient.Parse(oldContact);
        Assert.Contains("entidade anterior", refused.QuerySelector("#ContactId-error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(["— sem contato —", "Márcia Peçanha"], Options(refused, "#Input_ContactId"));
        Assert.Equal(otherId.ToString(), refused.QuerySelector("#Input_PartnerId")!.GetAttribute("value"));
        Assert.Equal("Quem pede agora", (refused.QuerySelector("#Input_Title") as IHtmlInputElement)!.Value);

        var saved = await browser.SubmitForm(chosenUrl, "form[data-tag-drop-form]", []);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var after = await browser.GetPage(saved.Headers.Location!.ToString());
        Assert.Contains($"{ticket["reference"]} salvo.", after.QuerySelector(".flash")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(otherName, after.QuerySelector("[data-partner-name]")!.TextContent.Trim());
        Assert.True(after.QuerySelector("[data-partner-note]")!.HasAttribute("hidden"));
        Assert.Equal(otherId.ToString(), after.QuerySelector("[data-partner-picker]")!.GetAttribute("data-original-id"));
        var api = await TicketSteps.Json(await w.Api.GetAsync($"/api/v1/tickets/{ticket["id"]}", Ct), HttpStatusCode.OK);
        Assert.Equal(otherId, api["partnerId"]!.GetValue<long>());
        Assert.Equal(otherContact, api["contactId"]!.GetValue<long>());
        Assert.Equal("Márcia Peçanha", api["requesterName"]!.GetValue<string>());
        var history = await browser.GetPage(url + "?tab=historico");
        var rows = history.QuerySelectorAll("#historico tbody tr").Select(r => string.Join("|", r.QuerySelectorAll("td").Skip(2).Select(td => td.TextContent.Trim()))).ToList();
        Assert.Contains($"Entidade|{oldName}|{otherName}", rows);
        Assert.Contains("Contato|João Conceição|Márcia Peçanha", rows);
    }

    [Fact]
    public async Task An_agent_can_only_search_and_pick_partners_of_their_workspaces()
    {
        var w = await Setup();
        var stem = TicketSteps.Unique("Oficina");
        var (visibleId, _) = await TicketSteps.Partner(w.Api, w.WorkspaceId, stem + " Visível", "Carla");
        var otherWs = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Outro domínio"));
        var (hiddenId, _) = await TicketSteps.Partner(w.Api, otherWs, stem + " Escondida", "Dora");
        var email = $"agente{Guid.NewGuid():N}@test.com.br";
        var (agentId, _) = await App.CreateUser(fixture.AdminToken, email, "Agent", w.WorkspaceId);
        var etag = (await w.Api.GetAsync($"/api/v1/pipelines/{w.PipelineId}", Ct)).Headers.ETag!.Tag;
        await TicketSteps.Json(await TicketSteps.Patch(w.Api, $"/api/v1/pipelines/{w.PipelineId}", new { authorizedUserIds = new[] { agentId } }, etag), HttpStatusCode.OK);
        var ticket = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, null, "Do agente");
        var url = $"/tickets/{ticket["id"]}";
        using var agent = await App.LoggedIn(email);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"{url}?handler=Partners&partnerQ=" + Uri.EscapeDataString(stem.ToLowerInvariant()));
        request.Headers.Add("HX-Request", "true");
        var fragment = await (await agent.SendAsync(request, Ct)).Content.ReadAsStringAsync(Ct);
        Assert.StartsWith("<div id=\"partner-choices\">", fragment.Trim(), StringComparison.Ordinal);
        var ids = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(fragment).QuerySelectorAll("a[data-partner-id]").Select(a => a.GetAttribute("data-partner-id")).ToList();
        Assert.Equal([visibleId.ToString()], ids);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync($"{url}?handler=Contacts&partnerId={hiddenId}", Ct)).StatusCode);

        var viaLink = await agent.GetPage($"{url}?partnerId={hiddenId}");
        Assert.Equal("Entidade não encontrada.", viaLink.QuerySelector("#PartnerId-error")!.TextContent.Trim());
        Assert.DoesNotContain("Escondida", viaLink.Body!.TextContent, StringComparison.Ordinal);

        var response = await agent.SubmitForm(url, "form[data-tag-drop-form]", new() { ["Input.PartnerId"] = hiddenId.ToString(), ["Input.Title"] = "Título digitado" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await HtmlClient.Parse(response);
        Assert.Equal("Entidade não encontrada.", page.QuerySelector("#PartnerId-error")!.TextContent.Trim());
        Assert.Equal("Título digitado", (page.QuerySelector("#Input_Title") as IHtmlInputElement)!.Value);
        Assert.Equal(hiddenId.ToString(), page.QuerySelector("#Input_PartnerId")!.GetAttribute("value"));
        Assert.False(page.QuerySelector("#partner-panel")!.HasAttribute("hidden"));
        Assert.DoesNotContain("Escondida", page.Body!.TextContent, StringComparison.Ordinal);
        var unchanged = await TicketSteps.Json(await w.Api.GetAsync($"/api/v1/tickets/{ticket["id"]}", Ct), HttpStatusCode.OK);
        Assert.Equal(w.PartnerId, unchanged["partnerId"]!.GetValue<long>());
        Assert.Equal("Do agente", unchanged["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task Interactions_are_posted_sanitized_and_shown_in_the_chosen_order()
    {
        var w = await Setup();
        var ticket = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, null, "Com conversa");
        using var browser = await App.LoggedIn();
        var url = $"/tickets/{ticket["id"]}";
        await browser.SubmitForm(url, "#nova-interacao", new() { ["body"] = "<p>Primeira <script>alert(1)</script><b>nota</b></p>", ["internal"] = "true" });
        await browser.SubmitForm(url, "#nova-interacao", new() { ["body"] = "Segunda", ["internal"] = "false" });

        var newest = await browser.GetPage(url + "?order=newest");
        var bodies = newest.QuerySelectorAll(".interaction-body").Select(b => b.InnerHtml.Trim()).ToList();
        Assert.Equal(["Segunda", "<p>Primeira <b>nota</b></p>"], bodies);
        Assert.Single(newest.QuerySelectorAll(".interaction-internal"));
        var oldest = await browser.GetPage(url + "?order=oldest");
        Assert.Equal("<p>Primeira <b>nota</b></p>", oldest.QuerySelector(".interaction-body")!.InnerHtml.Trim());
        var remembered = await browser.GetPage(url);
        Assert.Equal("<p>Primeira <b>nota</b></p>", remembered.QuerySelector(".interaction-body")!.InnerHtml.Trim());

        var empty = await browser.SubmitForm(url, "#nova-interacao", new() { ["body"] = "<p> </p>" });
        Assert.Contains("Escreva o texto", (await HtmlClient.Parse(empty)).QuerySelector("#body-error")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Row_actions_archive_unarchive_trash_and_restore_and_say_so()
    {
        var w = await Setup();
        var ticket = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, null, "Vai e volta");
        var reference = ticket["reference"]!.GetValue<string>();
        using var browser = await App.LoggedIn();
        var list = $"/tickets?pipelineId={w.PipelineId}";

        var archived = await TicketListRows.Choose(browser, list, ticket["id"]!, "action", "archive");
        Assert.Equal(HttpStatusCode.Redirect, archived.StatusCode);
        var afterArchive = await browser.GetPage(archived.Headers.Location!.ToString());
        Assert.Contains($"{reference} arquivado.", afterArchive.QuerySelector(".flash")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(afterArchive.QuerySelectorAll(".ticket-table tbody tr"));
        Assert.Equal([reference], Column(await browser.GetPage(list + "&bin=Archived"), 1));

        await TicketListRows.Choose(browser, list + "&bin=Archived", ticket["id"]!, "action", "trash");
        Assert.Equal([reference], Column(await browser.GetPage(list + "&bin=Trash"), 1));
        var trashPage = await browser.GetPage(list + "&bin=Trash");
        Assert.NotNull(((IHtmlTemplateElement)trashPage.GetElementById("row-menu")!).Content.QuerySelector("button[value=purge][data-confirm]"));
        await TicketListRows.Choose(browser, list + "&bin=Trash", ticket["id"]!, "action", "restore");
        Assert.Equal([reference], Column(await browser.GetPage(list), 1));
    }

    [Fact]
    public async Task A_refused_action_goes_back_where_it_was_made_with_its_message()
    {
        var w = await Setup();
        var ticket = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, null, "Ainda ativo");
        var id = ticket["id"]!.GetValue<long>();
        var reference = ticket["reference"]!.GetValue<string>();
        using var browser = await App.LoggedIn();
        var list = $"/tickets?pipelineId={w.PipelineId}";
        const string purgeRefused = "Só atendimentos na lixeira podem ser excluídos definitivamente.";

        // The list: a purge of a ticket that is not in the trash comes back to the same list, saying why.
        var fromList = await TicketListRows.Choose(browser, list, id, "action", "purge");
        Assert.Equal(HttpStatusCode.Redirect, fromList.StatusCode);
        Assert.StartsWith($"/tickets?pipelineId={w.PipelineId}", fromList.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var listAfter = await browser.GetPage(fromList.Headers.Location.OriginalString);
        Assert.Equal(purgeRefused, listAfter.QuerySelector(".alert-danger.flash")!.TextContent.Trim());
        Assert.Equal([reference], Column(listAfter, 1));

        // The ticket page: the same refusal comes back to the ticket, keeping the list it was opened from.
        var page = $"/tickets/{id}?from.pipelineId={w.PipelineId}";
        var fromPage = await browser.SubmitForm(page, "form[action*='handler=Action']", [], "action", "purge");
        Assert.Equal(HttpStatusCode.Redirect, fromPage.StatusCode);
        Assert.Equal(page, fromPage.Headers.Location!.OriginalString);
        Assert.Equal(purgeRefused, (await browser.GetPage(page)).QuerySelector(".alert-danger.flash")!.TextContent.Trim());

        // A tag dropped (htmx) on a ticket in the trash: the script gets the error to show, not a redirect.
        var listPage = await browser.GetPage(list);
        var token = listPage.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var dropUrl = TicketListRows.AddTagUrl(listPage, id);
        await TicketListRows.Choose(browser, list, id, "action", "trash");
        using var drop = new HttpRequestMessage(HttpMethod.Post, dropUrl + "&tagId=" + w.TagIds[0]) { Content = new FormUrlEncodedContent([]) };
        drop.Headers.Add("RequestVerificationToken", token);
        drop.Headers.Add("HX-Request", "true");
        var dropped = await browser.SendAsync(drop, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, dropped.StatusCode);
        var error = (await dropped.Content.ReadFromJsonAsync<JsonObject>(Ct))!["error"]!.GetValue<string>();
        Assert.Equal($"{reference} está na lixeira. Restaure-o antes de trocar as etiquetas.", error);
    }

    [Fact]
    public async Task Notify_is_offered_until_the_first_edit_and_tells_the_assignee_in_app()
    {
        var w = await Setup();
        var email = $"resp{Guid.NewGuid():N}@test.com.br";
        var (agentId, _) = await App.CreateUser(fixture.AdminToken, email, "Agent", w.WorkspaceId);
        var etag = (await w.Api.GetAsync($"/api/v1/pipelines/{w.PipelineId}", Ct)).Headers.ETag!.Tag;
        await TicketSteps.Json(await TicketSteps.Patch(w.Api, $"/api/v1/pipelines/{w.PipelineId}", new { authorizedUserIds = new[] { agentId } }, etag), HttpStatusCode.OK);
        var ticket = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, null, "Para o responsável", new { assigneeId = agentId });
        using var admin = await App.LoggedIn();
        var list = $"/tickets?pipelineId={w.PipelineId}";
        // "Notificar" (in the row menu tickets.js fills in) is disabled on a row of class "edited".
        var row = $"tr[data-ticket-id='{ticket["id"]}']";
        Assert.False((await admin.GetPage(list)).QuerySelector(row)!.ClassList.Contains("edited"));

        await TicketListRows.Choose(admin, list, ticket["id"]!, "action", "notify");
        using var agent = await App.LoggedIn(email);
        var home = await agent.GetPage("/notifications");
        Assert.Equal("1", home.QuerySelector(".sidebar .badge")!.TextContent.Trim());
        Assert.Contains($"Novo atendimento {ticket["reference"]}: Para o responsável", home.QuerySelector(".list-group-item")!.TextContent, StringComparison.Ordinal);

        await TicketListRows.Choose(admin, list, ticket["id"]!, "action", "archive");
        await TicketListRows.Choose(admin, list + "&bin=Archived", ticket["id"]!, "action", "unarchive");
        Assert.True((await admin.GetPage(list)).QuerySelector(row)!.ClassList.Contains("edited"));
    }

    [Fact]
    public async Task The_board_has_a_column_per_tag_and_moving_a_card_swaps_its_tag()
    {
        var w = await Setup();
        var ticket = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, null, "No quadro", new { tagIds = new[] { w.TagIds[0] } });
        using var browser = await App.LoggedIn();
        var board = $"/tickets/board?pipelineId={w.PipelineId}";
        var page = await browser.GetPage(board);
        Assert.Equal(["Urgente", "Visita"], page.QuerySelectorAll(".board-column h2").Select(h => h.TextContent.Trim()));
        Assert.NotNull(page.QuerySelector($".board-cards[data-tag-id='{w.TagIds[0]}'] [data-ticket-id='{ticket["id"]}']"));

        var moved = await browser.SubmitForm(board, $"[data-ticket-id='{ticket["id"]}'] form", [], "toTagId", w.TagIds[1].ToString());
        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        var after = await browser.GetPage(board);
        Assert.NotNull(after.QuerySelector($".board-cards[data-tag-id='{w.TagIds[1]}'] [data-ticket-id='{ticket["id"]}']"));
        Assert.Null(after.QuerySelector($".board-cards[data-tag-id='{w.TagIds[0]}'] [data-ticket-id='{ticket["id"]}']"));
    }

    [Fact]
    public async Task Previous_and_next_walk_the_list_the_user_came_from()
    {
        var w = await Setup();
        var ids = new List<long>();
        foreach (var title in new[] { "Bravo", "Alfa", "Charlie" })
        {
            ids.Add((await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, null, title))["id"]!.GetValue<long>());
        }
        using var browser = await App.LoggedIn();
        var list = await browser.GetPage($"/tickets?pipelineId={w.PipelineId}&sort=title");
        var first = list.QuerySelector(".ticket-table tbody tr a.row-link")!.GetAttribute("href")!;
        Assert.StartsWith($"/tickets/{ids[1]}?", first, StringComparison.Ordinal);
        var alfa = await browser.GetPage(first);
        Assert.Null(alfa.QuerySelector("a[rel=prev]"));
        var bravo = await browser.GetPage(alfa.QuerySelector("a[rel=next]")!.GetAttribute("href")!);
        Assert.Contains("Bravo", bravo.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        var charlie = await browser.GetPage(bravo.QuerySelector("a[rel=next]")!.GetAttribute("href")!);
        Assert.Contains("Charlie", charlie.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        Assert.Null(charlie.QuerySelector("a[rel=next]"));
    }

    [Fact]
    public async Task Moving_and_printing_through_pages()
    {
        var w = await Setup();
        var target = await TicketSteps.Pipeline(w.Api, tags: ["Outra"]);
        var ticket = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, null, "Para imprimir", new { tagIds = new[] { w.TagIds[1] } });
        await w.Api.PostAsJsonAsync($"/api/v1/tickets/{ticket["id"]}/interactions", new { body = "<p>Conversa registrada</p>" }, Ct);
        using var browser = await App.LoggedIn();

        var withInteractions = await browser.GetPage($"/tickets/{ticket["id"]}/print?interactions=true");
        Assert.Contains("Conversa registrada", withInteractions.Body!.TextContent, StringComparison.Ordinal);
        var without = await browser.GetPage($"/tickets/{ticket["id"]}/print?interactions=false");
        Assert.DoesNotContain("Conversa registrada", without.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Visita", without.Body!.TextContent, StringComparison.Ordinal);

        var missing = await browser.SubmitForm($"/tickets/{ticket["id"]}/move", "#move-form", []);
        Assert.Contains("Escolha o fluxo", (await HtmlClient.Parse(missing)).QuerySelector(".invalid-feedback")!.TextContent, StringComparison.Ordinal);
        var moved = await browser.SubmitForm($"/tickets/{ticket["id"]}/move", "#move-form", new() { ["TargetPipelineId"] = target["id"]!.ToString() });
        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        var now = await TicketSteps.Json(await w.Api.GetAsync($"/api/v1/tickets/{ticket["id"]}", Ct), HttpStatusCode.OK);
        Assert.Equal(target["id"]!.GetValue<long>(), now["pipelineId"]!.GetValue<long>());
    }

    [Fact]
    public async Task Agents_get_404_on_pages_of_pipelines_they_are_not_authorized_on()
    {
        var w = await Setup();
        var ticket = await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, null, "Secreto");
        var email = $"sem{Guid.NewGuid():N}@test.com.br";
        await App.CreateUser(fixture.AdminToken, email, "Agent", w.WorkspaceId);
        using var agent = await App.LoggedIn(email);
        foreach (var url in new[]
        {
            $"/tickets/{ticket["id"]}", $"/tickets/{ticket["id"]}/print", $"/tickets/{ticket["id"]}/move", $"/tickets?pipelineId={w.PipelineId}",
            $"/tickets/board?pipelineId={w.PipelineId}", $"/tickets/new?pipelineId={w.PipelineId}",
        })
        {
            Assert.True((await agent.GetAsync(url, Ct)).StatusCode == HttpStatusCode.NotFound, url);
        }
        var empty = await agent.GetPage("/tickets");
        Assert.Contains("Você ainda não tem acesso a nenhum fluxo", empty.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_partner_page_lists_its_tickets()
    {
        var w = await Setup();
        await TicketSteps.Ticket(w.Api, w.PipelineId, w.PartnerId, w.ContactId, "Pedido da entidade");
        using var browser = await App.LoggedIn();
        var page = await browser.GetPage($"/partners/{w.PartnerId}?tab=atendimentos");
        Assert.Contains("Pedido da entidade", page.QuerySelector("#atendimentos table")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector($"#atendimentos a[href='/tickets/new?pipelineId={w.PipelineId}&partnerId={w.PartnerId}']"));
    }
}

public sealed class TicketPageTestsSqlite(SqliteFixture fixture) : TicketPageTests(fixture), IClassFixture<SqliteFixture>;

public sealed class TicketPageTestsPostgres(PostgresFixture fixture) : TicketPageTests(fixture), IClassFixture<PostgresFixture>;
