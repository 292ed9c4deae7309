using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Atende.Web.Tests.Infrastructure;
using static Atende.Web.Tests.Conversations.ConversationData;

namespace Atende.Web.Tests.Conversations;

public abstract class ConversationPageTests(AppFixture fixture)
{
    private TestApp App => fixture.App;

    private static string Value(IHtmlDocument page, string selector) => page.QuerySelector(selector) switch
    {
        IHtmlInputElement input => input.Value,
        IHtmlSelectElement select => select.Value ?? "",
        IHtmlTextAreaElement area => area.Value,
        _ => throw new InvalidOperationException("no field " + selector),
    };

    private static string? CheckedPartner(IHtmlDocument page) =>
        page.QuerySelectorAll("input[name='Input.PartnerId']").OfType<IHtmlInputElement>().FirstOrDefault(r => r.IsChecked)?.Value;

    private static string FieldError(IHtmlDocument page, string field) =>
        page.QuerySelector($"[data-valmsg-for='{field}']")?.TextContent.Trim() ?? "";

    private static string NowLocal => Local(DateTimeOffset.UtcNow);

    /// <summary>The form's date is "now" in São Paulo (allowing for a minute turning over during the request).</summary>
    private static void AssertNow(string at)
    {
        var value = DateTime.ParseExact(at, "dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);
        var now = DateTime.ParseExact(NowLocal, "yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        Assert.InRange((now - value).TotalMinutes, 0, 2);
    }

    private async Task<(HttpClient Api, long WorkspaceId, long PartnerId, string Name)> PartnerInNewWorkspace(string name)
    {
        var api = App.Api(fixture.AdminToken);
        var ws = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Páginas"));
        var unique = Unique(name);
        return (api, ws, await Partner(api, ws, unique), unique);
    }

    [Fact]
    public async Task Every_entry_point_opens_the_same_form_with_its_pre_filled_values()
    {
        var (api, _, partnerId, name) = await PartnerInNewWorkspace("Armazém Entradas");
        var adminId = (await UserId(api, TestApp.AdminEmail)).ToString(CultureInfo.InvariantCulture);
        using var browser = await App.LoggedIn();

        // 1. Partner page, tab Conversas, "Adicionar": partner pre-filled, back to the tab.
        var partnerPage = await browser.GetPage($"/partners/{partnerId}?tab=conversas");
        Assert.Contains("Nenhuma conversa registrada", partnerPage.QuerySelector("#conversas")!.TextContent, StringComparison.Ordinal);
        var add = partnerPage.QuerySelectorAll("#conversas a").Single(a => a.TextContent.Trim() == "Adicionar").GetAttribute("href")!;
        var fromPartner = await browser.GetPage(add);
        Assert.Equal(partnerId.ToString(CultureInfo.InvariantCulture), CheckedPartner(fromPartner));
        Assert.Contains(name, fromPartner.QuerySelector("#partner-choices")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(adminId, Value(fromPartner, "#Input_SellerId"));
        AssertNow(Value(fromPartner, "#Input_At"));
        Assert.Equal($"/partners/{partnerId}?tab=conversas", Value(fromPartner, "#ReturnUrl"));
        Assert.Equal("Nova conversa", fromPartner.QuerySelector("h1")!.TextContent.Trim());

        // 2. Agenda, "Nova Conversa": nothing but the seller and now.
        var agenda = await browser.GetPage("/agenda?pq=" + Uri.EscapeDataString(name));
        var fromAgenda = await browser.GetPage(agenda.QuerySelector("#new-conversation")!.GetAttribute("href")!);
        Assert.Null(CheckedPartner(fromAgenda));
        Assert.Equal(adminId, Value(fromAgenda, "#Input_SellerId"));
        AssertNow(Value(fromAgenda, "#Input_At"));
        Assert.Equal("/agenda", Value(fromAgenda, "#ReturnUrl"));

        // 3. The side list "sem conversa a partir de hoje": its "+" pre-fills the partner.
        var plus = agenda.QuerySelectorAll("#partners-to-call a.add-conversation").Single(a => a.GetAttribute("aria-label") == $"Nova conversa com {name}");
        var fromList = await browser.GetPage(plus.GetAttribute("href")!);
        Assert.Equal(partnerId.ToString(CultureInfo.InvariantCulture), CheckedPartner(fromList));
        Assert.Equal(adminId, Value(fromList, "#Input_SellerId"));

        // 4. The calendar: a slot's date and time (what agenda.js puts in ?at=), or a day of the month view at 09:00.
        var fromSlot = await browser.GetPage("/conversations/new?at=2030-06-04T15:30&returnUrl=%2Fagenda%3Fview%3DtimeGridWeek%26date%3D2030-06-04");
        Assert.Equal("04/06/2030 15:30", Value(fromSlot, "#Input_At"));
        Assert.Null(CheckedPartner(fromSlot));
        Assert.Equal("/agenda?view=timeGridWeek&date=2030-06-04", Value(fromSlot, "#ReturnUrl"));
        var fromDay = await browser.GetPage("/conversations/new?at=2030-06-04");
        Assert.Equal("04/06/2030 09:00", Value(fromDay, "#Input_At"));

        // An off-site return URL is ignored.
        var offsite = await browser.GetPage("/conversations/new?returnUrl=https%3A%2F%2Fevil.example%2F");
        Assert.Equal("/agenda", offsite.QuerySelectorAll(".card-footer a").Single(a => a.TextContent.Trim() == "Cancelar").GetAttribute("href"));
    }

    [Fact]
    public async Task Salvar_keeps_it_editable_and_Concluir_e_salvar_makes_it_read_only()
    {
        var (api, _, partnerId, name) = await PartnerInNewWorkspace("Quitanda Trava");
        var channels = await Ids(api, "channels");
        var types = await Ids(api, "opportunity-types");
        using var browser = await App.LoggedIn();
        var form = $"/conversations/new?partnerId={partnerId}&returnUrl=%2Fagenda";
        var saved = await browser.SubmitForm(form, "form.conversation-form", new()
        {
            ["Input.ChannelId"] = channels["Telefone"].ToString(CultureInfo.InvariantCulture), ["Input.OpportunityTypeId"] = types["Cobrança"].ToString(CultureInfo.InvariantCulture),
            ["Input.Subject"] = "Boleto de outubro", ["Input.Description"] = "Ficou de pagar até sexta.", ["Input.At"] = "01/07/2030 10:15",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("/agenda", saved.Headers.Location!.OriginalString);
        var list = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/conversations?partnerId={partnerId}", Ct))!["items"]!.AsArray();
        var id = list.Single()!["id"]!.GetValue<long>();
        Assert.Equal(new DateTimeOffset(2030, 7, 1, 13, 15, 0, TimeSpan.Zero), list[0]!["at"]!.GetValue<DateTimeOffset>());

        // Saved: still a form, with both buttons.
        var editable = await browser.GetPage($"/conversations/{id}");
        Assert.Equal("Boleto de outubro", Value(editable, "#Input_Subject"));
        Assert.Equal("01/07/2030 10:15", Value(editable, "#Input_At"));
        Assert.Contains("Pendente", editable.QuerySelector(".subtitle")!.TextContent, StringComparison.Ordinal);
        var edited = await browser.Submit((IHtmlFormElement)editable.QuerySelector("form.conversation-form")!, $"/conversations/{id}",
            new() { ["Input.Subject"] = "Boleto de outubro e novembro" });
        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);

        // Concluir e salvar.
        var before = await browser.GetPage($"/conversations/{id}");
        var staleForm = (IHtmlFormElement)before.QuerySelector("form.conversation-form")!;
        var concluded = await browser.Submit(staleForm, $"/conversations/{id}", new() { ["Input.Description"] = "Pagou via Pix." }, "action", "conclude");
        Assert.Equal(HttpStatusCode.Redirect, concluded.StatusCode);
        var locked = await browser.GetPage($"/conversations/{id}");
        Assert.Null(locked.QuerySelector("form.conversation-form"));
        Assert.Empty(locked.QuerySelectorAll("input[name^='Input.'], textarea, select"));
        Assert.DoesNotContain(locked.QuerySelectorAll("button"), b => b.TextContent.Contains("Salvar", StringComparison.Ordinal));
        var text = locked.QuerySelector("main")!.TextContent;
        Assert.Contains("Esta conversa foi concluída e não pode mais ser alterada.", text, StringComparison.Ordinal);
        Assert.Contains("Boleto de outubro e novembro", text, StringComparison.Ordinal);
        Assert.Contains("Pagou via Pix.", text, StringComparison.Ordinal);
        Assert.Contains("01/07/2030 10:15", text, StringComparison.Ordinal);
        Assert.Contains(name, text, StringComparison.Ordinal);

        // The form read before concluding can no longer change it, nor can the API.
        var refused = await browser.Submit(staleForm, $"/conversations/{id}", new() { ["Input.Subject"] = "Tentativa depois" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("não pode mais ser alterada", (await HtmlClient.Parse(refused)).QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await Patch(api, id, new { subject = "Pela API" }, 3)).StatusCode);
        var current = await Json(await api.GetAsync($"/api/v1/conversations/{id}", Ct), HttpStatusCode.OK);
        Assert.Equal("Boleto de outubro e novembro", current["subject"]!.GetValue<string>());

        // The partner's tab shows it as done, and the agenda feed as not draggable.
        var tab = await browser.GetPage($"/partners/{partnerId}?tab=conversas");
        Assert.Contains("Concluída", tab.QuerySelector("#conversas tbody")!.TextContent, StringComparison.Ordinal);
        var feed = await browser.GetFromJsonAsync<JsonArray>("/api/v1/agenda/events?start=2030-07-01&end=2030-07-02&sellerId=" + current["sellerId"], Ct);
        var ev = feed!.Single(e => e!["id"]!.GetValue<long>() == id)!;
        Assert.False(ev["editable"]!.GetValue<bool>());
        Assert.Equal("conv-done", ev["classNames"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Invalid_form_names_the_fields_and_keeps_what_was_typed()
    {
        var (_, _, partnerId, _) = await PartnerInNewWorkspace("Papelaria Erros");
        using var browser = await App.LoggedIn();
        var empty = await browser.SubmitForm("/conversations/new", "form.conversation-form", new()
        {
            ["Input.Subject"] = "Assunto digitado <b>com</b> acentuação", ["Input.At"] = "",
        });
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        var page = await HtmlClient.Parse(empty);
        Assert.Equal("Data e hora são obrigatórias.", FieldError(page, "Input.At"));
        Assert.Equal("Assunto digitado <b>com</b> acentuação", Value(page, "#Input_Subject"));

        var impossible = await HtmlClient.Parse(await browser.Submit((IHtmlFormElement)page.QuerySelector("form.conversation-form")!, "/conversations/new",
            new() { ["Input.At"] = "31/02/2030 10:00" }));
        Assert.Equal("Data e hora: o dia 31/02/2030 não existe.", FieldError(impossible, "Input.At"));
        Assert.Equal("31/02/2030 10:00", Value(impossible, "#Input_At"));

        var refused = await browser.Submit((IHtmlFormElement)page.QuerySelector("form.conversation-form")!, "/conversations/new", new() { ["Input.At"] = "1/8/2030 8:00" });
        var refusedPage = await HtmlClient.Parse(refused);
        Assert.Equal("Entidade é obrigatória.", FieldError(refusedPage, "Input.PartnerId"));
        Assert.Equal("Canal de comunicação é obrigatório.", FieldError(refusedPage, "Input.ChannelId"));
        Assert.Equal("Tipo de oportunidade é obrigatório.", FieldError(refusedPage, "Input.OpportunityTypeId"));
        Assert.Equal("Descrição é obrigatória.", FieldError(refusedPage, "Input.Description"));
        Assert.Equal("", FieldError(refusedPage, "Input.Subject"));
        Assert.Equal("1/8/2030 8:00", Value(refusedPage, "#Input_At"));

        var badTicket = await browser.SubmitForm($"/conversations/new?partnerId={partnerId}", "form.conversation-form", new()
        {
            ["Input.ChannelId"] = "1", ["Input.OpportunityTypeId"] = "1", ["Input.Subject"] = "S", ["Input.Description"] = "D", ["Input.TicketReference"] = "atd-999999",
        });
        var badTicketPage = await HtmlClient.Parse(badTicket);
        Assert.Equal("Atendimento atd-999999 não encontrado ou sem acesso para você.", FieldError(badTicketPage, "Input.TicketId"));
        Assert.Equal(partnerId.ToString(CultureInfo.InvariantCulture), CheckedPartner(badTicketPage));
        Assert.Empty(badTicketPage.QuerySelectorAll("main script"));
    }

    [Fact]
    public async Task The_date_is_typed_as_dd_mm_aaaa_hh_mm_and_a_bad_one_is_refused_at_the_top_with_focus_on_it()
    {
        var (api, _, partnerId, _) = await PartnerInNewWorkspace("Floricultura Datas");
        using var browser = await App.LoggedIn();
        var url = $"/conversations/new?partnerId={partnerId}";
        var page = await browser.GetPage(url);
        var at = (IHtmlInputElement)page.QuerySelector("#Input_At")!;
        Assert.Equal("text", at.Type);
        Assert.Equal("dd/mm/aaaa hh:mm", at.Placeholder);
        Assert.Null(page.QuerySelector("#error-summary"));
        var form = (IHtmlFormElement)page.QuerySelector("form.conversation-form")!;
        var fields = new Dictionary<string, string>
        {
            ["Input.ChannelId"] = "1", ["Input.OpportunityTypeId"] = "1", ["Input.Subject"] = "Arranjos para o casamento", ["Input.Description"] = "Orçamento de 40 arranjos.",
        };

        foreach (var (typed, message) in new[]
        {
            ("31/02/2026", "Data e hora: o dia 31/02/2026 não existe."),
            ("99/99/9999", "Data e hora: o dia 99/99/9999 não existe."),
            ("01/01/9999 10:00", "Data e hora: o ano 9999 está fora do intervalo aceito (2000 a 2100)."),
            ("depois do almoço", "Data e hora: use o formato dd/mm/aaaa hh:mm, por exemplo 22/11/2026 14:30."),
        })
        {
            var refused = await browser.Submit(form, url, new(fields) { ["Input.At"] = typed });
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            var shown = await HtmlClient.Parse(refused);
            Assert.Equal(message, FieldError(shown, "Input.At"));
            Assert.Equal(typed, Value(shown, "#Input_At"));
            Assert.Equal("Arranjos para o casamento", Value(shown, "#Input_Subject"));
            // The summary at the top of the form names it and links to the field, which has the focus.
            var summary = shown.QuerySelector("form.conversation-form .card-body > #error-summary")!;
            Assert.Equal("alert", summary.GetAttribute("role"));
            var link = summary.QuerySelector("li a")!;
            Assert.Equal(message, link.TextContent.Trim());
            Assert.Equal("#Input_At", link.GetAttribute("href"));
            Assert.Equal(["Input_At"], shown.QuerySelectorAll("[autofocus]").Select(e => e.Id));
            Assert.Equal("true", shown.QuerySelector("#Input_At")!.GetAttribute("aria-invalid"));
            Assert.Empty((await api.GetFromJsonAsync<JsonObject>($"/api/v1/conversations?partnerId={partnerId}", Ct))!["items"]!.AsArray());
        }

        var saved = await browser.Submit(form, url, new(fields) { ["Input.At"] = "25/12/2026 14:30" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var list = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/conversations?partnerId={partnerId}", Ct))!["items"]!.AsArray();
        Assert.Equal(new DateTimeOffset(2026, 12, 25, 17, 30, 0, TimeSpan.Zero), list.Single()!["at"]!.GetValue<DateTimeOffset>());
        var edit = await browser.GetPage($"/conversations/{list[0]!["id"]}");
        Assert.Equal("25/12/2026 14:30", Value(edit, "#Input_At"));

        // A day alone is at the start of the working day.
        var dayOnly = await browser.Submit(form, url, new(fields) { ["Input.At"] = "26/12/2026" });
        Assert.Equal(HttpStatusCode.Redirect, dayOnly.StatusCode);
        var second = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/conversations?partnerId={partnerId}", Ct))!["items"]!.AsArray()
            .Single(c => c!["id"]!.GetValue<long>() != list[0]!["id"]!.GetValue<long>())!;
        Assert.Equal(new DateTimeOffset(2026, 12, 26, 12, 0, 0, TimeSpan.Zero), second["at"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task The_error_summary_lists_every_error_in_the_form_order_and_focuses_the_first()
    {
        using var browser = await App.LoggedIn();
        var refused = await HtmlClient.Parse(await browser.SubmitForm("/conversations/new", "form.conversation-form", new()
        {
            ["Input.Subject"] = "Sem entidade", ["Input.At"] = "10/10/2030 10:00",
        }));
        var summary = refused.QuerySelector("#error-summary")!;
        Assert.Contains("corrija os 4 itens abaixo", summary.TextContent, StringComparison.Ordinal);
        Assert.Equal(
            [("#PartnerQuery", "Entidade é obrigatória."), ("#Input_ChannelId", "Canal de comunicação é obrigatório."),
             ("#Input_OpportunityTypeId", "Tipo de oportunidade é obrigatório."), ("#Input_Description", "Descrição é obrigatória.")],
            summary.QuerySelectorAll("li a").Select(a => (a.GetAttribute("href"), a.TextContent.Trim())));
        Assert.Equal(["PartnerQuery"], refused.QuerySelectorAll("[autofocus]").Select(e => e.Id));
        // A date that can't be read is reported together with the other fields, not in a second round.
        var both = await HtmlClient.Parse(await browser.SubmitForm("/conversations/new", "form.conversation-form", new()
        {
            ["Input.Subject"] = "Sem entidade", ["Input.At"] = "31/02/2026 10:00",
        }));
        Assert.Equal(
            ["Entidade é obrigatória.", "Canal de comunicação é obrigatório.", "Tipo de oportunidade é obrigatório.",
             "Data e hora: o dia 31/02/2026 não existe.", "Descrição é obrigatória."],
            both.QuerySelectorAll("#error-summary li a").Select(a => a.TextContent.Trim()));
        // The summary comes before every field.
        Assert.Same(summary, refused.QuerySelectorAll("form.conversation-form #error-summary, form.conversation-form input:not([type='hidden']), form.conversation-form select, form.conversation-form textarea")
            .First(e => e.GetAttribute("type") != "submit"));
    }

    [Fact]
    public async Task Partner_search_in_the_form_works_with_htmx_and_without_javascript()
    {
        var (_, _, partnerId, name) = await PartnerInNewWorkspace("Sorveteria Açaí Gelado");
        using var browser = await App.LoggedIn();
        var words = name.Split(' ');
        var query = "acai " + words[^1];

        using var htmx = new HttpRequestMessage(HttpMethod.Get, "/conversations/new?handler=Partners&PartnerQuery=" + Uri.EscapeDataString(query));
        htmx.Headers.Add("HX-Request", "true");
        var fragment = await (await browser.SendAsync(htmx, Ct)).Content.ReadAsStringAsync(Ct);
        Assert.StartsWith("<div id=\"partner-choices\"", fragment.TrimStart(), StringComparison.Ordinal);
        Assert.DoesNotContain("<html", fragment, StringComparison.Ordinal);
        var parsed = new HtmlParser().ParseDocument(fragment);
        Assert.Equal(partnerId.ToString(CultureInfo.InvariantCulture), parsed.QuerySelector("input[name='Input.PartnerId']")!.GetAttribute("value"));
        Assert.Contains(name, parsed.Body!.TextContent, StringComparison.Ordinal);

        // Without JavaScript: "Buscar" posts the form and it comes back with the choices and what was typed.
        var page = await browser.GetPage("/conversations/new");
        var found = await browser.Submit((IHtmlFormElement)page.QuerySelector("form.conversation-form")!, "/conversations/new?handler=FindPartner",
            new() { ["PartnerQuery"] = query, ["Input.Subject"] = "Pedido de picolés" });
        var foundPage = await HtmlClient.Parse(found);
        Assert.Contains(name, foundPage.QuerySelector("#partner-choices")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Pedido de picolés", Value(foundPage, "#Input_Subject"));
        Assert.Equal("", FieldError(foundPage, "Input.PartnerId"));
    }

    [Fact]
    public async Task Partner_tab_lists_conversations_newest_first_with_older_ones_on_the_next_page()
    {
        var (api, _, partnerId, _) = await PartnerInNewWorkspace("Drogaria Histórico");
        for (var i = 1; i <= 22; i++)
        {
            await Conversation(api, partnerId, at: $"2028-01-{i:00}T09:00", subject: $"Conversa {i:00}", concluded: i % 2 == 0);
        }
        using var browser = await App.LoggedIn();
        var page = await browser.GetPage($"/partners/{partnerId}?tab=conversas");
        var subjects = page.QuerySelectorAll("#conversas tbody tr td:nth-child(2) a").Select(a => a.TextContent.Trim()).ToList();
        Assert.Equal(20, subjects.Count);
        Assert.Equal("Conversa 22", subjects[0]);
        Assert.Equal("Conversa 03", subjects[^1]);
        Assert.Equal("22/01/2028 09:00", page.QuerySelector("#conversas tbody tr td")!.TextContent.Trim());
        var older = page.QuerySelectorAll("#conversas a").Single(a => a.TextContent.Contains("Mais antigas", StringComparison.Ordinal)).GetAttribute("href")!;
        var page2 = await browser.GetPage($"/partners/{partnerId}" + older);
        Assert.Equal(["Conversa 02", "Conversa 01"], page2.QuerySelectorAll("#conversas tbody tr td:nth-child(2) a").Select(a => a.TextContent.Trim()));
        Assert.Equal("tab-conversas", page2.QuerySelector(".nav-tabs .nav-link.active")!.Id);
    }

    [Fact]
    public async Task Agenda_side_list_searches_and_pages_as_htmx_fragments()
    {
        var api = App.Api(fixture.AdminToken);
        var ws = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Lista"));
        var tag = "Lateral" + Guid.NewGuid().ToString("N")[..6];
        for (var i = 1; i <= 17; i++)
        {
            await Partner(api, ws, $"{tag} Cliente {i:00}");
        }
        await Partner(api, ws, $"{tag} Mercado Central");
        var called = await Partner(api, ws, $"{tag} Já agendada");
        await Conversation(api, called, at: Local(DateTimeOffset.UtcNow.AddDays(2)));
        using var browser = await App.LoggedIn();

        var page = await browser.GetPage("/agenda?pq=" + tag);
        var names = page.QuerySelectorAll("#partners-to-call a.partner-link").Select(a => a.TextContent.Trim()).ToList();
        Assert.Equal(15, names.Count);
        Assert.DoesNotContain($"{tag} Já agendada", names);

        using var search = new HttpRequestMessage(HttpMethod.Get, $"/agenda?handler=Partners&pq={tag}%20mercado");
        search.Headers.Add("HX-Request", "true");
        var fragment = await (await browser.SendAsync(search, Ct)).Content.ReadAsStringAsync(Ct);
        Assert.StartsWith("<ul id=\"partners-to-call\"", fragment.TrimStart(), StringComparison.Ordinal);
        Assert.Equal([$"{tag} Mercado Central"], new HtmlParser().ParseDocument(fragment).QuerySelectorAll("a.partner-link").Select(a => a.TextContent.Trim()));

        var more = page.QuerySelector("#partners-to-call .more-item a")!.GetAttribute("hx-get")!;
        using var next = new HttpRequestMessage(HttpMethod.Get, more);
        next.Headers.Add("HX-Request", "true");
        var items = await (await browser.SendAsync(next, Ct)).Content.ReadAsStringAsync(Ct);
        Assert.StartsWith("<li", items.TrimStart(), StringComparison.Ordinal);
        var rest = new HtmlParser().ParseDocument("<ul>" + items + "</ul>").QuerySelectorAll("a.partner-link").Select(a => a.TextContent.Trim());
        Assert.Equal([$"{tag} Cliente 16", $"{tag} Cliente 17", $"{tag} Mercado Central"], rest);
    }

    [Fact]
    public async Task Dragging_on_the_calendar_reschedules_a_pending_conversation_but_not_a_concluded_one()
    {
        var (api, _, partnerId, _) = await PartnerInNewWorkspace("Oficina Remarcada");
        var pending = await Conversation(api, partnerId, at: "2030-09-02T10:00");
        var done = await Conversation(api, partnerId, at: "2030-09-02T11:00", concluded: true);
        using var browser = await App.LoggedIn();
        var agenda = await browser.GetPage("/agenda");
        var token = agenda.QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!;

        async Task<HttpResponseMessage> Move(JsonObject conversation, int version, string at)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/agenda?handler=Reschedule")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["id"] = conversation["id"]!.ToString(), ["version"] = version.ToString(CultureInfo.InvariantCulture), ["at"] = at,
                }),
            };
            request.Headers.Add("RequestVerificationToken", token);
            return await browser.SendAsync(request, Ct);
        }

        var moved = await Json(await Move(pending, 1, "2030-09-03T16:30"), HttpStatusCode.OK);
        Assert.Equal(2, moved["version"]!.GetValue<int>());
        Assert.Equal("03/09/2030 16:30", moved["at"]!.GetValue<string>());
        var now = await Json(await api.GetAsync($"/api/v1/conversations/{pending["id"]}", Ct), HttpStatusCode.OK);
        Assert.Equal(new DateTimeOffset(2030, 9, 3, 19, 30, 0, TimeSpan.Zero), now["at"]!.GetValue<DateTimeOffset>());

        var stale = await Json(await Move(pending, 1, "2030-09-04T16:30"), HttpStatusCode.PreconditionFailed);
        Assert.Contains("alterada por outra pessoa", stale["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var locked = await Json(await Move(done, 1, "2030-09-04T08:00"), HttpStatusCode.Conflict);
        Assert.Equal("Esta conversa foi concluída e não pode mais ser alterada.", locked["message"]!.GetValue<string>());

        using var withoutToken = new HttpRequestMessage(HttpMethod.Post, "/agenda?handler=Reschedule")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["id"] = pending["id"]!.ToString(), ["version"] = "2", ["at"] = "2030-09-05T08:00" }),
        };
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.SendAsync(withoutToken, Ct)).StatusCode);
    }

    [Fact]
    public async Task Agenda_page_shows_the_calendar_in_the_company_time_zone_with_its_filters()
    {
        using var browser = await App.LoggedIn();
        var page = await browser.GetPage("/agenda?view=dayGridMonth&date=2030-05-10&seller=all");
        var calendar = page.QuerySelector("#calendar")!;
        Assert.Equal("America/Sao_Paulo", calendar.GetAttribute("data-time-zone"));
        Assert.Equal("dayGridMonth", calendar.GetAttribute("data-initial-view"));
        Assert.Equal("2030-05-10", calendar.GetAttribute("data-initial-date"));
        Assert.Equal("all", Value(page, "#seller"));
        Assert.Contains("WhatsApp", JsonNode.Parse(calendar.GetAttribute("data-channels")!)!.AsObject().Select(c => c.Value!.GetValue<string>()));
        Assert.Equal("Agenda", page.QuerySelector("#sidebar .nav-link.active")!.TextContent.Trim());
        Assert.NotNull(page.QuerySelector("script[src='/lib/fullcalendar/locales/pt-br.global.min.js']"));
        // By default an agent's own agenda: the seller filter is the caller.
        var mine = await browser.GetPage("/agenda");
        Assert.Equal((await UserId(App.Api(fixture.AdminToken), TestApp.AdminEmail)).ToString(CultureInfo.InvariantCulture), Value(mine, "#seller"));
        Assert.Equal("timeGridWeek", mine.QuerySelector("#calendar")!.GetAttribute("data-initial-view"));
    }
}

public sealed class ConversationPageTestsSqlite(SqliteFixture fixture) : ConversationPageTests(fixture), IClassFixture<SqliteFixture>;

public sealed class ConversationPageTestsPostgres(PostgresFixture fixture) : ConversationPageTests(fixture), IClassFixture<PostgresFixture>;
