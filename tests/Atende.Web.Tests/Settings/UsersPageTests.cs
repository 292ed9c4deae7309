using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using Atende.Web.Tests.Infrastructure;
using static Atende.Web.Tests.Settings.PageHelpers;

namespace Atende.Web.Tests.Settings;

/// <summary>/settings/users: list, create, edit, deactivate; only admins get in.</summary>
public abstract class UsersPageTests(AppFixture fixture)
{
    [Fact]
    public async Task The_admin_creates_an_agent_with_a_workspace_through_the_form()
    {
        var app = fixture.App;
        var workspaceName = Unique("Filial Sul");
        var workspaceId = await app.CreateWorkspace(fixture.AdminToken, workspaceName);
        using var admin = await app.LoggedIn();
        var email = $"{Guid.NewGuid():N}@empresa.com.br";

        var created = await admin.SubmitForm("/settings/users/new", "#user-form", new()
        {
            ["Input.Name"] = "João Atendente", ["Input.Email"] = email, ["Input.Role"] = "Agent",
            ["Input.Password"] = "uma-senha-bem-longa", ["Input.WorkspaceIds"] = workspaceId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal("/settings/users", created.Headers.Location?.OriginalString);

        using var api = app.Api(fixture.AdminToken);
        var user = (await Items(api, "/api/v1/users")).Select(u => u!.AsObject()).Single(u => u["email"]!.GetValue<string>() == email);
        Assert.Equal("João Atendente", user["name"]!.GetValue<string>());
        Assert.Equal("Agent", user["role"]!.GetValue<string>());
        Assert.Equal([workspaceId], user["workspaceIds"]!.AsArray().Select(w => w!.GetValue<long>()));
        Assert.True(user["active"]!.GetValue<bool>());

        var list = await admin.GetPage("/settings/users");
        var row = list.QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains(email, StringComparison.Ordinal));
        Assert.Contains("Atendente", row.TextContent, StringComparison.Ordinal);
        Assert.Contains(workspaceName, row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Ativo", row.TextContent, StringComparison.Ordinal);
        // The new user can sign in with the password the admin typed.
        Assert.False(string.IsNullOrEmpty(await app.Token(email, "uma-senha-bem-longa")));
    }

    [Fact]
    public async Task A_refused_form_shows_the_errors_next_to_the_fields_and_keeps_what_was_typed()
    {
        // With two workspaces or more, none is ticked in advance.
        await fixture.App.CreateWorkspace(fixture.AdminToken, Unique("Sem marcação"));
        using var admin = await fixture.App.LoggedIn();
        var refused = await admin.SubmitForm("/settings/users/new", "#user-form", new()
        {
            ["Input.Name"] = "Maria Sem Domínio", ["Input.Email"] = "maria@", ["Input.Role"] = "Agent", ["Input.Password"] = "",
        });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await HtmlClient.Parse(refused);
        Assert.Equal("E-mail inválido: maria@.", FieldError(page, "Input.Email"));
        Assert.Equal("Senha é obrigatória.", FieldError(page, "Input.Password"));
        Assert.Equal("Conceda ao menos um domínio ao atendente.", FieldError(page, "Input.WorkspaceIds"));
        Assert.Equal("Maria Sem Domínio", Value(page, "#Input_Name"));
        Assert.Equal("maria@", Value(page, "#Input_Email"));
    }

    [Fact]
    public async Task A_portal_user_gets_the_company_picked_from_a_list_of_partners()
    {
        var app = fixture.App;
        var workspaceId = await app.CreateWorkspace(fixture.AdminToken, Unique("Carteira"));
        using var api = app.Api(fixture.AdminToken);
        var partnerName = Unique("Açúcar União Comércio");
        var partner = await api.PostAsJsonAsync("/api/v1/partners", new { name = partnerName, workspaceId, roles = new[] { "Customer" } }, Ct);
        Assert.Equal(HttpStatusCode.Created, partner.StatusCode);
        var partnerId = (await partner.Content.ReadFromJsonAsync<JsonObject>(Ct))!["id"]!.GetValue<long>();
        using var admin = await app.LoggedIn();

        var form = await admin.GetPage("/settings/users/new");
        var option = form.QuerySelectorAll("select#Input_PartnerId option").Single(o => o.TextContent.Contains(partnerName, StringComparison.Ordinal));
        Assert.Equal(partnerId.ToString(System.Globalization.CultureInfo.InvariantCulture), option.GetAttribute("value"));

        var email = $"{Guid.NewGuid():N}@cliente.com.br";
        var created = await admin.Submit((IHtmlFormElement)form.QuerySelector("#user-form")!, "/settings/users/new", new()
        {
            ["Input.Name"] = "Cliente do Portal", ["Input.Email"] = email, ["Input.Role"] = "Portal", ["Input.Password"] = "senha-do-portal-1",
            ["Input.PartnerId"] = option.GetAttribute("value")!,
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var user = (await Items(api, "/api/v1/users")).Select(u => u!.AsObject()).Single(u => u["email"]!.GetValue<string>() == email);
        Assert.Equal("Portal", user["role"]!.GetValue<string>());
        Assert.Equal(partnerId, user["partnerId"]!.GetValue<long>());
        Assert.Empty(user["workspaceIds"]!.AsArray());

        var list = await admin.GetPage("/settings/users");
        Assert.Contains(partnerName, list.QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains(email, StringComparison.Ordinal)).TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Editing_keeps_the_password_unless_a_new_one_is_typed()
    {
        var app = fixture.App;
        var workspaceId = await app.CreateWorkspace(fixture.AdminToken, Unique("Edição"));
        var email = $"{Guid.NewGuid():N}@empresa.com.br";
        var (id, _) = await app.CreateUser(fixture.AdminToken, email, "Agent", workspaceId);
        using var admin = await app.LoggedIn();

        var edit = await admin.GetPage($"/settings/users/{id}/edit");
        Assert.Equal(email, Value(edit, "#Input_Email"));
        Assert.Equal("", Value(edit, "#Input_Password"));
        Assert.True(((IHtmlInputElement)edit.QuerySelector($"#workspace-{workspaceId}")!).IsChecked);
        var saved = await admin.Submit((IHtmlFormElement)edit.QuerySelector("#user-form")!, $"/settings/users/{id}/edit", new() { ["Input.Name"] = "Nome Novo" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.False(string.IsNullOrEmpty(await app.Token(email, TestApp.Password)));

        saved = await admin.SubmitForm($"/settings/users/{id}/edit", "#user-form", new() { ["Input.Password"] = "a-nova-senha-dela" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        using var anonymous = app.Api();
        var old = await anonymous.PostAsJsonAsync("/api/v1/tokens", new { email, password = TestApp.Password }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        Assert.False(string.IsNullOrEmpty(await app.Token(email, "a-nova-senha-dela")));
        using var api = app.Api(fixture.AdminToken);
        Assert.Equal("Nome Novo", (await api.GetFromJsonAsync<JsonObject>($"/api/v1/users/{id}", Ct))!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_agent_cannot_open_the_user_settings()
    {
        var app = fixture.App;
        var workspaceId = await app.CreateWorkspace(fixture.AdminToken, Unique("Acesso"));
        var email = $"{Guid.NewGuid():N}@empresa.com.br";
        var (_, token) = await app.CreateUser(fixture.AdminToken, email, "Agent", workspaceId);
        using var agent = await app.LoggedIn(email, TestApp.Password);

        foreach (var url in new[] { "/settings/users", "/settings/users/new", "/settings/company", "/settings/workspaces", "/settings/lists" })
        {
            var response = await agent.GetAsync(url, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/acesso-negado", StringComparison.Ordinal),
                $"{url} answered {(int)response.StatusCode} {response.Headers.Location}");
            var denied = await agent.GetAsync(response.Headers.Location!, Ct);
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
            Assert.Contains("Acesso negado", await denied.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
        // The agent's own pages still open, and the admin menu is not offered.
        var home = await agent.GetPage("/");
        Assert.Null(home.QuerySelector("a[href='/settings/users']"));
        using var api = app.Api(token);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/api/v1/users", Ct)).StatusCode);
    }

    [Fact]
    public async Task Deactivating_a_user_ends_their_session_and_their_api_token_at_once()
    {
        var app = fixture.App;
        var workspaceId = await app.CreateWorkspace(fixture.AdminToken, Unique("Desativação"));
        var email = $"{Guid.NewGuid():N}@empresa.com.br";
        var (id, token) = await app.CreateUser(fixture.AdminToken, email, "Agent", workspaceId);
        using var agent = await app.LoggedIn(email, TestApp.Password);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("/", Ct)).StatusCode);
        using var agentApi = app.Api(token);
        Assert.Equal(HttpStatusCode.OK, (await agentApi.GetAsync("/api/v1/workspaces", Ct)).StatusCode);

        using var admin = await app.LoggedIn();
        var list = await admin.GetPage("/settings/users");
        var form = FormOfButton(list, $"Desativar Usuário {email}");
        Assert.Contains("perde o acesso imediatamente", form.GetAttribute("data-confirm"), StringComparison.Ordinal);
        var deactivated = await admin.Submit(form, "/settings/users", []);
        Assert.Equal(HttpStatusCode.Redirect, deactivated.StatusCode);

        var next = await agent.GetAsync("/", Ct);
        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
        Assert.StartsWith("/login", next.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await agentApi.GetAsync("/api/v1/workspaces", Ct)).StatusCode);

        // They cannot sign in again; the admin sees them as inactive, with history kept (the user still exists).
        using var again = app.Browser();
        var login = await again.SubmitForm("/login", "form", new() { ["Input.Email"] = email, ["Input.Password"] = TestApp.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        list = await admin.GetPage("/settings/users");
        var row = list.QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains(email, StringComparison.Ordinal));
        Assert.Contains("Inativo", row.TextContent, StringComparison.Ordinal);
        Assert.Null(row.QuerySelector("form"));
        using var api = app.Api(fixture.AdminToken);
        Assert.False((await api.GetFromJsonAsync<JsonObject>($"/api/v1/users/{id}", Ct))!["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_demoted_admin_loses_the_settings_pages_on_their_next_request()
    {
        var app = fixture.App;
        var workspaceId = await app.CreateWorkspace(fixture.AdminToken, Unique("Rebaixamento"));
        var email = $"{Guid.NewGuid():N}@empresa.com.br";
        var (id, _) = await app.CreateUser(fixture.AdminToken, email, "Admin", workspaceId);
        using var other = await app.LoggedIn(email, TestApp.Password);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/settings/users", Ct)).StatusCode);

        using var admin = await app.LoggedIn();
        var saved = await admin.SubmitForm($"/settings/users/{id}/edit", "#user-form", new() { ["Input.Role"] = "Agent" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var denied = await other.GetAsync("/settings/users", Ct);
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.Contains("/acesso-negado", denied.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/partners", Ct)).StatusCode);
    }

    [Fact]
    public async Task The_admin_cannot_deactivate_themselves()
    {
        using var admin = await fixture.App.LoggedIn();
        var list = await admin.GetPage("/settings/users");
        var self = list.QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains(TestApp.AdminEmail, StringComparison.Ordinal));
        Assert.Null(self.QuerySelector("form"));
        var edit = await admin.GetPage(self.QuerySelector("a.row-link")!.GetAttribute("href")!);
        Assert.DoesNotContain("Desativar usuário", Text(edit), StringComparison.Ordinal);
    }
}

public sealed class UsersPageTestsSqlite(SqliteFixture f) : UsersPageTests(f), IClassFixture<SqliteFixture>;

public sealed class UsersPageTestsPostgres(PostgresFixture f) : UsersPageTests(f), IClassFixture<PostgresFixture>;
