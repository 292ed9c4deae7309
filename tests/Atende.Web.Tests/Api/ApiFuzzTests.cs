using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;

namespace Atende.Web.Tests.Api;

/// <summary>
/// Walks every operation of the live OpenAPI document with bad input (wrong-typed path ids, nasty query values,
/// malformed and wrong-typed bodies, empty and truncated multipart) and asserts the server never answers 5xx: a bad
/// request is the caller's fault and is answered as such. New operations are picked up from the document.
/// </summary>
public abstract class ApiFuzzTests(AppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] NastyQueryValues =
    [
        "", "abc", "-1", new string('9', 35), "[null,\"1\"]", "\0", "31/12/9999", "0001-01-01", "9999-12-31T23:30", new string('x', 10 * 1024),
        // A base64url cursor of ["\u0000","1"] and of a key with a lone surrogate: decodable, but not a cursor any list wrote.
        Base64("[\"\\u0000\",\"1\"]"), Base64("[\"\\ud800\",\"1\"]"), Base64("[\"\",\"" + new string('9', 35) + "\"]"),
    ];

    private static readonly string[] MalformedBodies =
    [
        "{", "[]", "null", "\"x\"", "{\"a\":1,\"a\":2}", "\"\\ud800\"", "{\"name\":\"\\ud800\"}", "",
    ];

    private const string Boundary = "fuzz-boundary";

    [Fact]
    public async Task No_operation_answers_5xx_to_bad_input()
    {
        var app = fixture.App;
        var api = app.Api(fixture.AdminToken);
        api.Timeout = TimeSpan.FromSeconds(30);
        var ids = await Seed(api);
        var document = (await api.GetFromJsonAsync<JsonObject>("/openapi/v1.json", Ct))!;
        var schemas = document["components"]?["schemas"]?.AsObject();

        var operations = new List<Operation>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, node) in item!.AsObject())
            {
                if (method is "get" or "post" or "put" or "patch" or "delete")
                {
                    var parameters = (node!["parameters"]?.AsArray() ?? []).Concat(item["parameters"]?.AsArray() ?? []).Select(p => p!.AsObject()).ToList();
                    operations.Add(new Operation(method.ToUpperInvariant(), path, parameters, node["requestBody"]?["content"]?.AsObject()));
                }
            }
        }
        // Deletions last, so they cannot take away what the other operations' valid ids point at.
        operations = operations.OrderBy(o => o.Method == "DELETE").ThenBy(o => o.Path, StringComparer.Ordinal).ToList();

        var failures = new List<string>();
        var requests = 0;
        var clock = Stopwatch.StartNew();
        foreach (var operation in operations)
        {
            foreach (var request in Requests(operation, ids, schemas))
            {
                requests++;
                var failure = await Send(api, operation, request);
                if (failure is not null)
                {
                    failures.Add(failure);
                }
            }
        }

        var summary = $"{fixture.Provider}: {operations.Count} operations, {requests} requests in {clock.Elapsed.TotalSeconds:0.0} s, {failures.Count} answered 5xx.";
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        TestContext.Current.SendDiagnosticMessage(summary);
        Assert.True(operations.Count > 50, $"The document lists only {operations.Count} operations.");
        Assert.True(failures.Count == 0, summary + "\n" + string.Join("\n", failures));
    }

    private sealed record Operation(string Method, string Path, List<JsonObject> Parameters, JsonObject? Content);

    /// <summary>One request of the walk: the input it tries (for the report), the URL and a body factory (bodies are read once).</summary>
    private sealed record FuzzRequest(string Input, string Url, Func<HttpContent?> Body);

    private static IEnumerable<FuzzRequest> Requests(Operation operation, Dictionary<string, string> ids, JsonObject? schemas)
    {
        var pathParameters = operation.Parameters.Where(p => (string?)p["in"] == "path").ToList();
        var queryParameters = operation.Parameters.Where(p => (string?)p["in"] == "query").Select(p => (string)p["name"]!).ToList();
        var validPath = Path(operation.Path, ids, null, null);

        foreach (var parameter in pathParameters.Where(p => IsInteger(p["schema"])))
        {
            foreach (var bad in new[] { "abc", new string('9', 35) })
            {
                yield return new($"path {parameter["name"]}={bad}", Path(operation.Path, ids, (string)parameter["name"]!, bad), () => null);
            }
        }
        foreach (var name in queryParameters)
        {
            foreach (var bad in NastyQueryValues)
            {
                yield return new($"query {name}={Excerpt(bad)}", $"{validPath}?{Uri.EscapeDataString(name)}={Uri.EscapeDataString(bad)}", () => null);
            }
        }
        if (operation.Method is "GET" or "DELETE")
        {
            yield break;
        }
        foreach (var body in MalformedBodies)
        {
            yield return new($"body {Excerpt(body)}", validPath, () => new StringContent(body, Encoding.UTF8, "application/json"));
        }
        if (operation.Content?["application/json"]?["schema"] is { } schema && WrongTypes(schema, schemas) is { } wrong)
        {
            yield return new($"body {Excerpt(wrong)}", validPath, () => new StringContent(wrong, Encoding.UTF8, "application/json"));
        }
        // Every write gets the multipart cases: the document may not describe an upload yet, the server must still cope.
        yield return new("empty multipart", validPath, () => Multipart($"--{Boundary}--\r\n"));
        yield return new("truncated multipart", validPath, () => Multipart(
            $"--{Boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nmeio arquivo"));
        yield return new("multipart without boundary", validPath, () =>
        {
            var content = new StringContent("x");
            content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data");
            return content;
        });
    }

    private static async Task<string?> Send(HttpClient api, Operation operation, FuzzRequest fuzz)
    {
        using var request = new HttpRequestMessage(new HttpMethod(operation.Method), fuzz.Url) { Content = fuzz.Body() };
        try
        {
            using var response = await api.SendAsync(request, Ct);
            if ((int)response.StatusCode < 500)
            {
                return null;
            }
            var body = await response.Content.ReadAsStringAsync(Ct);
            return $"{operation.Method} {operation.Path} [{fuzz.Input}] → {(int)response.StatusCode}: {Excerpt(body, 300)}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException or IOException)
        {
            return $"{operation.Method} {operation.Path} [{fuzz.Input}] → {e.GetType().Name}: {Excerpt(e.Message, 300)}";
        }
    }

    /// <summary>The operation's path with valid ids (the seeded data's), and <paramref name="badName"/> set to <paramref name="badValue"/>.</summary>
    private static string Path(string template, Dictionary<string, string> ids, string? badName, string? badValue)
    {
        var segments = template.Split('/');
        var resource = segments.Length > 3 ? segments[3] : "";
        for (var i = 0; i < segments.Length; i++)
        {
            if (segments[i] is ['{', .. var name, '}'])
            {
                segments[i] = name == badName ? Uri.EscapeDataString(badValue!)
                    : ids.TryGetValue(name == "id" ? resource + ".id" : name, out var id) ? id
                    : ids.TryGetValue(name, out id) ? id : "1";
            }
        }
        return string.Join('/', segments);
    }

    /// <summary>A JSON object with every property of the schema given a value of another type; null when it has none.</summary>
    private static string? WrongTypes(JsonNode schema, JsonObject? schemas)
    {
        var resolved = Resolve(schema, schemas);
        if (resolved?["properties"]?.AsObject() is not { Count: > 0 } properties)
        {
            return null;
        }
        var body = new JsonObject();
        foreach (var (name, property) in properties)
        {
            var type = Type(Resolve(property!, schemas));
            body[name] = type switch
            {
                "string" => JsonValue.Create(12345),
                "integer" or "number" => JsonValue.Create("abc"),
                "boolean" => JsonValue.Create("talvez"),
                "array" => JsonValue.Create("x"),
                "object" => new JsonArray(1, 2),
                _ => new JsonArray(new JsonObject()),
            };
        }
        return body.ToJsonString();
    }

    private static JsonNode? Resolve(JsonNode? schema, JsonObject? schemas)
    {
        for (var depth = 0; depth < 5 && schema?["$ref"] is { } reference; depth++)
        {
            schema = schemas?[((string)reference!).Split('/')[^1]];
        }
        return schema;
    }

    private static string? Type(JsonNode? schema) => schema?["type"] switch
    {
        JsonArray types => types.Select(t => (string?)t).FirstOrDefault(t => t != "null"),
        JsonValue type => (string?)type,
        _ => null,
    };

    private static bool IsInteger(JsonNode? schema) => schema?["type"] switch
    {
        JsonArray types => types.Any(t => (string?)t == "integer"),
        JsonValue type => (string?)type == "integer",
        _ => false,
    };

    private static ByteArrayContent Multipart(string text)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");
        return content;
    }

    private static string Base64(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Excerpt(string text, int max = 40) =>
        (text.Length > max ? text[..max] + $"…({text.Length})" : text).Replace("\0", "\\0", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    /// <summary>A partner with a contact, a pipeline with a tag, a ticket, a conversation, a second user and token: ids for the paths.</summary>
    private async Task<Dictionary<string, string>> Seed(HttpClient api)
    {
        var workspace = await fixture.App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio Fuzz"));
        var (partner, contact) = await TicketSteps.Partner(api, workspace, TicketSteps.Unique("Padaria Fuzz"), "Contato Fuzz");
        var pipeline = (await TicketSteps.Pipeline(api, tags: ["Fuzz"]))["id"]!.GetValue<long>();
        var tag = (await TicketSteps.TagIds(api, pipeline))[0];
        var ticket = (await TicketSteps.Ticket(api, pipeline, partner, contact, "Atendimento do fuzz"))["id"]!.GetValue<long>();
        var conversation = (await Conversations.ConversationData.Conversation(api, partner))["id"]!.GetValue<long>();
        var email = $"fuzz-{Guid.NewGuid():N}@test.com.br";
        var (user, _) = await fixture.App.CreateUser(fixture.AdminToken, email, "Agent", workspace);
        // A token of the second user, so DELETE /tokens/{id} does not revoke the admin's token mid-walk.
        using var tokens = fixture.App.Api();
        var token = await (await tokens.PostAsJsonAsync("/api/v1/tokens", new { email, password = TestApp.Password }, Ct)).Content.ReadFromJsonAsync<JsonObject>(Ct);
        return new Dictionary<string, string>
        {
            ["workspaces.id"] = $"{workspace}", ["workspaceId"] = $"{workspace}",
            ["partners.id"] = $"{partner}", ["partnerId"] = $"{partner}", ["contactId"] = $"{contact}",
            ["pipelines.id"] = $"{pipeline}", ["pipelineId"] = $"{pipeline}", ["tagId"] = $"{tag}",
            ["tickets.id"] = $"{ticket}", ["ticketId"] = $"{ticket}",
            ["conversations.id"] = $"{conversation}",
            ["users.id"] = $"{user}", ["userId"] = $"{user}",
            ["tokens.id"] = $"{token?["id"] ?? 999_999}",
        };
    }
}

public sealed class ApiFuzzTestsSqlite(SqliteFixture fixture) : ApiFuzzTests(fixture), IClassFixture<SqliteFixture>;

public sealed class ApiFuzzTestsPostgres(PostgresFixture fixture) : ApiFuzzTests(fixture), IClassFixture<PostgresFixture>;
