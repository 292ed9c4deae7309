using System.Globalization;
using System.Text.Json;
using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Identity;
using Atende.Core.Queue;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Atende.Core.Webhooks;

/// <summary>
/// Delivers webhook events. Each round claims due deliveries through the shared <see cref="LeasedQueue"/> and POSTs up to
/// <see cref="WebhookOptions.Parallelism"/> at once, each signed per Standard Webhooks v1 with the event's own
/// <c>webhook-id</c> (the same on every retry) and the attempt's <c>webhook-timestamp</c>. 2xx is delivered; anything else,
/// 3xx included (redirects are never followed), is a failure retried on <see cref="WebhookOptions.RetrySchedule"/> (a
/// <c>Retry-After</c> asking for longer is honoured) until it is given up. <c>410 Gone</c> turns the endpoint off at once, and
/// so do <see cref="WebhookOptions.DisableAfterDays"/> of failures without a success; the admins are told in the app.
/// </summary>
public sealed class WebhookDispatcher(IServiceScopeFactory scopes, WebhookSignal signal, WebhookSubscriptions subscriptions, IOptions<WebhookOptions> options,
    AtendeMeter meter, ILogger<WebhookDispatcher> log)
    : BackgroundService
{
    /// <summary>The deliveries as a leased queue: delivered rows get their DeliveredAt.</summary>
    public static readonly LeasedQueue Queue = new("WebhookDeliveries", "DeliveredAt");

    private WebhookOptions Options => options.Value;
    private HttpClient? _client;
    private readonly SemaphoreSlim _recording = new(1, 1);

    /// <summary>One client for the process (connections are pooled), on the handler that refuses private targets unless allowed.</summary>
    private HttpClient Client => _client ??= new HttpClient(WebhookHttp.CreateHandler(Options.AllowPrivateTargets)) { Timeout = Timeout.InfiniteTimeSpan };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Options.Dispatcher)
        {
            return;
        }
        var poll = TimeSpan.FromSeconds(Math.Max(0.05, Options.PollSeconds));
        await signal.RunRounds(async ct => await RunOnce(ct) > 0, poll, log, "webhook", stoppingToken);
    }

    public override void Dispose()
    {
        _client?.Dispose();
        _recording.Dispose();
        base.Dispose();
    }

    private sealed record Due(long Id, int Attempts, long EndpointId, string Url, bool Active, string Type, DateTimeOffset At, string MessageId, string Data);

    private sealed record Outcome(Due Delivery, WebhookResponse? Response, string? Error);

    /// <summary>One round: claims up to a batch of due deliveries and sends them. Returns how many it claimed.</summary>
    public async Task<int> RunOnce(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
        var lease = TimeSpan.FromSeconds(Options.LeaseSeconds);
        var claimed = Clock.Now();
        var ids = await Queue.Claim(db, Options.BatchSize, lease, ct);
        if (ids.Count == 0)
        {
            return 0;
        }
        var due = await db.WebhookDeliveries.AsNoTracking().Where(d => ids.Contains(d.Id)).OrderBy(d => d.Id)
            .Join(db.WebhookEndpoints, d => d.EndpointId, e => e.Id, (d, e) => new { d, e })
            .Select(x => new Due(x.d.Id, x.d.Attempts, x.e.Id, x.e.Url, x.e.Active, x.d.Event!.Type, x.d.Event.At, x.d.Event.MessageId, x.d.Event.Data))
            .ToListAsync(ct);
        var endpointIds = due.Select(d => d.EndpointId).Distinct().ToList();
        var endpoints = await db.WebhookEndpoints.AsNoTracking().Where(e => endpointIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, ct);
        var protection = scope.ServiceProvider.GetRequiredService<IDataProtectionProvider>();
        // Each delivery is recorded as soon as it is answered, on a context of its own. One that starts late in a slow round
        // renews its lease first: if the lease has lapsed and another node has it now, it is left to that node.
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Options.Parallelism), CancellationToken = ct },
            async (delivery, token) =>
            {
                await using var own = scopes.CreateAsyncScope();
                var deliveryDb = own.ServiceProvider.GetRequiredService<AtendeDb>();
                if (Clock.Now() - claimed > lease / 4 && !await Queue.Renew(deliveryDb, delivery.Id, delivery.Attempts, lease, token))
                {
                    return;
                }
                var endpoint = endpoints[delivery.EndpointId];
                var outcome = await Send(delivery, endpoint, protection, token);
                // One outcome written at a time: the parallel senders would otherwise queue on SQLite's single writer.
                await _recording.WaitAsync(token);
                try
                {
                    await Record(deliveryDb, outcome, endpoint.FailingSince is not null, token);
                }
                finally
                {
                    _recording.Release();
                }
            });
        return ids.Count;
    }

    private async Task<Outcome> Send(Due delivery, WebhookEndpoint endpoint, IDataProtectionProvider protection, CancellationToken ct)
    {
        // A test event goes even to an endpoint that is off: the admin asked for it to check the receiver.
        if (!delivery.Active && delivery.Type != Events.EventTypes.WebhookTest)
        {
            return new Outcome(delivery, null, "O webhook está desativado.");
        }
        await CrashPause(WebhookCrashPoint.BeforeSend, delivery, ct);
        var now = Clock.Now();
        var body = Body(delivery);
        var headers = new Dictionary<string, string>
        {
            ["webhook-id"] = delivery.MessageId,
            ["webhook-timestamp"] = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["webhook-signature"] = WebhookSignature.Sign(delivery.MessageId, now, body, WebhookService.SigningSecrets(endpoint, protection, now)),
        };
        var response = await WebhookHttp.Post(Client, new Uri(delivery.Url), headers, body, TimeSpan.FromSeconds(Options.TimeoutSeconds), ct);
        if (response.StatusCode is >= 200 and < 300)
        {
            await CrashPause(WebhookCrashPoint.BeforeMarkSent, delivery, ct);
        }
        return new Outcome(delivery, response, null);
    }

    /// <summary>The Standard Webhooks body: <c>{type, timestamp, data}</c>, data being the resource as its GET answered.</summary>
    public static string Body(string type, DateTimeOffset at, string data)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", type);
            json.WriteString("timestamp", at);
            json.WritePropertyName("data");
            json.WriteRawValue(data, skipInputValidation: true);
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Body(Due delivery) => Body(delivery.Type, delivery.At, delivery.Data);

    /// <summary>The attempt's outcome, in one transaction (one commit per delivery).</summary>
    private async Task Record(AtendeDb db, Outcome outcome, bool wasFailing, CancellationToken ct)
    {
        var delivery = outcome.Delivery;
        var response = outcome.Response;
        var now = Clock.Now();
        await using var tx = await UnitOfWork.Begin(db.Database, ct);
        await db.WebhookDeliveries.Where(d => d.Id == delivery.Id && d.Status == LeaseStatus.Sending && d.Attempts == delivery.Attempts).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.LastAttemptAt, now)
            .SetProperty(d => d.LastStatusCode, response == null ? null : response.StatusCode)
            .SetProperty(d => d.LastDurationMs, response == null ? null : (int?)response.Elapsed.TotalMilliseconds)
            .SetProperty(d => d.LastResponse, response == null ? null : response.Excerpt), ct);
        if (response?.StatusCode is >= 200 and < 300)
        {
            await Queue.Succeeded(db, delivery.Id, delivery.Attempts, ct);
            if (wasFailing)
            {
                await db.WebhookEndpoints.Where(e => e.Id == delivery.EndpointId && e.FailingSince != null)
                    .ExecuteUpdateAsync(s => s.SetProperty(e => e.FailingSince, (DateTimeOffset?)null), ct);
            }
            await tx.Commit(ct);
            return;
        }
        var error = outcome.Error ?? response!.Error ?? $"O receptor respondeu {response.StatusCode}" + (response.StatusCode is >= 300 and < 400 ? " (redirecionamentos não são seguidos)." : ".");
        if (response?.StatusCode == 410)
        {
            // The endpoint is off (with its notices) by the time anyone sees the delivery given up.
            await Disable(db, delivery.EndpointId, "O receptor respondeu 410 Gone: não quer mais receber eventos.", ct);
            await Queue.Failed(db, delivery.Id, delivery.Attempts, error + " O webhook foi desativado (410 Gone).", null, ct);
            meter.WebhookFailures.Add(1, AtendeMeter.Outcome(dead: true));
            await tx.Commit(ct);
            return;
        }
        var wait = outcome.Error is null ? Options.NextWait(delivery.Attempts, response?.RetryAfter) : null;
        await Queue.Failed(db, delivery.Id, delivery.Attempts, wait is null && outcome.Error is null ? $"{error} Desistiu após {delivery.Attempts} tentativas." : error, now + wait, ct);
        meter.WebhookFailures.Add(1, AtendeMeter.Outcome(dead: wait is null));
        log.LogWarning("Webhook delivery {Id} ({Type}) attempt {Attempt} failed: {Error}", delivery.Id, delivery.Type, delivery.Attempts, error);
        if (outcome.Error is not null)
        {
            await tx.Commit(ct);
            return;
        }
        await db.WebhookEndpoints.Where(e => e.Id == delivery.EndpointId && e.FailingSince == null)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.FailingSince, now), ct);
        var since = await db.WebhookEndpoints.Where(e => e.Id == delivery.EndpointId).Select(e => e.FailingSince).FirstOrDefaultAsync(ct);
        if (since is { } failing && now - failing >= TimeSpan.FromDays(Options.DisableAfterDays))
        {
            await Disable(db, delivery.EndpointId, $"Falhou por {Options.DisableAfterDays.ToString("0.#", CultureInfo.GetCultureInfo("pt-BR"))} dias sem uma entrega.", ct);
        }
        await tx.Commit(ct);
    }

    /// <summary>Turns the endpoint off (once), says why, and tells every active admin in the app, in one transaction.</summary>
    private async Task Disable(AtendeDb db, long endpointId, string reason, CancellationToken ct)
    {
        await using var tx = await UnitOfWork.Begin(db.Database, ct);
        var changed = await db.WebhookEndpoints.Where(e => e.Id == endpointId && e.Active).ExecuteUpdateAsync(s => s
            .SetProperty(e => e.Active, false)
            .SetProperty(e => e.DisabledReason, reason)
            .SetProperty(e => e.Version, e => e.Version + 1), ct);
        if (changed == 0)
        {
            return;
        }
        var url = await db.WebhookEndpoints.Where(e => e.Id == endpointId).Select(e => e.Url).FirstAsync(ct);
        var now = Clock.Now();
        var text = $"Webhook desativado: {url}. {reason}";
        var admins = await db.Users.Where(u => u.Active && u.Role == UserRole.Admin).Select(u => u.Id).ToListAsync(ct);
        foreach (var id in admins)
        {
            Notifications.NotificationService.Add(db, new Notifications.Notification { UserId = id, Text = text.Length > 500 ? text[..500] : text, CreatedAt = now });
        }
        await db.SaveChangesAsync(ct);
        await tx.Commit(ct);
        subscriptions.Changed();
    }

    private bool Pauses(WebhookCrashPoint point, Due delivery) => Options.CrashPause == point && delivery.Attempts == 1;

    /// <summary>Fault injection for the crash test (off by default): logs where it stopped and waits until the process is killed.</summary>
    private async Task CrashPause(WebhookCrashPoint point, Due delivery, CancellationToken ct)
    {
        if (Pauses(point, delivery))
        {
            log.LogWarning("CrashPause {Point}: webhook delivery {Id} {MessageId}, attempt {Attempt}; stopped here until the process is killed.",
                point, delivery.Id, delivery.MessageId, delivery.Attempts);
            await Task.Delay(Timeout.Infinite, ct);
        }
    }
}
