using System.Net;
using System.Text.Json.Nodes;
using Atende.Web.Tests.Infrastructure;

namespace Atende.Web.Tests.Api;

/// <summary>What a generated client relies on in /openapi/v1.json.</summary>
public sealed class OpenApiDocumentTests(SqliteFixture fixture) : IClassFixture<SqliteFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    private async Task<JsonObject> Document()
    {
        using var client = fixture.App.Api();
        var response = await client.GetAsync("/openapi/v1.json", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(Ct);
        if (Environment.GetEnvironmentVariable("ATENDE_OPENAPI_DUMP") is { Length: > 0 } dump)
        {
            await File.WriteAllTextAsync(dump, text, Ct);
        }
        return JsonNode.Parse(text)!.AsObject();
    }

    private static IEnumerable<(string Path, string Method, JsonObject Operation)> Operations(JsonObject document) =>
        document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject()
            .Where(o => Methods.Contains(o.Key))
            .Select(o => (p.Key, o.Key, o.Value!.AsObject())));

    [Fact]
    public async Task Every_operation_has_a_unique_operation_id_a_summary_and_one_tag()
    {
        var operations = Operations(await Document()).ToList();
        Assert.True(operations.Count > 100, $"only {operations.Count} operations");
        var ids = operations.Select(o => o.Operation["operationId"]?.GetValue<string>()).ToList();
        Assert.All(ids, id => Assert.Matches("^[a-z][A-Za-z]*_[a-z][A-Za-z]*$", id));
        Assert.Empty(ids.GroupBy(i => i).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.All(operations, o => Assert.False(string.IsNullOrWhiteSpace(o.Operation["summary"]?.GetValue<string>()), $"{o.Method} {o.Path}: no summary"));
        Assert.All(operations, o => Assert.Single(o.Operation["tags"]!.AsArray()));
        Assert.Contains("tickets_changeStatus", ids);
        Assert.Contains("tickets_list", ids);
        Assert.Contains("partners_create", ids);
        Assert.Contains("settings_updateCompany", ids);
        var tags = operations.Select(o => o.Operation["tags"]![0]!.GetValue<string>()).ToHashSet();
        Assert.Superset(new HashSet<string> { "Company", "E-mail", "Inbox", "Templates", "Lists", "Tickets", "Partners", "Webhooks", "Notifications" }, tags);
        Assert.DoesNotContain("Settings", tags);
    }

    [Fact]
    public async Task Bearer_is_declared_and_required_except_on_anonymous_operations()
    {
        var document = await Document();
        var scheme = document["components"]!["securitySchemes"]!["bearer"]!;
        Assert.Equal("http", scheme["type"]!.GetValue<string>());
        Assert.Equal("bearer", scheme["scheme"]!.GetValue<string>());
        foreach (var (path, method, operation) in Operations(document))
        {
            var security = operation["security"]!.AsArray();
            var anonymous = path is "/api/v1/setup" or "/api/v1/account/forgot-password" or "/api/v1/account/reset-password" || (path == "/api/v1/tokens" && method == "post") || path.StartsWith("/healthz", StringComparison.Ordinal);
            if (anonymous)
            {
                Assert.Empty(security);
                Assert.Null(operation["responses"]!["403"]);
            }
            else
            {
                Assert.True(security.Count == 1 && security[0]!["bearer"] is not null, $"{method} {path}: no bearer requirement");
                Assert.Equal("application/problem+json", operation["responses"]!["401"]!["content"]!.AsObject().Single().Key);
            }
        }
    }

    [Fact]
    public async Task Bodies_are_named_schemas_and_errors_are_problem_details()
    {
        var document = await Document();
        var text = document.ToJsonString();
        Assert.DoesNotContain("JsonObject", text, StringComparison.Ordinal);
        Assert.DoesNotContain("AnonymousType", text, StringComparison.Ordinal);
        foreach (var (path, method, operation) in Operations(document).Where(o => o.Method is "post" or "put" or "patch"))
        {
            if (operation["requestBody"]?["content"] is not JsonObject content)
            {
                continue;
            }
            if (content["application/json"]?["schema"] is JsonObject schema)
            {
                Assert.True(schema["$ref"] is not null, $"{method} {path}: inline JSON body schema");
            }
            if (method == "patch")
            {
                var ifMatch = operation["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "If-Match")!;
                Assert.True(ifMatch["required"]!.GetValue<bool>());
                Assert.NotNull(operation["responses"]!["412"]);
                Assert.NotNull(operation["responses"]!["428"]);
                Assert.NotNull(operation["responses"]!["200"]!["headers"]!["ETag"]);
            }
            Assert.Equal("#/components/schemas/HttpValidationProblemDetails", operation["responses"]!["400"]!["content"]!["application/problem+json"]!["schema"]!["$ref"]!.GetValue<string>());
        }
        var interactions = document["paths"]!["/api/v1/tickets/{id}/interactions"]!["post"]!["requestBody"]!["content"]!;
        Assert.NotNull(interactions["application/json"]);
        var multipart = interactions["multipart/form-data"]!["schema"]!["properties"]!;
        Assert.Equal("binary", multipart["files"]!["items"]!["format"]!.GetValue<string>());
        Assert.Equal("boolean", multipart["notify"]!["type"]!.GetValue<string>());
        Assert.NotNull(document["paths"]!["/api/v1/partners/import"]!["post"]!["requestBody"]!["content"]!["text/csv"]);
        Assert.Equal("#/components/schemas/DuplicateProblem",
            document["paths"]!["/api/v1/partners"]!["post"]!["responses"]!["409"]!["content"]!["application/problem+json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.NotNull(document["paths"]!["/api/v1/tokens"]!["post"]!["responses"]!["429"]);
        Assert.NotNull(document["paths"]!["/api/v1/tickets/{id}"]!["patch"]!["requestBody"]!["content"]!["application/merge-patch+json"]);
        Assert.NotNull(document["paths"]!["/api/v1/files"]!["post"]!["responses"]!["413"]);
    }

    [Fact]
    public async Task Ids_versions_and_limits_are_integers_and_money_is_a_decimal()
    {
        var document = await Document();
        var schemas = document["components"]!["schemas"]!.AsObject();
        var ticket = schemas["Ticket"]!["properties"]!;
        Assert.Equal("integer", ticket["id"]!["type"]!.GetValue<string>());
        Assert.Equal("int64", ticket["id"]!["format"]!.GetValue<string>());
        Assert.Equal("integer", ticket["version"]!["type"]!.GetValue<string>());
        Assert.Equal("number", ticket["value"]!["type"]!.GetValue<string>());
        Assert.Equal("decimal", ticket["value"]!["format"]!.GetValue<string>());
        Assert.DoesNotContain("\"pattern\"", document.ToJsonString(), StringComparison.Ordinal);
        var limit = document["paths"]!["/api/v1/tickets"]!["get"]!["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "limit")!["schema"]!;
        Assert.Equal("integer", limit["type"]!.GetValue<string>());
        Assert.Equal(1, limit["minimum"]!.GetValue<int>());
        Assert.Equal(200, limit["maximum"]!.GetValue<int>());
        var agendaEvent = schemas["AgendaEvent"]!;
        Assert.DoesNotContain("color", agendaEvent["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Contains("null", agendaEvent["properties"]!["color"]!["type"]!.AsArray().Select(t => t!.GetValue<string>()));
        var roles = schemas["Partner"]!["properties"]!["roles"]!["items"]!;
        Assert.NotNull(roles["$ref"] ?? roles["enum"]);
    }
}
