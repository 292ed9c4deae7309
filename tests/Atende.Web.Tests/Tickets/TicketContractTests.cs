using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Atende.Web.Tests.Infrastructure;

namespace Atende.Web.Tests.Tickets;

/// <summary>
/// What an integrator reads from the ticket API beside what the pages show: machine values in the history, the
/// partner filter of the list and list totals.
/// </summary>
public abstract class TicketContractTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonNode Row(JsonArray history, string field) => history.First(h => h!["field"]!.GetValue<string>() == field)!;

    private static void Codes(JsonNode row, string? oldCode, string? newCode)
    {
        Assert.Equal(oldCode, row["oldCode"]?.GetValue<string>());
        Assert.Equal(newCode, row["newCode"]?.GetValue<string>());
    }

    [Fact]
    public async Task History_items_carry_the_machine_values_beside_the_labels()
    {
        using var api = App.Api(fixture.AdminToken);
        var workspace = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Filial"));
        var source = await TicketSteps.Pipeline(api, tags: ["Urgente", "Lead"]);
        var target = await TicketSteps.Pipeline(api);
        var (partnerId, contactId) = await TicketSteps.Partner(api, workspace, TicketSteps.Unique("Padaria"), "Maria");
        var ticket = await TicketSteps.Ticket(api, source["id"]!.GetValue<long>(), partnerId, contactId, "Forno parado");
        var id = ticket["id"]!.GetValue<long>();
        var url = $"/api/v1/tickets/{id}";
        var tagIds = await TicketSteps.TagIds(api, source["id"]!.GetValue<long>());

        using var status = new HttpRequestMessage(HttpMethod.Post, $"{url}/status") { Content = JsonContent.Create(new { status = "Analyzing" }) };
        await TicketSteps.Json(await api.SendAsync(status, Ct), HttpStatusCode.OK);
        await TicketSteps.Json(await TicketSteps.Patch(api, url,
            new { value = 1234.5m, dueAt = "2026-12-24T15:30:00Z", tagIds = new[] { tagIds[1], tagIds[0] } }, "*"), HttpStatusCode.OK);
        await TicketSteps.Json(await api.PostAsJsonAsync($"{url}/move", new { pipelineId = target["id"]!.GetValue<long>() }, Ct), HttpStatusCode.OK);

        var history = (await TicketSteps.Json(await api.GetAsync($"{url}/history", Ct), HttpStatusCode.OK))["items"]!.AsArray();
        var statusRow = Row(history, "status");
        Assert.Equal("Aberto", statusRow["oldValue"]!.GetValue<string>());
        Assert.Equal("Analisando", statusRow["newValue"]!.GetValue<string>());
        Codes(statusRow, "Open", "Analyzing");

        var moved = Row(history, "pipeline");
        Assert.Equal(source["name"]!.GetValue<string>(), moved["oldValue"]!.GetValue<string>());
        Codes(moved, source["id"]!.ToJsonString(), target["id"]!.ToJsonString());

        Codes(Row(history, "value"), "0.00", "1234.50");
        Assert.Equal("R$ 1.234,50", Row(history, "value")["newValue"]!.GetValue<string>());
        Codes(Row(history, "dueAt"), null, "2026-12-24T15:30:00Z");
        Codes(Row(history, "tags"), null, string.Join(",", tagIds.Order()));

        var created = Row(history, "created");
        Codes(created, null, null);
        Assert.True(created.AsObject().ContainsKey("oldCode"), "history items always carry oldCode/newCode (null when the field has none)");
    }

    [Fact]
    public async Task The_list_filters_by_requester_partner_pages_with_next_and_counts_when_asked()
    {
        using var admin = App.Api(fixture.AdminToken);
        var mine = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Filial"));
        var other = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Outra"));
        // An agent of the first workspace only, authorized on the pipeline.
        var (agentId, token) = await App.CreateUser(fixture.AdminToken, $"{Guid.NewGuid():N}@empresa.test", "Agent", mine);
        var pipeline = (await TicketSteps.Pipeline(admin, users: [agentId]))["id"]!.GetValue<long>();
        var (partner, contact) = await TicketSteps.Partner(admin, mine, TicketSteps.Unique("Padaria"), "Maria");
        var (neighbour, neighbourContact) = await TicketSteps.Partner(admin, mine, TicketSteps.Unique("Mercado"), "João");
        var (outsider, outsiderContact) = await TicketSteps.Partner(admin, other, TicketSteps.Unique("Oficina"), "Rita");
        var expected = new List<long>();
        foreach (var title in new[] { "Pedido alfa", "Pedido beta", "Pedido gama" })
        {
            expected.Add((await TicketSteps.Ticket(admin, pipeline, partner, contact, title))["id"]!.GetValue<long>());
        }
        await TicketSteps.Ticket(admin, pipeline, neighbour, neighbourContact, "Outro cliente");
        var outsiderTicket = (await TicketSteps.Ticket(admin, pipeline, outsider, outsiderContact, "Outro domínio"))["id"]!.GetValue<long>();

        var seen = new List<long>();
        string? next = null;
        do
        {
            var page = await TicketSteps.Json(await admin.GetAsync($"/api/v1/tickets?partnerId={partner}&limit=2" + (next is null ? "" : $"&after={Uri.EscapeDataString(next)}"), Ct), HttpStatusCode.OK);
            Assert.All(page["items"]!.AsArray(), t => Assert.Equal(partner, t!["partnerId"]!.GetValue<long>()));
            Assert.Null(page["total"]);
            seen.AddRange(page["items"]!.AsArray().Select(t => t!["id"]!.GetValue<long>()));
            next = page["next"]?.GetValue<string>();
        }
        while (next is not null);
        Assert.Equal(expected.Order(), seen.Order());

        var counted = await TicketSteps.Json(await admin.GetAsync($"/api/v1/tickets?partnerId={partner}&limit=1&includeTotal=true", Ct), HttpStatusCode.OK);
        Assert.Single(counted["items"]!.AsArray());
        Assert.Equal(3, counted["total"]!.GetValue<int>());
        var searched = await TicketSteps.Json(await admin.GetAsync($"/api/v1/tickets?partnerId={partner}&q=beta&includeTotal=true", Ct), HttpStatusCode.OK);
        Assert.Equal("Pedido beta", searched["items"]!.AsArray().Single()!["title"]!.GetValue<string>());
        Assert.Equal(1, searched["total"]!.GetValue<int>());

        // The other workspace's partner lists nothing for the agent, like any filter on what one cannot see.
        using var agent = App.Api(token);
        var hidden = await TicketSteps.Json(await agent.GetAsync($"/api/v1/tickets?partnerId={outsider}&includeTotal=true", Ct), HttpStatusCode.OK);
        Assert.Empty(hidden["items"]!.AsArray());
        Assert.Equal(0, hidden["total"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync($"/api/v1/tickets/{outsiderTicket}", Ct)).StatusCode);
        var visible = await TicketSteps.Json(await agent.GetAsync($"/api/v1/tickets?partnerId={partner}&includeTotal=true", Ct), HttpStatusCode.OK);
        Assert.Equal(3, visible["total"]!.GetValue<int>());

        var partners = await TicketSteps.Json(await admin.GetAsync($"/api/v1/partners?workspaceId={mine}&limit=1&includeTotal=true", Ct), HttpStatusCode.OK);
        Assert.Single(partners["items"]!.AsArray());
        Assert.Equal(2, partners["total"]!.GetValue<int>());
        var agentPartners = await TicketSteps.Json(await agent.GetAsync($"/api/v1/partners?workspaceId={other}&includeTotal=true", Ct), HttpStatusCode.OK);
        Assert.Equal(0, agentPartners["total"]!.GetValue<int>());
    }
}

public sealed class TicketContractTestsSqlite(SqliteFixture f) : TicketContractTests(f), IClassFixture<SqliteFixture>;

public sealed class TicketContractTestsPostgres(PostgresFixture f) : TicketContractTests(f), IClassFixture<PostgresFixture>;
