using Atende.Core.Common;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Atende.Core.Email;

/// <summary>
/// The standard texts of the automatic ticket e-mails (one template per purpose). The migration that creates the table writes
/// them, so fresh and upgraded installs both have every automatic template; "Restaurar texto padrão" puts them back.
/// </summary>
public static class EmailTemplateDefaults
{
    public sealed record Text(EmailTemplatePurpose Purpose, string Name, string Subject, string Body);

    public static readonly IReadOnlyList<Text> All =
    [
        new(EmailTemplatePurpose.StatusChanged, "Mudança de situação",
            "{{atendimento.titulo}} — situação: {{atendimento.situacao}}",
            RichText.Sanitize("""
                <p>Olá, {{contato.nome}}.</p>
                <p>A situação do seu atendimento <strong>{{atendimento.referencia}}</strong> — {{atendimento.titulo}} mudou para <strong>{{atendimento.situacao}}</strong>.</p>
                <p>Para responder, basta responder a este e-mail mantendo [{{atendimento.referencia}}] no assunto.</p>
                """)),
        new(EmailTemplatePurpose.Assigned, "Notificar responsável",
            "{{atendimento.titulo}} — novo atendimento para você",
            RichText.Sanitize("""
                <p>Olá, {{atendimento.responsavel}}.</p>
                <p>O atendimento <strong>{{atendimento.referencia}}</strong> — {{atendimento.titulo}} foi atribuído a você por {{usuario.nome}}.</p>
                <p>Solicitante: {{contato.nome}}</p>
                <p><a href="{{link}}">Abrir o atendimento</a></p>
                """)),
        new(EmailTemplatePurpose.Interaction, "Salvar e notificar",
            "{{atendimento.titulo}}",
            RichText.Sanitize("""
                <p>Olá, {{contato.nome}}.</p>
                {{interacao}}
                <p>— {{usuario.nome}}</p>
                <p>Atendimento {{atendimento.referencia}} — {{atendimento.titulo}}. Para responder, basta responder a este e-mail mantendo [{{atendimento.referencia}}] no assunto.</p>
                """)),
        new(EmailTemplatePurpose.PortalRequestReceived, "Confirmação de pedido do portal",
            "Recebemos seu pedido: {{atendimento.titulo}}",
            RichText.Sanitize("""
                <p>Olá, {{contato.nome}}.</p>
                <p>Recebemos seu pedido <strong>{{atendimento.referencia}}</strong> — {{atendimento.titulo}}. Vamos respondê-lo o quanto antes.</p>
                <p><a href="{{link}}">Acompanhar o pedido no portal</a></p>
                <p>{{empresa.nome}}</p>
                """)),
        new(EmailTemplatePurpose.PortalMessage, "Mensagem do portal para o responsável",
            "{{atendimento.titulo}} — mensagem de {{contato.nome}} pelo portal",
            RichText.Sanitize("""
                <p>Olá, {{atendimento.responsavel}}.</p>
                <p>{{contato.nome}} ({{parceiro.nome}}) escreveu pelo portal no atendimento <strong>{{atendimento.referencia}}</strong> — {{atendimento.titulo}}:</p>
                {{interacao}}
                <p><a href="{{link}}">Abrir o atendimento</a></p>
                """)),
        new(EmailTemplatePurpose.ChatMissed, "Mensagens do chat para o cliente ausente",
            "{{atendimento.titulo}} — novas mensagens no chat",
            RichText.Sanitize("""
                <p>Olá, {{contato.nome}}.</p>
                <p>A equipe escreveu no chat do seu pedido <strong>{{atendimento.referencia}}</strong> — {{atendimento.titulo}} enquanto você estava fora:</p>
                {{interacao}}
                <p><a href="{{link}}">Responder pelo portal</a></p>
                <p>{{empresa.nome}}</p>
                """)),
    ];

    /// <summary>The automatic templates of the first release (the <c>EmailTemplates</c> migration writes these).</summary>
    public static readonly IReadOnlyList<EmailTemplatePurpose> FirstRelease =
        [EmailTemplatePurpose.StatusChanged, EmailTemplatePurpose.Assigned, EmailTemplatePurpose.Interaction];

    /// <summary>The portal's automatic templates (the <c>Portal</c> migration writes these).</summary>
    public static readonly IReadOnlyList<EmailTemplatePurpose> Portal = [EmailTemplatePurpose.PortalRequestReceived, EmailTemplatePurpose.PortalMessage];

    /// <summary>The chat's automatic template (the <c>ChatReceipts</c> migration writes it).</summary>
    public static readonly IReadOnlyList<EmailTemplatePurpose> Chat = [EmailTemplatePurpose.ChatMissed];

    public static Text For(EmailTemplatePurpose purpose) =>
        All.FirstOrDefault(t => t.Purpose == purpose) ?? throw new ArgumentOutOfRangeException(nameof(purpose), purpose, "Custom templates have no standard text.");

    /// <summary>True when an automatic template's subject and body are the standard ones.</summary>
    public static bool IsStandard(EmailTemplatePurpose purpose, string subject, string body) =>
        All.Any(t => t.Purpose == purpose && t.Subject == subject && t.Body == body);

    /// <summary>Writes the automatic templates of <paramref name="purposes"/>; called by the migrations that add them, on each provider.</summary>
    public static void Seed(MigrationBuilder migrations, IReadOnlyList<EmailTemplatePurpose> purposes)
    {
        foreach (var t in All.Where(t => purposes.Contains(t.Purpose)))
        {
            migrations.InsertData("EmailTemplates",
                ["Purpose", "Name", "SortName", "Subject", "Body", "Active", "Version"],
                [t.Purpose.ToString(), t.Name, Data.SearchText.Normalize(t.Name), t.Subject, t.Body, true, 1]);
        }
    }
}
