using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;

namespace Atende.Web.Tests.Api;

/// <summary>
/// Every JSON body goes through one reader: whatever is wrong with it (not JSON, duplicate keys, lone surrogates, invalid
/// UTF-8, wrong types, unknown properties, nothing at all) is a 400 problem naming the field, on POST, PUT, PATCH alike.
/// </summary>
public abstract class JsonBodyTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A nasty body, the field the 400 must name, and a word its message must hold.</summary>
    public static TheoryData<string, string, string, string> Bodies => new()
    {
        { "malformed", "{\"name\": ", "$", "JSON" },
        { "trailing garbage", "{\"name\": \"x\"} x", "$", "JSON" },
        { "array", "[1, 2]", "$", "JSON" },
        { "null", "null", "$", "objeto JSON" },
        { "duplicate key", "{\"name\": \"a\", \"name\": \"b\"}", "name", "repetido" },
        { "lone surrogate", "{\"name\": \"\\ud800\"}", "name", "inválido" },
        { "unknown property", "{\"name\": \"a\", \"foo\": 1}", "foo", "desconhecido" },
        { "empty", "", "$", "vazio" },
    };

    private async Task<JsonObject> BadRequest(HttpResponseMessage response, string field)
    {
        var problem = await TicketSteps.Problem(response, HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]?[field] is JsonArray { Count: > 0 }, $"errors.{field} missing in {problem.ToJsonString()}");
        return problem;
    }

    private async Task<HttpResponseMessage> Send(HttpMethod method, string url, string body, string contentType = "application/json", string? etag = null)
    {
        using var api = App.Api(fixture.AdminToken);
        using var request = new HttpRequestMessage(method, url) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (etag is not null)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        }
        return await api.SendAsync(request, Ct);
    }

    private async Task<(long WorkspaceId, long PipelineId, long PartnerId, JsonObject Ticket)> ATicket()
    {
        using var api = App.Api(fixture.AdminToken);
        var ws = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio"));
        var pipeline = await TicketSteps.Pipeline(api);
        var (partnerId, contactId) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Cliente"), "Maria");
        var ticket = await TicketSteps.Ticket(api, pipeline["id"]!.GetValue<long>(), partnerId, contactId, "Chamado");
        return (ws, pipeline["id"]!.GetValue<long>(), partnerId, ticket);
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Post_partner_refuses_a_nasty_body_naming_the_field(string label, string body, string field, string word)
    {
        var problem = await BadRequest(await Send(HttpMethod.Post, "/api/v1/partners", body), field);
        Assert.Contains(word, problem["errors"]![field]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotEmpty(label);
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Patch_ticket_refuses_a_nasty_body_naming_the_field_and_changes_nothing(string label, string body, string field, string word)
    {
        var (_, _, _, ticket) = await ATicket();
        var url = $"/api/v1/tickets/{ticket["id"]}";
        // A ticket has a title, not a name: the valid-looking bodies are written with "title" here.
        var problem = await BadRequest(await Send(HttpMethod.Patch, url, body.Replace("\"name\"", "\"title\"", StringComparison.Ordinal), etag: $"\"{ticket["version"]}\""),
            field == "name" ? "title" : field);
        Assert.Contains(word, problem["errors"]!.AsObject().First().Value![0]!.GetValue<string>(), StringComparison.Ordinal);
        using var api = App.Api(fixture.AdminToken);
        var after = await TicketSteps.Json(await api.GetAsync(url, Ct), HttpStatusCode.OK);
        Assert.Equal("Chamado", after["title"]!.GetValue<string>());
        Assert.Equal(ticket["version"]!.GetValue<int>(), after["version"]!.GetValue<int>());
        Assert.NotEmpty(label);
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Post_interaction_refuses_a_nasty_json_body_naming_the_field(string label, string body, string field, string word)
    {
        var (_, _, _, ticket) = await ATicket();
        var problem = await BadRequest(await Send(HttpMethod.Post, $"/api/v1/tickets/{ticket["id"]}/interactions", body.Replace("\"name\"", "\"body\"", StringComparison.Ordinal)),
            field == "name" ? "body" : field);
        Assert.Contains(word, problem["errors"]!.AsObject().First().Value![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotEmpty(label);
    }

    [Fact]
    public async Task Post_interaction_refuses_a_body_that_is_neither_json_nor_multipart()
    {
        var (_, _, _, ticket) = await ATicket();
        var problem = await BadRequest(await Send(HttpMethod.Post, $"/api/v1/tickets/{ticket["id"]}/interactions", "body=oi", "text/plain"), "$");
        Assert.Contains("application/json", problem["errors"]!["$"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_types_are_named_and_numbers_are_not_read_from_strings()
    {
        var (ws, pipelineId, partnerId, ticket) = await ATicket();
        await BadRequest(await Send(HttpMethod.Post, "/api/v1/partners", $"{{\"name\": \"X\", \"workspaceId\": \"{ws}\"}}"), "workspaceId");
        await BadRequest(await Send(HttpMethod.Post, "/api/v1/partners", $"{{\"name\": \"X\", \"workspaceId\": {ws}, \"roles\": [\"Customer\", \"Boss\"]}}"), "roles[1]");
        await BadRequest(await Send(HttpMethod.Patch, $"/api/v1/tickets/{ticket["id"]}", "{\"value\": \"12.5\"}", etag: $"\"{ticket["version"]}\""), "value");
        await BadRequest(await Send(HttpMethod.Patch, $"/api/v1/tickets/{ticket["id"]}", "{\"tagIds\": [1, \"2\"]}", etag: $"\"{ticket["version"]}\""), "tagIds[1]");
        await BadRequest(await Send(HttpMethod.Post, $"/api/v1/tickets/{ticket["id"]}/interactions", "{\"body\": \"<p>oi</p>\", \"notify\": \"yes\"}"), "notify");
        await BadRequest(await Send(HttpMethod.Post, "/api/v1/tickets", $"{{\"pipelineId\": {pipelineId}, \"partnerId\": {partnerId}, \"title\": 1}}"), "title");
    }

    [Fact]
    public async Task Invalid_utf8_is_refused_naming_the_field()
    {
        using var api = App.Api(fixture.AdminToken);
        var bytes = "{\"name\": \"a"u8.ToArray().Concat(new byte[] { 0xff, 0xfe }).Concat("\"}"u8.ToArray()).ToArray();
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        await BadRequest(await api.PostAsync("/api/v1/partners", content, Ct), "name");
    }

    [Fact]
    public async Task Put_company_and_post_tokens_refuse_nasty_bodies_naming_the_field()
    {
        await BadRequest(await Send(HttpMethod.Put, "/api/v1/settings/company", "{\"name\": \"Empresa\", \"timeZone\": \"America/Sao_Paulo\", \"color\": \"red\"}"), "color");
        await BadRequest(await Send(HttpMethod.Put, "/api/v1/settings/company", "{\"name\": \"A\", \"name\": \"B\", \"timeZone\": \"America/Sao_Paulo\"}"), "name");
        await BadRequest(await Send(HttpMethod.Put, "/api/v1/settings/company", "name=Empresa", "application/x-www-form-urlencoded"), "$");
        using var anonymous = App.Api();
        using var tokens = new StringContent("{\"email\": \"a@b.c\", \"password\": 123}", Encoding.UTF8, "application/json");
        await BadRequest(await anonymous.PostAsync("/api/v1/tokens", tokens, Ct), "password");
        using var empty = new StringContent("", Encoding.UTF8, "application/json");
        await BadRequest(await anonymous.PostAsync("/api/v1/tokens", empty, Ct), "$");
    }

    [Fact]
    public async Task Patch_stays_a_merge_absent_unchanged_null_cleared()
    {
        var (_, _, _, ticket) = await ATicket();
        using var api = App.Api(fixture.AdminToken);
        var url = $"/api/v1/tickets/{ticket["id"]}";
        var described = await TicketSteps.Json(await TicketSteps.Patch(api, url, new { description = "Detalhes" }, $"\"{ticket["version"]}\""), HttpStatusCode.OK);
        Assert.Equal("Chamado", described["title"]!.GetValue<string>());
        Assert.Equal("Detalhes", described["description"]!.GetValue<string>());
        var cleared = await TicketSteps.Json(await TicketSteps.Patch(api, url, new JsonObject { ["description"] = null }, $"\"{described["version"]}\""), HttpStatusCode.OK);
        Assert.Null(cleared["description"]);
        Assert.Equal("Chamado", cleared["title"]!.GetValue<string>());
    }
}

public sealed class JsonBodyTestsSqlite(SqliteFixture fixture) : JsonBodyTests(fixture), IClassFixture<SqliteFixture>;

public sealed class JsonBodyTestsPostgres(PostgresFixture fixture) : JsonBodyTests(fixture), IClassFixture<PostgresFixture>;
