using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Atende.Web.Tests.Infrastructure;
using static Atende.Web.Tests.Tickets.ChatScreen;

namespace Atende.Web.Tests.Tickets;

/// <summary>
/// The live chat across several nodes (<c>ConnectionStrings__Redis</c>): two app processes on one PostgreSQL database, joined
/// by a Redis of this test's own (SignalR's backplane and the <c>atende:live</c> channel), with real WebSocket screens on each
/// node's Kestrel port. A message sent on one node reaches the screens of the other; when Redis goes away both nodes keep
/// answering and keep their own screens live (and a third node starts without it), and when it comes back every screen is told
/// to catch up (<c>resync</c>) and gets what it missed from the database by <c>Seq</c>: the customer's chat on the other node
/// ends with every message once, in order, and the third node joins the conversation live.
/// </summary>
public sealed class LiveTwoNodeTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    /// <summary>StackExchange.Redis notices that Redis is back on its own schedule (heartbeat and back-off): seconds.</summary>
    private static readonly TimeSpan ReconnectTimeout = TimeSpan.FromSeconds(45);

    /// <summary>How long Redis stays down after the last message posted without it.</summary>
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(7);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Chat_crosses_nodes_and_a_Redis_restart_loses_and_repeats_nothing()
    {
        await using var redis = await PrivateRedis.Start();
        await using var data = await AppStore.Create("Postgres");
        var watch = Stopwatch.StartNew();

        Task<AppProcess> Start(bool migrate) => AppProcess.Start(new Dictionary<string, string>(data.Settings)
        {
            ["Atende:Database:Migrate"] = migrate ? "true" : "false",
            ["ConnectionStrings:Redis"] = redis.Configuration,
        }, StartTimeout);

        // Node 1 creates the schema and the admin; node 2 starts on the same database while the test builds the ticket.
        await using var node1 = await Start(migrate: true);
        using var anonymous = node1.Api();
        var adminToken = (await TicketSteps.Json(await anonymous.PostAsJsonAsync("/api/v1/setup", new
        {
            companyName = "Empresa em Dois Nós", adminName = "Administradora", adminEmail = TestApp.AdminEmail, adminPassword = TestApp.Password,
        }, Ct), HttpStatusCode.Created))["token"]!.GetValue<string>();
        var node2Starting = Start(migrate: false);
        await using var node2Disposer = new Later<AppProcess>(node2Starting);

        using var admin = node1.Api(adminToken);
        var workspace = (await TicketSteps.Json(await admin.PostAsJsonAsync("/api/v1/workspaces", new { name = "Filial Ao Vivo" }, Ct), HttpStatusCode.Created))["id"]!.GetValue<long>();
        var agentEmail = "agente@empresa.test";
        var agentId = (await TicketSteps.Json(await admin.PostAsJsonAsync("/api/v1/users",
            new { name = "Bruno Agente", email = agentEmail, role = "Agent", workspaceIds = new[] { workspace }, password = TestApp.Password }, Ct), HttpStatusCode.Created))["id"]!.GetValue<long>();
        var pipeline = (await TicketSteps.Pipeline(admin, users: [agentId]))["id"]!.GetValue<long>();
        var (partner, _) = await TicketSteps.Partner(admin, workspace, "Mercearia Dois Nós", "Ana");
        var ticket = (await TicketSteps.Ticket(admin, pipeline, partner, null, "Entrega atrasada"))["id"]!.GetValue<long>();
        var customerEmail = "ana@cliente.test";
        await TicketSteps.Json(await admin.PostAsJsonAsync("/api/v1/users",
            new { name = "Ana Cliente", email = customerEmail, role = "Portal", partnerId = partner, seesCompanyRequests = true, password = TestApp.Password }, Ct), HttpStatusCode.Created);
        var agentToken = await Token(node1, agentEmail);
        var node2 = await node2Starting;
        var customerToken = await Token(node2, customerEmail);
        var started = watch.Elapsed;

        // The agent's screen is on node 1, the customer's on node 2: each sees only its own node.
        await using var agent = await ChatScreen.Open(node1, agentToken, ticket);
        await using var customer = await ChatScreen.Open(node2, customerToken, ticket);
        var posted = 0L;

        // 1. Both ways across the nodes, through the hub.
        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(++posted, await agent.Send($"Olá, aqui é o Bruno ({i})"));
        }
        await customer.WaitForPushes(1, 3, "the agent's messages from node 1 on the customer's screen on node 2");
        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(++posted, await customer.Send($"Oi Bruno, é a Ana ({i})"));
        }
        await agent.WaitForPushes(4, 6, "the customer's messages from node 2 on the agent's screen on node 1");
        await customer.WaitForPushes(4, 6, "the customer's own messages on her screen");
        Assert.Equal("Olá, aqui é o Bruno (2)", customer.Body(2));
        Assert.Equal("Oi Bruno, é a Ana (3)", agent.Body(6));
        var crossed = watch.Elapsed;

        // 2. Redis goes away mid-conversation. Both nodes keep answering, node 1 keeps taking messages (stored, and live on its
        // own screens); node 2 cannot hear of them.
        await redis.Kill();
        var outage = Stopwatch.StartNew();
        // A third node starts meanwhile: it must come up without Redis and join when Redis is back.
        var node3Starting = Start(migrate: false);
        await using var node3Disposer = new Later<AppProcess>(node3Starting);
        var resyncsBefore = (Agent: agent.Resyncs, Customer: customer.Resyncs);
        for (var i = 1; i <= 2; i++)
        {
            Assert.Equal(++posted, await agent.Send($"Enquanto o Redis está fora ({i})"));
            var api = await TicketSteps.Json(await admin.PostAsJsonAsync($"/api/v1/tickets/{ticket}/chat", new { body = $"Pela API, sem Redis ({i})" }, Ct), HttpStatusCode.Created);
            Assert.Equal(++posted, api["seq"]!.GetValue<long>());
        }
        var lastPost = Stopwatch.StartNew();
        await agent.WaitForPushes(7, posted, "node 1's own screen, live while Redis is down");
        foreach (var node in new[] { node1, node2 })
        {
            using var health = node.Api();
            var answer = await health.GetAsync("/healthz", Ct);
            Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{node.BaseAddress} /healthz answered {(int)answer.StatusCode} with Redis down:\n{node.Tail(20)}");
        }
        var missed = posted;
        // Nothing can carry them to node 2 while Redis is down.
        Assert.DoesNotContain(customer.Snapshot().Shown.Keys, s => s > 6);

        // A restart takes a few seconds: longer than StackExchange.Redis keeps a command waiting for its connection (the 5 s
        // timeout), so the notes node 1 published meanwhile are dropped and never reach node 2 by pub/sub — only the catch-up
        // can bring them. (A restart shorter than that is hidden by the client's backlog: the notes go out when it reconnects.)
        var held = lastPost.Elapsed;
        if (held < Outage)
        {
            await Task.Delay(Outage - held, Ct);
        }
        var node3 = await node3Starting;
        var node3Up = outage.Elapsed;
        using (var health = node3.Api())
        {
            var answer = await health.GetAsync("/healthz", Ct);
            Assert.True(answer.StatusCode == HttpStatusCode.OK, $"node 3, started without Redis, answered /healthz with {(int)answer.StatusCode}:\n{node3.Tail(20)}");
        }

        // Redis is back on the same port: each node's subscription reconnects and tells its screens to catch up; the customer's
        // screen asks for what came after its last message, as the chat page does.
        await redis.Restart();
        var down = outage.Elapsed;
        var back = Stopwatch.StartNew();
        await customer.WaitForResync(resyncsBefore.Customer, ReconnectTimeout, node2);
        await agent.WaitForResync(resyncsBefore.Agent, ReconnectTimeout, node1);
        var resynced = back.Elapsed;
        await customer.WaitForKnown(1, missed, "the messages posted on node 1 while Redis was down, on the customer's screen on node 2");
        Assert.Equal("Pela API, sem Redis (2)", customer.Body(missed));
        // Every node listens to the live notes again, node 3 for the first time (Redis itself counts the subscribers).
        await redis.WaitForSubscribers("atende:live", 3, ReconnectTimeout);
        var joined = back.Elapsed;
        await using var staff3 = await ChatScreen.Open(node3, adminToken, ticket);
        await staff3.WaitForKnown(1, missed, "the conversation so far on the screen of node 3");

        // 3. Live again, both ways, and with node 3.
        for (var i = 1; i <= 2; i++)
        {
            Assert.Equal(++posted, await agent.Send($"Voltamos ({i})"));
        }
        await customer.WaitForPushes(missed + 1, posted, "the agent's messages on node 2 after Redis came back");
        await staff3.WaitForPushes(missed + 1, posted, "the agent's messages on node 3");
        for (var i = 1; i <= 2; i++)
        {
            Assert.Equal(++posted, await customer.Send($"Recebi tudo ({i})"));
        }
        await agent.WaitForPushes(posted - 1, posted, "the customer's messages on node 1 after Redis came back");
        await customer.WaitForPushes(posted - 1, posted, "the customer's own messages after Redis came back");
        await staff3.WaitForPushes(posted - 1, posted, "the customer's messages on node 3");
        Assert.Equal(++posted, await staff3.Send("Aqui é a administradora, pelo nó 3"));
        await customer.WaitForPushes(posted, posted, "node 3's message on node 2");
        await agent.WaitForPushes(posted, posted, "node 3's message on node 1");
        await staff3.WaitForPushes(posted, posted, "node 3's own message on its screen");
        Assert.Equal("Aqui é a administradora, pelo nó 3", customer.Body(posted));

        // 0 lost, 0 repeated: what the customer's screen shows (pushes and catch-ups, one per seq, as the chat keeps them) is 1..N
        // with the stored bodies, and no message was pushed to it twice.
        var stored = (await TicketSteps.Json(await admin.GetAsync($"/api/v1/tickets/{ticket}/chat?after=0&limit=500", Ct), HttpStatusCode.OK))["items"]!.AsArray()
            .ToDictionary(m => m!["seq"]!.GetValue<long>(), m => m!["body"]!.GetValue<string>());
        Assert.Equal(Seqs(1, posted), stored.Keys.Order());
        var (shown, pushed, caughtUp) = customer.Snapshot();
        Assert.Equal(Seqs(1, posted), shown.Keys);
        Assert.All(shown, m => Assert.Equal(stored[m.Key], m.Value));
        var twice = pushed.GroupBy(s => s).Where(g => g.Count() > 1).Select(g => $"{g.Key} ×{g.Count()}").ToList();
        Assert.True(twice.Count == 0, $"pushed more than once to the customer's screen: {string.Join(", ", twice)}");
        // Each catch-up brought the messages after the seq it asked from, in order, none skipped.
        Assert.All(caughtUp, c => Assert.Equal(Seqs(c.After + 1, c.After + c.Seqs.Length), c.Seqs));
        // The messages of the outage came by catching up after the resync: the restart outlasted the Redis client's backlog,
        // so pub/sub really lost them (had they come by push, the catch-up would not have been put to the test).
        var viaCatchUp = Seqs(1, posted).Where(s => !pushed.Contains(s)).ToList();
        Assert.True(viaCatchUp.SequenceEqual(Seqs(7, missed)),
            $"expected the outage's messages 7..{missed} to reach node 2 only by catching up; not pushed: [{string.Join(",", viaCatchUp)}]");
        // The agent on node 1 saw everything live, its own messages included; node 3 shows the whole conversation too.
        Assert.Equal(Seqs(1, posted), agent.Snapshot().Pushed.Order());
        Assert.Equal(Seqs(1, posted), staff3.Snapshot().Shown.Keys);

        var summary = string.Create(CultureInfo.InvariantCulture,
            $"Live chat across nodes: nodes 1 and 2 up in {started.TotalSeconds:0.0} s, node 3 started without Redis in {node3Up.TotalSeconds:0.0} s, first crossings at {crossed.TotalSeconds:0.0} s; Redis down {down.TotalSeconds:0.0} s, " +
            $"resync on both nodes {resynced.TotalSeconds:0.0} s and all 3 nodes subscribed {joined.TotalSeconds:0.0} s after its restart (customer {customer.Resyncs - resyncsBefore.Customer}×, agent {agent.Resyncs - resyncsBefore.Agent}×); " +
            $"customer on node 2: {posted} messages, {pushed.Count} pushed, {viaCatchUp.Count} only by catching up ({string.Join(",", viaCatchUp)}), " +
            $"{caughtUp.Count} catch-ups ({string.Join("; ", caughtUp.Select(c => $"after {c.After}: {c.Seqs.Length}"))}); 0 lost, 0 pushed twice; total {watch.Elapsed.TotalSeconds:0.0} s.");
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        TestContext.Current.SendDiagnosticMessage(summary);
    }

    private static async Task<string> Token(AppProcess node, string email)
    {
        using var client = node.Api();
        var created = await TicketSteps.Json(await client.PostAsJsonAsync("/api/v1/tokens", new { email, password = TestApp.Password }, Ct), HttpStatusCode.Created);
        return created["token"]!.GetValue<string>();
    }
}
