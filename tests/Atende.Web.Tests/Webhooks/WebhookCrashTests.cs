using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Atende.Core.Webhooks;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;

namespace Atende.Web.Tests.Webhooks;

/// <summary>
/// "Never lost, at most twice" for webhooks, like <see cref="Email.OutboxCrashTests"/> for e-mail: the real app runs as its own
/// process and is killed with SIGKILL while it delivers, again and again, at each point where a crash matters
/// (<see cref="WebhookCrashPoint"/>: before the POST, after the receiver's 2xx but before the delivery is marked Sent), against a
/// real HTTP receiver on loopback. Then one clean run drains the queue and the receiver's log is checked: every event arrived,
/// exactly one extra copy for each kill after the 2xx and none for any other kill, each copy with the event's own webhook-id and
/// the same body, and every copy verifies with the StandardWebhooks package.
/// </summary>
public abstract partial class WebhookCrashTests(string provider)
{
    /// <summary>Kills per crash point: 2 × 5 = 10 cycles.</summary>
    private const int KillsPerPoint = 5;
    /// <summary>Deliveries claimed per round: those claimed behind a paused one are left Sending by the kill too, and come back by their lease.</summary>
    private const int BatchSize = 2;
    private static readonly WebhookCrashPoint[] Points = [WebhookCrashPoint.BeforeSend, WebhookCrashPoint.BeforeMarkSent];
    /// <summary>A cycle uses up the first attempt of at most one round of deliveries, so this many events always leave a fresh one to stop at.</summary>
    private const int Events = KillsPerPoint * 2 * BatchSize + 6;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan PauseTimeout = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Kill(int Cycle, WebhookCrashPoint Point, long DeliveryId, string WebhookId);

    [Fact]
    public async Task Killed_before_sending_or_before_marking_sent_each_event_arrives_once_or_twice_with_one_webhook_id()
    {
        var seed = CrashLoop.Seed();
        var total = Stopwatch.StartNew();
        var starts = new List<TimeSpan>();
        await using var receiver = await WebhookReceiver.Start(Ct);
        await using var data = await AppStore.Create(provider);

        async Task<AppProcess> Start(WebhookCrashPoint pause, bool dispatcher = true)
        {
            var settings = new Dictionary<string, string>(data.Settings)
            {
                // The first run migrates the new database; the others skip the start-up check.
                ["Atende:Database:Migrate"] = starts.Count == 0 ? "true" : "false",
                ["Atende:Webhooks:AllowPrivateTargets"] = "true",
                ["Atende:Webhooks:PollSeconds"] = "0.2",
                ["Atende:Webhooks:LeaseSeconds"] = "1",
                ["Atende:Webhooks:BatchSize"] = BatchSize.ToString(CultureInfo.InvariantCulture),
                // One at a time, so the pause stops the first delivery of its round and nothing else of the round has gone out.
                ["Atende:Webhooks:Parallelism"] = "1",
                ["Atende:Webhooks:CrashPause"] = pause.ToString(),
                ["Atende:Webhooks:Dispatcher"] = dispatcher ? "true" : "false",
            };
            var watch = Stopwatch.StartNew();
            var app = await AppProcess.Start(settings, StartTimeout);
            starts.Add(watch.Elapsed);
            return app;
        }

        // 1. Events caused by real actions: each partner created is a partner.created event for the endpoint. The dispatcher is
        //    off, and the app is killed right after the last answer: what the API confirmed is committed.
        string token;
        long endpointId;
        string secret;
        Dictionary<long, string> webhookIds;
        await using (var app = await Start(WebhookCrashPoint.None, dispatcher: false))
        {
            using var anonymous = app.Api();
            token = (await TicketSteps.Json(await anonymous.PostAsJsonAsync("/api/v1/setup", new
            {
                companyName = "Empresa Derrubada", adminName = "Administradora", adminEmail = TestApp.AdminEmail, adminPassword = TestApp.Password,
            }, Ct), HttpStatusCode.Created))["token"]!.GetValue<string>();
            using var api = app.Api(token);
            (endpointId, secret) = await WebhookSteps.Register(api, receiver, "partner.created");
            var workspace = await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/workspaces", new { name = "Domínio" }, Ct), HttpStatusCode.Created);
            for (var i = 1; i <= Events; i++)
            {
                await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/partners", new { name = $"Cliente Derrubado {i:00}", workspaceId = workspace["id"]!.GetValue<long>() }, Ct),
                    HttpStatusCode.Created);
            }
            var queued = await WebhookSteps.Deliveries(api, endpointId);
            Assert.All(queued, d => Assert.Equal("Pending", d["status"]!.GetValue<string>()));
            webhookIds = queued.ToDictionary(d => d["id"]!.GetValue<long>(), d => d["webhookId"]!.GetValue<string>());
            Assert.Equal(Events, webhookIds.Values.Distinct().Count());
            await app.Kill();
        }
        Assert.Empty(receiver.Requests);

        var enqueued = total.Elapsed;

        // Each copy is verified soon after it arrived: the package refuses a webhook-timestamp more than five minutes old.
        var verified = 0;
        void VerifyArrived()
        {
            var requests = receiver.Requests;
            for (; verified < requests.Count; verified++)
            {
                WebhookSteps.Verify(secret, requests[verified]);
            }
        }

        // 2. The crash loop: each run stops at its point on the first delivery it tries for the first time, and is killed there.
        var plan = CrashLoop.Plan(Points, KillsPerPoint, seed);
        var kills = new List<Kill>();
        await CrashLoop.Run(plan, point => Start(point), PauseLine(), PauseTimeout, (cycle, pause) =>
        {
            var kill = new Kill(cycle, Enum.Parse<WebhookCrashPoint>(pause.Groups["point"].Value), long.Parse(pause.Groups["id"].Value, CultureInfo.InvariantCulture),
                pause.Groups["webhookId"].Value);
            Assert.Equal(plan[cycle - 1], kill.Point);
            Assert.Equal("1", pause.Groups["attempt"].Value);
            Assert.True(webhookIds.TryGetValue(kill.DeliveryId, out var stored), $"cycle {cycle} stopped at an unknown delivery {kill.DeliveryId} (seed {seed})");
            // The webhook-id was stored when the event was raised and is the one sent.
            Assert.Equal(stored, kill.WebhookId);
            // When the process died, the receiver had the stopped event only if the stop came after its 2xx.
            var copies = receiver.Requests.Count(r => r.WebhookId() == kill.WebhookId);
            Assert.True(copies == (kill.Point == WebhookCrashPoint.BeforeMarkSent ? 1 : 0), $"cycle {cycle} ({kill.Point}): the receiver had {copies} copies of the stopped event (seed {seed})");
            kills.Add(kill);
            VerifyArrived();
        });
        // Each delivery's first attempt happens once, so no delivery was stopped twice.
        Assert.Equal(kills.Count, kills.Select(k => k.DeliveryId).Distinct().Count());

        var crashed = total.Elapsed;

        // 3. A clean run drains the queue.
        List<JsonObject> rows;
        await using (var app = await Start(WebhookCrashPoint.None))
        {
            using var api = app.Api(token);
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (true)
            {
                rows = await WebhookSteps.Deliveries(api, endpointId);
                if (rows.Count == Events && rows.All(r => r["status"]!.GetValue<string>() == "Sent"))
                {
                    break;
                }
                Assert.True(DateTime.UtcNow < deadline, $"the webhook queue did not drain (seed {seed}): " + string.Join("; ", rows
                    .Where(r => r["status"]!.GetValue<string>() != "Sent")
                    .Select(r => $"{r["id"]} {r["status"]} attempts {r["attempts"]} {r["lastError"]}")) + "\n" + app.Tail());
                await Task.Delay(200, Ct);
            }
            await app.Kill();
        }
        VerifyArrived();

        // 4. What arrived. Every delivery is Sent, and the receiver recorded each copy before answering 2xx, so its log is complete.
        Assert.Equal(webhookIds.Keys.Order(), rows.Select(r => r["id"]!.GetValue<long>()).Order());
        var requests = receiver.Requests;
        var afterAccepted = kills.Where(k => k.Point == WebhookCrashPoint.BeforeMarkSent).ToDictionary(k => k.DeliveryId);
        var expected = Events + afterAccepted.Count;
        Assert.True(requests.All(r => webhookIds.ContainsValue(r.WebhookId())), "copies arrived under a webhook-id no event has: " +
            string.Join(", ", requests.Select(r => r.WebhookId()).Where(id => !webhookIds.ContainsValue(id)).Distinct()));
        // Each event has a body of its own (the partner as its GET answers): a resend under another webhook-id would show here.
        var byBody = requests.GroupBy(r => r.Body).ToList();
        Assert.Equal(Events, byBody.Count);
        Assert.All(byBody, g => Assert.Single(g.Select(r => r.WebhookId()).Distinct()));
        var byWebhookId = requests.GroupBy(r => r.WebhookId()).ToDictionary(g => g.Key, g => g.ToList());
        var duplicates = 0;
        foreach (var row in rows)
        {
            var id = row["id"]!.GetValue<long>();
            var webhookId = row["webhookId"]!.GetValue<string>();
            Assert.Equal(webhookIds[id], webhookId);
            var copies = byWebhookId.GetValueOrDefault(webhookId) ?? [];
            var why = $"delivery {id} ({webhookId}), kill {(kills.FirstOrDefault(k => k.DeliveryId == id) is { } k ? $"{k.Point} in cycle {k.Cycle}" : "none")}, seed {seed}";
            Assert.True(copies.Count >= 1, $"never arrived: {why}");
            // Exactly one resend for a kill after the receiver's 2xx, none for a kill before the POST or none at all.
            Assert.True(copies.Count == (afterAccepted.ContainsKey(id) ? 2 : 1), $"arrived {copies.Count} times: {why}");
            Assert.Single(copies.Select(c => c.Body).Distinct());
            Assert.Equal("partner.created", JsonNode.Parse(copies[0].Body)!["type"]!.GetValue<string>());
            if (kills.Any(k => k.DeliveryId == id))
            {
                // The stopped attempt counted, and the one after the lease delivered it.
                Assert.Equal(2, row["attempts"]!.GetValue<int>());
            }
            duplicates += copies.Count - 1;
        }
        Assert.Equal(expected, requests.Count);
        Assert.Equal(expected, verified);
        // Deliveries claimed in a killed run's round without being tried came back by their lease (at least the one beside the
        // first stop: the first round claims the two oldest deliveries and stops at the first).
        var claimedBehind = rows.Count(r => r["attempts"]!.GetValue<int>() >= 2 && kills.All(k => k.DeliveryId != r["id"]!.GetValue<long>()));
        Assert.True(claimedBehind > 0, "no delivery was left claimed by a killed run");

        var summary = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{provider}: {kills.Count} kill -9 cycles (seed {seed}) over {Events} webhook events in {total.Elapsed.TotalSeconds:0.0} s; ")
            .Append(string.Join(", ", Points.Select(p => $"{p} {kills.Count(k => k.Point == p)}")))
            .Append(CultureInfo.InvariantCulture, $"; {duplicates} duplicates (same webhook-id and body), {requests.Count} requests arrived, all verified; {claimedBehind} deliveries claimed untried by a killed run; ")
            .Append(CultureInfo.InvariantCulture, $"{starts.Count} app starts, {starts.Average(t => t.TotalSeconds):0.00} s on average (max {starts.Max(t => t.TotalSeconds):0.00} s); ")
            .Append(CultureInfo.InvariantCulture, $"events raised {enqueued.TotalSeconds:0.0} s, crash loop {(crashed - enqueued).TotalSeconds:0.0} s, drain and checks {(total.Elapsed - crashed).TotalSeconds:0.0} s.")
            .ToString();
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        TestContext.Current.SendDiagnosticMessage(summary);
    }

    /// <summary>The line <see cref="WebhookDispatcher"/> logs where <c>Atende:Webhooks:CrashPause</c> stops it.</summary>
    [GeneratedRegex(@"CrashPause (?<point>\w+): webhook delivery (?<id>\d+) (?<webhookId>msg_\w+), attempt (?<attempt>\d+);")]
    private static partial Regex PauseLine();
}

public sealed class WebhookCrashTestsSqlite() : WebhookCrashTests("Sqlite");

public sealed class WebhookCrashTestsPostgres() : WebhookCrashTests("Postgres");
