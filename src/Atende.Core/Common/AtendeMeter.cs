using System.Diagnostics.Metrics;

namespace Atende.Core.Common;

/// <summary>
/// The app's own meter, <c>Atende</c> (exported at <c>/metrics</c>, docs/operations.md "Observability"): the counters the
/// background senders add to. The gauges that read the database (queue depths, oldest waiting row, last mailbox read) are the
/// web project's (<c>Infrastructure/Observability.cs</c>). Made through the host's <see cref="IMeterFactory"/>, so each app
/// (and each test server) has its own.
/// </summary>
public sealed class AtendeMeter
{
    public const string Name = "Atende";

    public AtendeMeter(IMeterFactory factory)
    {
        Meter = factory.Create(Name);
        EmailFailures = Meter.CreateCounter<long>("atende.email.send.failed", "{attempt}",
            "Failed attempts to send an outbox e-mail; outcome=retry (tried again later) or dead (given up).");
        WebhookFailures = Meter.CreateCounter<long>("atende.webhook.deliveries.failed", "{attempt}",
            "Failed webhook delivery attempts; outcome=retry (tried again later) or dead (given up).");
    }

    public Meter Meter { get; }

    public Counter<long> EmailFailures { get; }

    public Counter<long> WebhookFailures { get; }

    /// <summary>The outcome tag of a failed attempt.</summary>
    public static KeyValuePair<string, object?> Outcome(bool dead) => new("outcome", dead ? "dead" : "retry");
}
