using System.Net;
using System.Text.Json.Nodes;
using Atende.Web.Tests.Infrastructure;
using static Atende.Web.Tests.Settings.PageHelpers;

namespace Atende.Web.Tests.Settings;

/// <summary>/settings/lists: channels, opportunity types, categories with subcategories, catalog items.</summary>
public abstract class ListsPageTests(AppFixture fixture)
{
    [Fact]
    public async Task A_channel_is_added_renamed_deactivated_and_reactivated()
    {
        var app = fixture.App;
        using var admin = await app.LoggedIn();
        using var api = app.Api(fixture.AdminToken);
        var name = Unique("Telegram");

        var created = await admin.SubmitForm("/settings/lists", "form[action*='handler=Create']", new() { ["Form.Name"] = name });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var channel = ByName(await Items(api, "/api/v1/settings/channels"), name)!;
        var id = channel["id"]!.GetValue<long>();
        Assert.True(channel["active"]!.GetValue<bool>());

        var page = await admin.GetPage("/settings/lists/channels");
        Assert.Contains($"Item \"{name}\" adicionado.", Text(page), StringComparison.Ordinal);
        var renamed = Unique("Telegram Business");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.Submit(FormOf(page, $"#name-{id}"), "/settings/lists/channels", new() { ["Form.Name"] = renamed })).StatusCode);
        Assert.NotNull(ByName(await Items(api, "/api/v1/settings/channels"), renamed));

        page = await admin.GetPage("/settings/lists/channels");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.Submit(FormOfButton(page, $"Desativar {renamed}"), "/settings/lists/channels", [])).StatusCode);
        Assert.False(ByName(await Items(api, "/api/v1/settings/channels"), renamed)!["active"]!.GetValue<bool>());
        Assert.Null(ByName(await Items(api, "/api/v1/settings/channels?activeOnly=true"), renamed));

        page = await admin.GetPage("/settings/lists/channels");
        Assert.Contains("Inativo", page.QuerySelector($"#item-{id}")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.Submit(FormOfButton(page, $"Ativar {renamed}"), "/settings/lists/channels", [])).StatusCode);
        Assert.True(ByName(await Items(api, "/api/v1/settings/channels"), renamed)!["active"]!.GetValue<bool>());
        // Nothing on the page deletes.
        Assert.DoesNotContain("Excluir", Text(page), StringComparison.Ordinal);
        Assert.Contains("Nada aqui é excluído", Text(page), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_duplicate_opportunity_type_is_refused_next_to_the_field()
    {
        var app = fixture.App;
        using var admin = await app.LoggedIn();
        var name = Unique("Renovação");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitForm("/settings/lists/opportunity-types", "form[action*='handler=Create']", new() { ["Form.Name"] = name })).StatusCode);

        var again = name.ToUpperInvariant();
        var refused = await admin.SubmitForm("/settings/lists/opportunity-types", "form[action*='handler=Create']", new() { ["Form.Name"] = again });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await HtmlClient.Parse(refused);
        Assert.Equal(again, Value(page, "#new-name"));
        Assert.Contains($"Já existe um item chamado \"{again}\".", page.QuerySelector("#new-name-error")!.TextContent, StringComparison.Ordinal);
        using var api = app.Api(fixture.AdminToken);
        Assert.Single(await Items(api, "/api/v1/settings/opportunity-types"), i => string.Equals(i!["name"]!.GetValue<string>(), name, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_category_gets_subcategories_that_can_be_renamed_and_deactivated()
    {
        var app = fixture.App;
        using var admin = await app.LoggedIn();
        using var api = app.Api(fixture.AdminToken);
        var category = Unique("Fiscal");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitForm("/settings/lists/categories", "form[action*='handler=Create']", new() { ["Form.Name"] = category })).StatusCode);
        var categoryId = ByName(await Items(api, "/api/v1/settings/categories"), category)!["id"]!.GetValue<long>();

        var page = await admin.GetPage("/settings/lists/categories");
        Assert.Contains("Nenhuma sub-classificação.", page.QuerySelector($"#item-{categoryId}")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.Submit(FormOf(page, $"#new-sub-{categoryId}"), "/settings/lists/categories", new() { ["Form.Name"] = "Nota fiscal" })).StatusCode);

        // The same subcategory twice in one category is refused under that category's form.
        page = await admin.GetPage("/settings/lists/categories");
        var refused = await admin.Submit(FormOf(page, $"#new-sub-{categoryId}"), "/settings/lists/categories", new() { ["Form.Name"] = "nota FISCAL" });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var shown = await HtmlClient.Parse(refused);
        Assert.Equal("nota FISCAL", Value(shown, $"#new-sub-{categoryId}"));
        Assert.Contains("Já existe a sub-classificação", shown.QuerySelector($"#new-sub-{categoryId}-error")!.TextContent, StringComparison.Ordinal);

        var sub = Subcategories(await Items(api, "/api/v1/settings/categories"), category).Single();
        var subId = sub["id"]!.GetValue<long>();
        Assert.Equal(HttpStatusCode.Redirect, (await admin.Submit(FormOf(page, $"#sub-name-{subId}"), "/settings/lists/categories", new() { ["Form.Name"] = "NF-e" })).StatusCode);
        page = await admin.GetPage("/settings/lists/categories");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.Submit(FormOfButton(page, "Desativar NF-e"), "/settings/lists/categories", [])).StatusCode);

        sub = Subcategories(await Items(api, "/api/v1/settings/categories"), category).Single();
        Assert.Equal("NF-e", sub["name"]!.GetValue<string>());
        Assert.False(sub["active"]!.GetValue<bool>());
        page = await admin.GetPage("/settings/lists/categories");
        Assert.Contains("Inativa", page.QuerySelector($"#sub-{subId}")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_catalog_price_typed_in_pt_BR_is_saved_exactly_and_a_bad_one_is_refused()
    {
        var app = fixture.App;
        using var admin = await app.LoggedIn();
        using var api = app.Api(fixture.AdminToken);
        var name = Unique("Consultoria tributária");

        var created = await admin.SubmitForm("/settings/lists/catalog-items", "form[action*='handler=Create']", new()
        {
            ["Form.Name"] = name, ["Form.Kind"] = "Product", ["Form.DefaultPrice"] = "1.234,56",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var item = ByName(await Items(api, "/api/v1/settings/catalog-items"), name)!;
        Assert.Equal(1234.56m, item["defaultPrice"]!.GetValue<decimal>());
        Assert.Equal("Product", item["kind"]!.GetValue<string>());
        var id = item["id"]!.GetValue<long>();

        var page = await admin.GetPage("/settings/lists/catalog-items");
        Assert.Equal("1.234,56", Value(page, $"#price-{id}"));
        Assert.Contains("R$ 1.234,56", Text(page), StringComparison.Ordinal);

        // "1234.56" would silently become 123456 in pt-BR: it is refused with a clear message instead.
        var other = Unique("Auditoria");
        var refused = await admin.SubmitForm("/settings/lists/catalog-items", "form[action*='handler=Create']", new()
        {
            ["Form.Name"] = other, ["Form.DefaultPrice"] = "1234.56",
        });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var shown = await HtmlClient.Parse(refused);
        Assert.Equal("1234.56", Value(shown, "#new-price"));
        Assert.Equal(other, Value(shown, "#new-name"));
        Assert.Contains("Preço padrão inválido", shown.QuerySelector("#new-price-error")!.TextContent, StringComparison.Ordinal);
        Assert.Null(ByName(await Items(api, "/api/v1/settings/catalog-items"), other));

        // Repricing in the row, with the thousands separator left out.
        var repriced = await admin.Submit(FormOf(page, $"#price-{id}"), "/settings/lists/catalog-items", new() { ["Form.DefaultPrice"] = "2500,5" });
        Assert.Equal(HttpStatusCode.Redirect, repriced.StatusCode);
        Assert.Equal(2500.50m, ByName(await Items(api, "/api/v1/settings/catalog-items"), name)!["defaultPrice"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task An_unknown_list_is_not_found()
    {
        using var admin = await fixture.App.LoggedIn();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/settings/lists/nada", Ct)).StatusCode);
    }

    private static IEnumerable<JsonObject> Subcategories(JsonArray categories, string category) =>
        ByName(categories, category)!["subcategories"]!.AsArray().Select(s => s!.AsObject());
}

public sealed class ListsPageTestsSqlite(SqliteFixture f) : ListsPageTests(f), IClassFixture<SqliteFixture>;

public sealed class ListsPageTestsPostgres(PostgresFixture f) : ListsPageTests(f), IClassFixture<PostgresFixture>;
