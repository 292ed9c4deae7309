using Atende.Core.Email;

namespace Atende.Core.Tickets;

/// <summary>
/// What became of the e-mail an action causes, apart from the action itself (which succeeded): written to the outbox in the
/// same transaction ("queued", with its outbox row), or not written at all and why ("skipped").
/// </summary>
public sealed class EmailOutcome
{
    private readonly OutboxEmail? _row;

    private EmailOutcome(OutboxEmail? row, EmailBlock? block)
    {
        _row = row;
        Block = block;
    }

    public static EmailOutcome Queued(OutboxEmail row) => new(row, null);

    public static EmailOutcome Skipped(EmailBlock block) => new(null, block);

    public bool IsQueued => _row is not null;

    /// <summary>"queued" or "skipped" (the API's names).</summary>
    public string Status => IsQueued ? "queued" : "skipped";

    /// <summary>What was missing, so the UI can link to where it is fixed; null when queued.</summary>
    public EmailBlock? Block { get; }

    /// <summary>Why nothing was queued, in pt-BR; null when queued.</summary>
    public string? Reason => Block?.Reason;

    /// <summary>The outbox row's id, known once the transaction saved it.</summary>
    public long? OutboxId => _row?.Id;

    public string Recipient => _row?.To ?? "";

    /// <summary>The line the UI shows next to the action's own message.</summary>
    public string Message => IsQueued ? $"E-mail na fila para {Recipient}." : $"Não foi possível enviar o e-mail: {Reason}";
}

/// <summary>
/// Where the app is reached by users, for links in e-mails: <c>Atende:PublicUrl</c> when the configuration sets it
/// (<paramref name="configured"/>), else the address the admin saved in Configurações → Empresa, else
/// <paramref name="baseUrl"/>, the address of the request at hand, which the app passes only when its host is listed in
/// <c>AllowedHosts</c> (a Host header can be forged). With none of them, there is no link: <see cref="Ticket"/> is null.
/// </summary>
public sealed class PublicLinks(string? baseUrl, bool configured = false)
{
    /// <summary>True when <c>Atende:PublicUrl</c> sets the address (the saved one is then not used).</summary>
    public bool Configured => configured;

    /// <summary>The ticket's address, or null when no trusted address is known.</summary>
    /// <param name="savedBase">The company's saved address (<c>CompanyProfile.PublicUrl</c>), if any.</param>
    public string? Ticket(long id, string? savedBase = null) => Link("/tickets/" + id, savedBase);

    /// <summary>A quote's public approval page (<c>/q/{token}</c>), or null when no trusted address is known.</summary>
    public string? Quote(string token, string? savedBase = null) => Link("/q/" + token, savedBase);

    /// <summary>A request's page in the customer portal, or null when no trusted address is known.</summary>
    public string? PortalRequest(long ticketId, string? savedBase = null) => Link("/portal/pedidos/" + ticketId, savedBase);

    /// <summary>An account link's page (accepting an invitation, resetting a password), or null when no trusted address is known.</summary>
    public string? AccountLink(string token, string? savedBase = null) => Link("/conta/senha/" + token, savedBase);

    private string? Link(string path, string? savedBase)
    {
        var root = configured || string.IsNullOrWhiteSpace(savedBase) ? baseUrl : savedBase;
        return string.IsNullOrWhiteSpace(root) ? null : root.TrimEnd('/') + path;
    }
}

/// <summary>What keeps a ticket e-mail from being written, from the company's settings to the recipient's address.</summary>
public enum EmailMissing
{
    /// <summary>No SMTP server saved (Configurações → E-mail).</summary>
    Smtp,
    /// <summary>The SMTP settings lack the sender address (E-mail do remetente, Configurações → E-mail).</summary>
    Sender,
    /// <summary>The automatic template of this e-mail is deactivated (Modelos de e-mail).</summary>
    Template,
    /// <summary>The ticket has no requester contact.</summary>
    Contact,
    /// <summary>The requester contact has no e-mail address.</summary>
    ContactEmail,
    /// <summary>The ticket has no assignee, or one who may no longer see it (Notificar).</summary>
    Assignee,
    /// <summary>The assignee has no e-mail address (Notificar).</summary>
    AssigneeEmail,
}

/// <summary>
/// Why a ticket e-mail cannot be written: <see cref="Reason"/> in pt-BR, and the row to fix: <see cref="Id"/> is the template
/// (<see cref="EmailMissing.Template"/>), the contact (<see cref="EmailMissing.ContactEmail"/>, with its <see cref="PartnerId"/>),
/// the user (<see cref="EmailMissing.AssigneeEmail"/>) or the ticket (<see cref="EmailMissing.Contact"/>, <see cref="EmailMissing.Assignee"/>).
/// </summary>
public sealed record EmailBlock(EmailMissing Missing, string Reason, long? Id = null, long? PartnerId = null);

/// <summary>
/// Why a ticket e-mail was not written (pt-BR, shown after the action). The e-mails' texts are the automatic templates
/// (<see cref="EmailTemplate"/>, Modelos de e-mail).
/// </summary>
public static class TicketEmails
{
    public const string SmtpMissing = "o servidor de envio de e-mails (SMTP) não está configurado.";
    public const string SenderMissing = "o e-mail do remetente não está configurado nas configurações de envio (SMTP).";
    public const string NoContact = "o atendimento não tem contato do solicitante.";
    public const string NoAssignee = "o atendimento não tem responsável.";

    public static string ContactWithoutEmail(string name) => $"o contato {name} não tem e-mail cadastrado.";

    public static string AssigneeWithoutEmail(string name) => $"o responsável {name} não tem e-mail cadastrado.";

    public static string AssigneeWithoutAccess(string name) => $"o responsável {name} não tem mais acesso a este atendimento.";

    public static string TemplateInactive(string name) => $"o modelo de e-mail \"{name}\" está desativado.";
}
