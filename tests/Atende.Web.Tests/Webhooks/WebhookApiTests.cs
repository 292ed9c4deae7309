using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;

namespace Atende.Web.Tests.Webhooks;

/// <summary>
/// /api/v1/webhooks with the default configuration (private targets refused): CRUD with If-Match, the secret answered only
/// by POST and rotate-secret, the URL and event rules naming their field, admins only.
/// </summary>
public abstract class WebhookApiTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Url = "/api/v1/webhooks";

    private HttpClient Admin() => App.Api(fixture.AdminToken);

    private static string Target() => $"https://hooks.exemplo.com.br/{Guid.NewGuid():N}";

    private static async Task<HttpResponseMessage> Send(HttpClient api, HttpMethod method, string url, string? etag, object? body = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        if (etag is not null)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        }
        return await api.SendAsync(request, Ct);
    }

    private static string Errors(JsonObject problem, string field)
    {
        Assert.True(problem["errors"]?[field] is not null, $"no error for '{field}' in {problem.ToJsonString()}");
        return string.Join(" | ", problem["errors"]![field]!.AsArray().Select(e => e!.GetValue<string>()));
    }

    private static void NoSecret(JsonObject endpoint) =>
        Assert.False(endpoint.ContainsKey("secret"), $"secret answered outside create/rotate: {endpoint.ToJsonString()}");

    [Fact]
    public async Task An_endpoint_is_created_read_updated_with_If_Match_rotated_and_deleted_and_its_secret_is_shown_only_on_create_and_rotate()
    {
        using var api = Admin();
        var target = Target();
        using var post = await api.PostAsJsonAsync(Url, new { url = target, events = new[] { "partner.created", "ticket.created" }, description = "ERP", active = true }, Ct);
        var created = await TicketSteps.Json(post, HttpStatusCode.Created);
        var id = created["id"]!.GetValue<long>();
        Assert.Equal($"/api/v1/webhooks/{id}", post.Headers.Location!.OriginalString);
        Assert.Equal("\"1\"", post.Headers.ETag!.Tag);
        var secret = created["secret"]!.GetValue<string>();
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(target, created["url"]!.GetValue<string>());
        Assert.Equal("ERP", created["description"]!.GetValue<string>());
        // Kept in the order of the event list, not the order sent.
        Assert.Equal(["ticket.created", "partner.created"], created["events"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.True(created["active"]!.GetValue<bool>());

        var list = await TicketSteps.Json(await api.GetAsync(Url, Ct), HttpStatusCode.OK);
        Assert.True(list.ContainsKey("next"));
        var listed = list["items"]!.AsArray().Select(i => i!.AsObject()).Single(i => i["id"]!.GetValue<long>() == id);
        NoSecret(listed);
        Assert.DoesNotContain(secret, list.ToJsonString(), StringComparison.Ordinal);

        using var one = await api.GetAsync($"{Url}/{id}", Ct);
        Assert.Equal("\"1\"", one.Headers.ETag!.Tag);
        var read = await TicketSteps.Json(one, HttpStatusCode.OK);
        NoSecret(read);
        Assert.Equal(target, read["url"]!.GetValue<string>());

        await TicketSteps.Problem(await Send(api, HttpMethod.Patch, $"{Url}/{id}", null, new { active = false }), HttpStatusCode.PreconditionRequired);
        var stale = await TicketSteps.Problem(await Send(api, HttpMethod.Patch, $"{Url}/{id}", "\"9\"", new { active = false }), HttpStatusCode.PreconditionFailed);
        Assert.Contains("alterado por outra pessoa", stale["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        using var patch = await Send(api, HttpMethod.Patch, $"{Url}/{id}", "\"1\"", new { active = false });
        var patched = await TicketSteps.Json(patch, HttpStatusCode.OK);
        Assert.Equal("\"2\"", patch.Headers.ETag!.Tag);
        NoSecret(patched);
        Assert.False(patched["active"]!.GetValue<bool>());
        Assert.Equal(target, patched["url"]!.GetValue<string>());
        Assert.Equal("ERP", patched["description"]!.GetValue<string>());
        Assert.Equal(2, patched["events"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Send(api, HttpMethod.Patch, $"{Url}/{id}", "\"1\"", new { active = true })).StatusCode);

        var everything = await TicketSteps.Json(await Send(api, HttpMethod.Patch, $"{Url}/{id}", "\"2\"", new { events = Array.Empty<string>(), description = "" }), HttpStatusCode.OK);
        Assert.Empty(everything["events"]!.AsArray());
        Assert.Equal("", everything["description"]!.GetValue<string>());
        Assert.False(everything["active"]!.GetValue<bool>());

        var rotated = await TicketSteps.Json(await api.PostAsync($"{Url}/{id}/rotate-secret", null, Ct), HttpStatusCode.OK);
        var newSecret = rotated["secret"]!.GetValue<string>();
        Assert.StartsWith("whsec_", newSecret, StringComparison.Ordinal);
        Assert.NotEqual(secret, newSecret);
        Assert.True(rotated["rotatingSecret"]!.GetValue<bool>());
        var afterRotation = await TicketSteps.Json(await api.GetAsync($"{Url}/{id}", Ct), HttpStatusCode.OK);
        NoSecret(afterRotation);
        Assert.DoesNotContain(newSecret, (await api.GetStringAsync(Url, Ct)), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"{Url}/{id}", Ct)).StatusCode);
        await TicketSteps.Problem(await api.GetAsync($"{Url}/{id}", Ct), HttpStatusCode.NotFound);
        await TicketSteps.Problem(await api.GetAsync($"{Url}/{id}/deliveries", Ct), HttpStatusCode.NotFound);
    }

    public static TheoryData<string, string> RefusedUrls => new()
    {
        { "/hooks/atende", "endereço completo" },
        { "exemplo.com.br/webhooks", "endereço completo" },
        { "ftp://exemplo.com.br/webhooks", "https://" },
        { "https://usuario:senha@exemplo.com.br/webhooks", "usuário ou senha" },
        { "http://127.0.0.1/", "endereço interno" },
        { "http://[::1]/", "endereço interno" },
        { "https://exemplo.com.br/" + new string('a', 2001 - "https://exemplo.com.br/".Length), "2.000 caracteres" },
    };

    [Theory]
    [MemberData(nameof(RefusedUrls))]
    public async Task A_url_that_is_not_a_public_absolute_http_address_is_refused_naming_url(string url, string rule)
    {
        using var api = Admin();
        var problem = await TicketSteps.Problem(await api.PostAsJsonAsync(Url, new { url, events = new[] { "ticket.created" } }, Ct), HttpStatusCode.BadRequest);
        Assert.Contains(rule, Errors(problem, "url"), StringComparison.Ordinal);
        Assert.DoesNotContain(url, await api.GetStringAsync(Url, Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_event_is_refused_naming_events_and_a_bad_patch_changes_nothing()
    {
        using var api = Admin();
        var problem = await TicketSteps.Problem(await api.PostAsJsonAsync(Url, new { url = Target(), events = new[] { "ticket.created", "ticket.exploded" } }, Ct),
            HttpStatusCode.BadRequest);
        Assert.Contains("ticket.exploded", Errors(problem, "events"), StringComparison.Ordinal);

        var target = Target();
        var created = await TicketSteps.Json(await api.PostAsJsonAsync(Url, new { url = target }, Ct), HttpStatusCode.Created);
        var id = created["id"]!.GetValue<long>();
        Assert.Empty(created["events"]!.AsArray());
        Errors(await TicketSteps.Problem(await Send(api, HttpMethod.Patch, $"{Url}/{id}", "\"1\"", new { url = "http://127.0.0.1:8080/x" }), HttpStatusCode.BadRequest), "url");
        Errors(await TicketSteps.Problem(await Send(api, HttpMethod.Patch, $"{Url}/{id}", "\"1\"", new { events = new[] { "webhook.test" } }), HttpStatusCode.BadRequest), "events");
        await TicketSteps.Problem(await Send(api, HttpMethod.Patch, $"{Url}/{id}", "\"1\"", new { secret = "whsec_x" }), HttpStatusCode.BadRequest);
        var unchanged = await TicketSteps.Json(await api.GetAsync($"{Url}/{id}", Ct), HttpStatusCode.OK);
        Assert.Equal(target, unchanged["url"]!.GetValue<string>());
        Assert.Equal(1, unchanged["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task Agents_get_403_from_every_webhook_route()
    {
        using var api = Admin();
        var id = (await TicketSteps.Json(await api.PostAsJsonAsync(Url, new { url = Target() }, Ct), HttpStatusCode.Created))["id"]!.GetValue<long>();
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Filial"));
        var (_, token) = await App.CreateUser(fixture.AdminToken, $"{Guid.NewGuid():N}@empresa.test", "Agent", workspaceId);
        using var agent = App.Api(token);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync(Url, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync($"{Url}/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostAsJsonAsync(Url, new { url = Target() }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(agent, HttpMethod.Patch, $"{Url}/{id}", "\"1\"", new { active = false })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostAsync($"{Url}/{id}/rotate-secret", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostAsync($"{Url}/{id}/test", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync($"{Url}/{id}/deliveries", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.DeleteAsync($"{Url}/{id}", Ct)).StatusCode);
        var still = await TicketSteps.Json(await api.GetAsync($"{Url}/{id}", Ct), HttpStatusCode.OK);
        Assert.True(still["active"]!.GetValue<bool>());
    }
}

public sealed class WebhookApiTestsSqlite(SqliteFixture f) : WebhookApiTests(f), IClassFixture<SqliteFixture>;

public sealed class WebhookApiTestsPostgres(PostgresFixture f) : WebhookApiTests(f), IClassFixture<PostgresFixture>;
