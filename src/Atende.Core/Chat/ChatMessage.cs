namespace Atende.Core.Chat;

/// <summary>
/// A message of a ticket's chat (between the staff who see the ticket and its portal users), numbered per ticket
/// (<see cref="Seq"/>, 1, 2, 3 …, unique with the ticket): a screen that reconnects asks for everything after the last number
/// it has, so it loses and repeats nothing.
/// </summary>
public class ChatMessage
{
    public long Id { get; set; }
    public long TicketId { get; set; }
    public long Seq { get; set; }
    public long AuthorId { get; set; }
    /// <summary>Plain text as typed (line breaks kept); every screen escapes it.</summary>
    public string Body { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// How far one participant got in a ticket's chat: the last message their screen received (<see cref="DeliveredSeq"/>) and
/// the last one they had in view (<see cref="ReadSeq"/>), which give the "entregue" / "lida" marks of the others' messages;
/// and, for a portal user, the last message already e-mailed to them because they were away (<see cref="EmailedSeq"/>).
/// </summary>
public class ChatReceipt
{
    public long TicketId { get; set; }
    public long UserId { get; set; }
    public long DeliveredSeq { get; set; }
    public long ReadSeq { get; set; }
    public long EmailedSeq { get; set; }
    /// <summary>The e-mail waiting to tell a portal user of the messages from <see cref="EmailFromSeq"/> to <see cref="EmailedSeq"/> (an outbox row).</summary>
    public long? EmailId { get; set; }
    public long EmailFromSeq { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
