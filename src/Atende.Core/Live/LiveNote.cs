using Atende.Core.Tickets;

namespace Atende.Core.Live;

/// <summary>What a live note is about.</summary>
public enum LiveKind
{
    /// <summary>A raised event about a ticket (<see cref="LiveNote.Type"/> is its type; a chat message carries its JSON).</summary>
    Event,
    /// <summary>A new in-app notice for <see cref="LiveNote.UserId"/> (the bell).</summary>
    Notice,
    /// <summary>Someone is typing in a ticket's chat (not stored; sent by the hub).</summary>
    Typing,
    /// <summary>Someone read a ticket's chat up to <see cref="LiveNote.Seq"/>.</summary>
    Read,
}

/// <summary>
/// The ticket a note is about, as the visibility rule needs it (<see cref="Identity.Visibility.SeesTicket"/>): enough to
/// decide for each open screen, when the note is delivered, whether its user may still see the ticket.
/// </summary>
public sealed record TicketScope(long Id, long PartnerId, long WorkspaceId, long PipelineId, long CreatedById, TicketBin Bin)
{
    public static TicketScope Of(Ticket t) => new(t.Id, t.PartnerId, t.WorkspaceId, t.PipelineId, t.CreatedById, t.Bin);

    /// <summary>A ticket with only these fields, for the in-memory visibility rule.</summary>
    public Ticket AsTicket() => new() { Id = Id, PartnerId = PartnerId, WorkspaceId = WorkspaceId, PipelineId = PipelineId, CreatedById = CreatedById, Bin = Bin };
}

/// <summary>
/// A change the live screens show (the ticket list and board, the ticket page, the chat, the bell), published once its
/// transaction commits (<see cref="Queue.AfterCommit.Publish"/>) and delivered by every node to the screens it holds, each
/// checked through the visibility module at that moment. Notes are hints: what a screen shows is read through the API or
/// the page, and a chat reader asks for the messages after the last <c>Seq</c> it has, so a lost note loses nothing.
/// </summary>
public sealed record LiveNote(LiveKind Kind, string Type = "", TicketScope? Ticket = null, long? ActorId = null, string? ActorName = null,
    DateTimeOffset At = default, string? Data = null, long? UserId = null, long Seq = 0);

/// <summary>Carries committed live notes to every node (in-process with one node; Redis with several).</summary>
public interface ILiveBus
{
    void Publish(IReadOnlyList<LiveNote> notes);
}
