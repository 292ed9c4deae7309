using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Events;
using Atende.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Chat;

/// <summary>A chat message as every reader gets it (the API, the event's data).</summary>
public sealed record ChatMessageRow(long Id, long Seq, long TicketId, long AuthorId, string AuthorName, bool FromCustomer, string Body, DateTimeOffset CreatedAt);

/// <summary>How far another participant got in a chat: their screen received (delivered) and had in view (read) up to these numbers.</summary>
public sealed record ChatReceiptRow(long UserId, string Name, bool FromCustomer, long DeliveredSeq, long ReadSeq);

/// <summary>
/// A ticket's chat: who may read and write is who sees the ticket (<see cref="Visibility.Tickets"/>: staff by their grants, a
/// portal user by their scope), checked on every call. Messages are numbered per ticket; a reader asks for those after the
/// last number it has. Posting raises <c>chat.message_posted</c> in the same transaction.
/// </summary>
public sealed class ChatService(AtendeDb db, Caller caller, EventLog events, ChatPace pace, Tickets.PublicLinks? links = null)
{
    public const int MaxLength = 4_000;
    public const int MaxPage = 500;
    private static readonly System.Globalization.CultureInfo PtBr = System.Globalization.CultureInfo.GetCultureInfo("pt-BR");

    /// <summary>The messages after <paramref name="after"/> (0: from the first), oldest first, at most <paramref name="limit"/>.</summary>
    public async Task<List<ChatMessageRow>> After(long ticketId, long after = 0, int limit = 200, CancellationToken ct = default)
    {
        if (after < 0)
        {
            throw new ValidationException("after", "O número da última mensagem (after) não pode ser negativo.");
        }
        if (limit is < 1 or > MaxPage)
        {
            throw new ValidationException("limit", $"Peça de 1 a {MaxPage} mensagens por vez.");
        }
        await RequireVisible(ticketId, ct);
        return await Rows(db.ChatMessages.Where(m => m.TicketId == ticketId && m.Seq > after).OrderBy(m => m.Seq).Take(limit), ct);
    }

    /// <summary>The last <paramref name="limit"/> messages, oldest first (what a chat screen shows when it opens), and whether there are older ones.</summary>
    public async Task<(List<ChatMessageRow> Messages, bool HasOlder)> Latest(long ticketId, int limit = 200, CancellationToken ct = default)
    {
        await RequireVisible(ticketId, ct);
        var rows = await Rows(db.ChatMessages.Where(m => m.TicketId == ticketId).OrderByDescending(m => m.Seq).Take(limit + 1), ct);
        var hasOlder = rows.Count > limit;
        return ([.. rows.Take(limit).OrderBy(m => m.Seq)], hasOlder);
    }

    /// <summary>Posts a message (plain text, up to <see cref="MaxLength"/> characters) to a ticket the caller sees.</summary>
    public async Task<ChatMessageRow> Post(long ticketId, string? body, CancellationToken ct = default)
    {
        var text = (body ?? "").Replace("\r\n", "\n").Trim();
        if (text.Length == 0)
        {
            throw new ValidationException("body", "Escreva a mensagem.");
        }
        if (text.Length > MaxLength)
        {
            throw new ValidationException("body", $"A mensagem pode ter no máximo {MaxLength.ToString("N0", PtBr)} caracteres (tem {text.Length.ToString("N0", PtBr)}).");
        }
        pace.Take(caller.UserId);
        var ticket = await Visibility.Tickets(db, caller).AsNoTracking().FirstOrDefaultAsync(t => t.Id == ticketId, ct) ?? throw NotFound();
        if (ticket.Bin == Tickets.TicketBin.Trash)
        {
            throw new ConflictException("Este atendimento está na lixeira. Restaure-o antes de conversar.");
        }
        // Messages of one ticket are numbered one at a time: PostgreSQL locks the ticket's row for the transaction (SQLite has
        // one writer at a time already). Should two still take a number at once, the unique (TicketId, Seq) refuses the second,
        // which takes the next.
        for (var attempt = 1; ; attempt++)
        {
            var message = new ChatMessage { TicketId = ticketId, AuthorId = caller.UserId, Body = text, CreatedAt = Clock.Now() };
            await using var tx = await UnitOfWork.Begin(db.Database, ct);
            if (db.IsPostgres)
            {
                await db.Database.ExecuteSqlInterpolatedAsync($"SELECT 1 FROM \"Tickets\" WHERE \"Id\" = {ticketId} FOR UPDATE", ct);
            }
            message.Seq = (await db.ChatMessages.Where(m => m.TicketId == ticketId).MaxAsync(m => (long?)m.Seq, ct) ?? 0) + 1;
            db.ChatMessages.Add(message);
            try
            {
                await db.SaveChangesAsync(ct);
                var row = (await Rows(db.ChatMessages.Where(m => m.Id == message.Id), ct)).Single();
                await events.Raise(EventTypes.ChatMessagePosted, EventSubject.Of(ticket), events.Json.ChatMessage(row), caller.UserId, ct);
                await db.SaveChangesAsync(ct);
                await new ChatEmails(db, links).Posted(ticket, row, ct);
                await tx.Commit(ct);
                return row;
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e) && attempt < 5)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>The others' marks in a ticket's chat the caller sees (who received and read up to where).</summary>
    public async Task<List<ChatReceiptRow>> Receipts(long ticketId, CancellationToken ct = default)
    {
        await RequireVisible(ticketId, ct);
        return await db.ChatReceipts.AsNoTracking().Where(r => r.TicketId == ticketId && r.UserId != caller.UserId)
            .Join(db.Users, r => r.UserId, u => u.Id, (r, u) => new ChatReceiptRow(r.UserId, u.Name, u.Role == UserRole.Portal, r.DeliveredSeq, r.ReadSeq))
            .ToListAsync(ct);
    }

    /// <summary>
    /// Records that the caller's screen received (<paramref name="read"/>: had in view) the ticket's messages up to
    /// <paramref name="seq"/> (never past the last message; marks only move forward). Returns the ticket when a mark moved,
    /// for the others' screens, else null.
    /// </summary>
    public async Task<Live.TicketScope?> Receipt(long ticketId, long seq, bool read, CancellationToken ct = default)
    {
        var ticket = await Visibility.Tickets(db, caller).AsNoTracking().FirstOrDefaultAsync(t => t.Id == ticketId, ct) ?? throw NotFound();
        var last = await db.ChatMessages.Where(m => m.TicketId == ticketId).MaxAsync(m => (long?)m.Seq, ct) ?? 0;
        seq = Math.Min(seq, last);
        if (seq <= 0)
        {
            return null;
        }
        var readSeq = read ? seq : 0;
        var now = Clock.Now();
        for (var attempt = 1; ; attempt++)
        {
            // Moved in one statement, never backwards: two screens of one user may report at once.
            var moved = await db.ChatReceipts
                .Where(r => r.TicketId == ticketId && r.UserId == caller.UserId && (r.DeliveredSeq < seq || r.ReadSeq < readSeq))
                .ExecuteUpdateAsync(u => u
                    .SetProperty(r => r.DeliveredSeq, r => r.DeliveredSeq < seq ? seq : r.DeliveredSeq)
                    .SetProperty(r => r.ReadSeq, r => r.ReadSeq < readSeq ? readSeq : r.ReadSeq)
                    .SetProperty(r => r.UpdatedAt, now), ct);
            if (moved > 0)
            {
                return await Moved(ticket, seq, ct);
            }
            if (await db.ChatReceipts.AnyAsync(r => r.TicketId == ticketId && r.UserId == caller.UserId, ct))
            {
                return null;
            }
            db.ChatReceipts.Add(new ChatReceipt { TicketId = ticketId, UserId = caller.UserId, DeliveredSeq = seq, ReadSeq = readSeq, UpdatedAt = now });
            try
            {
                await db.SaveChangesAsync(ct);
                return await Moved(ticket, seq, ct);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e) && attempt < 3)
            {
                // Another screen of the same user wrote the first mark at the same moment: move that one.
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>A mark moved: a portal user who received the messages no longer needs their e-mail.</summary>
    private async Task<Live.TicketScope> Moved(Tickets.Ticket ticket, long seq, CancellationToken ct)
    {
        if (caller.IsPortal)
        {
            await new ChatEmails(db, links).Received(ticket.Id, caller.UserId, seq, ct);
        }
        return Live.TicketScope.Of(ticket);
    }

    private async Task RequireVisible(long ticketId, CancellationToken ct)
    {
        if (!await Visibility.Tickets(db, caller).AnyAsync(t => t.Id == ticketId, ct))
        {
            throw NotFound();
        }
    }

    private async Task<List<ChatMessageRow>> Rows(IQueryable<ChatMessage> query, CancellationToken ct) =>
        await query.AsNoTracking()
            .Select(m => new
            {
                m, Author = db.Users.Where(u => u.Id == m.AuthorId).Select(u => new { u.Name, u.Role }).FirstOrDefault(),
            })
            .Select(x => new ChatMessageRow(x.m.Id, x.m.Seq, x.m.TicketId, x.m.AuthorId, x.Author == null ? "" : x.Author.Name,
                x.Author != null && x.Author.Role == UserRole.Portal, x.m.Body, x.m.CreatedAt))
            .ToListAsync(ct);

    private static NotFoundException NotFound() => new("Atendimento não encontrado.");
}
