using System.Globalization;
using Atende.Core.Sales;

namespace Atende.Web.Pages.Quotes;

/// <summary>How quotes show on pages: the state's pt-BR name and badge, dates and amounts as a salesperson reads them.</summary>
public static class QuoteView
{
    public static string State(QuoteState state) => QuoteService.StateName(state);

    public static string StateClass(QuoteState state) => state switch
    {
        QuoteState.PendingApproval => "badge-pending",
        QuoteState.Approved => "badge-done",
        QuoteState.Rejected => "text-bg-danger",
        _ => "badge-inactive",
    };

    /// <summary>"20/12/2026", or "—" without a validity date.</summary>
    public static string Date(DateOnly? date) => date?.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture) ?? "—";

    /// <summary>"1,5", "2", "0,125": a quantity as typed on the form, without trailing zeros.</summary>
    public static string Quantity(decimal value) => value.ToString("#,0.###", QuoteMath.PtBr);

    /// <summary>A line's discount as given: "10%" or "R$ 20,00"; "—" without one.</summary>
    public static string Discount(QuoteItem item) => item.Discount == 0 && item.DiscountInput == 0 ? "—"
        : item.DiscountKind == DiscountKind.Percent ? item.DiscountInput.ToString("0.##", QuoteMath.PtBr) + "%" : Atende.Web.Infrastructure.Fmt.Money(item.Discount);
}

/// <summary>The rows of a ticket's or a partner's Vendas tab (<c>_QuoteRows</c>); <see cref="ShowTicket"/> adds the ticket's column.</summary>
public sealed record QuoteRowsModel(IReadOnlyList<QuoteRow> Rows, TimeZoneInfo Zone, bool ShowTicket);
