using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Tickets;

// Interactions and files: the timeline, posting (with "Salvar e notificar"), attaching and removing files.
public sealed partial class TicketService
{
    public async Task<List<InteractionRow>> Interactions(long ticketId, bool newestFirst = true, bool includeInternal = true, CancellationToken ct = default)
    {
        await RequireVisible(ticketId, ct);
        var query = Visibility.Interactions(db, caller, ticketId).AsNoTracking();
        if (!includeInternal)
        {
            query = query.Where(i => !i.Internal);
        }
        query = newestFirst ? query.OrderByDescending(i => i.Id) : query.OrderBy(i => i.Id);
        return await InteractionRows(query, await AttachmentRows(ticketId, ct), ct);
    }

    /// <summary>
    /// The timeline of a ticket read by <see cref="Get"/> (so known to be visible, not checked again): its interactions with
    /// their files, and how many files the ticket has (the Arquivos tab's badge), in one statement.
    /// </summary>
    public async Task<(List<InteractionRow> Interactions, int AttachmentCount)> Timeline(Ticket visible, bool newestFirst, CancellationToken ct = default)
    {
        // Plain LEFT JOINs from the ticket's row (a nested collection would join a derived table that SQLite materializes
        // whole: every interaction of every ticket); files are matched on the ticket too, so its index finds them. One row
        // per file of an interaction, per interaction without files, or the ticket's alone when it has no interaction.
        var rows = await (
                from t in db.Tickets.AsNoTracking()
                where t.Id == visible.Id
                from i in db.Interactions.Where(i => i.TicketId == t.Id).DefaultIfEmpty()
                from a in db.TicketAttachments.Where(a => a.TicketId == t.Id && a.InteractionId != null && a.InteractionId == i.Id).DefaultIfEmpty()
                from f in db.StoredFiles.Where(f => f.Id == a.FileId).DefaultIfEmpty()
                orderby i.Id, a.Id descending
                select new
                {
                    AttachmentCount = db.TicketAttachments.Count(x => x.TicketId == t.Id),
                    Interaction = i,
                    Author = db.Users.Where(u => u.Id == i.AuthorId).Select(u => u.Name).FirstOrDefault(),
                    File = a == null ? null : new AttachmentRow(a.Id, a.InteractionId, f.Id, f.FileName, f.ContentType, f.Size, f.CreatedAt,
                        db.Users.Where(u => u.Id == f.CreatedById).Select(u => u.Name).FirstOrDefault()),
                })
            .ToListAsync(ct);
        var interactions = rows.Where(r => r.Interaction is not null).GroupBy(r => r.Interaction!.Id)
            .Select(g => InteractionRow(g.First().Interaction!, g.First().Author, g.Where(r => r.File is not null).Select(r => r.File!).ToList()))
            .ToList();
        if (newestFirst)
        {
            interactions.Reverse();
        }
        return (interactions, rows.Count == 0 ? 0 : rows[0].AttachmentCount);
    }

    /// <summary>One interaction of the ticket with its files (what posting one answers), without reading the rest of the timeline.</summary>
    public async Task<InteractionRow> Interaction(long ticketId, long interactionId, CancellationToken ct = default)
    {
        await RequireVisible(ticketId, ct);
        var rows = await InteractionRows(Visibility.Interactions(db, caller, ticketId).AsNoTracking().Where(i => i.Id == interactionId),
            await AttachmentRows(ticketId, ct, interactionId), ct);
        return rows.SingleOrDefault() ?? throw new NotFoundException("Interação não encontrada.");
    }

    private async Task<List<InteractionRow>> InteractionRows(IQueryable<Interaction> query, List<AttachmentRow> attachmentRows, CancellationToken ct)
    {
        var rows = await query.Select(i => new { i, Author = db.Users.Where(u => u.Id == i.AuthorId).Select(u => u.Name).FirstOrDefault() }).ToListAsync(ct);
        var attachments = attachmentRows.Where(a => a.InteractionId != null).ToLookup(a => a.InteractionId!.Value);
        return rows.Select(r => InteractionRow(r.i, r.Author, attachments[r.i.Id].ToList())).ToList();
    }

    /// <param name="author">The staff author's name; null for a reply by e-mail (then the sender's name or address).</param>
    private static InteractionRow InteractionRow(Interaction i, string? author, List<AttachmentRow> files) =>
        new(i.Id, i.Body, i.Internal, i.AuthorId, author ?? i.FromName ?? i.FromAddress ?? "", i.CreatedAt, i.Notify, files, i.FromAddress);

    /// <summary>
    /// Posts an interaction: its HTML is sanitized; files already stored are attached to it in the same transaction. With
    /// <paramref name="notify"/> ("Salvar e notificar") a public interaction is e-mailed, with its files, to the requester's
    /// contact in that transaction too (Email null without notify). Internal notes are never e-mailed: notify is refused on them.
    /// </summary>
    public async Task<(Interaction Interaction, EmailOutcome? Email)> AddInteraction(long ticketId, string? body, bool isInternal, bool notify, IReadOnlyCollection<long> fileIds, CancellationToken ct = default)
    {
        caller.RequireStaff();
        var ticket = await Get(ticketId, ct);
        if (ticket.Bin == TicketBin.Trash)
        {
            throw new ConflictException("Este atendimento está na lixeira. Restaure-o antes de registrar interações.");
        }
        var clean = RichText.Sanitize(body);
        if (clean.Length > 100_000)
        {
            throw new ValidationException("body", "O texto da interação pode ter no máximo 100.000 caracteres.");
        }
        if (RichText.IsEmpty(clean) && fileIds.Count == 0)
        {
            throw new ValidationException("body", "Escreva o texto da interação ou anexe um arquivo.");
        }
        if (notify && isInternal)
        {
            throw new ValidationException("notify", "Notas internas nunca são enviadas por e-mail. Use \"Salvar\" para a nota interna, ou torne a interação pública para notificar o solicitante.");
        }
        var interaction = new Interaction
        {
            TicketId = ticketId, Body = clean, Internal = isInternal, Notify = notify, AuthorId = caller.UserId, CreatedAt = Clock.Now(),
        };
        await using var tx = await UnitOfWork.Begin(db.Database, ct);
        db.Interactions.Add(interaction);
        ticket.UpdatedAt = interaction.CreatedAt;
        await db.SaveChangesAsync(ct);
        await AttachStoredFiles(ticketId, interaction.Id, fileIds, ct);
        var email = await InteractionAdded(ticket, interaction, fileIds.Distinct().ToList(), assigneeNotice: null, ct);
        await db.SaveChangesAsync(ct);
        await tx.Commit(ct);
        return (interaction, email);
    }

    public async Task<List<AttachmentRow>> Attachments(long ticketId, CancellationToken ct = default)
    {
        await RequireVisible(ticketId, ct);
        return await AttachmentRows(ticketId, ct);
    }

    /// <summary>The attachments of a ticket read by <see cref="Get"/> (known to be visible).</summary>
    public Task<List<AttachmentRow>> Attachments(Ticket visible, CancellationToken ct = default) => AttachmentRows(visible.Id, ct);

    /// <summary>How many interactions and attachments a ticket read by <see cref="Get"/> has (the tabs' badges), in one statement.</summary>
    public async Task<(int Interactions, int Attachments)> Counts(Ticket visible, CancellationToken ct = default)
    {
        var counts = await db.Tickets.AsNoTracking().Where(t => t.Id == visible.Id)
            .Select(t => new { I = db.Interactions.Count(i => i.TicketId == t.Id), A = db.TicketAttachments.Count(a => a.TicketId == t.Id) })
            .FirstAsync(ct);
        return (counts.I, counts.A);
    }

    /// <summary>A ticket's attachments (or only one interaction's), for a ticket already known to be visible.</summary>
    private async Task<List<AttachmentRow>> AttachmentRows(long ticketId, CancellationToken ct, long? interactionId = null) =>
        await (
                from a in db.TicketAttachments.AsNoTracking()
                join f in db.StoredFiles on a.FileId equals f.Id
                where a.TicketId == ticketId && (interactionId == null || a.InteractionId == interactionId)
                orderby a.Id descending
                select new AttachmentRow(a.Id, a.InteractionId, f.Id, f.FileName, f.ContentType, f.Size, f.CreatedAt,
                    db.Users.Where(u => u.Id == f.CreatedById).Select(u => u.Name).FirstOrDefault()))
            .ToListAsync(ct);

    /// <summary>The stored file of one of this ticket's attachments; an attachment of another ticket is not found.</summary>
    public async Task<Files.StoredFile> AttachmentFile(long ticketId, long attachmentId, CancellationToken ct = default)
    {
        await RequireVisible(ticketId, ct);
        return await (
                from a in db.TicketAttachments
                join f in db.StoredFiles on a.FileId equals f.Id
                where a.TicketId == ticketId && a.Id == attachmentId
                select f).AsNoTracking().FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException("Anexo não encontrado.");
    }

    /// <summary>Attaches files the caller just uploaded (stored, not yet attached to anything) to the ticket.</summary>
    public async Task<List<TicketAttachment>> Attach(long ticketId, IReadOnlyCollection<long> fileIds, CancellationToken ct = default)
    {
        caller.RequireStaff();
        var ticket = await Get(ticketId, ct);
        if (ticket.Bin == TicketBin.Trash)
        {
            throw new ConflictException("Este atendimento está na lixeira. Restaure-o antes de anexar arquivos.");
        }
        await using var tx = await UnitOfWork.Begin(db.Database, ct);
        var added = await AttachStoredFiles(ticketId, null, fileIds, ct);
        ticket.UpdatedAt = Clock.Now();
        await Changed(ticket, [new("attachments", null, string.Join(", ", await db.StoredFiles.Where(f => fileIds.Contains(f.Id)).Select(f => f.FileName).ToListAsync(ct)),
            null, IdsCode(added.Select(a => a.Id)))], ct);
        await db.SaveChangesAsync(ct);
        await tx.Commit(ct);
        return added;
    }

    public async Task<string> RemoveAttachment(long ticketId, long attachmentId, CancellationToken ct = default)
    {
        caller.RequireStaff();
        var file = await AttachmentFile(ticketId, attachmentId, ct);
        var ticket = await Get(ticketId, ct);
        await using var tx = await UnitOfWork.Begin(db.Database, ct);
        await db.TicketAttachments.Where(a => a.Id == attachmentId && a.TicketId == ticketId).ExecuteDeleteAsync(ct);
        await db.StoredFiles.Where(f => f.Id == file.Id).ExecuteDeleteAsync(ct);
        ticket.UpdatedAt = Clock.Now();
        await Changed(ticket, [new("attachmentRemoved", file.FileName, null, IdCode(attachmentId))], ct);
        await db.SaveChangesAsync(ct);
        await tx.Commit(ct);
        return file.StorageKey;
    }

    private async Task<List<TicketAttachment>> AttachStoredFiles(long ticketId, long? interactionId, IReadOnlyCollection<long> fileIds, CancellationToken ct)
    {
        if (fileIds.Count == 0)
        {
            return [];
        }
        var ids = fileIds.Distinct().ToList();
        // Only the caller's own uploads that nothing holds yet: a file id of another ticket is refused.
        var usable = await db.StoredFiles
            .Where(f => ids.Contains(f.Id) && f.CreatedById == caller.UserId && !db.TicketAttachments.Any(a => a.FileId == f.Id)
                && !db.ConversationAttachments.Any(a => a.FileId == f.Id))
            .Select(f => f.Id).ToListAsync(ct);
        var refused = ids.Except(usable).ToList();
        if (refused.Count > 0)
        {
            throw new ValidationException("fileIds", $"Arquivo inexistente ou já anexado a outro registro: {string.Join(", ", refused)}.");
        }
        var attachments = ids.Select(f => new TicketAttachment { TicketId = ticketId, InteractionId = interactionId, FileId = f }).ToList();
        db.TicketAttachments.AddRange(attachments);
        await db.SaveChangesAsync(ct);
        return attachments;
    }
}
