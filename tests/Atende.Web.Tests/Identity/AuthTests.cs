using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Atende.Web.Tests.Infrastructure;

namespace Atende.Web.Tests.Identity;

public abstract class AuthTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pages_need_a_session_and_login_sends_back_to_the_page_asked_for()
    {
        using var browser = App.Browser();
        var asked = await browser.GetAsync("/partners?q=abc", Ct);
        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        var loginUrl = asked.Headers.Location!.ToString();
        Assert.Contains("/login?ReturnUrl=", loginUrl, StringComparison.Ordinal);

        var path = new Uri(loginUrl).PathAndQuery;
        var loggedIn = await browser.SubmitForm(path, "form", new() { ["Input.Email"] = TestApp.AdminEmail, ["Input.Password"] = TestApp.Password });
        Assert.Equal("/partners?q=abc", loggedIn.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Login_refuses_wrong_passwords_without_saying_which_part_was_wrong_and_never_redirects_off_site()
    {
        var email = $"login{Guid.NewGuid():N}@test.com.br";
        await App.CreateUser(fixture.AdminToken, email, "Admin");
        using var browser = App.Browser();
        var wrong = await browser.SubmitForm("/login", "form", new() { ["Input.Email"] = email, ["Input.Password"] = "errada-errada" });
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("E-mail ou senha incorretos.", (await HtmlClient.Parse(wrong)).Body!.TextContent, StringComparison.Ordinal);
        var unknown = await browser.SubmitForm("/login", "form", new() { ["Input.Email"] = "ninguem@test.com.br", ["Input.Password"] = "errada-errada" });
        Assert.Contains("E-mail ou senha incorretos.", (await HtmlClient.Parse(unknown)).Body!.TextContent, StringComparison.Ordinal);

        var offSite = await browser.SubmitForm("/login?ReturnUrl=https%3A%2F%2Fevil.example%2F", "form", new() { ["Input.Email"] = email, ["Input.Password"] = TestApp.Password });
        Assert.Equal("/", offSite.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_for_the_ui_and_the_api()
    {
        var email = $"lock{Guid.NewGuid():N}@test.com.br";
        await App.CreateUser(fixture.AdminToken, email, "Admin");
        using var api = App.Api();
        for (var i = 0; i < 5; i++)
        {
            var response = await api.PostAsJsonAsync("/api/v1/tokens", new { email, password = "tentativa-errada" }, Ct);
            Assert.Equal(i < 4 ? HttpStatusCode.Unauthorized : HttpStatusCode.TooManyRequests, response.StatusCode);
        }
        var rightButLocked = await api.PostAsJsonAsync("/api/v1/tokens", new { email, password = TestApp.Password }, Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, rightButLocked.StatusCode);
        using var browser = App.Browser();
        var page = await browser.SubmitForm("/login", "form", new() { ["Input.Email"] = email, ["Input.Password"] = TestApp.Password });
        Assert.Contains("Conta bloqueada", (await HtmlClient.Parse(page)).Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoked_tokens_stop_working_and_tokens_never_show_their_secret_again()
    {
        var email = $"token{Guid.NewGuid():N}@test.com.br";
        var (_, token) = await App.CreateUser(fixture.AdminToken, email, "Admin");
        using var api = App.Api(token);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/workspaces", Ct)).StatusCode);
        var tokens = await api.GetFromJsonAsync<JsonObject>("/api/v1/tokens", Ct);
        var listed = tokens!["items"]!.AsArray().Single()!;
        Assert.DoesNotContain(token, tokens.ToJsonString(), StringComparison.Ordinal);
        Assert.StartsWith(listed["prefix"]!.GetValue<string>(), token, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/tokens/{listed["id"]}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/workspaces", Ct)).StatusCode);
    }

    [Fact]
    public async Task Deactivating_a_user_ends_sessions_and_tokens_at_once_and_the_user_json_has_no_secrets()
    {
        var ws = await App.CreateWorkspace(fixture.AdminToken, $"Domínio {Guid.NewGuid():N}"[..20]);
        var email = $"sai{Guid.NewGuid():N}@test.com.br";
        var (id, token) = await App.CreateUser(fixture.AdminToken, email, "Agent", ws);
        using var browser = await App.LoggedIn(email, TestApp.Password);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/partners", Ct)).StatusCode);
        using var api = App.Api(token);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/partners", Ct)).StatusCode);

        using var admin = App.Api(fixture.AdminToken);
        var user = await admin.GetStringAsync($"/api/v1/users/{id}", Ct);
        Assert.DoesNotContain("password", user, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("securityStamp", user, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/users/{id}", Ct)).StatusCode);

        var after = await browser.GetAsync("/partners", Ct);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains("/login", after.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/partners", Ct)).StatusCode);
        // The right password is told the account is disabled; a wrong one learns nothing about the account.
        var relogin = await App.Browser().SubmitForm("/login", "form", new() { ["Input.Email"] = email, ["Input.Password"] = TestApp.Password });
        Assert.Equal(HttpStatusCode.OK, relogin.StatusCode);
        var disabled = (await HtmlClient.Parse(relogin)).Body!.TextContent;
        Assert.Contains("Esta conta está desativada.", disabled, StringComparison.Ordinal);
        Assert.DoesNotContain("E-mail ou senha incorretos.", disabled, StringComparison.Ordinal);
        var wrong = (await HtmlClient.Parse(await App.Browser().SubmitForm("/login", "form", new() { ["Input.Email"] = email, ["Input.Password"] = "outra-senha-qualquer" }))).Body!.TextContent;
        Assert.Contains("E-mail ou senha incorretos.", wrong, StringComparison.Ordinal);
        Assert.DoesNotContain("desativada", wrong, StringComparison.Ordinal);
        var deactivated = await admin.GetFromJsonAsync<JsonObject>($"/api/v1/users/{id}", Ct);
        Assert.False(deactivated!["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_password_reset_by_an_admin_ends_the_sessions_opened_with_the_old_one()
    {
        var ws = await App.CreateWorkspace(fixture.AdminToken, $"Domínio {Guid.NewGuid():N}"[..20]);
        var email = $"reset{Guid.NewGuid():N}@test.com.br";
        var (id, _) = await App.CreateUser(fixture.AdminToken, email, "Agent", ws);
        using var session = await App.LoggedIn(email, TestApp.Password);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/partners", Ct)).StatusCode);

        using var admin = App.Api(fixture.AdminToken);
        Assert.Equal(HttpStatusCode.OK, (await Tickets.TicketSteps.Patch(admin, $"/api/v1/users/{id}", new { password = "senha-nova-depois-do-reset" }, "*")).StatusCode);

        var after = await session.GetAsync("/partners", Ct);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains("/login", after.Headers.Location!.ToString(), StringComparison.Ordinal);
        using var fresh = await App.LoggedIn(email, "senha-nova-depois-do-reset");
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/partners", Ct)).StatusCode);
    }

    [Fact]
    public async Task Users_list_pages_by_keyset_in_name_order()
    {
        var ws = await App.CreateWorkspace(fixture.AdminToken, $"Domínio {Guid.NewGuid():N}"[..20]);
        for (var i = 0; i < 4; i++)
        {
            await App.CreateUser(fixture.AdminToken, $"pagina{i}{Guid.NewGuid():N}@test.com.br", "Agent", ws);
        }
        using var admin = App.Api(fixture.AdminToken);
        var all = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/users?limit=200", Ct))!["items"]!.AsArray().Select(u => u!["id"]!.GetValue<long>()).ToList();
        var walked = new List<long>();
        string? after = null;
        do
        {
            var page = await admin.GetFromJsonAsync<JsonObject>("/api/v1/users?limit=2" + (after is null ? "" : "&after=" + Uri.EscapeDataString(after)), Ct);
            var items = page!["items"]!.AsArray();
            Assert.True(items.Count <= 2);
            walked.AddRange(items.Select(u => u!["id"]!.GetValue<long>()));
            after = page["next"]?.GetValue<string>();
        }
        while (after is not null);
        Assert.True(all.Count >= 5);
        Assert.Equal(all, walked);
    }

    [Fact]
    public async Task Agents_cannot_manage_users_or_grant_themselves_admin()
    {
        var ws = await App.CreateWorkspace(fixture.AdminToken, $"Domínio {Guid.NewGuid():N}"[..20]);
        var (id, token) = await App.CreateUser(fixture.AdminToken, $"agente{Guid.NewGuid():N}@test.com.br", "Agent", ws);
        using var agent = App.Api(token);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync("/api/v1/users", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PatchAsJsonAsync($"/api/v1/users/{id}", new { role = "Admin" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostAsJsonAsync("/api/v1/workspaces", new { name = "Meu" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PutAsJsonAsync("/api/v1/settings/company", new { name = "Tomada" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("/api/v1/settings/channels", Ct)).StatusCode);
    }
}

public sealed class AuthTestsSqlite(SqliteFixture fixture) : AuthTests(fixture), IClassFixture<SqliteFixture>;

public sealed class AuthTestsPostgres(PostgresFixture fixture) : AuthTests(fixture), IClassFixture<PostgresFixture>;
