using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Atende.Core.Email;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;

namespace Atende.Web.Tests.Email;

/// <summary>
/// Issue 4, "never lost, at most twice": the real app runs as its own process and is killed with SIGKILL while it sends, again and
/// again, at each of the points where a crash matters (<see cref="OutboxCrashPoint"/>: before SMTP, after the server's 250, before
/// marking Sent), against the real SMTP server. Then one clean run drains the outbox and the Maildir is checked: every e-mail
/// arrived, exactly one extra copy for each kill that landed after the server's 250 and none for any other kill, every copy with
/// the Message-ID stored on the row.
/// </summary>
public abstract partial class OutboxCrashTests(string provider)
{
    /// <summary>Kills per crash point: 3 × 7 = 21 cycles.</summary>
    private const int KillsPerPoint = 7;
    /// <summary>Rows claimed per round: the rows claimed behind a paused one are left Sending by the kill too, and come back by their lease.</summary>
    private const int BatchSize = 2;
    private static readonly OutboxCrashPoint[] Points = [OutboxCrashPoint.BeforeSend, OutboxCrashPoint.AfterServerAccepted, OutboxCrashPoint.BeforeMarkSent];
    /// <summary>A cycle uses up the first attempt of at most one round of rows, so this many e-mails always leave a fresh one to stop at (a multiple of 3).</summary>
    private const int Emails = KillsPerPoint * 3 * BatchSize + 6;
    /// <summary>Each ticket goes through these, e-mailing its contact each time (three e-mails with subjects of their own).</summary>
    private static readonly string[] Statuses = ["Analyzing", "Waiting", "Done"];
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan PauseTimeout = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Kill(int Cycle, OutboxCrashPoint Point, long OutboxId, string MessageId);

    [Fact]
    public async Task Killed_at_every_sending_point_each_email_arrives_once_or_twice_with_one_Message_ID()
    {
        var (smtpHost, smtpPort, _) = TestMailServer.Require();
        var seed = CrashLoop.Seed();
        var total = Stopwatch.StartNew();
        var starts = new List<TimeSpan>();
        await using var data = await AppStore.Create(provider);
        var domain = $"crash-{Guid.NewGuid().ToString("N")[..10]}.test";
        var to = $"cliente@{domain}";

        async Task<AppProcess> Start(OutboxCrashPoint pause, bool dispatcher = true)
        {
            var settings = new Dictionary<string, string>(data.Settings)
            {
                // The first run migrates the new database; the others skip the start-up check (a supported setting), which
                // saves about half a second of each of the many starts.
                ["Atende:Database:Migrate"] = starts.Count == 0 ? "true" : "false",
                ["Atende:Email:PollSeconds"] = "0.2",
                ["Atende:Email:LeaseSeconds"] = "1",
                ["Atende:Email:BatchSize"] = BatchSize.ToString(CultureInfo.InvariantCulture),
                ["Atende:Email:RetryBaseSeconds"] = "1",
                ["Atende:Email:RetryMaxSeconds"] = "2",
                ["Atende:Email:CrashPause"] = pause.ToString(),
                ["Atende:Email:Dispatcher"] = dispatcher ? "true" : "false",
            };
            var watch = Stopwatch.StartNew();
            var app = await AppProcess.Start(settings, StartTimeout);
            starts.Add(watch.Elapsed);
            return app;
        }

        // 1. E-mails caused by real actions: each status change of a ticket e-mails its contact. The dispatcher is off, and the app is
        //    killed right after the last answer: what the API confirmed is committed.
        var outboxIds = new HashSet<long>();
        string token;
        await using (var app = await Start(OutboxCrashPoint.None, dispatcher: false))
        {
            using var anonymous = app.Api();
            token = (await TicketSteps.Json(await anonymous.PostAsJsonAsync("/api/v1/setup", new
            {
                companyName = "Empresa Derrubada", adminName = "Administradora", adminEmail = TestApp.AdminEmail, adminPassword = TestApp.Password,
            }, Ct), HttpStatusCode.Created))["token"]!.GetValue<string>();
            using var api = app.Api(token);
            await TicketSteps.Json(await api.PutAsJsonAsync("/api/v1/settings/smtp", new
            {
                host = smtpHost, port = smtpPort, security = "None", userName = (string?)null, password = (string?)null,
                fromName = "Empresa Derrubada", fromAddress = "atendimento@empresa-derrubada.test",
            }, Ct), HttpStatusCode.OK);
            var workspace = await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/workspaces", new { name = "Domínio" }, Ct), HttpStatusCode.Created);
            var pipelineId = (await TicketSteps.Pipeline(api))["id"]!.GetValue<long>();
            var partner = await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/partners", new { name = "Cliente Derrubado", workspaceId = workspace["id"]!.GetValue<long>() }, Ct), HttpStatusCode.Created);
            var partnerId = partner["id"]!.GetValue<long>();
            var contact = await TicketSteps.Json(await api.PostAsJsonAsync($"/api/v1/partners/{partnerId}/contacts", new { name = "Contato", emails = new[] { to } }, Ct), HttpStatusCode.Created);
            for (var i = 1; i <= Emails / Statuses.Length; i++)
            {
                var ticket = await TicketSteps.Ticket(api, pipelineId, partnerId, contact["id"]!.GetValue<long>(), $"Pedido {domain} #{i}");
                foreach (var status in Statuses)
                {
                    var changed = await TicketSteps.Json(await api.PostAsJsonAsync($"/api/v1/tickets/{ticket["id"]}/status", new { status }, Ct), HttpStatusCode.OK);
                    Assert.Equal("queued", changed["email"]!["status"]!.GetValue<string>());
                    outboxIds.Add(changed["email"]!["outboxId"]!.GetValue<long>());
                }
            }
            await app.Kill();
        }

        var enqueued = total.Elapsed;

        // 2. The crash loop: each run stops at its point on the first e-mail it tries for the first time, and is killed there.
        var plan = CrashLoop.Plan(Points, KillsPerPoint, seed);
        var kills = new List<Kill>();
        await CrashLoop.Run(plan, point => Start(point), PauseLine(), PauseTimeout, (cycle, pause) =>
        {
            var kill = new Kill(cycle, Enum.Parse<OutboxCrashPoint>(pause.Groups["point"].Value), long.Parse(pause.Groups["id"].Value, CultureInfo.InvariantCulture), pause.Groups["messageId"].Value);
            Assert.Equal(plan[cycle - 1], kill.Point);
            Assert.Equal("1", pause.Groups["attempt"].Value);
            Assert.True(outboxIds.Contains(kill.OutboxId), $"cycle {cycle} stopped at an unknown outbox row {kill.OutboxId}");
            kills.Add(kill);
        });
        // Each e-mail's first attempt happens once, so no e-mail was stopped twice.
        Assert.Equal(kills.Count, kills.Select(k => k.OutboxId).Distinct().Count());

        var crashed = total.Elapsed;

        // 3. A clean run drains the outbox.
        JsonArray rows;
        await using (var app = await Start(OutboxCrashPoint.None))
        {
            using var api = app.Api(token);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                rows = (await TicketSteps.Json(await api.GetAsync("/api/v1/outbox?limit=200", Ct), HttpStatusCode.OK))["items"]!.AsArray();
                if (rows.Count == Emails && rows.All(r => r!["status"]!.GetValue<string>() == "Sent"))
                {
                    break;
                }
                Assert.True(DateTime.UtcNow < deadline, $"the outbox did not drain (seed {seed}): " + string.Join("; ", rows
                    .Where(r => r!["status"]!.GetValue<string>() != "Sent")
                    .Select(r => $"{r!["id"]} {r["status"]} attempts {r["attempts"]} {r["lastError"]}")) + "\n" + app.Tail());
                await Task.Delay(200, Ct);
            }
            await app.Kill();
        }

        // 4. What arrived. Every row is Sent, and the server wrote each copy before answering 250, so the Maildir is complete.
        Assert.Equal(outboxIds.Order(), rows.Select(r => r!["id"]!.GetValue<long>()).Order());
        // Each e-mail has a subject of its own ("[REF] Pedido … #i — situação: Analisando"): copies are matched to rows by
        // subject, so a resend under another Message-ID would still be counted and caught.
        var subjects = rows.ToDictionary(r => r!["id"]!.GetValue<long>(), r => r!["subject"]!.GetValue<string>());
        Assert.Equal(Emails, subjects.Values.Distinct().Count());
        var afterAccepted = kills.Where(k => k.Point != OutboxCrashPoint.BeforeSend).ToDictionary(k => k.OutboxId);
        var expected = Emails + afterAccepted.Count;
        var arrived = await TestMailServer.WaitFor(m => m.To.Mailboxes.Any(b => b.Domain == domain), count: expected);
        var bySubject = arrived.GroupBy(m => m.Subject ?? "").ToDictionary(g => g.Key, g => g.ToList());
        Assert.True(bySubject.Keys.All(subjects.ContainsValue), "e-mails arrived that no action caused: " + string.Join(", ", bySubject.Keys.Where(k => !subjects.ContainsValue(k))));
        var duplicates = 0;
        foreach (var row in rows)
        {
            var id = row!["id"]!.GetValue<long>();
            var messageId = row["messageId"]!.GetValue<string>();
            Assert.Equal("Sent", row["status"]!.GetValue<string>());
            var copies = bySubject.GetValueOrDefault(subjects[id]) ?? [];
            var why = $"outbox e-mail {id} ({subjects[id]}), kill {(afterAccepted.TryGetValue(id, out var k) ? $"{k.Point} in cycle {k.Cycle}" : kills.FirstOrDefault(x => x.OutboxId == id)?.Point.ToString() ?? "none")}, seed {seed}";
            Assert.True(copies.Count >= 1, $"never arrived: {why}");
            Assert.True(copies.Count <= 2, $"arrived {copies.Count} times: {why}");
            // Exactly one resend for a kill after the server's 250, none for any other kill or none at all.
            Assert.True(copies.Count == (afterAccepted.ContainsKey(id) ? 2 : 1), $"arrived {copies.Count} times: {why}");
            Assert.All(copies, m => Assert.Equal(messageId, m.MessageId));
            if (kills.FirstOrDefault(x => x.OutboxId == id) is { } killed)
            {
                // The Message-ID was stored before the first attempt and never changed.
                Assert.Equal(messageId, killed.MessageId);
            }
            duplicates += copies.Count - 1;
        }
        Assert.Equal(expected, arrived.Count);
        // Rows claimed in a killed run's round without being tried came back by their lease (at least the one beside the first
        // stop: the first round claims the two oldest e-mails and stops at the first).
        var claimedBehind = rows.Count(r => r!["attempts"]!.GetValue<int>() >= 2 && kills.All(k => k.OutboxId != r["id"]!.GetValue<long>()));
        Assert.True(claimedBehind > 0, "no e-mail was left claimed by a killed run");

        var summary = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{provider}: {kills.Count} kill -9 cycles (seed {seed}) over {Emails} e-mails in {total.Elapsed.TotalSeconds:0.0} s; ")
            .Append(string.Join(", ", Points.Select(p => $"{p} {kills.Count(k => k.Point == p)}")))
            .Append(CultureInfo.InvariantCulture, $"; {duplicates} duplicates (same Message-ID), {arrived.Count} messages arrived, {claimedBehind} e-mails claimed untried by a killed run; ")
            .Append(CultureInfo.InvariantCulture, $"{starts.Count} app starts, {starts.Average(t => t.TotalSeconds):0.00} s on average (max {starts.Max(t => t.TotalSeconds):0.00} s); ")
            .Append(CultureInfo.InvariantCulture, $"e-mails written {enqueued.TotalSeconds:0.0} s, crash loop {(crashed - enqueued).TotalSeconds:0.0} s, drain and checks {(total.Elapsed - crashed).TotalSeconds:0.0} s.")
            .ToString();
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        TestContext.Current.SendDiagnosticMessage(summary);
    }

    /// <summary>The line <see cref="OutboxDispatcher"/> logs where <c>Atende:Email:CrashPause</c> stops it.</summary>
    [GeneratedRegex(@"CrashPause (?<point>\w+): outbox e-mail (?<id>\d+) <(?<messageId>[^>]+)>, attempt (?<attempt>\d+);")]
    private static partial Regex PauseLine();
}

public sealed class OutboxCrashTestsSqlite() : OutboxCrashTests("Sqlite");

public sealed class OutboxCrashTestsPostgres() : OutboxCrashTests("Postgres");
