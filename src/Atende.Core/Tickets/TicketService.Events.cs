using Atende.Core.Email;
using Atende.Core.Events;
using Atende.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Tickets;

// The ticket events. Each change others react to is raised by exactly one method here, called inside the change's
// transaction before it is saved: it writes the history row, the e-mail and the in-app notice when one is due, and hands
// the event to EventLog (the event feed and the webhook deliveries). Pages, the API and the reply poller all come here.
public sealed partial class TicketService
{
    /// <summary>ticket.created: the history's first row. The ticket has its id (saved) in the open transaction.</summary>
    private async Task Created(Ticket ticket, CancellationToken ct)
    {
        Record(ticket.Id, new("created", null, ticket.Reference));
        await Raise(ticket, EventTypes.TicketCreated, ct);
    }

    /// <summary>ticket.updated: fields of the form, tags, files, archive and trash; one history row per change.</summary>
    private async Task Changed(Ticket ticket, IEnumerable<FieldChange> changes, CancellationToken ct)
    {
        foreach (var change in changes)
        {
            Record(ticket.Id, change);
        }
        await Raise(ticket, EventTypes.TicketUpdated, ct);
    }

    /// <summary>ticket.status_changed (from the form, the status action, reopening): the requester's contact is e-mailed.</summary>
    private async Task<EmailOutcome> StatusChanged(Ticket ticket, TicketStatus from, CancellationToken ct)
    {
        Record(ticket.Id, new("status", StatusName(from), StatusName(ticket.Status), from.ToString(), ticket.Status.ToString()));
        var email = await EmailStatus(ticket, ct);
        await Raise(ticket, EventTypes.TicketStatusChanged, ct);
        return email;
    }

    /// <summary>ticket.moved to another pipeline.</summary>
    private async Task Moved(Ticket ticket, long fromPipelineId, string fromPipeline, string toPipeline, CancellationToken ct)
    {
        Record(ticket.Id, new("pipeline", fromPipeline, toPipeline, IdCode(fromPipelineId), IdCode(ticket.PipelineId)));
        await Raise(ticket, EventTypes.TicketMoved, ct);
    }

    /// <summary>
    /// ticket.interaction_added, by staff or by a reply to an e-mail (the interaction and its files are saved): with Notify the
    /// requester's contact gets it by e-mail with its files; with <paramref name="assigneeNotice"/> the assignee is told in the app.
    /// </summary>
    private async Task<EmailOutcome?> InteractionAdded(Ticket ticket, Interaction interaction, IReadOnlyList<long> fileIds, string? assigneeNotice,
        CancellationToken ct)
    {
        var email = interaction.Notify ? await EmailContact(ticket, EmailTemplatePurpose.Interaction, interaction.Body, fileIds, ct) : null;
        if (assigneeNotice is not null && ticket.AssigneeId is { } assignee && assignee != interaction.AuthorId && await Visibility.UserSees(db, assignee, ticket, ct))
        {
            Notifications.NotificationService.Add(db, new Notifications.Notification { UserId = assignee, TicketId = ticket.Id, Text = assigneeNotice, CreatedAt = interaction.CreatedAt });
        }
        var row = (await InteractionRows(db.Interactions.AsNoTracking().Where(i => i.Id == interaction.Id),
            await AttachmentRows(ticket.Id, ct, interaction.Id), ct)).Single();
        await events.Raise(EventTypes.TicketInteractionAdded, EventSubject.Of(ticket), events.Json.Interaction(ticket.Id, row), interaction.AuthorId, ct);
        return email;
    }

    /// <summary>portal.request_created (after ticket.created and the message's interaction): the customer's confirmation e-mail.</summary>
    private async Task PortalRequestOpened(Ticket ticket, CancellationToken ct)
    {
        await EmailPortalUser(ticket, ct);
        await events.Raise(EventTypes.PortalRequestCreated, EventSubject.Of(ticket), events.Json.PortalRequest(ticket), caller.UserId, ct);
    }

    /// <summary>
    /// ticket.interaction_added for a portal user's message (saved with its files): raised like any interaction, and the
    /// assignee — else the account manager — who sees the ticket gets <paramref name="notice"/> in the app and the
    /// "Mensagem do portal" e-mail.
    /// </summary>
    private async Task PortalMessageAdded(Ticket ticket, Interaction interaction, IReadOnlyList<long> fileIds, string notice, CancellationToken ct)
    {
        await InteractionAdded(ticket, interaction, fileIds, assigneeNotice: null, ct);
        if ((ticket.AssigneeId ?? ticket.AccountManagerId) is { } staffId && await Visibility.UserSees(db, staffId, ticket, ct))
        {
            Notifications.NotificationService.Add(db, new Notifications.Notification { UserId = staffId, TicketId = ticket.Id, Text = notice, CreatedAt = interaction.CreatedAt });
            await EmailStaff(ticket, staffId, interaction.Body, ct);
        }
    }

    /// <summary>Notificar: the assignee hears of a new ticket in the app and by e-mail (no webhook event: nothing in the ticket changed).</summary>
    private async Task<EmailOutcome> AssigneeNotified(Ticket ticket, CancellationToken ct)
    {
        Record(ticket.Id, new("notified", null, ticket.AssigneeId is { } a ? await db.Users.Where(u => u.Id == a).Select(u => u.Name).FirstAsync(ct) : null,
            null, IdCode(ticket.AssigneeId)));
        if (ticket.AssigneeId is { } assigneeId && assigneeId != caller.UserId && await Visibility.UserSees(db, assigneeId, ticket, ct))
        {
            Notifications.NotificationService.Add(db, new Notifications.Notification
            {
                UserId = assigneeId, TicketId = ticket.Id, FromUserId = caller.UserId, CreatedAt = ticket.NotifiedAt ?? Common.Clock.Now(),
                Text = $"Novo atendimento {ticket.Reference}: {ticket.Title}",
            });
        }
        return await EmailAssignee(ticket, ct);
    }

    /// <summary>
    /// A reply by e-mail (the reply poller has matched it to this ticket and stored its files): saved as a public interaction with
    /// those files and raised like any other; the assignee gets <paramref name="assigneeNotice"/>.
    /// </summary>
    internal async Task AddReply(Ticket ticket, Interaction interaction, IReadOnlyList<long> fileIds, string assigneeNotice, CancellationToken ct)
    {
        db.Interactions.Add(interaction);
        ticket.UpdatedAt = interaction.CreatedAt;
        await db.SaveChangesAsync(ct);
        db.TicketAttachments.AddRange(fileIds.Select(f => new TicketAttachment { TicketId = ticket.Id, InteractionId = interaction.Id, FileId = f }));
        await db.SaveChangesAsync(ct);
        await InteractionAdded(ticket, interaction, fileIds, assigneeNotice, ct);
    }

    private async Task Raise(Ticket ticket, string type, CancellationToken ct) =>
        await events.Raise(type, EventSubject.Of(ticket), events.Json.Ticket(ticket), caller.UserId, ct);
}
