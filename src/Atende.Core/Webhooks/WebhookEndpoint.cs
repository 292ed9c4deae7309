using Atende.Core.Queue;

namespace Atende.Core.Webhooks;

/// <summary>A receiver of events (Configurações → Webhooks), signed per Standard Webhooks with its own secret.</summary>
public class WebhookEndpoint
{
    public long Id { get; set; }
    public string Url { get; set; } = "";
    public string Description { get; set; } = "";
    /// <summary>The subscribed event types, comma separated; empty means every event.</summary>
    public string Events { get; set; } = "";
    public bool Active { get; set; } = true;
    /// <summary>The signing secret ("whsec_…"), protected with ASP.NET Core Data Protection; shown once, never returned.</summary>
    public string ProtectedSecret { get; set; } = "";
    /// <summary>After a rotation the old secret keeps signing too until <see cref="PreviousSecretUntil"/> (24 h).</summary>
    public string? ProtectedPreviousSecret { get; set; }
    public DateTimeOffset? PreviousSecretUntil { get; set; }
    /// <summary>The first failure since the last success; five days of failures disable the endpoint.</summary>
    public DateTimeOffset? FailingSince { get; set; }
    /// <summary>Why the system disabled it (410 Gone, five days of failures); null when an admin did or it is active.</summary>
    public string? DisabledReason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; } = 1;

}

/// <summary>One event for one endpoint, in the shared leased queue (<see cref="LeasedQueue"/>); the log shows its last attempt.</summary>
public class WebhookDelivery
{
    public long Id { get; set; }
    public long EndpointId { get; set; }
    public long EventId { get; set; }
    public Events.RaisedEvent? Event { get; set; }
    public LeaseStatus Status { get; set; } = LeaseStatus.Pending;
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public int? LastStatusCode { get; set; }
    public int? LastDurationMs { get; set; }
    /// <summary>The first 1 KB of the receiver's last answer.</summary>
    public string? LastResponse { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
}
