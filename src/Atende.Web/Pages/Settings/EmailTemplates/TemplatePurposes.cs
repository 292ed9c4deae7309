using Atende.Core.Email;

namespace Atende.Web.Pages.Settings.EmailTemplates;

/// <summary>How the settings pages name each template purpose and say when its e-mail goes out.</summary>
public static class TemplatePurposes
{
    public static string Label(EmailTemplatePurpose purpose) => purpose switch
    {
        EmailTemplatePurpose.StatusChanged => "Mudança de situação",
        EmailTemplatePurpose.Assigned => "Notificar",
        EmailTemplatePurpose.Interaction => "Salvar e notificar",
        EmailTemplatePurpose.PortalRequestReceived => "Confirmação do portal",
        EmailTemplatePurpose.PortalMessage => "Mensagem do portal",
        EmailTemplatePurpose.ChatMissed => "Chat: cliente ausente",
        _ => "Para interações",
    };

    public static string When(EmailTemplatePurpose purpose) => purpose switch
    {
        EmailTemplatePurpose.StatusChanged => "Enviado ao contato do solicitante sempre que a situação de um atendimento muda.",
        EmailTemplatePurpose.Assigned => "Enviado ao responsável quando alguém clica em \"Notificar\" em um atendimento novo.",
        EmailTemplatePurpose.Interaction => "Envolve a interação enviada ao contato do solicitante por \"Salvar e notificar\".",
        EmailTemplatePurpose.PortalRequestReceived => "Enviado ao cliente que abre um pedido pelo portal (Fale Conosco), com a referência e o link do pedido.",
        EmailTemplatePurpose.PortalMessage => "Enviado ao responsável quando o cliente abre um pedido ou escreve nele pelo portal; {{interacao}} é a mensagem.",
        EmailTemplatePurpose.ChatMissed => "Enviado ao cliente do portal quando a equipe escreve no chat e a tela dele não recebe em 5 minutos; {{interacao}} são as mensagens, cada uma enviada uma vez só.",
        _ => "A equipe insere este texto em uma interação pelo botão \"Inserir modelo\" do atendimento.",
    };
}
