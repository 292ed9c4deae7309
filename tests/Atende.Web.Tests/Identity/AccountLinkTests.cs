using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using Atende.Core.Data;
using Atende.Core.Identity;
using Atende.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Atende.Web.Tests.Tickets.TicketSteps;

namespace Atende.Web.Tests.Identity;

public sealed class AccountLinkSqliteFixture() : AppFixture("Sqlite", AccountLinkTests.Settings);

public sealed class AccountLinkPostgresFixture() : AppFixture("Postgres", AccountLinkTests.Settings);

/// <summary>
/// Getting in (issue 17): staff invite a customer's contact to the portal, the invitee chooses a password through the e-mailed
/// link and is signed in; anyone resets a forgotten password the same way. Links are single-use and expire.
/// </summary>
public abstract partial class AccountLinkTests(AppFixture fixture)
{
    public const string PublicUrl = "https://atende.padaria.example";

    public static Dictionary<string, string> Settings => new() { ["Atende:PublicUrl"] = PublicUrl };

    private const string NewPassword = "nova-senha-do-portal-42";

    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"https://atende\.padaria\.example/conta/senha/[A-Za-z0-9_\-]+")]
    private static partial Regex LinkPattern();

    private async Task<HttpClient> Admin()
    {
        var api = App.Api(fixture.AdminToken);
        await Json(await api.PutAsJsonAsync("/api/v1/settings/smtp", new
        {
            host = "127.0.0.1", port = 1, security = "None", fromName = "Padaria Pão Quente", fromAddress = "contato@paoquente.test",
        }, Ct), HttpStatusCode.OK);
        return api;
    }

    private async Task<(long WorkspaceId, long PartnerId, string PartnerName)> Partner(HttpClient api)
    {
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Portal"));
        var name = Unique("Mercado São João");
        var partner = await Json(await api.PostAsJsonAsync("/api/v1/partners", new { name, workspaceId, confirmDuplicates = true }, Ct), HttpStatusCode.Created);
        return (workspaceId, partner["id"]!.GetValue<long>(), name);
    }

    private static async Task<(long ContactId, string Email)> Contact(HttpClient api, long partnerId, bool withEmail = true)
    {
        var email = $"joana-{Guid.NewGuid():N}@mercado.test";
        var contact = await Json(await api.PostAsJsonAsync($"/api/v1/partners/{partnerId}/contacts",
            withEmail ? new { name = "Joana Prado", emails = new[] { email } } : (object)new { name = "Joana Prado" }, Ct), HttpStatusCode.Created);
        return (contact["id"]!.GetValue<long>(), email);
    }

    private static Task<HttpResponseMessage> Invite(HttpClient api, long partnerId, long contactId, bool seesCompanyRequests = false) =>
        api.PostAsJsonAsync($"/api/v1/partners/{partnerId}/contacts/{contactId}/invite", new { seesCompanyRequests }, Ct);

    private async Task<List<Atende.Core.Email.OutboxEmail>> EmailsTo(string address)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
        return await db.OutboxEmails.AsNoTracking().Where(e => e.To == address).OrderBy(e => e.Id).ToListAsync(Ct);
    }

    /// <summary>The link of the latest e-mail to <paramref name="address"/>, as the path to open on the test server.</summary>
    private async Task<string> LatestLink(string address)
    {
        var email = (await EmailsTo(address)).Last();
        var link = LinkPattern().Match(email.TextBody!).Value;
        Assert.False(string.IsNullOrEmpty(link), $"no account link in: {email.TextBody}");
        Assert.Contains(link, email.HtmlBody, StringComparison.Ordinal);
        return new Uri(link).AbsolutePath;
    }

    private static async Task<HttpResponseMessage> ChoosePassword(HttpClient browser, string path, string password, string? confirmation = null) =>
        await browser.SubmitForm(path, "form", new() { ["Input.Password"] = password, ["Input.Confirmation"] = confirmation ?? password });

    private static string Text(IHtmlDocument page) => page.Body!.TextContent;

    [Fact]
    public async Task An_invited_contact_gets_a_portal_user_and_an_email_whose_link_lets_them_choose_a_password_once_and_signs_them_in()
    {
        var api = await Admin();
        var (_, partnerId, partnerName) = await Partner(api);
        var (contactId, email) = await Contact(api, partnerId);

        var sent = await Json(await Invite(api, partnerId, contactId, seesCompanyRequests: true), HttpStatusCode.Accepted);
        var userId = sent["userId"]!.GetValue<long>();
        var expiresAt = sent["expiresAt"]!.GetValue<DateTimeOffset>();
        Assert.InRange(expiresAt - DateTimeOffset.UtcNow, TimeSpan.FromHours(47.9), TimeSpan.FromHours(48.1));

        var user = await Json(await api.GetAsync($"/api/v1/users/{userId}", Ct), HttpStatusCode.OK);
        Assert.Equal("Portal", user["role"]!.GetValue<string>());
        Assert.Equal("Joana Prado", user["name"]!.GetValue<string>());
        Assert.Equal(email, user["email"]!.GetValue<string>());
        Assert.Equal(partnerId, user["partnerId"]!.GetValue<long>());
        Assert.Equal(contactId, user["contactId"]!.GetValue<long>());
        Assert.True(user["seesCompanyRequests"]!.GetValue<bool>());

        var mail = Assert.Single(await EmailsTo(email));
        Assert.Contains("Empresa de Teste Ltda", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("Administradora Teste", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(partnerName, mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("48 horas", mail.TextBody, StringComparison.Ordinal);
        var path = await LatestLink(email);

        // The contact's card on the partner page says the invitation went out, and offers to send it again.
        using var staff = await App.LoggedIn();
        var card = (await staff.GetPage($"/partners/{partnerId}?tab=contatos")).QuerySelector($"[data-portal-access='{contactId}']")!;
        Assert.Contains("Convite enviado em", card.TextContent, StringComparison.Ordinal);
        Assert.Contains("Reenviar convite", card.TextContent, StringComparison.Ordinal);

        using var invitee = App.Browser();
        var page = await invitee.GetPage(path);
        Assert.Equal("Defina sua senha", page.QuerySelector("h1")!.TextContent.Trim());

        var mismatch = await HtmlClient.Parse(await ChoosePassword(invitee, path, NewPassword, "outra-coisa-qualquer"));
        Assert.Contains("A confirmação não é igual à senha.", Text(mismatch), StringComparison.Ordinal);
        Assert.NotNull(mismatch.QuerySelector("input[name='Input.Password']"));
        var tooShort = await ChoosePassword(invitee, path, "curta");
        Assert.Equal(HttpStatusCode.OK, tooShort.StatusCode);
        Assert.Contains("10 caracteres", Text(await HtmlClient.Parse(tooShort)), StringComparison.Ordinal);

        var accepted = await ChoosePassword(invitee, path, NewPassword);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal("/portal", accepted.Headers.Location!.OriginalString);
        // Signed in: the portal opens instead of sending them to the login.
        Assert.Equal(HttpStatusCode.OK, (await invitee.GetAsync("/portal/pedidos", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await App.Api().PostAsJsonAsync("/api/v1/tokens", new { email, password = NewPassword }, Ct)).StatusCode);

        // Single use: the page says so, and the API refuses the token naming the field.
        using var again = App.Browser();
        Assert.Contains("já foi usado", (await again.GetPage(path)).QuerySelector("[data-link-problem]")!.TextContent, StringComparison.Ordinal);
        var reuse = await Problem(await App.Api().PostAsJsonAsync("/api/v1/account/reset-password", new { token = path.Split('/').Last(), password = "mais-uma-senha-nova" }, Ct), HttpStatusCode.BadRequest);
        Assert.NotNull(reuse["errors"]!["token"]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.Api().PostAsJsonAsync("/api/v1/tokens", new { email, password = "mais-uma-senha-nova" }, Ct)).StatusCode);

        var after = (await staff.GetPage($"/partners/{partnerId}?tab=contatos")).QuerySelector($"[data-portal-access='{contactId}']")!;
        Assert.Contains("Acesso ativo", after.TextContent, StringComparison.Ordinal);
        Assert.Null(after.QuerySelector("form"));
    }

    [Fact]
    public async Task The_invitation_is_sent_from_the_partner_page_with_the_company_requests_choice()
    {
        var api = await Admin();
        var (_, partnerId, _) = await Partner(api);
        var (contactId, email) = await Contact(api, partnerId);
        using var staff = await App.LoggedIn();
        var url = $"/partners/{partnerId}?tab=contatos";
        var page = await staff.GetPage(url);
        var card = page.QuerySelector($"[data-portal-access='{contactId}']")!;
        Assert.Contains("Sem acesso", card.TextContent, StringComparison.Ordinal);
        Assert.Contains("Pode ver todos os pedidos da empresa", card.TextContent, StringComparison.Ordinal);
        var form = (IHtmlFormElement)card.QuerySelector("form[data-portal-invite]")!;
        Assert.NotNull(form.GetAttribute("data-confirm"));

        var response = await staff.Submit(form, url, new() { ["seesCompanyRequests"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Single(await EmailsTo(email));
        var users = await Json(await api.GetAsync("/api/v1/users?limit=500", Ct), HttpStatusCode.OK);
        var invited = users["items"]!.AsArray().Single(u => u!["email"]!.GetValue<string>() == email)!;
        Assert.True(invited["seesCompanyRequests"]!.GetValue<bool>());
        Assert.Contains("Convite enviado em", (await staff.GetPage(url)).QuerySelector($"[data-portal-access='{contactId}']")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_link_is_refused_and_changes_nothing()
    {
        var api = await Admin();
        var (_, partnerId, _) = await Partner(api);
        var (contactId, email) = await Contact(api, partnerId);
        var userId = (await Json(await Invite(api, partnerId, contactId), HttpStatusCode.Accepted))["userId"]!.GetValue<long>();
        var path = await LatestLink(email);
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
            var past = DateTimeOffset.UtcNow.AddMinutes(-1);
            await db.AccountLinks.Where(l => l.UserId == userId).ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, past), Ct);
        }
        using var invitee = App.Browser();
        var page = await invitee.GetPage(path);
        Assert.Contains("expirou", page.QuerySelector("[data-link-problem]")!.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("input[name='Input.Password']"));
        var refused = await Problem(await App.Api().PostAsJsonAsync("/api/v1/account/reset-password", new { token = path.Split('/').Last(), password = NewPassword }, Ct), HttpStatusCode.BadRequest);
        Assert.Contains("expirou", refused["errors"]!["token"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.Api().PostAsJsonAsync("/api/v1/tokens", new { email, password = NewPassword }, Ct)).StatusCode);
    }

    [Fact]
    public async Task A_portal_user_created_without_password_is_invited_by_the_admin_and_a_new_invitation_ends_the_older_link()
    {
        var api = await Admin();
        var (_, partnerId, _) = await Partner(api);
        var (contactId, email) = await Contact(api, partnerId);
        var created = await Json(await api.PostAsJsonAsync("/api/v1/users", new { name = "Joana Prado", email, role = "Portal", partnerId, contactId, seesCompanyRequests = false }, Ct), HttpStatusCode.Created);
        var userId = created["id"]!.GetValue<long>();
        Assert.Equal(contactId, created["contactId"]!.GetValue<long>());
        Assert.False(created["seesCompanyRequests"]!.GetValue<bool>());
        Assert.Empty(await EmailsTo(email));

        var first = await Json(await api.PostAsync($"/api/v1/users/{userId}/invite", null, Ct), HttpStatusCode.Accepted);
        Assert.Equal(userId, first["userId"]!.GetValue<long>());
        var firstPath = await LatestLink(email);
        // The contact's invite (staff) reaches the same user and ends the admin's link.
        Assert.Equal(userId, (await Json(await Invite(api, partnerId, contactId, seesCompanyRequests: true), HttpStatusCode.Accepted))["userId"]!.GetValue<long>());
        var secondPath = await LatestLink(email);
        Assert.NotEqual(firstPath, secondPath);
        Assert.Equal(2, (await EmailsTo(email)).Count);

        using var invitee = App.Browser();
        Assert.Contains("já foi usado", (await invitee.GetPage(firstPath)).QuerySelector("[data-link-problem]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await ChoosePassword(invitee, secondPath, NewPassword)).StatusCode);

        // The admin's user page: the company requests choice is saved through the form.
        using var admin = await App.LoggedIn();
        var editUrl = $"/settings/users/{userId}/edit";
        var edit = await admin.GetPage(editUrl);
        Assert.Contains("Vê todos os pedidos da empresa", Text(edit), StringComparison.Ordinal);
        Assert.Contains("Reenviar convite", edit.QuerySelector("#portal-invite")!.TextContent, StringComparison.Ordinal);
        var saved = await admin.Submit((IHtmlFormElement)edit.QuerySelector("#user-form")!, editUrl, new() { ["Input.SeesCompanyRequests"] = "false" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var user = await Json(await api.GetAsync($"/api/v1/users/{userId}", Ct), HttpStatusCode.OK);
        Assert.False(user["seesCompanyRequests"]!.GetValue<bool>());
        Assert.Equal(contactId, user["contactId"]!.GetValue<long>());

        // "Reenviar convite" on the user page e-mails a third link.
        var resend = await admin.Submit((IHtmlFormElement)(await admin.GetPage(editUrl)).QuerySelector("#portal-invite form")!, editUrl, []);
        Assert.Equal(HttpStatusCode.Redirect, resend.StatusCode);
        Assert.Contains("Convite enviado para " + email, Text(await admin.GetPage(resend.Headers.Location!.OriginalString)), StringComparison.Ordinal);
        Assert.Equal(3, (await EmailsTo(email)).Count);
    }

    [Fact]
    public async Task Forgot_password_answers_the_same_for_unknown_addresses_and_writes_no_email_then()
    {
        var api = await Admin();
        var known = $"agente-{Guid.NewGuid():N}@test.com.br";
        var ws = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio"));
        await App.CreateUser(fixture.AdminToken, known, "Agent", ws);
        var unknown = $"ninguem-{Guid.NewGuid():N}@test.com.br";

        using var anonymous = App.Api();
        var forUnknown = await anonymous.PostAsJsonAsync("/api/v1/account/forgot-password", new { email = unknown }, Ct);
        var forKnown = await anonymous.PostAsJsonAsync("/api/v1/account/forgot-password", new { email = known }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, forUnknown.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, forKnown.StatusCode);
        Assert.Equal(await forUnknown.Content.ReadAsStringAsync(Ct), await forKnown.Content.ReadAsStringAsync(Ct));
        Assert.Empty(await EmailsTo(unknown));
        var reset = Assert.Single(await EmailsTo(known));
        Assert.Contains("1 hora", reset.TextBody, StringComparison.Ordinal);

        using var browser = App.Browser();
        Assert.Contains("/conta/esqueci-senha", (await browser.GetPage("/login")).QuerySelector("a[href='/conta/esqueci-senha']")!.GetAttribute("href"), StringComparison.Ordinal);
        var pageUnknown = await HtmlClient.Parse(await browser.SubmitForm("/conta/esqueci-senha", "form", new() { ["Email"] = unknown }));
        var pageKnown = await HtmlClient.Parse(await browser.SubmitForm("/conta/esqueci-senha", "form", new() { ["Email"] = known }));
        Assert.Contains("Se houver uma conta com este e-mail, enviamos um link", pageUnknown.QuerySelector("[data-forgot-sent]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(pageUnknown.QuerySelector("[data-forgot-sent]")!.TextContent, pageKnown.QuerySelector("[data-forgot-sent]")!.TextContent);
        Assert.Empty(await EmailsTo(unknown));
        Assert.Equal(2, (await EmailsTo(known)).Count);
    }

    [Fact]
    public async Task A_reset_ends_the_open_session_and_revokes_the_api_token_and_signs_staff_in_on_the_start_page()
    {
        await Admin();
        var email = $"reset-{Guid.NewGuid():N}@test.com.br";
        var ws = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio"));
        var (_, token) = await App.CreateUser(fixture.AdminToken, email, "Agent", ws);
        using var session = await App.LoggedIn(email);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/partners", Ct)).StatusCode);
        using var tokenClient = App.Api(token);
        Assert.Equal(HttpStatusCode.OK, (await tokenClient.GetAsync("/api/v1/workspaces", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.Accepted, (await App.Api().PostAsJsonAsync("/api/v1/account/forgot-password", new { email }, Ct)).StatusCode);
        var path = await LatestLink(email);
        using var browser = App.Browser();
        Assert.Equal("Nova senha", (await browser.GetPage(path)).QuerySelector("h1")!.TextContent.Trim());
        var done = await ChoosePassword(browser, path, NewPassword);
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal("/", done.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/partners", Ct)).StatusCode);

        var ended = await session.GetAsync("/partners", Ct);
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.Contains("/login", ended.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await tokenClient.GetAsync("/api/v1/workspaces", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.Api().PostAsJsonAsync("/api/v1/tokens", new { email, password = TestApp.Password }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await App.Api().PostAsJsonAsync("/api/v1/tokens", new { email, password = NewPassword }, Ct)).StatusCode);
    }

    [Fact]
    public async Task Invitations_are_refused_without_an_email_for_a_staff_address_and_for_a_partner_the_agent_cannot_see()
    {
        var api = await Admin();
        var (_, partnerId, _) = await Partner(api);
        var (noEmail, _) = await Contact(api, partnerId, withEmail: false);
        var refused = await Problem(await Invite(api, partnerId, noEmail), HttpStatusCode.BadRequest);
        Assert.Contains("não tem e-mail", refused["errors"]!["email"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var staffAddress = await Json(await api.PostAsJsonAsync($"/api/v1/partners/{partnerId}/contacts", new { name = "Admin disfarçada", emails = new[] { TestApp.AdminEmail } }, Ct), HttpStatusCode.Created);
        var staff = await Problem(await Invite(api, partnerId, staffAddress["id"]!.GetValue<long>()), HttpStatusCode.BadRequest);
        Assert.Contains("equipe", staff["errors"]!["email"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var (contactId, email) = await Contact(api, partnerId);
        var otherWs = await App.CreateWorkspace(fixture.AdminToken, Unique("Outro domínio"));
        var (_, agentToken) = await App.CreateUser(fixture.AdminToken, $"agente-{Guid.NewGuid():N}@test.com.br", "Agent", otherWs);
        using var agent = App.Api(agentToken);
        await Problem(await Invite(agent, partnerId, contactId), HttpStatusCode.NotFound);
        Assert.Empty(await EmailsTo(email));
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostAsync($"/api/v1/users/1/invite", null, Ct)).StatusCode);
    }

    [Fact]
    public async Task A_portal_user_is_kept_out_of_the_staff_pages_and_the_staff_api()
    {
        var api = await Admin();
        var (_, partnerId, _) = await Partner(api);
        var (contactId, email) = await Contact(api, partnerId);
        await Json(await Invite(api, partnerId, contactId), HttpStatusCode.Accepted);
        using var portal = App.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await ChoosePassword(portal, await LatestLink(email), NewPassword)).StatusCode);

        foreach (var url in new[] { "/partners", $"/partners/{partnerId}", "/tickets", "/settings/users" })
        {
            var response = await portal.GetAsync(url, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/acesso-negado", StringComparison.Ordinal),
                $"{url} answered {(int)response.StatusCode} {response.Headers.Location}");
        }
        var token = await App.Token(email, NewPassword);
        using var portalApi = App.Api(token);
        foreach (var url in new[] { "/api/v1/partners", $"/api/v1/partners/{partnerId}", "/api/v1/users", "/api/v1/workspaces" })
        {
            var status = (await portalApi.GetAsync(url, Ct)).StatusCode;
            Assert.True(status is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"{url} answered {(int)status}");
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await Invite(portalApi, partnerId, contactId)).StatusCode);
    }
}

public sealed class AccountLinkTestsSqlite(AccountLinkSqliteFixture fixture) : AccountLinkTests(fixture), IClassFixture<AccountLinkSqliteFixture>;

public sealed class AccountLinkTestsPostgres(AccountLinkPostgresFixture fixture) : AccountLinkTests(fixture), IClassFixture<AccountLinkPostgresFixture>;

/// <summary>An app with low limits and no SMTP settings: the per-address limits answer 429; an invitation that cannot be e-mailed writes nothing.</summary>
public sealed class AccountLimitFixture() : AppFixture("Sqlite", new()
{
    ["Atende:PublicUrl"] = AccountLinkTests.PublicUrl,
    ["Atende:RateLimits:LoginPerMinute"] = "2",
    ["Atende:RateLimits:ForgotPasswordPerMinute"] = "2",
});

public sealed class AccountLimitTests(AccountLimitFixture fixture) : IClassFixture<AccountLimitFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sign_in_and_forgot_password_answer_429_past_their_limit_from_one_address()
    {
        var app = fixture.App;
        using var api = app.Api();
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 2; i++)
        {
            answers.Add((await api.PostAsJsonAsync("/api/v1/tokens", new { email = "ninguem@test.com.br", password = "errada-errada" }, Ct)).StatusCode);
        }
        // The login page shares the window of POST /tokens.
        using var browser = app.Browser();
        answers.Add((await browser.SubmitForm("/login", "form", new() { ["Input.Email"] = TestApp.AdminEmail, ["Input.Password"] = TestApp.Password })).StatusCode);
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, (HttpStatusCode)429], answers);

        var forgot = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            forgot.Add(await api.PostAsJsonAsync("/api/v1/account/forgot-password", new { email = "ninguem@test.com.br" }, Ct));
        }
        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, (HttpStatusCode)429], forgot.Select(r => r.StatusCode));
        Assert.Equal("application/problem+json", forgot[2].Content.Headers.ContentType?.MediaType);
        // The page shares the window too: the form is shown (GETs are not counted), its POST is refused.
        Assert.Equal((HttpStatusCode)429, (await browser.SubmitForm("/conta/esqueci-senha", "form", new() { ["Email"] = "ninguem@test.com.br" })).StatusCode);
    }

    [Fact]
    public async Task Without_smtp_an_invitation_is_refused_and_writes_no_user()
    {
        var app = fixture.App;
        using var api = app.Api(fixture.AdminToken);
        var workspaceId = await app.CreateWorkspace(fixture.AdminToken, Unique("Domínio"));
        var partner = await Json(await api.PostAsJsonAsync("/api/v1/partners", new { name = Unique("Mercado"), workspaceId, confirmDuplicates = true }, Ct), HttpStatusCode.Created);
        var email = $"joana-{Guid.NewGuid():N}@mercado.test";
        var contact = await Json(await api.PostAsJsonAsync($"/api/v1/partners/{partner["id"]}/contacts", new { name = "Joana Prado", emails = new[] { email } }, Ct), HttpStatusCode.Created);
        var refused = await Problem(await api.PostAsJsonAsync($"/api/v1/partners/{partner["id"]}/contacts/{contact["id"]}/invite", new { seesCompanyRequests = false }, Ct), HttpStatusCode.Conflict);
        Assert.Contains("SMTP", refused["title"]!.GetValue<string>() + refused["detail"], StringComparison.Ordinal);
        var users = await Json(await api.GetAsync("/api/v1/users?limit=500", Ct), HttpStatusCode.OK);
        Assert.DoesNotContain(users["items"]!.AsArray(), u => u!["email"]!.GetValue<string>() == email);
    }
}
