using Atende.Core.Chat;

namespace Atende.Web.Live;

/// <summary>
/// A ticket's chat as a page shows it (<c>Pages/Shared/_ChatPanel.cshtml</c>, on the ticket's Chat tab and the portal request
/// page): the latest messages rendered with the page — readable without JavaScript, and a plain form posts a message —
/// then <c>wwwroot/js/chat.js</c> joins the live hub from the last number shown.
/// </summary>
/// <param name="PostUrl">Where the form posts without JavaScript (the page's own chat handler).</param>
/// <param name="ClosedReason">Why nobody can write here now (the ticket is in the trash), or null.</param>
/// <param name="Draft">What the user had typed when a post without JavaScript was refused.</param>
public sealed record ChatPanel(long TicketId, IReadOnlyList<ChatMessageRow> Messages, bool HasOlder, IReadOnlyList<ChatReceiptRow> Receipts,
    long MeId, bool ForCustomer, TimeZoneInfo Zone, string PostUrl, string? ClosedReason = null, string? Draft = null)
{
    public const int Shown = 200;

    public long LastSeq => Messages.Count == 0 ? 0 : Messages[^1].Seq;

    public static async Task<ChatPanel> Load(ChatService chat, long ticketId, long meId, bool forCustomer, TimeZoneInfo zone, string postUrl,
        string? closedReason, string? draft, CancellationToken ct)
    {
        var (messages, hasOlder) = await chat.Latest(ticketId, Shown, ct);
        return new ChatPanel(ticketId, messages, hasOlder, await chat.Receipts(ticketId, ct), meId, forCustomer, zone, postUrl, closedReason, draft);
    }

    /// <summary>The mark of one of the user's own messages: read by someone else, received by someone else, or only sent.</summary>
    public (string Icon, string Text) Mark(long seq) =>
        Receipts.Any(r => r.ReadSeq >= seq) ? ("bi-check-all text-primary", "Lida")
        : Receipts.Any(r => r.DeliveredSeq >= seq) ? ("bi-check-all", "Entregue")
        : ("bi-check", "Enviada");
}
