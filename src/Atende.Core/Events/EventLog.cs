using System.Security.Cryptography;
using Atende.Core.Common;
using Atende.Core.Conversations;
using Atende.Core.Data;
using Atende.Core.Partners;
using Atende.Core.Queue;
using Atende.Core.Sales;
using Atende.Core.Tickets;
using Atende.Core.Webhooks;

namespace Atende.Core.Events;

/// <summary>How a resource looks in an event's data: exactly as its API GET answers (the API layer implements it with its own DTOs).</summary>
public interface IResourceJson
{
    string Ticket(Ticket ticket);
    string Interaction(long ticketId, InteractionRow interaction);
    string Partner(Partner partner);
    string Conversation(Conversation conversation, IEnumerable<ConversationAttachmentRow> attachments);
    string Quote(Quote quote, QuoteVersion version);
    /// <summary>A purchase with its items.</summary>
    string Purchase(Purchase purchase);
    /// <summary>A ticket as the portal's request (<c>/api/v1/portal/requests/{id}</c> without its messages).</summary>
    string PortalRequest(Ticket ticket);
    /// <summary>A chat message as <c>GET /api/v1/tickets/{id}/chat</c> lists it.</summary>
    string ChatMessage(Chat.ChatMessageRow message);
}

/// <summary>Which resource an event is about, and where it lives (for visibility of feeds).</summary>
/// <param name="Ticket">The ticket as the visibility rule needs it, for the live screens (events about a ticket only).</param>
public sealed record EventSubject(long? TicketId = null, long? PartnerId = null, long? ConversationId = null, long? WorkspaceId = null, long? PipelineId = null,
    Live.TicketScope? Ticket = null)
{
    public static EventSubject Of(Ticket t) => new(t.Id, t.PartnerId, null, t.WorkspaceId, t.PipelineId, Live.TicketScope.Of(t));
    public static EventSubject Of(Partner p) => new(null, p.Id, null, p.WorkspaceId);
    public static EventSubject Of(Conversation c) => new(c.TicketId, c.PartnerId, c.Id, c.WorkspaceId);
}

/// <summary>
/// Where every reaction to a change hangs off. The per-event methods of the services (e.g. <c>TicketService.StatusChanged</c>)
/// write their history row, e-mail and notice, then call <see cref="Raise"/>, which adds — on the caller's context, so they
/// commit or roll back with the change — the event row (the feed live screens and portal notices read), one webhook
/// delivery per active endpoint subscribed to the type, and, for an event about a ticket, the live note the open screens get
/// once it commits (<see cref="AfterCommit.Publish"/>). A new reaction to every event is one line here.
/// </summary>
public sealed class EventLog(AtendeDb db, IResourceJson json, WebhookSubscriptions subscriptions)
{
    public IResourceJson Json => json;

    public async Task<RaisedEvent> Raise(string type, EventSubject subject, string data, long? actorId, CancellationToken ct)
    {
        var raised = Add(type, subject, data, actorId);
        if (subject.Ticket is { } ticket)
        {
            // A chat message goes out whole (it is small and every screen shows it); other events only name the change.
            AfterCommit.Publish(db, new Live.LiveNote(Live.LiveKind.Event, type, ticket, actorId, At: raised.At,
                Data: type == EventTypes.ChatMessagePosted ? data : null));
        }
        foreach (var subscription in await subscriptions.Active(db, ct))
        {
            if (subscription.Takes(type))
            {
                Deliver(raised, subscription.EndpointId);
            }
        }
        return raised;
    }

    /// <summary>"Enviar evento de teste": an event of type <c>webhook.test</c> for this endpoint only.</summary>
    public RaisedEvent RaiseTest(WebhookEndpoint endpoint, long actorId)
    {
        var data = System.Text.Json.JsonSerializer.Serialize(new { endpointId = endpoint.Id, message = "Evento de teste do Atende." });
        var raised = Add(EventTypes.WebhookTest, new EventSubject(), data, actorId);
        Deliver(raised, endpoint.Id);
        return raised;
    }

    private RaisedEvent Add(string type, EventSubject subject, string data, long? actorId)
    {
        var raised = new RaisedEvent
        {
            Type = type, At = Clock.Now(), ActorId = actorId, TicketId = subject.TicketId, PartnerId = subject.PartnerId,
            ConversationId = subject.ConversationId, WorkspaceId = subject.WorkspaceId, PipelineId = subject.PipelineId,
            MessageId = "msg_" + RandomNumberGenerator.GetHexString(26, lowercase: true), Data = data,
        };
        db.Events.Add(raised);
        return raised;
    }

    private void Deliver(RaisedEvent raised, long endpointId)
    {
        db.WebhookDeliveries.Add(new WebhookDelivery { Event = raised, EndpointId = endpointId, CreatedAt = raised.At, NextAttemptAt = raised.At });
        AfterCommit.Mark(db, QueueKind.Webhooks);
    }
}
