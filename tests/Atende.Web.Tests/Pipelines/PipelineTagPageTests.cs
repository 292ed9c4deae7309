using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;
using static Atende.Web.Tests.Settings.PageHelpers;

namespace Atende.Web.Tests.Pipelines;

/// <summary>/pipelines/{id}/tags: create, rename, recolor, reorder and delete a pipeline's tags, with and without htmx.</summary>
public abstract class PipelineTagPageTests(AppFixture fixture)
{
    private TestApp App => fixture.App;

    private static async Task<JsonObject[]> Tags(HttpClient api, long pipelineId) =>
        (await Items(api, $"/api/v1/pipelines/{pipelineId}/tags")).Select(t => t!.AsObject()).ToArray();

    private static string[] Names(IEnumerable<JsonObject> tags) => tags.Select(t => t["name"]!.GetValue<string>()).ToArray();

    private static async Task<(HttpClient Api, long Id, string Url)> NewPipeline(AppFixture fixture, params string[] tags)
    {
        var api = fixture.App.Api(fixture.AdminToken);
        var id = (await TicketSteps.Pipeline(api, tags: tags))["id"]!.GetValue<long>();
        return (api, id, $"/pipelines/{id}/tags");
    }

    /// <summary>Posts with htmx's headers (the anti-forgery token in RequestVerificationToken, as site.js sends it).</summary>
    private static async Task<HttpResponseMessage> HtmxPost(HttpClient browser, IHtmlDocument page, string url, IEnumerable<KeyValuePair<string, string>> fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("HX-Request", "true");
        request.Headers.Add("RequestVerificationToken", Value(page, "#tag-panel input[name='__RequestVerificationToken']"));
        return await browser.SendAsync(request, Ct);
    }

    private static IHtmlDocument Fragment(string html) => new HtmlParser().ParseDocument(html);

    [Fact]
    public async Task TODOS_comes_first_and_a_tag_typed_and_sent_is_created()
    {
        var (api, id, url) = await NewPipeline(fixture);
        using var _ = api;
        using var admin = await App.LoggedIn();

        var page = await admin.GetPage(url);
        var fixedRow = page.QuerySelector(".tag-fixed")!;
        Assert.Contains("TODOS", fixedRow.TextContent, StringComparison.Ordinal);
        Assert.Contains("Todos os atendimentos do fluxo", fixedRow.TextContent, StringComparison.Ordinal);
        Assert.Empty(fixedRow.QuerySelectorAll("form, input, button"));
        Assert.Contains("Nenhuma etiqueta ainda", Text(page), StringComparison.Ordinal);
        Assert.Empty(page.QuerySelectorAll("main script"));

        // Without JavaScript: a normal post, then the page again.
        var created = await admin.Submit(FormOf(page, "#new-tag-name"), url, new() { ["Form.Name"] = "  Proposta enviada " });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal(url, created.Headers.Location!.OriginalString);
        page = await admin.GetPage(url);
        Assert.Contains("Etiqueta \"Proposta enviada\" criada.", Text(page), StringComparison.Ordinal);
        var tag = (await Tags(api, id)).Single();
        Assert.Equal("Proposta enviada", tag["name"]!.GetValue<string>());
        Assert.Matches("^#[0-9a-f]{6}$", tag["color"]!.GetValue<string>());
        Assert.Equal(tag["color"]!.GetValue<string>(), Value(page, $"#tag-{tag["id"]}-color"));
        Assert.NotNull(page.QuerySelector("#new-tag-name[autofocus]"));

        // With htmx: the panel comes back as a fragment, with the new tag and the message for the status line.
        var form = FormOf(page, "#new-tag-name");
        var response = await HtmxPost(admin, page, form.GetAttribute("hx-post")!, [new("Form.Name", "Negociação")]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("<html", html, StringComparison.Ordinal);
        var fragment = Fragment(html);
        Assert.Equal("Etiqueta \"Negociação\" criada.", fragment.QuerySelector("#tag-status[hx-swap-oob]")!.TextContent.Trim());
        Assert.Equal(["Proposta enviada", "Negociação"], fragment.QuerySelectorAll("#tag-list input[name='Form.Name']").Select(i => ((IHtmlInputElement)i).Value));
        Assert.Equal("", Value(fragment, "#new-tag-name"));
        Assert.Equal(["Proposta enviada", "Negociação"], Names(await Tags(api, id)));
    }

    [Fact]
    public async Task TODOS_and_duplicates_are_refused_next_to_the_field_with_the_typed_name_kept()
    {
        var (api, id, url) = await NewPipeline(fixture, "Fechado");
        using var _ = api;
        using var admin = await App.LoggedIn();

        var refused = await admin.SubmitForm(url, "form[action*='handler=Create']", new() { ["Form.Name"] = "todos" });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await HtmlClient.Parse(refused);
        Assert.Equal("todos", Value(page, "#new-tag-name"));
        Assert.Equal("TODOS é o filtro de todos os atendimentos e não pode ser uma etiqueta.", page.QuerySelector("#new-tag-name-error")!.TextContent.Trim());
        Assert.Equal("true", page.QuerySelector("#new-tag-name")!.GetAttribute("aria-invalid"));

        // Through htmx, the refusal comes back as the panel with 200, so htmx swaps it in.
        var response = await HtmxPost(admin, page, $"{url}?handler=Create", [new("Form.Name", "FECHADO")]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var fragment = Fragment(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("FECHADO", Value(fragment, "#new-tag-name"));
        Assert.Equal("Já existe a etiqueta \"FECHADO\" neste fluxo.", fragment.QuerySelector("#new-tag-name-error")!.TextContent.Trim());
        Assert.NotNull(fragment.QuerySelector("#new-tag-name[autofocus]"));
        Assert.Equal(["Fechado"], Names(await Tags(api, id)));
    }

    [Fact]
    public async Task A_tag_is_renamed_and_recolored_and_bad_values_are_refused_on_its_row()
    {
        var (api, id, url) = await NewPipeline(fixture, "Novo", "Em análise");
        using var _ = api;
        var tagId = (await Tags(api, id))[0]["id"]!.GetValue<long>();
        using var admin = await App.LoggedIn();

        var page = await admin.GetPage(url);
        var saved = await admin.Submit(FormOf(page, $"#tag-{tagId}-name"), url, new() { ["Form.Name"] = "Recebido", ["Form.Color"] = "#AA3377" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var tag = (await Tags(api, id))[0];
        Assert.Equal("Recebido", tag["name"]!.GetValue<string>());
        Assert.Equal("#aa3377", tag["color"]!.GetValue<string>());

        page = await admin.GetPage(url);
        Assert.Contains("Etiqueta \"Recebido\" salva.", Text(page), StringComparison.Ordinal);
        Assert.Equal("#aa3377", Value(page, $"#tag-{tagId}-color"));
        Assert.NotNull(page.QuerySelector($"#tag-{tagId}-name[autofocus]"));

        var refused = await admin.Submit(FormOf(page, $"#tag-{tagId}-name"), url, new() { ["Form.Name"] = "em ANÁLISE" });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        page = await HtmlClient.Parse(refused);
        Assert.Equal("em ANÁLISE", Value(page, $"#tag-{tagId}-name"));
        Assert.Equal("Já existe a etiqueta \"em ANÁLISE\" neste fluxo.", page.QuerySelector($"#tag-{tagId}-name-error")!.TextContent.Trim());

        refused = await admin.Submit(FormOf(page, $"#tag-{tagId}-name"), url, new() { ["Form.Name"] = "Todos" });
        Assert.Contains("TODOS é o filtro de todos os atendimentos", (await HtmlClient.Parse(refused)).QuerySelector($"#tag-{tagId}-name-error")!.TextContent, StringComparison.Ordinal);

        refused = await admin.Submit(FormOf(page, $"#tag-{tagId}-name"), url, new() { ["Form.Name"] = "Recebido", ["Form.Color"] = "vermelho" });
        page = await HtmlClient.Parse(refused);
        Assert.Equal("Cor deve estar no formato #RRGGBB.", page.QuerySelector($"#tag-{tagId}-color-error")!.TextContent.Trim());
        Assert.Equal("true", page.QuerySelector($"#tag-{tagId}-color")!.GetAttribute("aria-invalid"));
        Assert.Equal(["Recebido", "Em análise"], Names(await Tags(api, id)));
        Assert.Equal("#aa3377", (await Tags(api, id))[0]["color"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_rename_made_meanwhile_by_someone_else_is_not_overwritten_by_an_older_form()
    {
        var (api, id, url) = await NewPipeline(fixture, "Novo");
        using var _ = api;
        var tagId = (await Tags(api, id))[0]["id"]!.GetValue<long>();
        using var admin = await App.LoggedIn();
        var page = await admin.GetPage(url);
        Assert.Equal("1", Value(page, $"form:has(#tag-{tagId}-name) input[name='Form.Version']"));

        await TicketSteps.Json(await TicketSteps.Patch(api, $"/api/v1/pipelines/{id}/tags/{tagId}", new { name = "Triagem" }, "\"1\""), HttpStatusCode.OK);
        var stale = await admin.Submit(FormOf(page, $"#tag-{tagId}-name"), url, new() { ["Form.Name"] = "Recebido" });
        Assert.Equal(HttpStatusCode.Redirect, stale.StatusCode);
        page = await admin.GetPage(url);
        Assert.Contains("Esta etiqueta foi alterada por outra pessoa enquanto você editava.", Text(page), StringComparison.Ordinal);
        Assert.Equal(["Triagem"], Names(await Tags(api, id)));
        Assert.Equal("Triagem", Value(page, $"#tag-{tagId}-name"));

        var saved = await admin.Submit(FormOf(page, $"#tag-{tagId}-name"), url, new() { ["Form.Name"] = "Recebido" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(["Recebido"], Names(await Tags(api, id)));
    }

    [Fact]
    public async Task A_refused_rename_through_htmx_answers_the_panel_with_the_error()
    {
        var (api, id, url) = await NewPipeline(fixture, "Novo", "Aberto");
        using var _ = api;
        var tagId = (await Tags(api, id))[0]["id"]!.GetValue<long>();
        using var admin = await App.LoggedIn();
        var page = await admin.GetPage(url);
        KeyValuePair<string, string>[] Rename(string name, string version) =>
            [new("Form.TagId", tagId.ToString(CultureInfo.InvariantCulture)), new("Form.Version", version), new("Form.Name", name), new("Form.Color", Value(page, $"#tag-{tagId}-color"))];

        // A name already used: the row's field shows the error, keeps what was typed and the focus.
        var response = await HtmxPost(admin, page, $"{url}?handler=Update", Rename("aberto", "1"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("<html", html, StringComparison.Ordinal);
        var fragment = Fragment(html);
        Assert.Equal("Já existe a etiqueta \"aberto\" neste fluxo.", fragment.QuerySelector($"#tag-{tagId}-name-error")!.TextContent.Trim());
        Assert.Equal("aberto", Value(fragment, $"#tag-{tagId}-name"));
        Assert.NotNull(fragment.QuerySelector($"#tag-{tagId}-name[autofocus]"));

        // Renamed meanwhile by someone else: the refusal above the list, which shows the saved name.
        await TicketSteps.Json(await TicketSteps.Patch(api, $"/api/v1/pipelines/{id}/tags/{tagId}", new { name = "Triagem" }, "\"1\""), HttpStatusCode.OK);
        response = await HtmxPost(admin, page, $"{url}?handler=Update", Rename("Recebido", "1"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        fragment = Fragment(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("Esta etiqueta foi alterada por outra pessoa enquanto você editava. Recarregue e tente de novo.",
            fragment.QuerySelector("#tag-status .alert-danger")!.TextContent.Trim());
        Assert.Equal("Triagem", Value(fragment, $"#tag-{tagId}-name"));

        // Deleted meanwhile, without htmx: back to the page with the refusal and what may have happened.
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/pipelines/{id}/tags/{tagId}", Ct)).StatusCode);
        var gone = await admin.Submit(FormOf(page, $"#tag-{tagId}-name"), url, new() { ["Form.Name"] = "Recebido" });
        Assert.Equal(HttpStatusCode.Redirect, gone.StatusCode);
        Assert.Equal(url, gone.Headers.Location!.OriginalString);
        Assert.Equal("Etiqueta não encontrada. Talvez alguém a tenha excluído.", (await admin.GetPage(url)).QuerySelector(".alert-danger.flash")!.TextContent.Trim());
        Assert.Equal(["Aberto"], Names(await Tags(api, id)));
    }

    [Fact]
    public async Task Tags_are_reordered_by_drag_and_drop_and_by_the_arrow_buttons()
    {
        var (api, id, url) = await NewPipeline(fixture, "A", "B", "C");
        using var _ = api;
        var ids = (await Tags(api, id)).Select(t => t["id"]!.GetValue<long>()).ToArray();
        using var admin = await App.LoggedIn();
        var page = await admin.GetPage(url);
        Assert.Equal($"{url}?handler=Reorder", page.QuerySelector("#tag-list")!.GetAttribute("data-reorder-url"));
        Assert.NotNull(page.QuerySelector("script[src^='/lib/sortablejs/Sortable.min.js']"));
        Assert.NotNull(page.QuerySelector($"#tag-{ids[0]}-up[disabled]"));
        Assert.NotNull(page.QuerySelector($"#tag-{ids[2]}-down[disabled]"));

        // Drag and drop: tags.js posts every id in the new order.
        var order = new[] { ids[2], ids[0], ids[1] };
        var response = await HtmxPost(admin, page, $"{url}?handler=Reorder", order.Select(i => new KeyValuePair<string, string>("tagIds", i.ToString(CultureInfo.InvariantCulture))));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var fragment = Fragment(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("Nova ordem das etiquetas salva.", fragment.QuerySelector("#tag-status")!.TextContent.Trim());
        Assert.Equal(["C", "A", "B"], Names(await Tags(api, id)));
        Assert.Equal(["C", "A", "B"], fragment.QuerySelectorAll("#tag-list > li").Select(li => Value(fragment, $"#{li.Id} input[name='Form.Name']")));

        // An order that leaves a tag out is refused and the saved order shown again.
        response = await HtmxPost(admin, page, $"{url}?handler=Reorder", [new("tagIds", ids[0].ToString(CultureInfo.InvariantCulture))]);
        fragment = Fragment(await response.Content.ReadAsStringAsync(Ct));
        Assert.Contains("Informe cada etiqueta do fluxo uma única vez", fragment.QuerySelector("#tag-status .alert-danger")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(["C", "A", "B"], Names(await Tags(api, id)));

        // Without a token the post is refused.
        using var noToken = new HttpRequestMessage(HttpMethod.Post, $"{url}?handler=Reorder") { Content = new FormUrlEncodedContent([new("tagIds", "1")]) };
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.SendAsync(noToken, Ct)).StatusCode);

        // The arrows are plain forms: B moves up, then C moves down, the focus following the button used.
        page = await admin.GetPage(url);
        var moved = await admin.Submit(FormOf(page, $"#tag-{ids[1]}-up"), url, [], submitName: "offset", submitValue: "-1");
        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        Assert.Equal(["C", "B", "A"], Names(await Tags(api, id)));
        page = await admin.GetPage(url);
        Assert.Contains("\"B\" agora é a etiqueta 2 de 3.", Text(page), StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector($"#tag-{ids[1]}-up[autofocus]"));

        response = await HtmxPost(admin, page, $"{url}?handler=Move", [new("tagId", ids[2].ToString(CultureInfo.InvariantCulture)), new("offset", "1")]);
        fragment = Fragment(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(["B", "C", "A"], Names(await Tags(api, id)));
        Assert.NotNull(fragment.QuerySelector($"#tag-{ids[2]}-down[autofocus]"));
        // At the end of the list the focus goes to the other arrow, since this one is disabled.
        response = await HtmxPost(admin, page, $"{url}?handler=Move", [new("tagId", ids[2].ToString(CultureInfo.InvariantCulture)), new("offset", "1")]);
        fragment = Fragment(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(["B", "A", "C"], Names(await Tags(api, id)));
        Assert.NotNull(fragment.QuerySelector($"#tag-{ids[2]}-up[autofocus]"));
        Assert.NotNull(fragment.QuerySelector($"#tag-{ids[2]}-down[disabled]"));
    }

    [Fact]
    public async Task A_tag_is_deleted_after_confirmation()
    {
        var (api, id, url) = await NewPipeline(fixture, "Perdido", "Ganho");
        using var _ = api;
        var tagId = (await Tags(api, id))[0]["id"]!.GetValue<long>();
        using var admin = await App.LoggedIn();
        var page = await admin.GetPage(url);

        var form = FormOfButton(page, "Excluir Perdido");
        Assert.Equal("Excluir a etiqueta \"Perdido\"? Os atendimentos que a usam apenas deixam de tê-la.", form.GetAttribute("data-confirm"));
        var deleted = await admin.Submit(form, url, []);
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal(["Ganho"], Names(await Tags(api, id)));
        page = await admin.GetPage(url);
        Assert.Contains("Etiqueta \"Perdido\" excluída.", Text(page), StringComparison.Ordinal);
        Assert.Null(page.QuerySelector($"#tag-{tagId}"));

        // Deleting it again (another tab) says so instead of failing.
        var again = await HtmxPost(admin, page, $"{url}?handler=Delete", [new("tagId", tagId.ToString(CultureInfo.InvariantCulture))]);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("Etiqueta não encontrada", Fragment(await again.Content.ReadAsStringAsync(Ct)).QuerySelector("#tag-status")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_agents_authorized_on_the_pipeline_reach_its_tags()
    {
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Etiquetas"));
        var grantedEmail = $"{Guid.NewGuid():N}@empresa.com.br";
        var otherEmail = $"{Guid.NewGuid():N}@empresa.com.br";
        var (grantedId, _) = await App.CreateUser(fixture.AdminToken, grantedEmail, "Agent", workspaceId);
        await App.CreateUser(fixture.AdminToken, otherEmail, "Agent", workspaceId);
        using var api = App.Api(fixture.AdminToken);
        var id = (await TicketSteps.Pipeline(api, users: [grantedId], tags: ["Urgente"]))["id"]!.GetValue<long>();
        var url = $"/pipelines/{id}/tags";

        using var other = await App.LoggedIn(otherEmail, TestApp.Password);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(url, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/pipelines/999999999/tags", Ct)).StatusCode);

        using var granted = await App.LoggedIn(grantedEmail, TestApp.Password);
        var page = await granted.GetPage(url);
        Assert.Equal("Urgente", Value(page, "#tag-list input[name='Form.Name']"));
        Assert.Null(page.QuerySelector("a[href='/settings/pipelines']"));
        var created = await granted.Submit(FormOf(page, "#new-tag-name"), url, new() { ["Form.Name"] = "Aguardando cliente" });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal(["Urgente", "Aguardando cliente"], Names(await Tags(api, id)));

        // The agent without the grant cannot post to it either, even with a valid token of their own.
        var own = await other.GetPage("/");
        var token = own.QuerySelector("input[name='__RequestVerificationToken']") as IHtmlInputElement;
        Assert.NotNull(token);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{url}?handler=Create") { Content = new FormUrlEncodedContent([new("Form.Name", "Intrusa")]) };
        request.Headers.Add("RequestVerificationToken", token.Value);
        Assert.Equal(HttpStatusCode.NotFound, (await other.SendAsync(request, Ct)).StatusCode);
        Assert.Equal(["Urgente", "Aguardando cliente"], Names(await Tags(api, id)));
    }
}

public sealed class PipelineTagPageTestsSqlite(SqliteFixture fixture) : PipelineTagPageTests(fixture), IClassFixture<SqliteFixture>;

public sealed class PipelineTagPageTestsPostgres(PostgresFixture fixture) : PipelineTagPageTests(fixture), IClassFixture<PostgresFixture>;
