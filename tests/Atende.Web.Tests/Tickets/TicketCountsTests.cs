using System.Net;
using System.Net.Http.Json;
using Atende.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Atende.Web.Tests.Tickets;

/// <summary>
/// The counts the database keeps for the dashboard (<c>TicketCounts</c>, by triggers on <c>Tickets</c>) equal a fresh count
/// of the list tickets after everything that can move a ticket between them: creating, assigning, unassigning, a status
/// change, a move to another pipeline, archiving, the trash and back, a purge, the partner changing workspace.
/// </summary>
public abstract class TicketCountsTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task AssertKeptEqualsCounted(string after)
    {
        using var scope = App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Atende.Core.Data.AtendeDb>();
        var counted = (await db.Tickets.AsNoTracking().Where(t => t.Bin == Atende.Core.Tickets.TicketBin.Active)
                .Select(t => new { t.PipelineId, t.WorkspaceId, t.Status, t.AssigneeId }).ToListAsync(Ct))
            .GroupBy(t => $"{t.PipelineId}/{t.WorkspaceId}/{t.Status}/{t.AssigneeId ?? 0}")
            .Select(g => $"{g.Key}:{g.Count()}").Order().ToList();
        var kept = (await db.TicketCounts.AsNoTracking().Where(c => c.Count != 0).ToListAsync(Ct))
            .Select(c => $"{c.PipelineId}/{c.WorkspaceId}/{c.Status}/{c.AssigneeKey}:{c.Count}").Order().ToList();
        Assert.True(counted.SequenceEqual(kept), $"after {after}: counted [{string.Join(", ", counted)}], kept [{string.Join(", ", kept)}]");
    }

    [Fact]
    public async Task The_kept_counts_follow_every_change_that_moves_a_ticket()
    {
        var api = App.Api(fixture.AdminToken);
        var workspace = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Filial Contagem"));
        var otherWorkspace = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Filial Destino"));
        var agent = await App.CreateUser(fixture.AdminToken, $"contagem-{Guid.NewGuid():N}@empresa.test", "Agent", workspace);
        var pipeline = (await TicketSteps.Pipeline(api, users: [agent.Id]))["id"]!.GetValue<long>();
        var otherPipeline = (await TicketSteps.Pipeline(api))["id"]!.GetValue<long>();
        var (partner, contact) = await TicketSteps.Partner(api, workspace, TicketSteps.Unique("Mercado Contagem"), "Bia");

        var ids = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await TicketSteps.Ticket(api, pipeline, partner, contact, $"Pedido {i}", i % 2 == 0 ? new { assigneeId = agent.Id } : null))["id"]!.GetValue<long>());
        }
        await AssertKeptEqualsCounted("creating");

        var ticket = await TicketSteps.Json(await api.GetAsync($"/api/v1/tickets/{ids[1]}", Ct), HttpStatusCode.OK);
        await TicketSteps.Json(await TicketSteps.Patch(api, $"/api/v1/tickets/{ids[1]}", new { assigneeId = agent.Id }, $"\"{ticket["version"]}\""), HttpStatusCode.OK);
        ticket = await TicketSteps.Json(await api.GetAsync($"/api/v1/tickets/{ids[0]}", Ct), HttpStatusCode.OK);
        await TicketSteps.Json(await TicketSteps.Patch(api, $"/api/v1/tickets/{ids[0]}", new { assigneeId = (long?)null }, $"\"{ticket["version"]}\""), HttpStatusCode.OK);
        await AssertKeptEqualsCounted("assigning and unassigning");

        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync($"/api/v1/tickets/{ids[2]}/status", new { status = "Done" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync($"/api/v1/tickets/{ids[3]}/status", new { status = "Analyzing" }, Ct)).StatusCode);
        await AssertKeptEqualsCounted("status changes");

        await TicketSteps.Json(await api.PostAsJsonAsync($"/api/v1/tickets/{ids[3]}/move", new { pipelineId = otherPipeline }, Ct), HttpStatusCode.OK);
        await AssertKeptEqualsCounted("a move to another pipeline");

        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/tickets/{ids[2]}/archive", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/tickets/{ids[1]}", Ct)).StatusCode);
        await AssertKeptEqualsCounted("archiving and the trash");

        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/tickets/{ids[2]}/unarchive", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/tickets/{ids[1]}/restore", null, Ct)).StatusCode);
        await AssertKeptEqualsCounted("coming back");

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/tickets/{ids[0]}", Ct)).StatusCode);
        var purged = await api.PostAsync($"/api/v1/tickets/{ids[0]}/purge", null, Ct);
        Assert.True(purged.IsSuccessStatusCode, $"purge answered {(int)purged.StatusCode}");
        await AssertKeptEqualsCounted("a purge");

        var partnerJson = await TicketSteps.Json(await api.GetAsync($"/api/v1/partners/{partner}", Ct), HttpStatusCode.OK);
        await TicketSteps.Json(await TicketSteps.Patch(api, $"/api/v1/partners/{partner}", new { workspaceId = otherWorkspace }, $"\"{partnerJson["version"]}\""), HttpStatusCode.OK);
        await AssertKeptEqualsCounted("the partner's move to another workspace");

        // What the agent's dashboard reads from them: nothing once the partner left the agent's workspace.
        using var agentApi = App.Api(agent.Token);
        var dashboard = await TicketSteps.Json(await agentApi.GetAsync("/api/v1/dashboard", Ct), HttpStatusCode.OK);
        Assert.DoesNotContain(dashboard["pipelines"]!.AsArray(), p => p!["pipelineId"]!.GetValue<long>() == pipeline && p["open"]!.GetValue<int>() > 0);
    }
}

public sealed class TicketCountsTestsSqlite(SqliteFixture fixture) : TicketCountsTests(fixture), IClassFixture<SqliteFixture>;

public sealed class TicketCountsTestsPostgres(PostgresFixture fixture) : TicketCountsTests(fixture), IClassFixture<PostgresFixture>;
