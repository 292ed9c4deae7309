namespace Atende.Core.Tickets;

/// <summary>Situação. Stored as its number so the list sorts in workflow order.</summary>
public enum TicketStatus { Open, Reopened, Analyzing, Waiting, Canceled, Rejected, Done }

/// <summary>Where a ticket sits: in the pipeline's list, archived, or in the trash (Lixeira).</summary>
public enum TicketBin { Active, Archived, Trash }

/// <summary>Where a ticket was opened: by staff (the form, the API, an e-mail) or by a customer in the portal.</summary>
public enum TicketOrigin { Staff, Portal }

/// <summary>Atendimento: a case in one pipeline.</summary>
public class Ticket
{
    public long Id { get; set; }
    public long PipelineId { get; set; }
    /// <summary>The requester partner's workspace, kept here so every list is scoped without a join.</summary>
    public long WorkspaceId { get; set; }
    /// <summary>ALIAS-n, unique and never reused; kept when the ticket moves to another pipeline.</summary>
    public string Reference { get; set; } = "";
    public long Number { get; set; }
    public string Title { get; set; } = "";
    public string? Description { get; set; }
    public long PartnerId { get; set; }
    public long? ContactId { get; set; }
    public long? CatalogItemId { get; set; }
    public decimal Value { get; set; }
    public long? AssigneeId { get; set; }
    public long? AccountManagerId { get; set; }
    public long? CategoryId { get; set; }
    public long? SubcategoryId { get; set; }
    public long? ChannelId { get; set; }
    public DateTimeOffset? DueAt { get; set; }
    public TicketStatus Status { get; set; }
    public TicketBin Bin { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public long CreatedById { get; set; }
    /// <summary>Portal: opened by <see cref="CreatedById"/>, a Portal user, in the portal's "Novo contato".</summary>
    public TicketOrigin Origin { get; set; }
    /// <summary>Última atualização: any activity (an edit, an interaction, a file, an e-mail received); the list sorts by it.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>When and by whom the last edit (a change that bumped <see cref="Version"/>) was made: what a stale save names.</summary>
    public DateTimeOffset EditedAt { get; set; }
    public long? EditedById { get; set; }
    /// <summary>True once anyone changed the ticket after creating it; "Notificar" is offered only before that.</summary>
    public bool Edited { get; set; }
    public DateTimeOffset? NotifiedAt { get; set; }
    /// <summary>Nome de Contato shown in the list: the contact's name, or the partner's when there is no contact.</summary>
    public string RequesterName { get; set; } = "";
    /// <summary>Sort keys: normalized (accent- and case-blind) title, requester name and assignee name.</summary>
    public string TitleSort { get; set; } = "";
    public string RequesterSort { get; set; } = "";
    /// <summary>The assignee's normalized name; "" without an assignee (the list reads those as a segment of their own, last).</summary>
    public string AssigneeSort { get; set; } = "";
    /// <summary>Normalized reference, title, requester and partner names: what the search box matches.</summary>
    public string SearchText { get; set; } = "";
    public int Version { get; set; }
    public List<TicketTag> Tags { get; set; } = [];
}

public class TicketTag
{
    public long TicketId { get; set; }
    public long TagId { get; set; }
}

/// <summary>Interação: a note on a ticket, internal or public, in sanitized HTML.</summary>
public class Interaction
{
    public long Id { get; set; }
    public long TicketId { get; set; }
    public string Body { get; set; } = "";
    public bool Internal { get; set; }
    /// <summary>The staff user who wrote it; null for a reply by e-mail from someone who is not a user (see <see cref="FromAddress"/>).</summary>
    public long? AuthorId { get; set; }
    /// <summary>For a reply by e-mail: the sender's address and name as the message gave them.</summary>
    public string? FromAddress { get; set; }
    public string? FromName { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The author asked for an e-mail copy to the requester ("Salvar e notificar").</summary>
    public bool Notify { get; set; }
}

/// <summary>One line of the ticket's Histórico: who changed which field when, old → new (as shown to users).</summary>
public class TicketChange
{
    public long Id { get; set; }
    public long TicketId { get; set; }
    public DateTimeOffset At { get; set; }
    public long? UserId { get; set; }
    /// <summary>What changed: a field name ("title", "status", "tags", …) or an action ("created", "moved", "archived", …).</summary>
    public string Field { get; set; } = "";
    public string? OldValue { get; set; }
    public string? NewValue { get; set; }
    /// <summary>
    /// The machine value beside the shown one, where the field has one: enum names ("Open"), ids ("12"; tags "3,5"), dates
    /// ISO 8601 in UTC, money with a dot ("1234.50"). Null for free text and on rows written before codes were kept.
    /// </summary>
    public string? OldCode { get; set; }
    public string? NewCode { get; set; }
}

/// <summary>A file on a ticket, optionally posted with one of its interactions.</summary>
public class TicketAttachment
{
    public long Id { get; set; }
    public long TicketId { get; set; }
    public long? InteractionId { get; set; }
    public long FileId { get; set; }
}
