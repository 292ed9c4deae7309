using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;

namespace Atende.Web.Tests.Settings;

/// <summary>
/// Workspaces, users, pipeline tags, the settings lists and subcategories keep the API's concurrency contract: GET of one
/// answers ETag and version, PATCH needs If-Match (428 without, 412 when stale, "*" for any version).
/// </summary>
public abstract class VersionedResourceApiTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Admin() => App.Api(fixture.AdminToken);

    /// <summary>GET answers ETag "1" and version 1; PATCH without If-Match is 428, with "1" renames (ETag "2"), "1" again is 412, "*" passes.</summary>
    private static async Task KeepsTheContract(HttpClient api, string url, Func<int, object> patch)
    {
        using var get = await api.GetAsync(url, Ct);
        var read = await TicketSteps.Json(get, HttpStatusCode.OK);
        Assert.Equal("\"1\"", get.Headers.ETag!.Tag);
        Assert.Equal(1, read["version"]!.GetValue<int>());

        var missing = await TicketSteps.Problem(await TicketSteps.Patch(api, url, patch(1), null), HttpStatusCode.PreconditionRequired);
        Assert.Contains("If-Match", missing["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        using var first = await TicketSteps.Patch(api, url, patch(1), "\"1\"");
        var changed = await TicketSteps.Json(first, HttpStatusCode.OK);
        Assert.Equal(2, changed["version"]!.GetValue<int>());
        Assert.Equal("\"2\"", first.Headers.ETag!.Tag);

        await TicketSteps.Problem(await TicketSteps.Patch(api, url, patch(2), "\"1\""), HttpStatusCode.PreconditionFailed);
        var still = await TicketSteps.Json(await api.GetAsync(url, Ct), HttpStatusCode.OK);
        Assert.Equal(changed["name"]!.ToJsonString(), still["name"]!.ToJsonString());

        var any = await TicketSteps.Json(await TicketSteps.Patch(api, url, patch(3), "*"), HttpStatusCode.OK);
        Assert.Equal(3, any["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_workspace_is_renamed_only_with_its_current_version()
    {
        using var api = Admin();
        var id = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Filial"));
        var name = TicketSteps.Unique("Matriz");
        await KeepsTheContract(api, $"/api/v1/workspaces/{id}", n => new { name = $"{name} {n}" });
        var listed = await TicketSteps.Json(await api.GetAsync("/api/v1/workspaces", Ct), HttpStatusCode.OK);
        Assert.Equal(3, listed["items"]!.AsArray().Single(w => w!["id"]!.GetValue<long>() == id)!["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_user_is_changed_only_with_its_current_version()
    {
        using var api = Admin();
        var workspace = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Filial"));
        var (id, _) = await App.CreateUser(fixture.AdminToken, $"{Guid.NewGuid():N}@empresa.test", "Agent", workspace);
        await KeepsTheContract(api, $"/api/v1/users/{id}", n => new { name = $"Carla Dias {n}" });
    }

    [Fact]
    public async Task A_tag_is_changed_only_with_its_current_version()
    {
        using var api = Admin();
        var pipeline = await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/pipelines",
            new { name = TicketSteps.Unique("Fluxo"), alias = "V" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant() }, Ct), HttpStatusCode.Created);
        var pipelineId = pipeline["id"]!.GetValue<long>();
        var tag = await TicketSteps.Json(await api.PostAsJsonAsync($"/api/v1/pipelines/{pipelineId}/tags", new { name = "Lead" }, Ct), HttpStatusCode.Created);
        Assert.Equal(1, tag["version"]!.GetValue<int>());
        await KeepsTheContract(api, $"/api/v1/pipelines/{pipelineId}/tags/{tag["id"]}", n => new { name = $"Lead {n}" });
    }

    [Theory]
    [InlineData("channels")]
    [InlineData("opportunity-types")]
    [InlineData("categories")]
    [InlineData("catalog-items")]
    public async Task A_settings_list_item_is_changed_only_with_its_current_version(string list)
    {
        using var api = Admin();
        var name = TicketSteps.Unique("Item");
        var item = await TicketSteps.Json(await api.PostAsJsonAsync($"/api/v1/settings/{list}", new { name }, Ct), HttpStatusCode.Created);
        await KeepsTheContract(api, $"/api/v1/settings/{list}/{item["id"]}", n => new { name = $"{name} {n}" });
    }

    [Fact]
    public async Task A_subcategory_patch_is_a_merge_and_needs_its_current_version()
    {
        using var api = Admin();
        var category = await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/settings/categories", new { name = TicketSteps.Unique("Suporte") }, Ct), HttpStatusCode.Created);
        var categoryId = category["id"]!.GetValue<long>();
        var sub = await TicketSteps.Json(await api.PostAsJsonAsync($"/api/v1/settings/categories/{categoryId}/subcategories", new { name = "Impressora" }, Ct), HttpStatusCode.Created);
        var url = $"/api/v1/settings/categories/{categoryId}/subcategories/{sub["id"]}";
        Assert.Equal(1, sub["version"]!.GetValue<int>());

        await TicketSteps.Problem(await TicketSteps.Patch(api, url, new { active = false }, null), HttpStatusCode.PreconditionRequired);
        using var off = await TicketSteps.Patch(api, url, new { active = false }, "\"1\"");
        var deactivated = await TicketSteps.Json(off, HttpStatusCode.OK);
        Assert.Equal("Impressora", deactivated["name"]!.GetValue<string>());
        Assert.False(deactivated["active"]!.GetValue<bool>());
        Assert.Equal("\"2\"", off.Headers.ETag!.Tag);
        await TicketSteps.Problem(await TicketSteps.Patch(api, url, new { name = "Scanner" }, "\"1\""), HttpStatusCode.PreconditionFailed);

        var renamed = await TicketSteps.Json(await TicketSteps.Patch(api, url, new { name = "Scanner" }, "*"), HttpStatusCode.OK);
        Assert.Equal("Scanner", renamed["name"]!.GetValue<string>());
        Assert.False(renamed["active"]!.GetValue<bool>());
        var read = await TicketSteps.Json(await api.GetAsync($"/api/v1/settings/categories/{categoryId}", Ct), HttpStatusCode.OK);
        var listed = read["subcategories"]!.AsArray().Single()!;
        Assert.Equal(3, listed["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task If_Match_any_version_is_accepted_by_the_existing_versioned_resources_too()
    {
        using var api = Admin();
        var pipeline = await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/pipelines",
            new { name = TicketSteps.Unique("Fluxo"), alias = "W" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant() }, Ct), HttpStatusCode.Created);
        var url = $"/api/v1/pipelines/{pipeline["id"]}";
        await TicketSteps.Json(await TicketSteps.Patch(api, url, new { description = "Primeira" }, "\"1\""), HttpStatusCode.OK);
        var any = await TicketSteps.Json(await TicketSteps.Patch(api, url, new { description = "Segunda" }, "*"), HttpStatusCode.OK);
        Assert.Equal("Segunda", any["description"]!.GetValue<string>());
        Assert.Equal(3, any["version"]!.GetValue<int>());
    }
}

public sealed class VersionedResourceApiTestsSqlite(SqliteFixture f) : VersionedResourceApiTests(f), IClassFixture<SqliteFixture>;

public sealed class VersionedResourceApiTestsPostgres(PostgresFixture f) : VersionedResourceApiTests(f), IClassFixture<PostgresFixture>;
