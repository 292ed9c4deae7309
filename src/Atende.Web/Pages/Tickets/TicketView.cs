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
        "quote" => "Orçamento/venda",
        "purchase" => "Compra",
        _ => field,
    };

    /// <summary>The list's bins, as its "Mostrar" menu names them.</summary>
    public static string Bin(TicketBin bin) => bin switch
    {
        TicketBin.Archived => "Arquivados",
        TicketBin.Trash => "Lixeira",
        _ => "Ativos",
    };

    public static string BinIcon(TicketBin bin) => bin switch
    {
        TicketBin.Archived => "bi-archive",
        TicketBin.Trash => "bi-trash",
        _ => "bi-inbox",
    };

    /// <summary>The ticket list's column headers.</summary>
    public static string Column(TicketSortColumn column) => column switch
    {
        TicketSortColumn.Status => "Situação",
        TicketSortColumn.Reference => "Referência",
        TicketSortColumn.Title => "Título",
        TicketSortColumn.Requester => "Nome de Contato",
        TicketSortColumn.Value => "Valor",
        TicketSortColumn.UpdatedAt => "Última atualização",
        TicketSortColumn.CreatedAt => "Data de criação",
        TicketSortColumn.Assignee => "Responsável",
        TicketSortColumn.DueAt => "Vencimento",
        _ => column.ToString(),
    };
}
