using Atende.Core.Data;
using Atende.Core.Email;
using Atende.Core.Identity;
using Atende.Core.Queue;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Tickets;

/// <summary>One e-mail of a ticket, as its timeline shows it.</summary>
public sealed record TicketEmailRow(long Id, string To, string Subject, DateTimeOffset CreatedAt, LeaseStatus Status, DateTimeOffset? SentAt, string? LastError)
{
    /// <summary>Na fila / Enviado / Falhou: short, for the badge.</summary>
    public string State => Status switch
    {
        LeaseStatus.Sent => "Enviado",
        LeaseStatus.Dead => "Falhou",
        _ => "Na fila",
    };

    /// <summary>Why it failed for good, or why its last attempt failed while it waits for the next; null when nothing went wrong.</summary>
    public string? Problem => Status switch
    {
        LeaseStatus.Sent => null,
        LeaseStatus.Dead => "Motivo: " + (LastError ?? "desconhecido"),
        _ when LastError is not null => "Nova tentativa em breve. Última falha: " + LastError,
        _ => null,
    };
}

// The ticket e-mails: written to the outbox on the caller's DbContext, so they commit (or roll back) with the change.
public sealed partial class TicketService
{
    /// <summary>The ticket's e-mails, oldest first, for a ticket the caller may see.</summary>
    public async Task<List<TicketEmailRow>> Emails(long ticketId, CancellationToken ct = default)
    {
        await RequireVisible(ticketId, ct);
        return await EmailRows(ticketId, ct);
    }

    private Task<List<TicketEmailRow>> EmailRows(long ticketId, CancellationToken ct) =>
        db.OutboxEmails.AsNoTracking().Where(e => e.TicketId == ticketId).OrderBy(e => e.Id)
            .Select(e => new TicketEmailRow(e.Id, e.To, e.Subject, e.CreatedAt, e.Status, e.SentAt, e.LastError))
            .ToListAsync(ct);

    /// <summary>What is missing in the SMTP settings for any e-mail to be written (server, then sender address), or null when set.</summary>
    private Task<EmailBlock?> SmtpBlock(CancellationToken ct) => SmtpBlock(db, ct);

    /// <summary>What keeps any e-mail from being written now (no SMTP server or sender saved), or null.</summary>
    internal static async Task<EmailBlock?> SmtpBlock(AtendeDb db, CancellationToken ct)
    {
        var smtp = await db.SmtpSettings.AsNoTracking().Select(s => new { s.Host, s.FromAddress }).FirstOrDefaultAsync(ct);
        return SmtpBlock(smtp?.Host, smtp?.FromAddress);
    }

    /// <param name="host">The SMTP server, null without SMTP settings.</param>
    private static EmailBlock? SmtpBlock(string? host, string? fromAddress)
    {
        if (string.IsNullOrEmpty(host))
        {
            return new EmailBlock(EmailMissing.Smtp, TicketEmails.SmtpMissing);
        }
        return string.IsNullOrEmpty(fromAddress) ? new EmailBlock(EmailMissing.Sender, TicketEmails.SenderMissing) : null;
    }

    /// <summary>
    /// Why "Salvar e notificar" on a ticket the caller may see could not e-mail its contact right now, or null when it could:
    /// the page says so next to the button instead of letting the user find out after saving.
    /// </summary>
    public async Task<EmailBlock?> NotifyBlock(long ticketId, CancellationToken ct = default) => await NotifyBlock(await Get(ticketId, ct), ct);

    /// <inheritdoc cref="NotifyBlock(long, CancellationToken)"/>
    /// <param name="visible">A ticket read by <see cref="Get"/>.</param>
    public async Task<EmailBlock?> NotifyBlock(Ticket visible, CancellationToken ct = default) =>
        (await ContactRecipient(visible, EmailTemplatePurpose.Interaction, ct)).Block;

    /// <summary>The values of the template placeholders for a ticket the caller may see (previews, templates put into interactions).</summary>
    public async Task<TemplateValues> TemplateValues(long ticketId, CancellationToken ct = default) => await ValuesFor(await Get(ticketId, ct), ct);

    /// <summary>The placeholders' values for <paramref name="ticket"/> as it is in memory (a change being saved included).</summary>
    private Task<TemplateValues> ValuesFor(Ticket ticket, CancellationToken ct) => ValuesFor(db, links, ticket, caller.Name, ct);

    /// <summary>The placeholders' values for <paramref name="ticket"/>, written by <paramref name="userName"/> (also for the chat's e-mail).</summary>
    internal static async Task<TemplateValues> ValuesFor(AtendeDb db, PublicLinks? links, Ticket ticket, string userName, CancellationToken ct)
    {
        var contact = ticket.ContactId is { } contactId ? await db.Contacts.AsNoTracking().Where(c => c.Id == contactId).Select(c => c.Name).FirstOrDefaultAsync(ct) : null;
        var partner = await db.Partners.AsNoTracking().Where(p => p.Id == ticket.PartnerId).Select(p => p.Name).FirstOrDefaultAsync(ct);
        var assignee = ticket.AssigneeId is { } assigneeId ? await db.Users.AsNoTracking().Where(u => u.Id == assigneeId).Select(u => u.Name).FirstOrDefaultAsync(ct) : null;
        var company = await db.CompanyProfiles.AsNoTracking().Select(c => new { c.Name, c.PublicUrl }).FirstOrDefaultAsync(ct);
        return new TemplateValues(contact ?? ticket.RequesterName, partner ?? "", ticket.Reference, ticket.Title, StatusName(ticket.Status), assignee ?? "",
            (links ?? new PublicLinks(null)).Ticket(ticket.Id, company?.PublicUrl), company?.Name ?? "", userName);
    }

    /// <summary>
    /// Writes the e-mail of the automatic template <paramref name="purpose"/> to the ticket's contact (primary address), or says
    /// why not: e-mail not configured, template deactivated, no contact or no address.
    /// </summary>
    /// <param name="interactionHtml">The sanitized interaction, for "Salvar e notificar".</param>
    private async Task<EmailOutcome> EmailContact(Ticket ticket, EmailTemplatePurpose purpose, string? interactionHtml, IReadOnlyList<long>? fileIds,
        CancellationToken ct)
    {
        var (block, address) = await ContactRecipient(ticket, purpose, ct);
        return block is not null
            ? EmailOutcome.Skipped(block)
            : await Enqueue(ticket, await EmailTemplateService.ForEmail(db, purpose, ct), address!, interactionHtml, fileIds, ct);
    }

    /// <summary>
    /// The contact's first address for an e-mail of <paramref name="purpose"/> to the ticket's contact, or what is missing
    /// (e-mail not configured, template deactivated, no contact or no address), read in one statement (the page asks on
    /// every view): the SMTP settings' row with the template's and the contact's columns beside it.
    /// </summary>
    private async Task<(EmailBlock? Block, string? Address)> ContactRecipient(Ticket ticket, EmailTemplatePurpose purpose, CancellationToken ct)
    {
        var contactId = ticket.ContactId;
        var template = db.EmailTemplates.Where(t => t.Purpose == purpose);
        var contact = db.Contacts.Where(c => c.Id == contactId);
        // One column per subquery: SQLite has no APPLY for a subquery's several columns.
        var read = await db.SmtpSettings.AsNoTracking()
            .Select(s => new
            {
                s.Host,
                s.FromAddress,
                TemplateId = template.Select(t => (long?)t.Id).FirstOrDefault(),
                TemplateName = template.Select(t => t.Name).FirstOrDefault(),
                TemplateActive = template.Select(t => (bool?)t.Active).FirstOrDefault(),
                ContactId = contact.Select(c => (long?)c.Id).FirstOrDefault(),
                ContactPartnerId = contact.Select(c => (long?)c.PartnerId).FirstOrDefault(),
                ContactName = contact.Select(c => c.Name).FirstOrDefault(),
                Address = db.ContactEmails.Where(e => e.ContactId == contactId).OrderBy(e => e.Position).ThenBy(e => e.Id).Select(e => e.Address).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        if (SmtpBlock(read?.Host, read?.FromAddress) is { } smtp)
        {
            return (smtp, null);
        }
        // No template row: the standard one, active.
        if (read!.TemplateActive == false)
        {
            return (new EmailBlock(EmailMissing.Template, TicketEmails.TemplateInactive(read.TemplateName!), read.TemplateId), null);
        }
        if (read.ContactId is not { } foundContactId)
        {
            return (new EmailBlock(EmailMissing.Contact, TicketEmails.NoContact, ticket.Id), null);
        }
        if (string.IsNullOrWhiteSpace(read.Address))
        {
            return (new EmailBlock(EmailMissing.ContactEmail, TicketEmails.ContactWithoutEmail(read.ContactName!), foundContactId, read.ContactPartnerId), null);
        }
        return (null, read.Address);
    }

    private Task<EmailOutcome> EmailStatus(Ticket ticket, CancellationToken ct) => EmailContact(ticket, EmailTemplatePurpose.StatusChanged, null, null, ct);

    /// <summary>Notificar: the assignee's e-mail, with the link to the ticket.</summary>
    private async Task<EmailOutcome> EmailAssignee(Ticket ticket, CancellationToken ct)
    {
        if (await SmtpBlock(ct) is { } smtp)
        {
            return EmailOutcome.Skipped(smtp);
        }
        var template = await EmailTemplateService.ForEmail(db, EmailTemplatePurpose.Assigned, ct);
        if (!template.Active)
        {
            return EmailOutcome.Skipped(new EmailBlock(EmailMissing.Template, TicketEmails.TemplateInactive(template.Name), template.Id));
        }
        if (ticket.AssigneeId is not { } assigneeId)
        {
            return EmailOutcome.Skipped(new EmailBlock(EmailMissing.Assignee, TicketEmails.NoAssignee, ticket.Id));
        }
        var assignee = await db.Users.AsNoTracking().Where(u => u.Id == assigneeId).Select(u => new { u.Name, u.Email }).FirstAsync(ct);
        if (!await Visibility.UserSees(db, assigneeId, ticket, ct))
        {
            return EmailOutcome.Skipped(new EmailBlock(EmailMissing.Assignee, TicketEmails.AssigneeWithoutAccess(assignee.Name), ticket.Id));
        }
        if (string.IsNullOrWhiteSpace(assignee.Email))
        {
            return EmailOutcome.Skipped(new EmailBlock(EmailMissing.AssigneeEmail, TicketEmails.AssigneeWithoutEmail(assignee.Name), assigneeId));
        }
        return await Enqueue(ticket, template, assignee.Email, null, null, ct);
    }

    /// <summary>Fills the template in with the ticket's values and adds the e-mail to the outbox, on this context (same transaction).</summary>
    private async Task<EmailOutcome> Enqueue(Ticket ticket, EmailTemplate template, string address, string? interactionHtml, IReadOnlyList<long>? fileIds,
        CancellationToken ct)
    {
        var values = await ValuesFor(ticket, ct) with { InteractionHtml = interactionHtml };
        var email = Placeholders.Render(template.Subject, template.Body, values);
        return EmailOutcome.Queued(new EmailOutbox(db).Enqueue(new EmailDraft([address], email.Subject, email.Html, email.Text, ticket.Id, fileIds)));
    }
}
