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

/// <summary>
/// Where the app is reached by users, for links in e-mails: <c>Atende:PublicUrl</c> when the configuration sets it
/// (<paramref name="configured"/>), else the address the admin saved in Configurações → Empresa, else
/// <paramref name="baseUrl"/>, the address of the request at hand.
/// </summary>
public sealed class PublicLinks(string baseUrl, bool configured = false)
{
    /// <param name="savedBase">The company's saved address (<c>CompanyProfile.PublicUrl</c>), if any.</param>
    public string Ticket(long id, string? savedBase = null) =>
        (configured || string.IsNullOrWhiteSpace(savedBase) ? baseUrl : savedBase).TrimEnd('/') + "/tickets/" + id;
}

/// <summary>
/// Why a ticket e-mail was not written (pt-BR, shown after the action). The e-mails' texts are the automatic templates
/// (<see cref="EmailTemplate"/>, Modelos de e-mail).
/// </summary>
public static class TicketEmails
{
    public const string NoContact = "o atendimento não tem contato do solicitante.";
    public const string NoAssignee = "o atendimento não tem responsável.";

    public static string ContactWithoutEmail(string name) => $"o contato {name} não tem e-mail cadastrado.";

    public static string AssigneeWithoutEmail(string name) => $"o responsável {name} não tem e-mail cadastrado.";

    public static string TemplateInactive(string name) => $"o modelo de e-mail \"{name}\" está desativado.";
}
