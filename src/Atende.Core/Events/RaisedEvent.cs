namespace Atende.Core.Events;

/// <summary>
/// A change others react to, written by <see cref="EventLog.Raise"/> in the change's own transaction: the row webhook deliveries
/// point at, and the feed live screens and portal notices read after the last id they saw. <see cref="Data"/> is the resource
/// as its API GET answered at that moment.
/// </summary>
public class RaisedEvent
{
    public long Id { get; set; }
    /// <summary>One of <see cref="EventTypes"/>, e.g. "ticket.status_changed".</summary>
    public string Type { get; set; } = "";
    public DateTimeOffset At { get; set; }
    /// <summary>Who made the change; null for the system (a reply by e-mail from a contact).</summary>
    public long? ActorId { get; set; }
    public long? TicketId { get; set; }
    public long? PartnerId { get; set; }
    public long? ConversationId { get; set; }
    /// <summary>The workspace and pipeline of the resource, so a feed can be read through the caller's visibility.</summary>
    public long? WorkspaceId { get; set; }
    public long? PipelineId { get; set; }
    /// <summary>"msg_" + random: the <c>webhook-id</c> of every delivery and retry of this event.</summary>
    public string MessageId { get; set; } = "";
    /// <summary>JSON of the resource, exactly as its GET answers.</summary>
    public string Data { get; set; } = "";
}
