using Atende.Core.Sales;
using Atende.Web.Infrastructure;

namespace Atende.Web.Api;

/// <summary>A purchase line: <c>discount</c> is the line's discount in R$; <c>discountPercent</c> is set when it was given as a percentage.</summary>
public sealed record PurchaseItemDto(long? CatalogItemId, string Description, decimal Quantity, decimal UnitPrice, decimal Discount,
    decimal? DiscountPercent, decimal Total);

/// <summary>A purchase (Compra) from a supplier for a ticket; it is not edited once written, only canceled (<c>canceledAt</c>).</summary>
public sealed record PurchaseDto(long Id, string Number, long TicketId, long SupplierId, PurchaseItemDto[] Items, decimal Subtotal, decimal DiscountTotal,
    decimal Total, string Notes, DateTimeOffset CreatedAt, long CreatedById, DateTimeOffset? CanceledAt);

/// <summary>
/// A line to write: a catalog item (its name and default price fill <c>description</c> and <c>unitPrice</c> when absent) or
/// free text; the discount either in R$ (<c>discount</c>) or as a percentage (<c>discountPercent</c>), not both.
/// </summary>
public sealed record PurchaseItemWrite(long? CatalogItemId, string? Description, decimal? Quantity, decimal? UnitPrice, decimal? Discount,
    decimal? DiscountPercent);

/// <summary>POST: the ticket it is for, the supplier (a partner with the role Supplier), the lines and notes.</summary>
public sealed record PurchaseWrite(long? TicketId, long? SupplierId, PurchaseItemWrite[]? Items, string? Notes) : IJsonBody<PurchaseWrite>;

public sealed record PurchaseListItem(long Id, string Number, long TicketId, string TicketReference, long SupplierId, string SupplierName,
    long PipelineId, decimal Subtotal, decimal DiscountTotal, decimal Total, DateTimeOffset CreatedAt, DateTimeOffset? CanceledAt);

/// <summary>The filter's purchases in all pages, canceled ones left out.</summary>
public sealed record PurchaseTotalsDto(int Count, decimal Total);

public static class PurchasesApi
{
    public static PurchaseDto ToDto(Purchase p) => new(p.Id, p.Number, p.TicketId, p.SupplierId,
        [.. p.Items.OrderBy(i => i.Position).Select(i => new PurchaseItemDto(i.CatalogItemId, i.Description, i.Quantity, i.UnitPrice, i.Discount,
            i.DiscountKind == DiscountKind.Percent ? i.DiscountInput : null, i.Total))],
        p.Subtotal, p.DiscountTotal, p.Total, p.Notes, p.CreatedAt, p.CreatedById, p.CanceledAt);

    private static PurchaseListItem ToItem(PurchaseRow r) => new(r.Id, r.Number, r.TicketId, r.TicketReference, r.SupplierId, r.SupplierName,
        r.PipelineId, r.Subtotal, r.DiscountTotal, r.Total, r.CreatedAt, r.CanceledAt);

    private static PurchaseInput ToInput(PurchaseWrite w) => new(w.SupplierId,
        w.Items?.Select(i => i is null ? null : QuotesApi.LineInput(i.CatalogItemId, i.Description, i.Quantity, i.UnitPrice, i.Discount, i.DiscountPercent))
            .ToList(),
        w.Notes);

    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/purchases").RequireAuthorization(Auth.StaffPolicy).WithTags("Purchases");

        group.MapGet("/", static async (PurchaseService purchases, long? supplierId, long? pipelineId, long? ticketId, DateOnly? from, DateOnly? to,
            string? after, int? limit, CancellationToken ct) =>
        {
            var page = await purchases.List(new PurchaseFilter(supplierId, pipelineId, ticketId, from, to), after, limit ?? 50, ct);
            return TypedResults.Ok(new ItemList<PurchaseListItem>([.. page.Items.Select(ToItem)], page.Next));
        });

        // What the list's filter holds in all its pages: how many and their total.
        group.MapGet("/totals", static async (PurchaseService purchases, long? supplierId, long? pipelineId, long? ticketId, DateOnly? from, DateOnly? to,
            CancellationToken ct) =>
        {
            var totals = await purchases.Totals(new PurchaseFilter(supplierId, pipelineId, ticketId, from, to), ct);
            return TypedResults.Ok(new PurchaseTotalsDto(totals.Count, totals.Total));
        });

        group.MapGet("/{id:long}", static async (long id, PurchaseService purchases, CancellationToken ct) =>
            TypedResults.Ok(ToDto((await purchases.Details(id, ct)).Purchase)));

        group.MapPost("/", static async (PurchaseWrite write, PurchaseService purchases, CancellationToken ct) =>
        {
            var ticketId = write.TicketId ?? throw new Core.Common.ValidationException("ticketId", "Informe o atendimento (ticketId).");
            var purchase = await purchases.Create(ticketId, ToInput(write), ct);
            return TypedResults.Created($"/api/v1/purchases/{purchase.Id}", ToDto((await purchases.Details(purchase.Id, ct)).Purchase));
        });

        // "Cancelar compra": it stays, marked, out of the totals; 409 when it already was.
        group.MapPost("/{id:long}/cancel", static async (long id, PurchaseService purchases, CancellationToken ct) =>
        {
            await purchases.Cancel(id, ct);
            return TypedResults.Ok(ToDto((await purchases.Details(id, ct)).Purchase));
        });
    }
}
