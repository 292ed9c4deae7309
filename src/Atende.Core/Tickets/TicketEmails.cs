using System.Net;
using Atende.Core.Common;
using Atende.Core.Email;

namespace Atende.Core.Tickets;

/// <summary>
/// What became of the e-mail an action causes, apart from the action itself (which succeeded): written to the outbox in the
/// same transaction ("queued", with its outbox row), or not written at all and why ("skipped").
/// </summary>
public sealed class EmailOutcome
{
    private readonly OutboxEmail? _row;

    private EmailOutcome(OutboxEmail? row, string? reason)
    {
        _row = row;
        Reason = reason;
    }

    public static EmailOutcome Queued(OutboxEmail row) => new(row, null);

    public static EmailOutcome Skipped(string reason) => new(null, reason);

    public bool IsQueued => _row is not null;

    /// <summary>"queued" or "skipped" (the API's names).</summary>
    public string Status => IsQueued ? "queued" : "skipped";

    /// <summary>Why nothing was queued, in pt-BR; null when queued.</summary>
    public string? Reason { get; }

    /// <summary>The outbox row's id, known once the transaction saved it.</summary>
    public long? OutboxId => _row?.Id;

    public string Recipient => _row?.To ?? "";

    /// <summary>The line the UI shows next to the action's own message.</summary>
    public string Message => IsQueued ? $"E-mail na fila para {Recipient}." : $"Não foi possível enviar o e-mail: {Reason}";
}

/// <summary>Where the app is reached by users: <c>Atende:PublicUrl</c>, or else the address of the request at hand.</summary>
public sealed class PublicLinks(string baseUrl)
{
    public string Ticket(long id) => baseUrl.TrimEnd('/') + "/tickets/" + id;
}

/// <summary>
/// The texts of the ticket e-mails, kept together so editable templates (Modelos de e-mail) can replace them. Every value is
/// HTML-escaped in the HTML body; the subject starts with the bracketed reference ("[SUP-12]") that replies are matched on.
/// </summary>
public static class TicketEmails
{
    public const string NoContact = "o atendimento não tem contato do solicitante.";
    public const string NoAssignee = "o atendimento não tem responsável.";

    public static string ContactWithoutEmail(string name) => $"o contato {name} não tem e-mail cadastrado.";

    public static string AssigneeWithoutEmail(string name) => $"o responsável {name} não tem e-mail cadastrado.";

    public static string Tag(Ticket ticket) => $"[{ticket.Reference}]";

    public static EmailDraft StatusChanged(Ticket ticket, string contactName, string address)
    {
        var status = TicketService.StatusName(ticket.Status);
        var subject = $"{Tag(ticket)} {ticket.Title} — situação: {status}";
        var html = $"""
            <p>Olá, {E(contactName)}.</p>
            <p>A situação do seu atendimento <strong>{E(ticket.Reference)}</strong> — {E(ticket.Title)} mudou para <strong>{E(status)}</strong>.</p>
            <p>Para responder, basta responder a este e-mail mantendo {E(Tag(ticket))} no assunto.</p>
            """;
        var text = $"""
            Olá, {contactName}.

            A situação do seu atendimento {ticket.Reference} — {ticket.Title} mudou para {status}.

            Para responder, basta responder a este e-mail mantendo {Tag(ticket)} no assunto.
            """;
        return new EmailDraft([address], subject, html, text, ticket.Id);
    }

    public static EmailDraft Assigned(Ticket ticket, string assigneeName, string address, string link, string? fromName)
    {
        var subject = $"{Tag(ticket)} {ticket.Title} — novo atendimento para você";
        var by = fromName is null ? "" : $" por {fromName}";
        var html = $"""
            <p>Olá, {E(assigneeName)}.</p>
            <p>O atendimento <strong>{E(ticket.Reference)}</strong> — {E(ticket.Title)} foi atribuído a você{E(by)}.</p>
            <p>Solicitante: {E(ticket.RequesterName)}</p>
            <p><a href="{E(link)}">Abrir o atendimento</a></p>
            """;
        var text = $"""
            Olá, {assigneeName}.

            O atendimento {ticket.Reference} — {ticket.Title} foi atribuído a você{by}.
            Solicitante: {ticket.RequesterName}

            Abrir o atendimento: {link}
            """;
        return new EmailDraft([address], subject, html, text, ticket.Id);
    }

    /// <param name="sanitizedBody">The interaction's HTML, already sanitized (<see cref="RichText.Sanitize"/>).</param>
    public static EmailDraft Interaction(Ticket ticket, string contactName, string address, string sanitizedBody, string? authorName, IReadOnlyList<long> fileIds)
    {
        var subject = $"{Tag(ticket)} {ticket.Title}";
        var signature = authorName is null ? "" : $"<p>— {E(authorName)}</p>";
        var html = $"""
            <p>Olá, {E(contactName)}.</p>
            {sanitizedBody}
            {signature}
            <p style="color:#666">Atendimento {E(ticket.Reference)} — {E(ticket.Title)}. Para responder, basta responder a este e-mail mantendo {E(Tag(ticket))} no assunto.</p>
            """;
        var text = $"""
            Olá, {contactName}.

            {RichText.PlainText(sanitizedBody)}
            {(authorName is null ? "" : "\n— " + authorName)}

            Atendimento {ticket.Reference} — {ticket.Title}. Para responder, basta responder a este e-mail mantendo {Tag(ticket)} no assunto.
            """;
        return new EmailDraft([address], subject, html, text, ticket.Id, fileIds);
    }

    private static string E(string? value) => WebUtility.HtmlEncode(value ?? "");
}
