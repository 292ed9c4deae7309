using Atende.Core.Tickets;

namespace Atende.Web.Pages.Tickets;

/// <summary>How tickets read on screen: status labels and colors, history field names.</summary>
public static class TicketView
{
    public static readonly TicketStatus[] Statuses = Enum.GetValues<TicketStatus>();

    public static string Status(TicketStatus status) => TicketService.StatusName(status);

    public static string StatusClass(TicketStatus status) => "status-" + status.ToString().ToLowerInvariant();

    public static string Field(string field) => field switch
    {
        "created" => "Criado",
        "title" => "Título",
        "description" => "Descrição",
        "partner" => "Entidade",
        "contact" => "Contato",
        "catalogItem" => "Serviço/produto",
        "value" => "Valor",
        "assignee" => "Responsável",
        "accountManager" => "Contador",
        "category" => "Classificação",
        "subcategory" => "Sub-classificação",
        "channel" => "Canal",
        "dueAt" => "Vencimento",
        "tags" => "Etiquetas",
        "status" => "Situação",
        "pipeline" => "Fluxo",
        "archived" => "Arquivado",
        "unarchived" => "Desarquivado",
        "trashed" => "Movido para a lixeira",
        "restored" => "Restaurado da lixeira",
        "notified" => "Responsável notificado",
        "attachments" => "Arquivos anexados",
        "attachmentRemoved" => "Arquivo removido",
        _ => field,
    };

    public static string Bin(TicketBin bin) => bin switch
    {
        TicketBin.Archived => "Arquivados",
        TicketBin.Trash => "Lixeira",
        _ => "Atendimentos",
    };
}
