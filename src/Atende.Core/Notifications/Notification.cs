namespace Atende.Core.Notifications;

/// <summary>An in-app notice to one user (e.g. "Notificar" on a new ticket tells its assignee).</summary>
public class Notification
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public long? TicketId { get; set; }
    public string Text { get; set; } = "";
    public long? FromUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ReadAt { get; set; }
}
