using Xunit;
using Atende.Core.Sales;

namespace Atende.Core.Tests.Sales;

public sealed class QuoteMathTests
{
    [Theory]
    [InlineData("3", "19.90", "59.70")]
    [InlineData("1.5", "10.01", "15.02")] // 15.015 → half away from zero
    [InlineData("0.125", "99.99", "12.50")] // 12.49875
    [InlineData("2.333", "0.01", "0.02")] // 0.02333
    [InlineData("0.001", "4.99", "0.00")]
    public void A_line_is_quantity_times_price_rounded_to_cents_half_away_from_zero(string quantity, string price, string gross) =>
        Assert.Equal(decimal.Parse(gross, System.Globalization.CultureInfo.InvariantCulture),
            QuoteMath.Gross(decimal.Parse(quantity, System.Globalization.CultureInfo.InvariantCulture), decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void A_percentage_discount_is_rounded_on_the_line_and_totals_add_up_to_what_the_lines_show()
    {
        // 10% of R$ 33,35 = 3,335 → 3,34; the line shows 30,01.
        Assert.Equal(3.34m, QuoteMath.Discount(33.35m, DiscountKind.Percent, 10m));
        Assert.Equal(5m, QuoteMath.Discount(33.35m, DiscountKind.Amount, 5m));
        var lines = new[]
        {
            new QuoteItem { Discount = 3.34m, Total = 30.01m },
            new QuoteItem { Discount = 0m, Total = 0.02m },
            new QuoteItem { Discount = 1.00m, Total = 9.00m },
        };
        var (subtotal, discount, total) = QuoteMath.Totals(lines);
        Assert.Equal(43.37m, subtotal);
        Assert.Equal(4.34m, discount);
        Assert.Equal(39.03m, total);
        Assert.Equal(lines.Sum(l => l.Total), total);
    }

    [Theory]
    [InlineData("1", 0)]
    [InlineData("1.50", 1)]
    [InlineData("0.125", 3)]
    [InlineData("12.345", 3)]
    [InlineData("1.0001", 4)]
    public void Places_ignores_trailing_zeros(string value, int places) =>
        Assert.Equal(places, QuoteMath.Places(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Money_reads_as_brazilians_write_it() => Assert.Equal("R$ 1.234,56", QuoteMath.Brl(1234.56m));
}
