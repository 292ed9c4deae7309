using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;
using static Atende.Web.Tests.Settings.PageHelpers;

namespace Atende.Web.Tests.Email;

/// <summary>Configurações → Modelos de e-mail, and "Inserir modelo" on the ticket page, as people use them.</summary>
public abstract class EmailTemplatePageTests(AppFixture fixture)
{
    private TestApp App => fixture.App;

    private static string TextArea(IHtmlDocument page, string selector) =>
        (page.QuerySelector(selector) as IHtmlTextAreaElement)?.Value ?? throw new InvalidOperationException($"No textarea '{selector}'.");

    /// <summary>Submits <paramref name="form"/> to another action, as its Pré-visualizar button does (with htmx's header when asked).</summary>
    private static async Task<HttpResponseMessage> SubmitTo(HttpClient browser, IHtmlFormElement form, string action, Dictionary<string, string> values, bool htmx)
    {
        form.SetAttribute("action", action);
        if (htmx)
        {
            browser.DefaultRequestHeaders.Add("HX-Request", "true");
        }
        try
        {
            return await browser.Submit(form, action, values);
        }
        finally
        {
            browser.DefaultRequestHeaders.Remove("HX-Request");
        }
    }

    [Fact]
    public async Task A_fresh_install_lists_the_automatic_emails_an_empty_state_and_agents_are_denied()
    {
        await using var app = await TestApp.Start(fixture.Provider);
        var adminToken = await app.Setup();
        using var admin = await app.LoggedIn();
        var page = await admin.GetPage("/settings/email-templates");
        Assert.NotNull(page.QuerySelector("nav a.nav-link.active[href='/settings/email-templates']"));
        var rows = page.QuerySelectorAll("#automatic-templates tbody tr").ToList();
        Assert.Equal(["Mudança de situação", "Notificar", "Salvar e notificar", "Confirmação do portal", "Mensagem do portal", "Chat: cliente ausente"], rows.Select(r => r.QuerySelector("td .fw-semibold")!.TextContent.Trim()));
        Assert.All(rows, r => Assert.Contains("Texto padrão", r.TextContent, StringComparison.Ordinal));
        Assert.All(rows, r => Assert.Contains("—", r.QuerySelectorAll("td")[3].TextContent, StringComparison.Ordinal));
        Assert.All(rows, r => Assert.Contains("Ativo", r.TextContent, StringComparison.Ordinal));
        Assert.All(rows, r => Assert.Empty(r.QuerySelectorAll("form")));
        Assert.Contains("Nenhum modelo ainda", page.QuerySelector("#custom-title")!.Closest("section")!.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("#custom-templates"));

        var workspaceId = await app.CreateWorkspace(adminToken, Unique("Filial"));
        var email = $"{Guid.NewGuid():N}@empresa.test";
        await app.CreateUser(adminToken, email, "Agent", workspaceId);
        using var agent = await app.LoggedIn(email);
        foreach (var url in new[] { "/settings/email-templates", "/settings/email-templates/new", $"/settings/email-templates/{rows[0].GetAttribute("data-template-id")}/edit" })
        {
            var response = await agent.GetAsync(url, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/acesso-negado", StringComparison.Ordinal),
                $"{url} answered {(int)response.StatusCode} {response.Headers.Location}");
        }
        Assert.Null((await agent.GetPage("/")).QuerySelector("a[href='/settings/email-templates']"));
    }

    [Fact]
    public async Task A_template_created_through_the_form_keeps_what_was_typed_when_refused_and_can_be_deleted_after_confirming()
    {
        using var admin = await App.LoggedIn();
        var name = Unique("Envio de boleto");
        var typed = new Dictionary<string, string>
        {
            ["Input.Name"] = name, ["Input.Subject"] = "Boleto {{ atendimento.referencia }}", ["Input.Body"] = "<p>Olá, {{contato.nome}}. {{foo}}</p>",
        };
        var refused = await admin.SubmitForm("/settings/email-templates/new", "#template-form", typed);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await HtmlClient.Parse(refused);
        Assert.Equal("Marcador desconhecido: {{foo}}. Use um dos marcadores da lista.", FieldError(page, "Input.Body"));
        Assert.Equal(name, Value(page, "#Input_Name"));
        Assert.Equal("Boleto {{ atendimento.referencia }}", Value(page, "#Input_Subject"));
        Assert.Equal("<p>Olá, {{contato.nome}}. {{foo}}</p>", TextArea(page, "#Input_Body"));
        Assert.Contains("is-invalid", page.QuerySelector("#Input_Body")!.ClassName, StringComparison.Ordinal);
        // The placeholders to click in, {{interacao}} only where it belongs; the subject's help states the [ALIAS-n] rule.
        var chips = page.QuerySelectorAll("[data-insert-placeholder]").Select(b => b.GetAttribute("data-insert-placeholder")).ToList();
        Assert.Contains("{{contato.nome}}", chips);
        Assert.Contains("{{link}}", chips);
        Assert.DoesNotContain("{{interacao}}", chips);
        Assert.Contains("o Atende a coloca no início", page.QuerySelector("#subject-help")!.TextContent, StringComparison.Ordinal);

        typed["Input.Body"] = "<p>Olá, {{contato.nome}}. Segue o boleto.</p>";
        var created = await admin.SubmitForm("/settings/email-templates/new", "#template-form", typed);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var list = await admin.GetPage("/settings/email-templates");
        Assert.Contains($"Modelo \"{name}\" criado.", Text(list), StringComparison.Ordinal);
        var row = list.QuerySelectorAll("#custom-templates tbody tr").Single(r => r.TextContent.Contains(name, StringComparison.Ordinal));
        Assert.Contains("Ativo", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Administradora Teste", row.TextContent, StringComparison.Ordinal);

        // Editing: a save based on an old version is refused and keeps the typed text.
        var editUrl = row.QuerySelector("a.row-link")!.GetAttribute("href")!;
        var edit = await admin.GetPage(editUrl);
        Assert.Null(edit.QuerySelector("form[action*='handler=Restore']"));
        using (var api = App.Api(fixture.AdminToken))
        {
            await TicketSteps.Json(await TicketSteps.Patch(api, $"/api/v1/settings/email-templates/{row.GetAttribute("data-template-id")}", new { subject = "Outro" }, "\"1\""), HttpStatusCode.OK);
        }
        var stale = await HtmlClient.Parse(await admin.Submit((IHtmlFormElement)edit.QuerySelector("#template-form")!, editUrl, new() { ["Input.Subject"] = "Meu assunto" }));
        Assert.Contains("alterado por outra pessoa", stale.QuerySelector("#stale-alert")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Meu assunto", Value(stale, "#Input_Subject"));

        var delete = FormOfButton(list, $"Excluir {name}");
        Assert.Contains(name, delete.GetAttribute("data-confirm"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.Submit(delete, "/settings/email-templates", [])).StatusCode);
        var after = await admin.GetPage("/settings/email-templates");
        Assert.Contains($"Modelo \"{name}\" excluído.", Text(after), StringComparison.Ordinal);
        Assert.DoesNotContain(after.QuerySelectorAll("#custom-templates tbody tr"), r => r.TextContent.Contains(name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_automatic_template_is_edited_restored_after_confirming_and_never_offered_for_deletion()
    {
        using var admin = await App.LoggedIn();
        var list = await admin.GetPage("/settings/email-templates");
        var row = list.QuerySelectorAll("#automatic-templates tbody tr").Single(r => r.TextContent.Contains("Salvar e notificar", StringComparison.Ordinal));
        var url = row.QuerySelector("a.row-link")!.GetAttribute("href")!;
        var edit = await admin.GetPage(url);
        Assert.Contains("{{interacao}}", edit.QuerySelectorAll("[data-insert-placeholder]").Select(b => b.GetAttribute("data-insert-placeholder")));
        Assert.Null(edit.QuerySelector("form[action*='handler=Delete']"));
        Assert.True(edit.QuerySelector("form[action*='handler=Restore'] button")!.HasAttribute("disabled"));

        var refused = await HtmlClient.Parse(await admin.SubmitForm(url, "#template-form", new() { ["Input.Body"] = "<p>Olá</p>" }));
        Assert.Contains("precisa do marcador {{interacao}}", FieldError(refused, "Input.Body"), StringComparison.Ordinal);
        var saved = await admin.SubmitForm(url, "#template-form", new() { ["Input.Body"] = "<p>Olá, {{contato.nome}}!</p>{{interacao}}", ["Input.Active"] = "false" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        list = await admin.GetPage("/settings/email-templates");
        row = list.QuerySelector($"#{row.Id}")!;
        Assert.Contains("Desativado", row.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Texto padrão", row.TextContent, StringComparison.Ordinal);

        edit = await admin.GetPage(url);
        var restore = (IHtmlFormElement)edit.QuerySelector("form[action*='handler=Restore']")!;
        Assert.Contains("Restaurar o texto padrão", restore.GetAttribute("data-confirm"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.Submit(restore, url, [])).StatusCode);
        edit = await admin.GetPage(url);
        Assert.Contains("Texto padrão de \"Salvar e notificar\" restaurado.", Text(edit), StringComparison.Ordinal);
        Assert.Contains("{{interacao}}", TextArea(edit, "#Input_Body"), StringComparison.Ordinal);
        Assert.False(((IHtmlInputElement)edit.QuerySelector("#Input_Active")!).IsChecked);
        // Active again, as the other tests of this app expect.
        await admin.SubmitForm(url, "#template-form", new() { ["Input.Active"] = "true" });
    }

    [Fact]
    public async Task The_preview_renders_what_is_typed_through_htmx_or_the_whole_page_with_samples_or_a_ticket()
    {
        using var api = App.Api(fixture.AdminToken);
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio"));
        var pipeline = await TicketSteps.Pipeline(api);
        var (partnerId, contactId) = await TicketSteps.Partner(api, workspaceId, Unique("Cliente"), "Rita");
        var ticket = await TicketSteps.Ticket(api, pipeline["id"]!.GetValue<long>(), partnerId, contactId, "<b>Título</b> & cia");
        using var admin = await App.LoggedIn();
        var page = await admin.GetPage("/settings/email-templates/new");
        var form = (IHtmlFormElement)page.QuerySelector("#template-form")!;
        var previewButton = page.QuerySelector("#preview-button")!;
        var action = previewButton.GetAttribute("formaction")!;
        Assert.Equal(action, previewButton.GetAttribute("hx-post"));
        Assert.Equal("#template-preview", previewButton.GetAttribute("hx-target"));
        var typed = new Dictionary<string, string>
        {
            ["Input.Name"] = "Rascunho", ["Input.Subject"] = "Oi {{contato.nome}}", ["Input.Body"] = "<p>{{atendimento.titulo}} — {{empresa.nome}}</p>",
        };

        // htmx: only the preview fragment comes back.
        var fragment = await SubmitTo(admin, form, action, typed, htmx: true);
        Assert.Equal(HttpStatusCode.OK, fragment.StatusCode);
        var html = await fragment.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("<html", html, StringComparison.OrdinalIgnoreCase);
        var preview = new HtmlParser().ParseDocument(html);
        Assert.Equal("template-preview", preview.Body!.FirstElementChild!.Id);
        Assert.Equal("[SUP-123] Oi Maria Souza", preview.QuerySelector(".preview-subject")!.TextContent.Trim());
        Assert.Contains("Segunda via do boleto — Empresa de Teste Ltda", preview.QuerySelector(".email-preview")!.TextContent, StringComparison.Ordinal);

        // A ticket's values, escaped.
        typed["PreviewTicket"] = ticket["reference"]!.GetValue<string>().ToLowerInvariant();
        preview = await HtmlClient.Parse(await SubmitTo(admin, form, action, typed, htmx: true));
        Assert.Equal($"[{ticket["reference"]}] Oi Rita", preview.QuerySelector(".preview-subject")!.TextContent.Trim());
        Assert.Contains("&lt;b&gt;Título&lt;/b&gt; &amp; cia", preview.QuerySelector(".email-preview")!.InnerHtml, StringComparison.Ordinal);
        Assert.Null(preview.QuerySelector(".email-preview b"));

        // Errors come back in the fragment (200, so htmx swaps it).
        typed["PreviewTicket"] = "NAOEXISTE-1";
        preview = await HtmlClient.Parse(await SubmitTo(admin, form, action, typed, htmx: true));
        Assert.Contains("Nenhum atendimento com a referência NAOEXISTE-1.", preview.QuerySelector(".alert-danger")!.TextContent, StringComparison.Ordinal);
        typed["PreviewTicket"] = "";
        typed["Input.Body"] = "<p>{{ foo</p>";
        preview = await HtmlClient.Parse(await SubmitTo(admin, form, action, typed, htmx: true));
        Assert.Contains("Marcador malformado: \"{{ foo\"", preview.QuerySelector(".alert-danger")!.TextContent, StringComparison.Ordinal);

        // Without JavaScript: the whole page, the preview filled and everything typed still there (nothing saved).
        typed["Input.Body"] = "<p>{{atendimento.titulo}} <a href=\"{{link}}\">abrir</a></p>";
        var full = await SubmitTo(admin, form, action, typed, htmx: false);
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        page = await HtmlClient.Parse(full);
        Assert.Equal("Rascunho", Value(page, "#Input_Name"));
        Assert.Equal(typed["Input.Body"], TextArea(page, "#Input_Body"));
        Assert.Equal("[SUP-123] Oi Maria Souza", page.QuerySelector("#template-preview .preview-subject")!.TextContent.Trim());
        Assert.Contains("abrir (http://localhost/tickets/123)", page.QuerySelector("#template-preview .preview-text")!.TextContent, StringComparison.Ordinal);
        Assert.Null(ByName(await Items(api, "/api/v1/settings/email-templates?purpose=Custom&limit=200"), "Rascunho"));
    }

    [Fact]
    public async Task The_ticket_page_inserts_an_active_template_filled_in_for_that_ticket_and_hides_it_from_others()
    {
        using var api = App.Api(fixture.AdminToken);
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio"));
        var agentEmail = $"{Guid.NewGuid():N}@empresa.test";
        var outsiderEmail = $"{Guid.NewGuid():N}@empresa.test";
        var (agentId, _) = await App.CreateUser(fixture.AdminToken, agentEmail, "Agent", workspaceId);
        await App.CreateUser(fixture.AdminToken, outsiderEmail, "Agent", workspaceId);
        var pipeline = await TicketSteps.Pipeline(api, users: [agentId]);
        var (partnerId, contactId) = await TicketSteps.Partner(api, workspaceId, Unique("Cliente"), "Bia");
        var ticket = await TicketSteps.Ticket(api, pipeline["id"]!.GetValue<long>(), partnerId, contactId, "<script>alert(1)</script>");
        var id = ticket["id"]!.GetValue<long>();
        var name = Unique("Pedido de documentos");
        var template = await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/settings/email-templates", new
        {
            name, subject = "Documentos", body = "<p>Olá, {{contato.nome}}. Sobre <b>{{atendimento.titulo}}</b>, envie os documentos.</p>",
        }, Ct), HttpStatusCode.Created);
        var inactiveName = Unique("Antigo");
        await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/settings/email-templates", new { name = inactiveName, subject = "s", body = "b", active = false }, Ct), HttpStatusCode.Created);
        const string expected = "<p>Olá, Bia. Sobre <b>&lt;script&gt;alert(1)&lt;/script&gt;</b>, envie os documentos.</p>";

        using var agent = await App.LoggedIn(agentEmail);
        var page = await agent.GetPage($"/tickets/{id}");
        var options = page.QuerySelectorAll("#template-id option").Select(o => o.TextContent.Trim()).ToList();
        Assert.Contains(name, options);
        Assert.DoesNotContain(inactiveName, options);
        Assert.DoesNotContain("Mudança de situação", options);
        var insertForm = (IHtmlFormElement)page.QuerySelector("#insert-template-form")!;
        Assert.Equal("get", insertForm.Method);
        Assert.Equal("insert-template-form", page.QuerySelector("#template-id")!.GetAttribute("form"));

        // Without JavaScript: a GET re-renders the page with the interaction filled in.
        var filled = await agent.GetPage($"/tickets/{id}?templateId={template["id"]}&tab=timeline");
        Assert.Equal(expected, TextArea(filled, "#body"));
        Assert.Contains("active", filled.QuerySelector("#timeline")!.ClassName, StringComparison.Ordinal);
        // With JavaScript: the same, as JSON for the editor.
        var json = await TicketSteps.Json(await agent.GetAsync($"/tickets/{id}?handler=RenderTemplate&templateId={template["id"]}", Ct), HttpStatusCode.OK);
        Assert.Equal(expected, json["html"]!.GetValue<string>());
        Assert.Equal($"[{ticket["reference"]}] Documentos", json["subject"]!.GetValue<string>());
        // A template deactivated meanwhile is refused with a message, the page still opens.
        var gone = await agent.GetPage($"/tickets/{id}?templateId=987654321");
        Assert.Contains("não encontrado ou desativado", gone.QuerySelector("#template-error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("", TextArea(gone, "#body"));

        // The filled-in text is saved as the interaction, escaped values and all.
        var posted = await agent.Submit((IHtmlFormElement)filled.QuerySelector("#nova-interacao")!, $"/tickets/{id}", []);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var interactions = await TicketSteps.Json(await api.GetAsync($"/api/v1/tickets/{id}/interactions", Ct), HttpStatusCode.OK);
        Assert.Equal(expected, interactions["items"]![0]!["body"]!.GetValue<string>());

        // An agent who may not see the ticket gets 404 either way.
        using var outsider = await App.LoggedIn(outsiderEmail);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/tickets/{id}?templateId={template["id"]}", Ct)).StatusCode);
        var denied = await outsider.GetAsync($"/tickets/{id}?handler=RenderTemplate&templateId={template["id"]}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, denied.StatusCode);
        Assert.DoesNotContain("Bia", await denied.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}

public sealed class EmailTemplatePageTestsSqlite(SqliteFixture f) : EmailTemplatePageTests(f), IClassFixture<SqliteFixture>;

public sealed class EmailTemplatePageTestsPostgres(PostgresFixture f) : EmailTemplatePageTests(f), IClassFixture<PostgresFixture>;
