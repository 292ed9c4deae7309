using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Email;

public sealed record InboundRow(long Id, string FromAddress, string? FromName, string Subject, DateTimeOffset SentAt, DateTimeOffset ProcessedAt,
    InboundStatus Status, long? TicketId, string? TicketReference, string? Note);

/// <summary>The messages the poller took from the mailbox, as admins see them ("E-mails recebidos"), and "read the mailbox now".</summary>
public sealed class InboxService(AtendeDb db, Caller caller, ImapPoller poller)
{
    public async Task<Page<InboundRow>> List(InboundStatus? status, string? after, int limit = 50, CancellationToken ct = default)
    {
        caller.RequireAdmin();
        var query = db.InboundEmails.AsNoTracking();
        if (status is { } one)
        {
            query = query.Where(e => e.Status == one);
        }
        return await query.NewestFirst(e => e.Id, after)
            .Select(e => new InboundRow(e.Id, e.FromAddress, e.FromName, e.Subject, e.SentAt, e.ProcessedAt, e.Status, e.TicketId,
                db.Tickets.Where(t => t.Id == e.TicketId).Select(t => t.Reference).FirstOrDefault(), e.Note))
            .ToPageAsync(limit, r => Cursor.ForId(r.Id), ct);
    }

    /// <summary>
    /// Forgets a message left unread or quarantined, so the next round reads it again (after a contact was added, a ticket
    /// restored or the settings changed). Processed messages cannot be retried: that would duplicate them.
    /// </summary>
    public async Task Retry(long id, CancellationToken ct = default)
    {
        caller.RequireAdmin();
        var row = await db.InboundEmails.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct) ?? throw new NotFoundException("Mensagem não encontrada.");
        if (row.Status is not (InboundStatus.Unmatched or InboundStatus.Quarantined))
        {
            throw new ConflictException("Esta mensagem já foi processada; lê-la de novo a duplicaria.");
        }
        await db.InboundEmails.Where(e => e.Id == id && (e.Status == InboundStatus.Unmatched || e.Status == InboundStatus.Quarantined)).ExecuteDeleteAsync(ct);
    }

    /// <summary>Reads the mailbox now and says what happened (pt-BR), as the settings page shows it.</summary>
    public async Task<(bool Ok, string Message)> PollNow(CancellationToken ct = default)
    {
        caller.RequireAdmin();
        var settings = await db.ImapSettings.AsNoTracking().FirstOrDefaultAsync(ct);
        if (settings is not { Enabled: true })
        {
            return (false, "A leitura da caixa de e-mail está desligada. Ative-a e salve antes de verificar.");
        }
        var result = await poller.PollOnce(ct);
        if (result is not null)
        {
            return (true, result.Summary);
        }
        var after = await db.ImapSettings.AsNoTracking().FirstAsync(ct);
        return (false, after.LastPollResult ?? "Caixa de e-mail não configurada.");
    }

    public static string StatusLabel(InboundStatus status) => status switch
    {
        InboundStatus.Appended => "Resposta registrada",
        InboundStatus.CreatedTicket => "Atendimento aberto",
        InboundStatus.Unmatched => "Sem atendimento",
        InboundStatus.Ignored => "Ignorada",
        InboundStatus.Quarantined => "Em quarentena",
        _ => status.ToString(),
    };
}
