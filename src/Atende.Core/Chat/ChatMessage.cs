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
