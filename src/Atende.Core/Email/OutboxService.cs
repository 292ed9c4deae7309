using Atende.Core.Queue;
using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Email;

public sealed record OutboxRow(long Id, string To, string Subject, long? TicketId, string? TicketReference, string? MessageId, LeaseStatus Status,
    int Attempts, DateTimeOffset NextAttemptAt, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? SentAt, int AttachmentCount);

/// <summary>The outbox as admins see it ("Fila de e-mails"): newest first, by status and ticket; a dead e-mail can be retried.</summary>
public sealed class OutboxService(AtendeDb db, Caller caller, OutboxSignal signal)
{
    /// <param name="status">One status; Pending also lists the ones being sent.</param>
    public async Task<Page<OutboxRow>> List(LeaseStatus? status, long? ticketId, string? after, int limit = 50, CancellationToken ct = default)
    {
        caller.RequireAdmin();
        var query = db.OutboxEmails.AsNoTracking();
        if (status is LeaseStatus.Pending or LeaseStatus.Sending)
        {
            query = query.Where(e => e.Status == LeaseStatus.Pending || e.Status == LeaseStatus.Sending);
        }
        else if (status is { } one)
        {
            query = query.Where(e => e.Status == one);
        }
        if (ticketId is { } ticket)
        {
            query = query.Where(e => e.TicketId == ticket);
        }
        return await query.NewestFirst(e => e.Id, after)
            .Select(e => new OutboxRow(e.Id, e.To, e.Subject, e.TicketId, db.Tickets.Where(t => t.Id == e.TicketId).Select(t => t.Reference).FirstOrDefault(),
                e.MessageId, e.Status, e.Attempts, e.NextAttemptAt, e.LastError, e.CreatedAt, e.SentAt, e.Attachments.Count))
            .ToPageAsync(limit, r => Cursor.ForId(r.Id), ct);
    }

    /// <summary>The ticket a reference ("SUP-12") names, for the page's filter; null when there is none.</summary>
    public async Task<long?> TicketIdByReference(string? reference, CancellationToken ct = default)
    {
        caller.RequireAdmin();
        var clean = SearchText.Clean(reference).ToUpperInvariant();
        return clean.Length == 0 ? null : await db.Tickets.Where(t => t.Reference == clean).Select(t => (long?)t.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>Puts a dead e-mail back in the queue for an attempt now, with a fresh count of attempts (same Message-ID).</summary>
    public async Task<OutboxRow> Retry(long id, CancellationToken ct = default)
    {
        caller.RequireAdmin();
        var email = await db.OutboxEmails.FirstOrDefaultAsync(e => e.Id == id, ct) ?? throw new NotFoundException("E-mail não encontrado na fila.");
        if (email.Status != LeaseStatus.Dead)
        {
            throw new ConflictException(email.Status == LeaseStatus.Sent
                ? "Este e-mail já foi enviado."
                : "Este e-mail ainda está na fila; ele será tentado de novo automaticamente.");
        }
        if (!await OutboxDispatcher.Queue.Retry(db, id, evenIfSent: false, ct))
        {
            throw new ConflictException("Este e-mail mudou de situação enquanto você o reenviava. Recarregue a página.");
        }
        signal.Wake();
        return (await List(null, null, new Cursor("", id + 1).Encode(), 1, ct)).Items[0];
    }
}
