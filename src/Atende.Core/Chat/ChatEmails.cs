using System.Net;
using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Email;
using Atende.Core.Identity;
using Atende.Core.Queue;
using Atende.Core.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Chat;

/// <summary>
/// The e-mail a portal user gets when the team writes in a ticket's chat and their screen does not receive it within
/// <see cref="Delay"/>: one outbox e-mail per person, scheduled that far ahead and grown with every message written before
/// it leaves (batched), dropped as soon as their screen receives them (connected: no e-mail), each message e-mailed once.
/// Recipients are the portal users who see the ticket (<see cref="Visibility.PortalUsersWhoSee"/>); the text is the automatic
/// template "Chat: cliente ausente" (<see cref="EmailTemplatePurpose.ChatMissed"/>). It runs inside the post's or the
/// receipt's transaction, so the schedule and the e-mail commit with them; the outbox sends it like any other.
/// </summary>
internal sealed class ChatEmails(AtendeDb db, PublicLinks? links)
{
    public static readonly TimeSpan Delay = TimeSpan.FromMinutes(5);
    private const int MaxMessages = 50;
    private static readonly System.Globalization.CultureInfo PtBr = System.Globalization.CultureInfo.GetCultureInfo("pt-BR");

    /// <summary>Staff wrote <paramref name="message"/>: schedule or grow the e-mail of each portal user who sees the ticket.</summary>
    public async Task Posted(Ticket ticket, ChatMessageRow message, CancellationToken ct)
    {
        if (message.FromCustomer || await TicketService.SmtpBlock(db, ct) is not null)
        {
            return;
        }
        var users = await Visibility.PortalUsersWhoSee(db, ticket).Where(u => u.Email != null && u.Email != "")
            .Select(u => new { u.Id, Email = u.Email!, u.Name }).ToListAsync(ct);
        if (users.Count == 0)
        {
            return;
        }
        var template = await EmailTemplateService.ForEmail(db, EmailTemplatePurpose.ChatMissed, ct);
        if (!template.Active)
        {
            return;
        }
        var values = await TicketService.ValuesFor(db, links, ticket, message.AuthorName, ct);
        var publicUrl = await db.CompanyProfiles.Select(c => c.PublicUrl).FirstOrDefaultAsync(ct);
        var link = (links ?? new PublicLinks(null)).PortalRequest(ticket.Id, publicUrl) is { } url ? url + "#chat" : null;
        var zone = await Settings.SettingsService.CompanyZone(db, null, ct);
        foreach (var user in users)
        {
            var receipt = await db.ChatReceipts.FirstOrDefaultAsync(r => r.TicketId == ticket.Id && r.UserId == user.Id, ct);
            if (receipt is null)
            {
                receipt = new ChatReceipt { TicketId = ticket.Id, UserId = user.Id, UpdatedAt = Clock.Now() };
                db.ChatReceipts.Add(receipt);
            }
            async Task<RenderedEmail> Render(long from) => Placeholders.Render(template.Subject, template.Body,
                values with { ContactName = user.Name, Link = link, InteractionHtml = await MessagesHtml(ticket.Id, user.Id, from, message.Seq, zone, ct) });
            // The e-mail still waiting grows with this message; if it has gone out meanwhile (or there was none), a new one
            // starts after the last e-mailed message.
            var grown = false;
            if (receipt.EmailId is { } waiting)
            {
                var email = await Render(receipt.EmailFromSeq);
                grown = await db.OutboxEmails.Where(e => e.Id == waiting && e.Status == LeaseStatus.Pending)
                    .ExecuteUpdateAsync(s => s.SetProperty(e => e.Subject, email.Subject).SetProperty(e => e.HtmlBody, email.Html).SetProperty(e => e.TextBody, email.Text), ct) == 1;
            }
            if (!grown)
            {
                var from = Math.Max(receipt.EmailedSeq, receipt.DeliveredSeq) + 1;
                var email = await Render(from);
                var row = new EmailOutbox(db).Enqueue(new EmailDraft([user.Email], email.Subject, email.Html, email.Text, ticket.Id));
                row.NextAttemptAt = row.CreatedAt + Delay;
                await db.SaveChangesAsync(ct);
                receipt.EmailId = row.Id;
                receipt.EmailFromSeq = from;
            }
            receipt.EmailedSeq = message.Seq;
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A portal user's screen received the messages up to <paramref name="seq"/>: the e-mail waiting for them is dropped when it has nothing more.</summary>
    public async Task Received(long ticketId, long userId, long seq, CancellationToken ct)
    {
        var receipt = await db.ChatReceipts.FirstOrDefaultAsync(r => r.TicketId == ticketId && r.UserId == userId, ct);
        if (receipt?.EmailId is not { } id || seq < receipt.EmailedSeq)
        {
            return;
        }
        await db.OutboxEmails.Where(e => e.Id == id && e.Status == LeaseStatus.Pending).ExecuteDeleteAsync(ct);
        receipt.EmailId = null;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The others' messages from <paramref name="from"/> to <paramref name="to"/> (the last 50), escaped, with author and time.</summary>
    private async Task<string> MessagesHtml(long ticketId, long userId, long from, long to, TimeZoneInfo zone, CancellationToken ct)
    {
        var rows = await db.ChatMessages.AsNoTracking()
            .Where(m => m.TicketId == ticketId && m.Seq >= from && m.Seq <= to && m.AuthorId != userId)
            .OrderByDescending(m => m.Seq).Take(MaxMessages)
            .Select(m => new { m.Body, m.CreatedAt, Author = db.Users.Where(u => u.Id == m.AuthorId).Select(u => u.Name).FirstOrDefault() })
            .ToListAsync(ct);
        return string.Concat(rows.AsEnumerable().Reverse().Select(m =>
            $"<p><strong>{WebUtility.HtmlEncode(m.Author)}</strong> ({TimeZoneInfo.ConvertTime(m.CreatedAt, zone).ToString("dd/MM/yyyy HH:mm", PtBr)}):<br>"
            + WebUtility.HtmlEncode(m.Body).Replace("\n", "<br>", StringComparison.Ordinal) + "</p>"));
    }
}
