using System.Text.Json;
using Atende.Core.Conversations;
using Atende.Core.Events;
using Atende.Core.Partners;
using Atende.Core.Sales;
using Atende.Core.Tickets;
using Microsoft.Extensions.Options;

namespace Atende.Web.Api;

/// <summary>An event's data as the API's GET answers the resource: the same DTOs, written with the same JSON options.</summary>
public sealed class ResourceJson(IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> options) : IResourceJson
{
    private JsonSerializerOptions Json => options.Value.SerializerOptions;

    public string Ticket(Ticket ticket) => JsonSerializer.Serialize(TicketsApi.ToDto(ticket), Json);

    public string Interaction(long ticketId, InteractionRow interaction) => JsonSerializer.Serialize(TicketsApi.ToDto(ticketId, interaction), Json);

    public string Partner(Partner partner) => JsonSerializer.Serialize(PartnersApi.ToDto(partner), Json);

    public string Conversation(Conversation conversation, IEnumerable<ConversationAttachmentRow> attachments) =>
        JsonSerializer.Serialize(ConversationsApi.ToDto(conversation, attachments), Json);

    public string Quote(Quote quote, QuoteVersion version) => JsonSerializer.Serialize(QuotesApi.ToDto(quote, version), Json);

    public string Purchase(Purchase purchase) => JsonSerializer.Serialize(PurchasesApi.ToDto(purchase), Json);

    public string PortalRequest(Ticket ticket) => JsonSerializer.Serialize(PortalApi.ToDto(ticket), Json);

    public string ChatMessage(Atende.Core.Chat.ChatMessageRow message) => JsonSerializer.Serialize(ChatMessageDto.Of(message), Json);
}
