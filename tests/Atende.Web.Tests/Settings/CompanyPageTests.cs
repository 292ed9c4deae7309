using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using Atende.Web.Tests.Infrastructure;
using static Atende.Web.Tests.Settings.PageHelpers;

namespace Atende.Web.Tests.Settings;

/// <summary>/settings/company: the company profile form.</summary>
public abstract class CompanyPageTests(AppFixture fixture)
{
    [Fact]
    public async Task Saving_the_form_updates_the_company_and_says_so()
    {
        var app = fixture.App;
        using var admin = await app.LoggedIn();
        var saved = await admin.SubmitForm("/settings/company", "form.settings-form", new()
        {
            ["Input.Name"] = "  Padaria Pão de Açúcar Ltda ", ["Input.Email"] = "contato@padaria.com.br", ["Input.TimeZone"] = "America/Recife",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("/settings/company", saved.Headers.Location?.OriginalString);

        var page = await admin.GetPage("/settings/company");
        Assert.Contains("Dados da empresa salvos.", Text(page), StringComparison.Ordinal);
        Assert.Equal("Padaria Pão de Açúcar Ltda", Value(page, "#Input_Name"));
        Assert.Equal("America/Recife", ((IHtmlSelectElement)page.QuerySelector("#Input_TimeZone")!).Value);
        Assert.Contains("BRL", Value(page, "#currency"), StringComparison.Ordinal);
        Assert.True(page.QuerySelector("#currency")!.HasAttribute("readonly"));

        using var api = app.Api(fixture.AdminToken);
        var company = await api.GetFromJsonAsync<JsonObject>("/api/v1/settings/company", Ct);
        Assert.Equal("Padaria Pão de Açúcar Ltda", company!["name"]!.GetValue<string>());
        Assert.Equal("contato@padaria.com.br", company["email"]!.GetValue<string>());
        Assert.Equal("America/Recife", company["timeZone"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_invalid_email_is_shown_next_to_the_field_and_nothing_is_saved()
    {
        var app = fixture.App;
        using var api = app.Api(fixture.AdminToken);
        var before = await api.GetFromJsonAsync<JsonObject>("/api/v1/settings/company", Ct);
        using var admin = await app.LoggedIn();

        var refused = await admin.SubmitForm("/settings/company", "form.settings-form", new()
        {
            ["Input.Name"] = "Nome Que Não Deve Ser Salvo", ["Input.Email"] = "isto-nao-e-email",
        });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await HtmlClient.Parse(refused);
        Assert.Equal("E-mail inválido: isto-nao-e-email.", FieldError(page, "Input.Email"));
        Assert.Equal("isto-nao-e-email", Value(page, "#Input_Email"));
        Assert.Equal("Nome Que Não Deve Ser Salvo", Value(page, "#Input_Name"));

        var after = await api.GetFromJsonAsync<JsonObject>("/api/v1/settings/company", Ct);
        Assert.Equal(before!["name"]!.GetValue<string>(), after!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_time_zone_list_starts_with_the_Brazilian_zones()
    {
        using var admin = await fixture.App.LoggedIn();
        var page = await admin.GetPage("/settings/company");
        var options = page.QuerySelectorAll("#Input_TimeZone option").Select(o => o.GetAttribute("value")).ToList();
        Assert.Equal(["America/Sao_Paulo", "America/Manaus", "America/Belem", "America/Fortaleza", "America/Recife", "America/Bahia"], options.Take(6));
        Assert.Contains("Europe/Lisbon", options);
        Assert.Equal(options.Count, options.Distinct().Count());
    }
}

public sealed class CompanyPageTestsSqlite(SqliteFixture f) : CompanyPageTests(f), IClassFixture<SqliteFixture>;

public sealed class CompanyPageTestsPostgres(PostgresFixture f) : CompanyPageTests(f), IClassFixture<PostgresFixture>;
