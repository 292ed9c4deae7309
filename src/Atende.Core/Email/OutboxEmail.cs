using Atende.Core.Queue;

namespace Atende.Core.Email;

/// <summary>
/// An e-mail written in the same transaction as the change that causes it (<see cref="EmailOutbox.Enqueue"/>) and sent later by
/// <see cref="OutboxDispatcher"/>, so it is never lost when the change commits and never sent when it rolls back.
/// </summary>
public class OutboxEmail
{
    public long Id { get; set; }
    /// <summary>Recipients, comma separated.</summary>
    public string To { get; set; } = "";
    public string Subject { get; set; } = "";
    public string? HtmlBody { get; set; }
    public string? TextBody { get; set; }
    public long? TicketId { get; set; }
    /// <summary>Random per row; with the id and the sender's domain it makes the Message-ID.</summary>
    public string Token { get; set; } = "";
    /// <summary>"outbox-{Id}.{Token}@{domain}", fixed at the first attempt: every resend carries the same Message-ID.</summary>
    public string? MessageId { get; set; }
    public LeaseStatus Status { get; set; } = LeaseStatus.Pending;
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    /// <summary>While Sending: when the claim lapses and another dispatcher may take the row (a node that crashed mid-send).</summary>
    public DateTimeOffset? LockedUntil { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public List<OutboxAttachment> Attachments { get; set; } = [];
}

/// <summary>A stored file (<c>Files/StoredFile</c>) sent as a MIME attachment.</summary>
public class OutboxAttachment
{
    public long Id { get; set; }
    public long OutboxEmailId { get; set; }
    public long FileId { get; set; }
}
