namespace Atende.Core.Conversations;

/// <summary>Conversa: one logged or scheduled contact with a partner. Read-only once concluded.</summary>
public class Conversation
{
    public long Id { get; set; }
    public long PartnerId { get; set; }
    /// <summary>The partner's workspace, kept here (and moved with the partner) so the agenda is scoped without a join.</summary>
    public long WorkspaceId { get; set; }
    /// <summary>The partner's name, kept here (and renamed with the partner) so the agenda draws its events without a join.</summary>
    public string PartnerName { get; set; } = "";
    public long ChannelId { get; set; }
    public long OpportunityTypeId { get; set; }
    public string Subject { get; set; } = "";
    public string Description { get; set; } = "";
    /// <summary>Nome do vendedor: the staff user who talks (or talked) to the partner.</summary>
    public long SellerId { get; set; }
    /// <summary>When it happens or happened.</summary>
    public DateTimeOffset At { get; set; }
    /// <summary>"Concluir e salvar": from then on nothing changes, attachments included.</summary>
    public bool Concluded { get; set; }
    public DateTimeOffset? ConcludedAt { get; set; }
    /// <summary>Optional link to a ticket (atendimento) of the same partner.</summary>
    public long? TicketId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public long CreatedById { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public long? UpdatedById { get; set; }
    public int Version { get; set; }
}

/// <summary>A file attached to a conversation; frozen (neither added nor removed) once the conversation is concluded.</summary>
public class ConversationAttachment
{
    public long Id { get; set; }
    public long ConversationId { get; set; }
    public long FileId { get; set; }
}
