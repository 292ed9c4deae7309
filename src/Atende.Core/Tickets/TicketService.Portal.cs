using System.Globalization;
using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Email;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Tickets;

// What the customer portal does to tickets, for a Portal caller: open a request, write on one, reopen one. Portal.PortalService
// checks the portal's rules (settings, scope, form) first; here the change is made with the same history, events and e-mails
// as a staff change, in one transaction.
public sealed partial class TicketService
{
    /// <summary>
    /// "Novo contato": a ticket of the portal's pipeline whose requester is the caller's partner (and contact), the message its
    /// first public interaction with the files. The caller gets the confirmation e-mail; the assignee, or else the account
    /// manager, a notice in the app and the portal-message e-mail. Raises ticket.created, ticket.interaction_added and
    /// portal.request_created.
    /// </summary>
    internal async Task<Ticket> OpenFromPortal(long pipelineId, TicketInput input, string messageHtml, IReadOnlyCollection<long> fileIds, CancellationToken ct)
    {
        var alias = await db.Pipelines.Where(p => p.Id == pipelineId).Select(p => p.Alias).FirstAsync(ct);
        var now = Clock.Now();
        var ticket = new Ticket
        {
            PipelineId = pipelineId, Status = TicketStatus.Open, CreatedAt = now, UpdatedAt = now, EditedAt = now, CreatedById = caller.UserId,
            Version = 1, Origin = TicketOrigin.Portal,
        };
        var resolved = await Apply(ticket, input, creating: true, ct);
        await using var tx = await UnitOfWork.Begin(db.Database, ct);
        ticket.Number = await NextNumber(alias, ct);
        ticket.Reference = alias + "-" + ticket.Number.ToString(CultureInfo.InvariantCulture);
        ticket.SearchText = BuildSearchText(ticket, resolved.PartnerName);
        db.Tickets.Add(ticket);
        await db.SaveChangesAsync(ct);
        await Created(ticket, ct);
        await PortalMessage(ticket, messageHtml, fileIds, $"Novo pedido pelo portal {ticket.Reference}: {ticket.Title}", ct);
        await PortalRequestOpened(ticket, ct);
        await db.SaveChangesAsync(ct);
        await tx.Commit(ct);
        return ticket;
    }

    /// <summary>
    /// A portal user's message on a request they see (known visible): a public interaction by them with its files; with
    /// <paramref name="reopen"/> a finished request becomes Reaberto in the same transaction (status e-mail, history, event).
    /// </summary>
    internal async Task<Interaction> AddPortalMessage(long ticketId, string messageHtml, IReadOnlyCollection<long> fileIds, bool reopen, CancellationToken ct)
    {
        // With its tags: a reopen raises ticket.status_changed with the ticket as its GET answers it.
        var ticket = await db.Tickets.Include(t => t.Tags).FirstAsync(t => t.Id == ticketId, ct);
        await using var tx = await UnitOfWork.Begin(db.Database, ct);
        if (reopen)
        {
            var from = ticket.Status;
            ticket.Status = TicketStatus.Reopened;
            Touch(ticket);
            await StatusChanged(ticket, from, ct);
        }
        var interaction = await PortalMessage(ticket, messageHtml, fileIds,
            reopen ? $"{caller.Name} reabriu pelo portal {ticket.Reference}: {ticket.Title}" : $"Nova mensagem pelo portal em {ticket.Reference}: {ticket.Title}", ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new StaleVersionException("Este pedido acabou de ser alterado pela equipe. Recarregue a página e envie a mensagem de novo.");
        }
        await tx.Commit(ct);
        return interaction;
    }

    /// <summary>The portal user's message as a public interaction with its files; the assignee (else the account manager) is told.</summary>
    private async Task<Interaction> PortalMessage(Ticket ticket, string messageHtml, IReadOnlyCollection<long> fileIds, string notice, CancellationToken ct)
    {
        var interaction = new Interaction { TicketId = ticket.Id, Body = messageHtml, AuthorId = caller.UserId, CreatedAt = Clock.Now() };
        db.Interactions.Add(interaction);
        ticket.UpdatedAt = interaction.CreatedAt;
        await db.SaveChangesAsync(ct);
        await AttachStoredFiles(ticket.Id, interaction.Id, fileIds, ct);
        await PortalMessageAdded(ticket, interaction, fileIds.Distinct().ToList(), notice, ct);
        return interaction;
    }

    /// <summary>The portal-message e-mail to the staff user told of a portal message (nothing when e-mail or the template is off).</summary>
    private async Task EmailStaff(Ticket ticket, long staffId, string messageHtml, CancellationToken ct)
    {
        if (await SmtpBlock(ct) is not null)
        {
            return;
        }
        var template = await EmailTemplateService.ForEmail(db, EmailTemplatePurpose.PortalMessage, ct);
        var address = await db.Users.Where(u => u.Id == staffId && u.Active).Select(u => u.Email).FirstOrDefaultAsync(ct);
        if (template.Active && !string.IsNullOrWhiteSpace(address))
        {
            await Enqueue(ticket, template, address, messageHtml, null, ct);
        }
    }

    /// <summary>The confirmation of a new request to the portal user who opened it, with the link to it in the portal.</summary>
    private async Task EmailPortalUser(Ticket ticket, CancellationToken ct)
    {
        if (await SmtpBlock(ct) is not null)
        {
            return;
        }
        var template = await EmailTemplateService.ForEmail(db, EmailTemplatePurpose.PortalRequestReceived, ct);
        var user = await db.Users.Where(u => u.Id == caller.UserId).Select(u => new { u.Email, u.Name }).FirstAsync(ct);
        if (!template.Active || string.IsNullOrWhiteSpace(user.Email))
        {
            return;
        }
        var publicUrl = await db.CompanyProfiles.Select(c => c.PublicUrl).FirstOrDefaultAsync(ct);
        var values = await ValuesFor(ticket, ct) with { Link = (links ?? new PublicLinks(null)).PortalRequest(ticket.Id, publicUrl), ContactName = user.Name };
        var email = Placeholders.Render(template.Subject, template.Body, values);
        new EmailOutbox(db).Enqueue(new EmailDraft([user.Email], email.Subject, email.Html, email.Text, ticket.Id, null));
    }
}
