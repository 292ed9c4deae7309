using System.Net;
using System.Net.Http.Json;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;

namespace Atende.Web.Tests.Identity;

/// <summary>
/// What an API client sees of authentication: every 401 names the Bearer scheme (a refused token says it is invalid),
/// pages still send people to the login, and POST /tokens answers the documented shapes.
/// </summary>
public abstract class ApiAuthContractTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void ChallengesBearer(HttpResponseMessage response, string expected)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(expected, string.Join(", ", response.Headers.WwwAuthenticate.Select(h => h.ToString())));
    }

    [Fact]
    public async Task Every_401_of_the_api_carries_WWW_Authenticate_Bearer_and_pages_still_redirect_to_the_login()
    {
        using var anonymous = App.Api();
        ChallengesBearer(await anonymous.GetAsync("/api/v1/workspaces", Ct), "Bearer");
        ChallengesBearer(await anonymous.PostAsJsonAsync("/api/v1/workspaces", new { name = "Sem token" }, Ct), "Bearer");

        using var badToken = App.Api("atd_nao-existe-este-token");
        ChallengesBearer(await badToken.GetAsync("/api/v1/tickets", Ct), "Bearer error=\"invalid_token\"");
        ChallengesBearer(await badToken.PostAsJsonAsync("/api/v1/workspaces", new { name = "Token falso" }, Ct), "Bearer error=\"invalid_token\"");

        var (_, token) = await App.CreateUser(fixture.AdminToken, $"{Guid.NewGuid():N}@empresa.test", "Admin");
        using var revoked = App.Api(token);
        var id = (await TicketSteps.Json(await revoked.GetAsync("/api/v1/tokens", Ct), HttpStatusCode.OK))["items"]!.AsArray().Single()!["id"];
        Assert.Equal(HttpStatusCode.NoContent, (await revoked.DeleteAsync($"/api/v1/tokens/{id}", Ct)).StatusCode);
        ChallengesBearer(await revoked.GetAsync("/api/v1/workspaces", Ct), "Bearer error=\"invalid_token\"");

        using var browser = App.Browser();
        var page = await browser.GetAsync("/tickets", Ct);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains("/login", page.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Empty(page.Headers.WwwAuthenticate);
    }

    [Fact]
    public async Task Post_tokens_answers_201_with_token_id_and_name_401_and_429_as_problems()
    {
        var email = $"{Guid.NewGuid():N}@empresa.test";
        await App.CreateUser(fixture.AdminToken, email, "Agent", await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Filial")));
        using var api = App.Api();

        using var created = await api.PostAsJsonAsync("/api/v1/tokens", new { email, password = TestApp.Password, name = "ERP" }, Ct);
        var token = await TicketSteps.Json(created, HttpStatusCode.Created);
        Assert.Equal(["token", "id", "name"], token.Select(p => p.Key));
        Assert.StartsWith("atd_", token["token"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("ERP", token["name"]!.GetValue<string>());
        Assert.Equal($"/api/v1/tokens/{token["id"]!.GetValue<long>()}", created.Headers.Location!.OriginalString);

        using var wrong = await api.PostAsJsonAsync("/api/v1/tokens", new { email, password = "tentativa-errada" }, Ct);
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType!.MediaType);
        var problem = await TicketSteps.Problem(wrong, HttpStatusCode.Unauthorized);
        Assert.Equal("E-mail ou senha incorretos.", problem["title"]!.GetValue<string>());
        Assert.Equal("Bearer", wrong.Headers.WwwAuthenticate.Single().ToString());

        for (var i = 0; i < 4; i++)
        {
            await api.PostAsJsonAsync("/api/v1/tokens", new { email, password = "tentativa-errada" }, Ct);
        }
        using var locked = await api.PostAsJsonAsync("/api/v1/tokens", new { email, password = TestApp.Password }, Ct);
        Assert.Equal("application/problem+json", locked.Content.Headers.ContentType!.MediaType);
        await TicketSteps.Problem(locked, HttpStatusCode.TooManyRequests);
        var retryAfter = locked.Headers.RetryAfter!.Delta!.Value;
        Assert.InRange(retryAfter.TotalMinutes, 14, 15);
    }
}

public sealed class ApiAuthContractTestsSqlite(SqliteFixture f) : ApiAuthContractTests(f), IClassFixture<SqliteFixture>;

public sealed class ApiAuthContractTestsPostgres(PostgresFixture f) : ApiAuthContractTests(f), IClassFixture<PostgresFixture>;
