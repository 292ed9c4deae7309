using System.Globalization;
using Atende.Core.Common;
using Atende.Core.Sales;

namespace Atende.Web.Pages.Purchases;

/// <summary>How the Compras pages write money, dates and quantities (pt-BR).</summary>
public static class PurchaseView
{
    public static string Money(decimal value) => QuoteMath.Brl(value);

    public static string Date(DateTimeOffset value, TimeZoneInfo zone) =>
        ZoneTime.ToLocal(value, zone).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    public static string DateTime(DateTimeOffset value, TimeZoneInfo zone) =>
        ZoneTime.ToLocal(value, zone).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);

    /// <summary>"1,5" or "2": up to 3 decimal places, none shown when whole.</summary>
    public static string Quantity(decimal value) => value.ToString("#,##0.###", QuoteMath.PtBr);

    /// <summary>A line's discount as typed: "10%" or "R$ 5,00"; "—" without one.</summary>
    public static string Discount(PurchaseItem item) => item.Discount == 0
        ? "—"
        : item.DiscountKind == DiscountKind.Percent ? item.DiscountInput.ToString("0.##", QuoteMath.PtBr) + "% (" + Money(item.Discount) + ")" : Money(item.Discount);

    /// <summary>"1 compra" / "3 compras".</summary>
    public static string Count(int count) => count == 1 ? "1 compra" : $"{count.ToString("N0", QuoteMath.PtBr)} compras";
}
