using Atende.Core.Tickets;

namespace Atende.Web.Infrastructure;

/// <summary>
/// Where to fix what kept a ticket e-mail from being written: a link (<see cref="Url"/>) for whoever may fix it there,
/// else, for agents, which administrator screen to ask about.
/// </summary>
public sealed record EmailFix(string Text, string? Url)
{
    public static EmailFix For(EmailBlock block, bool isAdmin) => block.Missing switch
    {
        EmailMissing.Smtp or EmailMissing.Sender => isAdmin
            ? new("Configurar o envio em Configurações → E-mail", "/settings/email")
            : new("Peça a um administrador para configurar o envio em Configurações → E-mail.", null),
        EmailMissing.Template => isAdmin
            ? new("Ativar o modelo em Configurações → Modelos de e-mail", $"/settings/email-templates/{block.Id}/edit")
            : new("Peça a um administrador para ativar o modelo em Configurações → Modelos de e-mail.", null),
        EmailMissing.Contact => new("Escolher o contato do solicitante", $"/tickets/{block.Id}#Input_ContactId"),
        EmailMissing.ContactEmail => new("Cadastrar o e-mail do contato", $"/partners/{block.PartnerId}/contacts/{block.Id}/edit"),
        EmailMissing.Assignee => new("Escolher o responsável", $"/tickets/{block.Id}#Input_AssigneeId"),
        EmailMissing.AssigneeEmail => isAdmin
            ? new("Cadastrar o e-mail do usuário", $"/settings/users/{block.Id}/edit")
            : new("Peça a um administrador para cadastrar o e-mail do responsável em Configurações → Usuários.", null),
        _ => new("", null),
    };
}
