using System.Globalization;
using System.Text.RegularExpressions;

namespace Atende.Web.Infrastructure;

/// <summary>Reads money typed on pt-BR forms: "1.234,56", "1234,56", "R$ 1.234,5", "12".</summary>
public static partial class MoneyInput
{
    private static readonly CultureInfo PtBr = CultureInfo.GetCultureInfo("pt-BR");

    /// <summary>
    /// Parses a pt-BR amount with at most two decimals. Dots are accepted only as thousands separators in
    /// groups of three, so "1234.56" (a US-style decimal point) is refused instead of read as 123456.
    /// Empty text is zero.
    /// </summary>
    public static bool TryParse(string? text, out decimal value)
    {
        value = 0;
        var clean = (text ?? "").Replace("R$", "", StringComparison.Ordinal).Replace('\u00a0', ' ').Trim();
        if (clean.Length == 0)
        {
            return true;
        }
        if (!Shape().IsMatch(clean))
        {
            return false;
        }
        return decimal.TryParse(clean, NumberStyles.AllowLeadingSign | NumberStyles.AllowThousands | NumberStyles.AllowDecimalPoint, PtBr, out value);
    }

    /// <summary>"1234.5" → "1.234,50", for putting an amount back in a text field.</summary>
    public static string Format(decimal value) => value.ToString("N2", PtBr);

    [GeneratedRegex(@"^-?(\d{1,3}(\.\d{3})+|\d+)(,\d{1,2})?$")]
    private static partial Regex Shape();
}
