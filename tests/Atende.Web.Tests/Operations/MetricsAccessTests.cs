using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using Atende.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Atende.Web.Tests.Operations;

/// <summary>
/// The tests that read the app's own numbers from /metrics run alone, after the others. Meters are process-wide: the OpenTelemetry
/// provider of one test server also listens to the <c>Atende</c> meters of every other server alive in the test process, merges
/// their gauges into its own, and drops a gauge altogether when the server that published it first is disposed (a CI run saw the
/// mailbox gauge missing for three readings in a row). One server per process, as in production, has none of this.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OwnMetricsCollection
{
    public const string Name = "Own metrics";
}

/// <summary>
/// /metrics is not public: by default only a loopback caller reads it (the client's address, so a request that a proxy on the same
/// machine forwards for someone on the internet is refused); <c>Atende:Metrics:Networks</c> names other networks and
/// <c>Atende:Metrics:Token</c> lets a scraper in from anywhere with <c>Authorization: Bearer</c>.
/// </summary>
[Collection(OwnMetricsCollection.Name)]
public sealed class MetricsAccessTests
{
    private const string Token = "token-do-prometheus-7f3a";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<HttpStatusCode> Get(TestApp app, string? peer, string? bearer = null, string? forwardedFor = null)
    {
        using var client = app.Api();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (peer is not null)
        {
            request.Headers.Add(PeerAddress.Header, peer);
        }
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        var response = await client.SendAsync(request, Ct);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            Assert.Contains("atende_live_connections", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
        else
        {
            Assert.DoesNotContain("atende_", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
        return response.StatusCode;
    }

    [Fact]
    public async Task By_default_only_loopback_reads_the_metrics()
    {
        await using var app = await TestApp.Start("Sqlite", services: PeerAddress.Add);
        await app.Setup();
        Assert.Equal(HttpStatusCode.OK, await Get(app, "127.0.0.1"));
        Assert.Equal(HttpStatusCode.OK, await Get(app, "::1"));
        Assert.Equal(HttpStatusCode.Forbidden, await Get(app, "203.0.113.7"));
        Assert.Equal(HttpStatusCode.Forbidden, await Get(app, "10.0.0.8"));
        // No token is configured: a bearer means nothing.
        Assert.Equal(HttpStatusCode.Forbidden, await Get(app, "203.0.113.7", bearer: Token));
        // Forwarded by the proxy on this machine for someone outside: that someone is the caller.
        Assert.Equal(HttpStatusCode.Forbidden, await Get(app, "127.0.0.1", forwardedFor: "203.0.113.7"));
        // An outsider claiming to be loopback is not a known proxy: the header is ignored.
        Assert.Equal(HttpStatusCode.Forbidden, await Get(app, "203.0.113.7", forwardedFor: "127.0.0.1"));
    }

    [Fact]
    public async Task A_configured_network_and_the_configured_token_read_the_metrics()
    {
        await using var app = await TestApp.Start("Sqlite", new()
        {
            ["Atende:Metrics:Networks"] = "10.20.0.0/16",
            ["Atende:Metrics:Token"] = Token,
        }, PeerAddress.Add);
        Assert.Equal(HttpStatusCode.OK, await Get(app, "10.20.3.4"));
        // The list replaces loopback.
        Assert.Equal(HttpStatusCode.Unauthorized, await Get(app, "127.0.0.1"));
        Assert.Equal(HttpStatusCode.Unauthorized, await Get(app, "203.0.113.7"));
        Assert.Equal(HttpStatusCode.Unauthorized, await Get(app, "203.0.113.7", bearer: Token + "x"));
        Assert.Equal(HttpStatusCode.Unauthorized, await Get(app, null, bearer: "token"));
        Assert.Equal(HttpStatusCode.OK, await Get(app, "203.0.113.7", bearer: Token));
        Assert.Equal(HttpStatusCode.OK, await Get(app, null, bearer: Token));
    }
}

/// <summary>
/// /healthz/ready: 200 "Healthy" when the database answers and, with <c>ConnectionStrings:Redis</c>, Redis answers PING; 503
/// naming the part that failed otherwise. /healthz (liveness) does not depend on Redis.
/// </summary>
public sealed class ReadinessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Ready_when_the_database_answers(string provider)
    {
        await using var app = await TestApp.Start(provider);
        using var client = app.Api();
        var response = await client.GetAsync("/healthz/ready", Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/healthz/ready answered {(int)response.StatusCode}: {body}");
        Assert.StartsWith("Healthy\n", body, StringComparison.Ordinal);
        Assert.Contains("database: Healthy", body, StringComparison.Ordinal);
        Assert.DoesNotContain("redis", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Not_ready_naming_Redis_when_Redis_does_not_answer()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var app = await TestApp.Start("Sqlite", new() { ["ConnectionStrings:Redis"] = $"127.0.0.1:{port},connectTimeout=1000" });
        using var client = app.Api();

        var response = await client.GetAsync("/healthz/ready", Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"/healthz/ready answered {(int)response.StatusCode}: {body}");
        Assert.StartsWith("Unhealthy\n", body, StringComparison.Ordinal);
        Assert.Contains("redis: Unhealthy", body, StringComparison.Ordinal);
        Assert.Contains("database: Healthy", body, StringComparison.Ordinal);
        // Liveness: the node still serves (its own screens live without Redis).
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz", Ct)).StatusCode);
    }

    [Fact]
    public async Task Ready_when_the_configured_Redis_answers()
    {
        var redis = Environment.GetEnvironmentVariable("ATENDE_TEST_REDIS");
        if (string.IsNullOrWhiteSpace(redis))
        {
            if (TestApp.ServicesRequired)
            {
                Assert.Fail("ATENDE_REQUIRE_SERVICES=1 but ATENDE_TEST_REDIS is not set.");
            }
            Assert.Skip("Redis not configured: set ATENDE_TEST_REDIS (host:port) to run this test.");
        }
        await using var app = await TestApp.Start("Sqlite", new() { ["ConnectionStrings:Redis"] = redis });
        using var client = app.Api();
        var response = await client.GetAsync("/healthz/ready", Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/healthz/ready answered {(int)response.StatusCode}: {body}");
        Assert.Contains("redis: Healthy", body, StringComparison.Ordinal);
    }
}

/// <summary>
/// The queue gauges read by index, never by scanning the tables: every statement a scrape runs on the outbox and the webhook
/// deliveries is a SEARCH through an index on SQLite (EXPLAIN QUERY PLAN), without a sort, and a second scrape within
/// <c>AtendeGauges.MaxAge</c> reads nothing.
/// </summary>
[Collection(OwnMetricsCollection.Name)]
public sealed class MetricsQueryPlanTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_scrape_reads_the_queues_through_their_indexes_and_a_second_one_reads_nothing()
    {
        await using var app = await TestApp.Start("Sqlite", new()
        {
            ["Atende:Email:Dispatcher"] = "false",
            ["Atende:Webhooks:Dispatcher"] = "false",
        }, PeerAddress.Add);
        await app.Setup();
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Atende.Core.Data.AtendeDb>();
            var now = Atende.Core.Common.Clock.Now();
            db.OutboxEmails.Add(new Atende.Core.Email.OutboxEmail { To = "cliente@empresa.example", Subject = "Teste", Token = "t1", NextAttemptAt = now, CreatedAt = now.AddMinutes(-3) });
            var endpoint = new Atende.Core.Webhooks.WebhookEndpoint { Url = "https://receptor.example/hook", Events = "*", CreatedAt = now, UpdatedAt = now };
            var raised = new Atende.Core.Events.RaisedEvent { Type = "ticket.created", At = now, MessageId = "msg_1", Data = "{}" };
            db.AddRange(endpoint, raised);
            await db.SaveChangesAsync(Ct);
            db.WebhookDeliveries.Add(new Atende.Core.Webhooks.WebhookDelivery { EndpointId = endpoint.Id, EventId = raised.Id, NextAttemptAt = now, CreatedAt = now.AddMinutes(-2) });
            await db.SaveChangesAsync(Ct);
        }

        using var client = app.Api();
        string text = "";
        var statements = await app.Sql.StatementsDuring(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
            request.Headers.Add(PeerAddress.Header, "127.0.0.1");
            var response = await client.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            text = await response.Content.ReadAsStringAsync(Ct);
        });
        Assert.Matches(@"(?m)^atende_email_outbox_oldest_age_seconds\{[^}]*\} 1[89]\d(\.\d+)?$", text);
        Assert.Matches(@"(?m)^atende_webhook_deliveries_oldest_age_seconds\{[^}]*\} 1[12]\d(\.\d+)?$", text);

        var recorded = app.Sql.Record();
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/metrics"))
        {
            request.Headers.Add(PeerAddress.Header, "127.0.0.1");
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request, Ct)).StatusCode);
        }
        app.Sql.Stop();
        Assert.DoesNotContain(recorded, sql => sql.Contains("\"OutboxEmails\"", StringComparison.Ordinal) || sql.Contains("\"WebhookDeliveries\"", StringComparison.Ordinal));

        // The first scrape again, to see its statements: a count and two seeks per queue, one read of the mailbox row.
        await Task.Delay(Atende.Web.Infrastructure.AtendeGauges.MaxAge + TimeSpan.FromMilliseconds(200), Ct);
        var commands = app.Sql.Record();
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/metrics"))
        {
            request.Headers.Add(PeerAddress.Header, "127.0.0.1");
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request, Ct)).StatusCode);
        }
        app.Sql.Stop();
        var queues = commands.Where(sql => sql.Contains("\"OutboxEmails\"", StringComparison.Ordinal) || sql.Contains("\"WebhookDeliveries\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, queues.Count);
        Assert.True(statements >= 7, $"the scrape ran {statements} statements");
        using var plans = app.Services.CreateScope();
        var connection = plans.ServiceProvider.GetRequiredService<Atende.Core.Data.AtendeDb>().Database.GetDbConnection();
        await connection.OpenAsync(Ct);
        foreach (var sql in queues)
        {
            await using var explain = connection.CreateCommand();
            explain.CommandText = "EXPLAIN QUERY PLAN " + sql;
            await using var reader = await explain.ExecuteReaderAsync(Ct);
            var plan = new List<string>();
            while (await reader.ReadAsync(Ct))
            {
                plan.Add(reader.GetString(3));
            }
            Assert.True(plan.All(step => step.StartsWith("SEARCH", StringComparison.Ordinal) && step.Contains("INDEX", StringComparison.Ordinal)),
                $"{sql}\n→ {string.Join(" | ", plan)}");
        }
    }
}

/// <summary>
/// The mailbox gauge: after a read of a real IMAP mailbox (Dovecot) that did not fail, /metrics says when it happened (Unix
/// time); a later failed read leaves that time as it was.
/// </summary>
[Collection(OwnMetricsCollection.Name)]
public sealed class ImapGaugeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string> Metrics(TestApp app)
    {
        using var client = app.Api();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Add(PeerAddress.Header, "127.0.0.1");
        var response = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    /// <summary>
    /// The gauge's line once a scrape reads the database again (at most every <see cref="Atende.Web.Infrastructure.AtendeGauges.MaxAge"/>;
    /// on a loaded machine a reading may come late), waiting up to three readings for it to hold <paramref name="expected"/>.
    /// </summary>
    private static async Task<System.Text.RegularExpressions.Match> Gauge(TestApp app, Func<System.Text.RegularExpressions.Match, bool> expected)
    {
        var deadline = DateTime.UtcNow + 3 * Atende.Web.Infrastructure.AtendeGauges.MaxAge + TimeSpan.FromSeconds(1);
        System.Text.RegularExpressions.Match line;
        do
        {
            await Task.Delay(Atende.Web.Infrastructure.AtendeGauges.MaxAge + TimeSpan.FromMilliseconds(200), Ct);
            line = System.Text.RegularExpressions.Regex.Match(await Metrics(app), @"(?m)^atende_imap_last_success_time_seconds\{[^}]*\} (?<value>\S+)$");
        }
        while (!expected(line) && DateTime.UtcNow < deadline);
        return line;
    }

    [Fact]
    public async Task The_last_successful_read_of_the_mailbox_is_a_Unix_time_gauge()
    {
        var imap = Email.TestImapServer.Require();
        await using var app = await TestApp.Start("Sqlite", new() { ["Atende:Inbox:Poller"] = "false" }, PeerAddress.Add);
        var token = await app.Setup();
        using var api = app.Api(token);
        var folder = await Email.TestImapServer.NewFolder(Ct);
        var saved = await api.PutAsJsonAsync("/api/v1/settings/imap", new
        {
            enabled = true, host = imap.Host, port = imap.Port, security = "None", userName = imap.User, password = imap.Password, folder,
        }, Ct);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.DoesNotMatch(@"(?m)^atende_imap_last_success_time_seconds", await Metrics(app));

        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var poller = app.Services.GetRequiredService<Atende.Core.Email.ImapPoller>();
        Assert.NotNull(await poller.PollOnce(Ct));
        var after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var line = await Gauge(app, l => l.Success);
        Assert.True(line.Success, "the gauge is exported after a successful read");
        var value = double.Parse(line.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(value, before - 1, after + 1);

        // A failed read (a wrong password) keeps the time of the last good one.
        var wrong = await api.PutAsJsonAsync("/api/v1/settings/imap", new
        {
            enabled = true, host = imap.Host, port = imap.Port, security = "None", userName = imap.User, password = "senha-errada", folder,
        }, Ct);
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Null(await poller.PollOnce(Ct));
        var again = await Gauge(app, l => l.Success);
        Assert.True(again.Success, "the gauge stays after a failed read");
        Assert.Equal(value, double.Parse(again.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture));
    }
}
