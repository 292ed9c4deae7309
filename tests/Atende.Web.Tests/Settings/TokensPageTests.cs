using System.Net;
using System.Text.RegularExpressions;
using Atende.Web.Tests.Infrastructure;
using static Atende.Web.Tests.Settings.PageHelpers;

namespace Atende.Web.Tests.Settings;

/// <summary>/account/tokens: personal API tokens, for any signed-in user.</summary>
public abstract partial class TokensPageTests(AppFixture fixture)
{
    [Fact]
    public async Task A_new_token_is_shown_once_works_as_bearer_and_stops_after_revoke()
    {
        var app = fixture.App;
        using var admin = await app.LoggedIn();
        var name = Unique("Integração ERP");

        var created = await admin.SubmitForm("/account/tokens", "form[action*='handler=Create']", new() { ["Input.Name"] = name });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.True(created.Headers.CacheControl?.NoStore, "The page with the secret must not be cached.");
        var page = await HtmlClient.Parse(created);
        Assert.Contains("Copie agora: este token não será mostrado de novo.", Text(page), StringComparison.Ordinal);
        var secret = Value(page, "#new-token-secret");
        Assert.Matches(Secret(), secret);

        using var bearer = app.Api(secret);
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/api/v1/workspaces", Ct)).StatusCode);

        // Never shown again; the list tells it apart by its first characters.
        var list = await admin.GetPage("/account/tokens");
        Assert.DoesNotContain(secret, list.Source.Text, StringComparison.Ordinal);
        var row = list.QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains(name, StringComparison.Ordinal));
        Assert.Contains(secret[..10] + "…", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Ativo", row.TextContent, StringComparison.Ordinal);

        var revoke = FormOfButton(list, $"Revogar {name}");
        Assert.False(string.IsNullOrEmpty(revoke.GetAttribute("data-confirm")));
        Assert.Equal(HttpStatusCode.Redirect, (await admin.Submit(revoke, "/account/tokens", [])).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.GetAsync("/api/v1/workspaces", Ct)).StatusCode);
        list = await admin.GetPage("/account/tokens");
        Assert.Contains($"Token \"{name}\" revogado.", Text(list), StringComparison.Ordinal);
        Assert.Contains("Revogado em", list.QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains(name, StringComparison.Ordinal)).TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_needs_a_name()
    {
        using var admin = await fixture.App.LoggedIn();
        var refused = await admin.SubmitForm("/account/tokens", "form[action*='handler=Create']", new() { ["Input.Name"] = "   " });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await HtmlClient.Parse(refused);
        Assert.Equal("Nome do token é obrigatório.", FieldError(page, "Input.Name"));
        Assert.Null(page.QuerySelector("#new-token-secret"));
    }

    [Fact]
    public async Task An_agent_sees_and_revokes_only_their_own_tokens()
    {
        var app = fixture.App;
        var workspaceId = await app.CreateWorkspace(fixture.AdminToken, Unique("Tokens"));
        var email = $"{Guid.NewGuid():N}@empresa.com.br";
        await app.CreateUser(fixture.AdminToken, email, "Agent", workspaceId);
        using var admin = await app.LoggedIn();
        var adminTokenName = Unique("Token da admin");
        await admin.SubmitForm("/account/tokens", "form[action*='handler=Create']", new() { ["Input.Name"] = adminTokenName });
        var adminPage = await admin.GetPage("/account/tokens");
        var adminRevoke = FormOfButton(adminPage, $"Revogar {adminTokenName}");

        using var agent = await app.LoggedIn(email, TestApp.Password);
        var page = await agent.GetPage("/account/tokens");
        Assert.DoesNotContain(adminTokenName, Text(page), StringComparison.Ordinal);
        Assert.Single(page.QuerySelectorAll("tbody tr"));

        // Posting the admin's revoke form as the agent finds nothing to revoke.
        var attempt = await agent.Submit(adminRevoke, "/account/tokens", new() { ["__RequestVerificationToken"] = ((AngleSharp.Html.Dom.IHtmlInputElement)page.QuerySelector("input[name='__RequestVerificationToken']")!).Value });
        Assert.Equal(HttpStatusCode.NotFound, attempt.StatusCode);
        Assert.Contains("Ativo", (await admin.GetPage("/account/tokens")).QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains(adminTokenName, StringComparison.Ordinal)).TextContent, StringComparison.Ordinal);
    }

    [GeneratedRegex("^atd_[A-Za-z0-9_-]{40,}$")]
    private static partial Regex Secret();
}

public sealed class TokensPageTestsSqlite(SqliteFixture f) : TokensPageTests(f), IClassFixture<SqliteFixture>;

public sealed class TokensPageTestsPostgres(PostgresFixture f) : TokensPageTests(f), IClassFixture<PostgresFixture>;
