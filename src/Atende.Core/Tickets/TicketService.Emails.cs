using Atende.Core.Email;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Tickets;

/// <summary>One e-mail of a ticket, as its timeline shows it.</summary>
public sealed record TicketEmailRow(long Id, string To, string Subject, DateTimeOffset CreatedAt, OutboxStatus Status, DateTimeOffset? SentAt, string? LastError)
{
    /// <summary>Na fila / Enviado / Falhou: motivo.</summary>
    public string State => Status switch
    {
        OutboxStatus.Sent => "Enviado",
        OutboxStatus.Dead => "Falhou: " + (LastError ?? "motivo desconhecido"),
        _ when LastError is not null => "Na fila (nova tentativa: " + LastError + ")",
        _ => "Na fila",
    };
}

// The ticket e-mails: written to the outbox on the caller's DbContext, so they commit (or roll back) with the change.
public sealed partial class TicketService
{
    /// <summary>The ticket's e-mails, oldest first, for a ticket the caller may see.</summary>
    public async Task<List<TicketEmailRow>> Emails(long ticketId, CancellationToken ct = default)
    {
        await RequireVisible(ticketId, ct);
        return await db.OutboxEmails.AsNoTracking().Where(e => e.TicketId == ticketId).OrderBy(e => e.Id)
            .Select(e => new TicketEmailRow(e.Id, e.To, e.Subject, e.CreatedAt, e.Status, e.SentAt, e.LastError))
            .ToListAsync(ct);
    }

    /// <summary>Whether the company e-mail (SMTP) is set: without it nothing is written to the outbox.</summary>
    public async Task<bool> EmailConfigured(CancellationToken ct = default) =>
        await db.SmtpSettings.AnyAsync(s => s.Host != "" && s.FromAddress != "", ct);

    /// <summary>Writes the e-mail <paramref name="draft"/> makes to the ticket's contact (primary address), or says why not.</summary>
    private async Task<EmailOutcome> EmailContact(Ticket ticket, Func<string, string, EmailDraft> draft, CancellationToken ct)
    {
        if (!await EmailConfigured(ct))
        {
            return EmailOutcome.Skipped(EmailSettingsService.NotConfigured);
        }
        if (ticket.ContactId is not { } contactId)
        {
            return EmailOutcome.Skipped(TicketEmails.NoContact);
        }
        var contact = await db.Contacts.AsNoTracking().Where(c => c.Id == contactId)
            .Select(c => new { c.Name, Address = c.Emails.OrderBy(e => e.Position).ThenBy(e => e.Id).Select(e => e.Address).FirstOrDefault() })
            .FirstOrDefaultAsync(ct);
        if (contact is null)
        {
            return EmailOutcome.Skipped(TicketEmails.NoContact);
        }
        if (string.IsNullOrWhiteSpace(contact.Address))
        {
            return EmailOutcome.Skipped(TicketEmails.ContactWithoutEmail(contact.Name));
        }
        return EmailOutcome.Queued(new EmailOutbox(db).Enqueue(draft(contact.Name, contact.Address)));
    }

    private Task<EmailOutcome> EmailStatus(Ticket ticket, CancellationToken ct) =>
        EmailContact(ticket, (name, address) => TicketEmails.StatusChanged(ticket, name, address), ct);

    /// <summary>Notificar: the assignee's e-mail, with the link to the ticket.</summary>
    private async Task<EmailOutcome> EmailAssignee(Ticket ticket, CancellationToken ct)
    {
        if (!await EmailConfigured(ct))
        {
            return EmailOutcome.Skipped(EmailSettingsService.NotConfigured);
        }
        if (ticket.AssigneeId is not { } assigneeId)
        {
            return EmailOutcome.Skipped(TicketEmails.NoAssignee);
        }
        var assignee = await db.Users.AsNoTracking().Where(u => u.Id == assigneeId).Select(u => new { u.Name, u.Email }).FirstAsync(ct);
        if (string.IsNullOrWhiteSpace(assignee.Email))
        {
            return EmailOutcome.Skipped(TicketEmails.AssigneeWithoutEmail(assignee.Name));
        }
        var from = await db.Users.AsNoTracking().Where(u => u.Id == caller.UserId).Select(u => u.Name).FirstOrDefaultAsync(ct);
        var link = (links ?? new PublicLinks("http://localhost")).Ticket(ticket.Id);
        return EmailOutcome.Queued(new EmailOutbox(db).Enqueue(TicketEmails.Assigned(ticket, assignee.Name, assignee.Email, link, from)));
    }
}
