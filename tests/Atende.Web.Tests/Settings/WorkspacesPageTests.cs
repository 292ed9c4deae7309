using System.Net;
using Atende.Web.Tests.Infrastructure;
using static Atende.Web.Tests.Settings.PageHelpers;

namespace Atende.Web.Tests.Settings;

/// <summary>/settings/workspaces: create, duplicate refused, inline rename, users per workspace.</summary>
public abstract class WorkspacesPageTests(AppFixture fixture)
{
    [Fact]
    public async Task Creating_a_workspace_works_and_a_duplicate_name_is_refused()
    {
        var app = fixture.App;
        using var admin = await app.LoggedIn();
        var name = Unique("Filial Recife");
        var created = await admin.SubmitForm("/settings/workspaces", "form[action$='handler=Create']", new() { ["New.Name"] = name });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var list = await admin.GetPage("/settings/workspaces");
        Assert.Contains($"Domínio \"{name}\" criado.", Text(list), StringComparison.Ordinal);
        using var api = app.Api(fixture.AdminToken);
        Assert.NotNull(ByName(await Items(api, "/api/v1/workspaces"), name));

        // Same name in other case and accents-insensitive spelling: refused, typed text kept.
        var duplicate = name.ToUpperInvariant();
        var refused = await admin.SubmitForm("/settings/workspaces", "form[action$='handler=Create']", new() { ["New.Name"] = duplicate });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await HtmlClient.Parse(refused);
        Assert.Equal($"Já existe um domínio chamado \"{duplicate}\".", FieldError(page, "New.Name"));
        Assert.Equal(duplicate, Value(page, "#new-name"));
        Assert.Single(await Items(api, "/api/v1/workspaces"), w => string.Equals(w!["name"]!.GetValue<string>(), name, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_row_renames_its_workspace_and_shows_how_many_users_hold_it()
    {
        var app = fixture.App;
        var workspaceId = await app.CreateWorkspace(fixture.AdminToken, Unique("Loja"));
        await app.CreateUser(fixture.AdminToken, $"{Guid.NewGuid():N}@loja.com.br", "Agent", workspaceId);
        var other = Unique("Outra loja");
        await app.CreateWorkspace(fixture.AdminToken, other);
        using var admin = await app.LoggedIn();

        var page = await admin.GetPage("/settings/workspaces");
        Assert.Contains("1 usuário", page.QuerySelector($"#workspace-{workspaceId}")!.TextContent, StringComparison.Ordinal);

        var newName = Unique("Loja Centro");
        var renamed = await admin.Submit(FormOf(page, $"#rename-{workspaceId}"), "/settings/workspaces", new() { ["Rename.Name"] = newName });
        Assert.Equal(HttpStatusCode.Redirect, renamed.StatusCode);
        using var api = app.Api(fixture.AdminToken);
        Assert.Equal(workspaceId, ByName(await Items(api, "/api/v1/workspaces"), newName)?["id"]?.GetValue<long>());

        // Renaming onto another workspace's name is refused in that row, with what was typed.
        page = await admin.GetPage("/settings/workspaces");
        var refused = await admin.Submit(FormOf(page, $"#rename-{workspaceId}"), "/settings/workspaces", new() { ["Rename.Name"] = other });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var shown = await HtmlClient.Parse(refused);
        Assert.Equal(other, Value(shown, $"#rename-{workspaceId}"));
        Assert.Contains("Já existe um domínio chamado", shown.QuerySelector($"#workspace-{workspaceId}")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(ByName(await Items(api, "/api/v1/workspaces"), newName));
    }

    [Fact]
    public async Task A_rename_from_a_page_loaded_before_another_admins_rename_is_refused_not_overwritten()
    {
        var app = fixture.App;
        var workspaceId = await app.CreateWorkspace(fixture.AdminToken, Unique("Loja"));
        using var admin = await app.LoggedIn();
        var page = await admin.GetPage("/settings/workspaces");

        var theirs = Unique("Loja Norte");
        using var api = app.Api(fixture.AdminToken);
        await Tickets.TicketSteps.Json(await Tickets.TicketSteps.Patch(api, $"/api/v1/workspaces/{workspaceId}", new { name = theirs }, "\"1\""), HttpStatusCode.OK);

        var refused = await admin.Submit(FormOf(page, $"#rename-{workspaceId}"), "/settings/workspaces", new() { ["Rename.Name"] = Unique("Loja Sul") });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var shown = await HtmlClient.Parse(refused);
        Assert.Contains("Este domínio foi alterado por outra pessoa enquanto você editava.", shown.QuerySelector($"#workspace-{workspaceId}")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(ByName(await Items(api, "/api/v1/workspaces"), theirs));
    }
}

public sealed class WorkspacesPageTestsSqlite(SqliteFixture f) : WorkspacesPageTests(f), IClassFixture<SqliteFixture>;

public sealed class WorkspacesPageTestsPostgres(PostgresFixture f) : WorkspacesPageTests(f), IClassFixture<PostgresFixture>;
