namespace Atende.Core.Conversations;

/// <summary>What a user fills in the conversation form (or sends to the API).</summary>
public sealed class ConversationInput
{
    public long? PartnerId { get; set; }
    public long? ChannelId { get; set; }
    public long? OpportunityTypeId { get; set; }
    public string? Subject { get; set; }
    public string? Description { get; set; }
    /// <summary>Null: the caller.</summary>
    public long? SellerId { get; set; }
    /// <summary>Null: now.</summary>
    public DateTimeOffset? At { get; set; }
    public long? TicketId { get; set; }
    /// <summary>A ticket typed by its reference ("ATD-12") instead of <see cref="TicketId"/>; empty: no ticket.</summary>
    public string? TicketReference { get; set; }
}

/// <summary>Filters of the conversation list (API); all optional.</summary>
public sealed record ConversationFilter(long? PartnerId = null, long? SellerId = null, bool? Concluded = null, DateTimeOffset? From = null, DateTimeOffset? To = null,
    long? TicketId = null);

/// <summary>A conversation as lists show it.</summary>
public sealed record ConversationRow(
    long Id, long PartnerId, string PartnerName, long ChannelId, string ChannelName, long OpportunityTypeId, string OpportunityTypeName,
    string Subject, long SellerId, string SellerName, DateTimeOffset At, bool Concluded, long? TicketId, string? TicketReference);

/// <summary>One conversation with the names its page shows.</summary>
public sealed record ConversationDetails(
    Conversation Conversation, string PartnerName, string WorkspaceName, string ChannelName, string OpportunityTypeName, string SellerName,
    string? TicketReference, string? TicketTitle);

/// <summary>What the agenda shows, in a visible range [Start, End).</summary>
public sealed record AgendaFilter(DateTimeOffset Start, DateTimeOffset End, long? SellerId = null, long? ChannelId = null, long? OpportunityTypeId = null, int Limit = ConversationService.MaxAgendaEvents);

/// <summary>A conversation on the agenda.</summary>
public sealed record AgendaEvent(
    long Id, DateTimeOffset At, string Subject, long PartnerId, string PartnerName, long ChannelId, long OpportunityTypeId, long SellerId,
    bool Concluded, int Version);

/// <summary>The agenda's events; <see cref="Truncated"/> when the range held more than the limit (the first ones by date are given).</summary>
public sealed record AgendaEvents(IReadOnlyList<AgendaEvent> Items, bool Truncated);

/// <summary>A partner of the agenda's side list "sem conversa a partir de hoje".</summary>
public sealed record PartnerToCall(long Id, string Name, string Code, long WorkspaceId, string WorkspaceName, DateTimeOffset? LastConversationAt);

/// <summary>A file of a conversation as its page and the API list it.</summary>
public sealed record ConversationAttachmentRow(long Id, string FileName, string ContentType, long Size, DateTimeOffset CreatedAt, string? UploadedBy);
