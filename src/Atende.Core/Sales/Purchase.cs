namespace Atende.Core.Sales;

/// <summary>
/// A purchase (Compra) made for a ticket from a supplier partner (role <see cref="Partners.PartnerRoles.Supplier"/>): its
/// lines, totals and notes. A purchase is a record of what was bought: it is not edited after it is written.
/// </summary>
public class Purchase : ITicketScoped
{
    public long Id { get; set; }
    /// <summary>"CMP-2026-0001": unique, from a counter per year that only goes up, so never reused.</summary>
    public string Number { get; set; } = "";
    public long TicketId { get; set; }
    /// <summary>The supplier: a partner with the Supplier role when the purchase was written.</summary>
    public long SupplierId { get; set; }
    /// <summary>
    /// The ticket's pipeline and workspace, kept in step with the ticket (<see cref="PurchaseService.FollowTicket"/>): who
    /// sees the ticket sees its purchases, without a join.
    /// </summary>
    public long PipelineId { get; set; }
    public long WorkspaceId { get; set; }
    public string Notes { get; set; } = "";
    public decimal Subtotal { get; set; }
    public decimal DiscountTotal { get; set; }
    public decimal Total { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public long CreatedById { get; set; }
    /// <summary>"Cancelar compra": set once; a canceled purchase stays listed, marked, and leaves the totals.</summary>
    public DateTimeOffset? CanceledAt { get; set; }
    public long? CanceledById { get; set; }
    public List<PurchaseItem> Items { get; set; } = [];
}

/// <summary>A line of a purchase: a catalog item or free text, priced like a quote's (<see cref="QuoteMath"/>).</summary>
public class PurchaseItem : IPricedLine
{
    public long Id { get; set; }
    public long PurchaseId { get; set; }
    public int Position { get; set; }
    public long? CatalogItemId { get; set; }
    public string Description { get; set; } = "";
    public decimal Quantity { get; set; }
    public decimal UnitPrice { get; set; }
    public DiscountKind DiscountKind { get; set; }
    /// <summary>The discount as typed: R$ for <see cref="DiscountKind.Amount"/>, % for <see cref="DiscountKind.Percent"/>.</summary>
    public decimal DiscountInput { get; set; }
    /// <summary>The discount in R$, rounded to cents.</summary>
    public decimal Discount { get; set; }
    public decimal Total { get; set; }
}

/// <summary>What a new purchase holds: the supplier, its lines and notes.</summary>
public sealed record PurchaseInput(long? SupplierId, IReadOnlyList<QuoteItemInput?>? Items, string? Notes);

/// <summary>A purchase as lists show it, with its ticket and supplier.</summary>
public sealed record PurchaseRow(long Id, string Number, long TicketId, string TicketReference, long SupplierId, string SupplierName, long PipelineId,
    decimal Subtotal, decimal DiscountTotal, decimal Total, DateTimeOffset CreatedAt, DateTimeOffset? CanceledAt);

/// <summary>A purchase with its lines and what its page names.</summary>
public sealed record PurchaseDetails(Purchase Purchase, string TicketReference, string TicketTitle, string SupplierName, string? CreatedBy,
    string? CanceledBy);

/// <summary>Filters of the Compras list and the API; dates are the creation day, in the company's time zone.</summary>
public sealed record PurchaseFilter(long? SupplierId = null, long? PipelineId = null, long? TicketId = null, DateOnly? From = null, DateOnly? To = null);

/// <summary>What a list's filter holds in all its pages, canceled purchases left out.</summary>
public sealed record PurchaseTotals(int Count, decimal Total);
