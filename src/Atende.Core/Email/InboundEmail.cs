namespace Atende.Core.Email;

/// <summary>
/// Appended: became a public interaction of a ticket. CreatedTicket: answered no ticket and opened one. Unmatched: answered no
/// ticket and was left unread (the reason says why). Ignored: an automatic reply or our own e-mail, marked read. Quarantined:
/// could not be read or processed; left unread, never retried by itself, so it never blocks the messages after it.
/// </summary>
public enum InboundStatus { Appended, CreatedTicket, Unmatched, Ignored, Quarantined }

/// <summary>
/// One message the poller took from the mailbox. (Mailbox, MessageId) is unique: a message read twice (a replay, a second node,
/// a crash before it was marked read) is processed once.
/// </summary>
public class InboundEmail
{
    public long Id { get; set; }
    public string Mailbox { get; set; } = "";
    /// <summary>The Message-ID header, or "sha256:…" of the raw message when it has none.</summary>
    public string MessageId { get; set; } = "";
    public string FromAddress { get; set; } = "";
    public string? FromName { get; set; }
    public string Subject { get; set; } = "";
    /// <summary>The message's Date header (when it was sent), or when it was read.</summary>
    public DateTimeOffset SentAt { get; set; }
    public DateTimeOffset ProcessedAt { get; set; }
    public InboundStatus Status { get; set; }
    public long? TicketId { get; set; }
    public long? InteractionId { get; set; }
    /// <summary>Why it was left unread, ignored or quarantined; which attachments were refused (pt-BR).</summary>
    public string? Note { get; set; }
}
