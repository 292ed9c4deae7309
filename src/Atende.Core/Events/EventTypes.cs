namespace Atende.Core.Events;

/// <summary>The events a webhook may subscribe to (DESIGN, API contract), with what each means in pt-BR for the settings page.</summary>
public static class EventTypes
{
    public const string TicketCreated = "ticket.created";
    public const string TicketUpdated = "ticket.updated";
    public const string TicketStatusChanged = "ticket.status_changed";
    public const string TicketMoved = "ticket.moved";
    public const string TicketInteractionAdded = "ticket.interaction_added";
    public const string PartnerCreated = "partner.created";
    public const string PartnerUpdated = "partner.updated";
    public const string ConversationCreated = "conversation.created";
    public const string ConversationConcluded = "conversation.concluded";
    public const string QuoteCreated = "quote.created";
    public const string QuoteSent = "quote.sent";
    public const string QuoteApproved = "quote.approved";
    public const string QuoteRejected = "quote.rejected";
    public const string PurchaseCreated = "purchase.created";
    public const string PortalRequestCreated = "portal.request_created";
    public const string ChatMessagePosted = "chat.message_posted";
    /// <summary>"Enviar evento de teste": sent to one endpoint only, never subscribed to.</summary>
    public const string WebhookTest = "webhook.test";

    public static readonly IReadOnlyList<(string Type, string Label)> Subscribable =
    [
        (TicketCreated, "Atendimento criado"),
        (TicketUpdated, "Atendimento alterado (campos, etiquetas, arquivo, lixeira)"),
        (TicketStatusChanged, "Situação do atendimento alterada"),
        (TicketMoved, "Atendimento movido para outro fluxo"),
        (TicketInteractionAdded, "Interação registrada (também respostas por e-mail)"),
        (PartnerCreated, "Parceiro cadastrado"),
        (PartnerUpdated, "Parceiro alterado"),
        (ConversationCreated, "Conversa registrada"),
        (ConversationConcluded, "Conversa concluída"),
        (QuoteCreated, "Orçamento criado"),
        (QuoteSent, "Orçamento enviado ao cliente"),
        (QuoteApproved, "Orçamento aprovado (venda)"),
        (QuoteRejected, "Orçamento rejeitado"),
        (PurchaseCreated, "Compra registrada"),
        (PortalRequestCreated, "Pedido aberto no portal (Fale Conosco)"),
        (ChatMessagePosted, "Mensagem no chat de um atendimento"),
    ];

    public static bool IsSubscribable(string type) => Subscribable.Any(s => s.Type == type);
}
