using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Queue;
using Atende.Web.Live;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;

namespace Atende.Web.Infrastructure;

/// <summary>
/// What an operator watches (docs/operations.md, "Observability"): JSON console logs in Production, the liveness and readiness
/// checks, and OpenTelemetry metrics at <c>/metrics</c> in Prometheus text, open to loopback (or <c>Atende:Metrics:Networks</c>)
/// and to a caller with <c>Atende:Metrics:Token</c> only.
/// </summary>
public static class Observability
{
    public const string MetricsPath = "/metrics";

    public static void AddAtendeObservability(this WebApplicationBuilder builder)
    {
        // Production logs one JSON object per line, with the scopes: a line written during a request carries its RequestId and
        // TraceId. Logging:Console:FormatterName (simple, systemd, json) chooses otherwise; Development keeps the simple console.
        if (builder.Environment.IsProduction() && string.IsNullOrWhiteSpace(builder.Configuration["Logging:Console:FormatterName"]))
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                // pt-BR text as it is (not \u00E7); quotes and control characters are still escaped, so a line stays one JSON object.
                o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            });
        }

        builder.Services.AddSingleton<AtendeGauges>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            // http.server.request.duration, active requests, Kestrel connections, SignalR connections, rate limiting.
            .AddAspNetCoreInstrumentation()
            // GC, heap, thread pool, exceptions (the runtime's System.Runtime meter).
            .AddRuntimeInstrumentation()
            // EF Core's own meter (active contexts, queries, SaveChanges, compiled-query cache, concurrency failures) and
            // Npgsql's (command durations, connection pool) on PostgreSQL; our queues and senders.
            .AddMeter("Microsoft.EntityFrameworkCore", "Npgsql", AtendeMeter.Name)
            .AddPrometheusExporter());

        // /healthz (live): the process serves and the database answers, as it always did. /healthz/ready: the database and,
        // when configured, Redis; a node whose Redis is down still serves its own screens, so only readiness names it.
        var checks = builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["live", "ready"]);
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("Redis")))
        {
            checks.AddCheck<RedisHealthCheck>("redis", tags: ["ready"], timeout: TimeSpan.FromSeconds(5));
        }
    }

    public static void MapAtendeObservability(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = c => c.Tags.Contains("live") }).AllowAnonymous();
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteReadiness })
            .AllowAnonymous();

        var access = MetricsAccess.From(app.Configuration);
        var gauges = app.Services.GetRequiredService<AtendeGauges>();
        app.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (context, next) =>
        {
            if (!access.Allows(context))
            {
                context.Response.StatusCode = access.HasToken ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden;
                if (access.HasToken)
                {
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                }
                return;
            }
            await gauges.Refresh(context.RequestAborted);
            await next(context);
        }), optionsName: null).AllowAnonymous();
    }

    /// <summary>"Healthy" or "Unhealthy" on the first line, then one line per check: its name, status and why.</summary>
    private static Task WriteReadiness(HttpContext context, HealthReport report)
    {
        var text = new StringBuilder().Append(report.Status).Append('\n');
        foreach (var (name, entry) in report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            text.Append(name).Append(": ").Append(entry.Status);
            if (!string.IsNullOrEmpty(entry.Description))
            {
                text.Append(" (").Append(entry.Description).Append(')');
            }
            text.Append('\n');
        }
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text.ToString());
    }
}

/// <summary>
/// Who may read <c>/metrics</c>: a caller whose address (the client's, after a known proxy's <c>X-Forwarded-For</c>) is in
/// <c>Atende:Metrics:Networks</c> (CIDR, <c>;</c>-separated; default loopback), or one that sends
/// <c>Authorization: Bearer</c> with <c>Atende:Metrics:Token</c>. The metrics tell how busy the company is and how the app is
/// built, so nobody on the internet reads them by default.
/// </summary>
public sealed class MetricsAccess(string? token, IReadOnlyList<System.Net.IPNetwork> networks)
{
    public bool HasToken => token is not null;

    public static MetricsAccess From(IConfiguration config)
    {
        var listed = Proxy.List(config, "Atende:Metrics:Networks");
        var networks = listed.Length == 0
            ? [System.Net.IPNetwork.Parse("127.0.0.0/8"), System.Net.IPNetwork.Parse("::1/128")]
            : listed.Select(n => System.Net.IPNetwork.TryParse(n, out var range) ? range
                : throw new InvalidOperationException($"Atende:Metrics:Networks: '{n}' is not a network such as 10.0.0.0/8.")).ToList();
        var token = config["Atende:Metrics:Token"];
        return new MetricsAccess(string.IsNullOrWhiteSpace(token) ? null : token.Trim(), networks);
    }

    public bool Allows(HttpContext context)
    {
        if (context.Connection.RemoteIpAddress is { } address)
        {
            var client = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
            if (networks.Any(n => n.Contains(client)))
            {
                return true;
            }
        }
        if (token is null)
        {
            return false;
        }
        var header = context.Request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        return header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)
            && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(header[Bearer.Length..].Trim())),
                SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }
}

/// <summary>
/// The <c>Atende</c> gauges: the e-mail outbox and the webhook deliveries waiting (Pending or Sending: not sent, not given
/// up) and how long the oldest of them has waited, the mailbox's last successful read, and this node's live screens. The
/// database numbers are read when <c>/metrics</c> is scraped, at most once every <see cref="MaxAge"/> (several scrapers share
/// a reading), each an index seek: a COUNT over the (Status, …) index ranges, then the first Id of the Pending and Sending
/// ranges of the (Status, Id) index; the mailbox is one row.
/// </summary>
public sealed class AtendeGauges
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger<AtendeGauges> _log;
    private readonly SemaphoreSlim _reading = new(1, 1);
    private Backlog? _backlog;
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    private sealed record Backlog(DateTimeOffset At, long Emails, DateTimeOffset? OldestEmail, long Webhooks, DateTimeOffset? OldestWebhook, DateTimeOffset? ImapSuccess);

    public AtendeGauges(AtendeMeter meter, IServiceScopeFactory scopes, LiveFanout live, ILogger<AtendeGauges> log)
    {
        _scopes = scopes;
        _log = log;
        var m = meter.Meter;
        m.CreateObservableGauge("atende.email.outbox.pending", () => Read<long>(b => b.Emails), "{email}",
            "E-mails in the outbox not sent yet (pending or being sent; not the given-up ones).");
        m.CreateObservableGauge("atende.email.outbox.oldest_age", () => Read<double>(b => Age(b, b.OldestEmail)), "s",
            "How long the oldest e-mail not sent yet has waited since it was queued; 0 when none waits.");
        m.CreateObservableGauge("atende.webhook.deliveries.pending", () => Read<long>(b => b.Webhooks), "{delivery}",
            "Webhook deliveries not delivered yet (pending or being sent; not the given-up ones).");
        m.CreateObservableGauge("atende.webhook.deliveries.oldest_age", () => Read<double>(b => Age(b, b.OldestWebhook)), "s",
            "How long the oldest webhook delivery not delivered yet has waited since its event; 0 when none waits.");
        m.CreateObservableGauge("atende.imap.last_success_time", () => Read(b => b.ImapSuccess?.ToUnixTimeMilliseconds() / 1000.0), "s",
            "Unix time of the last read of the replies mailbox that did not fail; absent while the mailbox is off or never read.");
        m.CreateObservableGauge("atende.live.connections", () => live.Count, "{connection}",
            "Screens connected to this node's live hub (/hubs/live).");
    }

    private static double Age(Backlog backlog, DateTimeOffset? oldest) =>
        oldest is { } at ? Math.Max(0, (backlog.At - at).TotalSeconds) : 0;

    /// <summary>One measurement from the last reading; none when the database could not be read (no stale numbers).</summary>
    private IEnumerable<Measurement<T>> Read<T>(Func<Backlog, T?> value) where T : struct
    {
        if (_backlog is { } backlog && value(backlog) is { } v)
        {
            return [new Measurement<T>(v)];
        }
        return [];
    }

    /// <summary>Reads the database numbers unless a reading younger than <see cref="MaxAge"/> exists.</summary>
    public async Task Refresh(CancellationToken ct)
    {
        if (DateTimeOffset.UtcNow - _readAt < MaxAge)
        {
            return;
        }
        await _reading.WaitAsync(ct);
        try
        {
            if (DateTimeOffset.UtcNow - _readAt < MaxAge)
            {
                return;
            }
            try
            {
                _backlog = await ReadBacklog(ct);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
            {
                _backlog = null;
                _log.LogWarning(e, "The queue gauges could not read the database; they are left out of this scrape.");
            }
            _readAt = DateTimeOffset.UtcNow;
        }
        finally
        {
            _reading.Release();
        }
    }

    private async Task<Backlog> ReadBacklog(CancellationToken ct)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
        var now = Clock.Now();
        var emails = await db.OutboxEmails.LongCountAsync(e => e.Status == LeaseStatus.Pending || e.Status == LeaseStatus.Sending, ct);
        DateTimeOffset? oldestEmail = null;
        if (emails > 0)
        {
            oldestEmail = Earliest(
                await db.OutboxEmails.Where(e => e.Status == LeaseStatus.Pending).OrderBy(e => e.Id).Select(e => (DateTimeOffset?)e.CreatedAt).FirstOrDefaultAsync(ct),
                await db.OutboxEmails.Where(e => e.Status == LeaseStatus.Sending).OrderBy(e => e.Id).Select(e => (DateTimeOffset?)e.CreatedAt).FirstOrDefaultAsync(ct));
        }
        var webhooks = await db.WebhookDeliveries.LongCountAsync(d => d.Status == LeaseStatus.Pending || d.Status == LeaseStatus.Sending, ct);
        DateTimeOffset? oldestWebhook = null;
        if (webhooks > 0)
        {
            oldestWebhook = Earliest(
                await db.WebhookDeliveries.Where(d => d.Status == LeaseStatus.Pending).OrderBy(d => d.Id).Select(d => (DateTimeOffset?)d.CreatedAt).FirstOrDefaultAsync(ct),
                await db.WebhookDeliveries.Where(d => d.Status == LeaseStatus.Sending).OrderBy(d => d.Id).Select(d => (DateTimeOffset?)d.CreatedAt).FirstOrDefaultAsync(ct));
        }
        var imap = await db.ImapSettings.Where(s => s.Enabled).Select(s => s.LastSuccessAt).FirstOrDefaultAsync(ct);
        return new Backlog(now, emails, oldestEmail, webhooks, oldestWebhook, imap);
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;
}

/// <summary>Readiness: Redis answers PING within three seconds (only registered with <c>ConnectionStrings:Redis</c>).</summary>
public sealed class RedisHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var redis = services.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>();
            var rtt = await redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
            return HealthCheckResult.Healthy($"PING {rtt.TotalMilliseconds:0} ms");
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
        {
            // The reason without the connection string (it may hold a password); the exception goes to the log.
            return HealthCheckResult.Unhealthy(e is TimeoutException ? "no answer to PING within 3 s" : "PING failed: " + e.GetType().Name, e);
        }
    }
}
