using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;

namespace Atende.Web.Tests.Webhooks;

/// <summary>
/// Several nodes (DESIGN, "Configuration and running"): two app processes on one PostgreSQL database and one data folder, both
/// dispatching webhooks, while events are raised through both APIs at once. Each delivery is claimed by one node only
/// (<c>FOR UPDATE SKIP LOCKED</c>), so with no crash the receiver gets every event exactly once — also when a slow receiver
/// makes a round outlast its lease and the other node claims the rows still waiting in it (each row's lease is renewed right
/// before it goes out, or it is left to the node that has it).
/// </summary>
public sealed class WebhookTwoNodeTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(200, false)]
    [InlineData(40, true)]
    public async Task Two_nodes_on_one_PostgreSQL_deliver_each_event_exactly_once(int events, bool slowReceiver)
    {
        await using var data = await AppStore.Create("Postgres");
        await using var receiver = await WebhookReceiver.Start(Ct);
        Dictionary<string, string> slow = slowReceiver
            ? new()
            {
                // Each answer takes 1 s and a node sends 2 at a time: a round of 10 takes 5 s, the lease is 3 s.
                ["Atende:Webhooks:BatchSize"] = "10",
                ["Atende:Webhooks:Parallelism"] = "2",
                ["Atende:Webhooks:LeaseSeconds"] = "3",
                ["Atende:Webhooks:TimeoutSeconds"] = "2",
            }
            : [];
        if (slowReceiver)
        {
            receiver.DefaultAnswer = new WebhookAnswer(Delay: TimeSpan.FromSeconds(1));
        }

        Task<AppProcess> Start(bool migrate) => AppProcess.Start(new Dictionary<string, string>(data.Settings)
        {
            ["Atende:Database:Migrate"] = migrate ? "true" : "false",
            ["Atende:Webhooks:AllowPrivateTargets"] = "true",
            ["Atende:Webhooks:PollSeconds"] = "0.2",
            // Small rounds, so both nodes keep claiming from the same rows instead of one node taking them all at once.
            ["Atende:Webhooks:BatchSize"] = "5",
        }.Concat(slow).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value), StartTimeout);

        // Node A creates the schema, the admin and the endpoint (and with it the data-protection key both nodes sign with), then
        // node B starts on the same database and folder.
        await using var nodeA = await Start(migrate: true);
        using var anonymous = nodeA.Api();
        var token = (await TicketSteps.Json(await anonymous.PostAsJsonAsync("/api/v1/setup", new
        {
            companyName = "Empresa em Dois Nós", adminName = "Administradora", adminEmail = TestApp.AdminEmail, adminPassword = TestApp.Password,
        }, Ct), HttpStatusCode.Created))["token"]!.GetValue<string>();
        using var apiA = nodeA.Api(token);
        var (endpointId, secret) = await WebhookSteps.Register(apiA, receiver, "partner.created");
        var workspaceId = (await TicketSteps.Json(await apiA.PostAsJsonAsync("/api/v1/workspaces", new { name = "Domínio" }, Ct), HttpStatusCode.Created))["id"]!.GetValue<long>();
        await using var nodeB = await Start(migrate: false);
        using var apiB = nodeB.Api(token);

        // Events through both nodes at once: each node's API wakes its own dispatcher, the other one finds the rows by polling.
        var watch = Stopwatch.StartNew();
        async Task CreatePartners(HttpClient api, int from, int to)
        {
            for (var i = from; i < to; i++)
            {
                await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/partners", new { name = $"Cliente {i:000}", workspaceId }, Ct), HttpStatusCode.Created);
            }
        }
        await Task.WhenAll(CreatePartners(apiA, 0, events / 2), CreatePartners(apiB, events / 2, events));
        var raised = watch.Elapsed;
        await receiver.WaitFor(events, TimeSpan.FromSeconds(120));
        var arrived = watch.Elapsed;

        // Both nodes' logs agree that everything went out; no request can still be on its way once every delivery is Sent.
        List<JsonObject> rows;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            rows = await WebhookSteps.Deliveries(apiB, endpointId);
            if (rows.Count == events && rows.All(r => r["status"]!.GetValue<string>() == "Sent"))
            {
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{rows.Count(r => r["status"]!.GetValue<string>() == "Sent")} of {events} deliveries Sent:\nA: {nodeA.Tail(10)}\nB: {nodeB.Tail(10)}");
            await Task.Delay(200, Ct);
        }

        var requests = receiver.Requests;
        var expected = rows.Select(r => r["webhookId"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(events, expected.Distinct().Count());
        var twice = requests.GroupBy(r => r.WebhookId()).Where(g => g.Count() > 1).Select(g => $"{g.Key} ×{g.Count()}").ToList();
        Assert.True(twice.Count == 0, $"delivered more than once: {string.Join(", ", twice)}");
        Assert.Equal(expected, requests.Select(r => r.WebhookId()).Order());
        if (!slowReceiver)
        {
            Assert.All(rows, r => Assert.Equal(1, r["attempts"]!.GetValue<int>()));
        }
        Assert.All(requests, r => WebhookSteps.Verify(secret, r));

        var summary = string.Create(CultureInfo.InvariantCulture,
            $"Two nodes on PostgreSQL: {events} partner.created events raised through both APIs in {raised.TotalSeconds:0.0} s, all {events} at the receiver {arrived.TotalSeconds:0.0} s after the first API call ({events / arrived.TotalSeconds:0} events/s end to end), each exactly once.");
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        TestContext.Current.SendDiagnosticMessage(summary);
    }
}
