namespace Atende.Core.Sales;

/// <summary>
/// The money rule of quotes (docs/architecture.md, "Money"): every amount is a <see cref="decimal"/> in R$. A line's gross
/// amount is quantity × unit price rounded to cents, half away from zero (R$ 0,005 → R$ 0,01); a percentage discount is
/// that gross × % rounded the same way; the line total is gross − discount. The quote's subtotal is the sum of the
/// rounded gross amounts, its discount the sum of the rounded discounts, its total subtotal − discount: the totals are
/// sums of what the lines show, so the document always adds up.
/// </summary>
public static class QuoteMath
{
    public static readonly System.Globalization.CultureInfo PtBr = System.Globalization.CultureInfo.GetCultureInfo("pt-BR");

    /// <summary>"R$ 1.234,56".</summary>
    public static string Brl(decimal amount) => "R$ " + amount.ToString("N2", PtBr);

    public static decimal Cents(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    public static decimal Gross(decimal quantity, decimal unitPrice) => Cents(quantity * unitPrice);

    public static decimal Discount(decimal gross, DiscountKind kind, decimal input) =>
        kind == DiscountKind.Percent ? Cents(gross * input / 100m) : input;

    public static (decimal Subtotal, decimal DiscountTotal, decimal Total) Totals(IEnumerable<IPricedLine> items)
    {
        decimal subtotal = 0, discount = 0;
        foreach (var item in items)
        {
            subtotal += item.Total + item.Discount;
            discount += item.Discount;
        }
        return (subtotal, discount, subtotal - discount);
    }

    /// <summary>How many decimal places <paramref name="value"/> really has (trailing zeros ignored): 1.50 → 1.</summary>
    public static int Places(decimal value)
    {
        value = Math.Abs(value);
        var places = 0;
        while (value != Math.Truncate(value) && places < 29)
        {
            value *= 10;
            places++;
        }
        return places;
    }
}
