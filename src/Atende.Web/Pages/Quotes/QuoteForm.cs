using System.Globalization;
using System.Text.RegularExpressions;
using Atende.Core.Sales;
using Atende.Web.Infrastructure;

namespace Atende.Web.Pages.Quotes;

/// <summary>A line of the quote form (and of the purchase form), as typed: numbers are pt-BR text ("1,5", "1.234,56") so a refused form shows them back unchanged.</summary>
public sealed class QuoteLineForm
{
    public long? CatalogItemId { get; set; }
    public string? Description { get; set; }
    public string? Quantity { get; set; }
    public string? UnitPrice { get; set; }
    public string? Discount { get; set; }
    public DiscountKind DiscountKind { get; set; }

    /// <summary>A row left as it came (no item, description, price or discount): ignored, whatever its quantity.</summary>
    public bool IsEmpty => CatalogItemId is null && string.IsNullOrWhiteSpace(Description) && string.IsNullOrWhiteSpace(UnitPrice)
        && string.IsNullOrWhiteSpace(Discount);

    public static QuoteLineForm Blank() => new() { Quantity = "1" };

    public static QuoteLineForm From(QuoteItem item) => new()
    {
        CatalogItemId = item.CatalogItemId, Description = item.Description, Quantity = QuoteView.Quantity(item.Quantity),
        UnitPrice = MoneyInput.Format(item.UnitPrice), DiscountKind = item.DiscountKind,
        Discount = item.DiscountInput == 0 ? "" : item.DiscountKind == DiscountKind.Percent ? item.DiscountInput.ToString("0.##", QuoteMath.PtBr) : MoneyInput.Format(item.DiscountInput),
    };
}

/// <summary>The quote form: its lines, notes, validity ("dd/mm/aaaa"), the NF-e flag and, on a new one, whether it is already a sale.</summary>
public sealed partial class QuoteForm
{
    public List<QuoteLineForm> Items { get; set; } = [];
    public string? Notes { get; set; }
    public string? ValidUntil { get; set; }
    public bool IssueNfe { get; set; }
    /// <summary>New quotes only: "Aprovado" (a sale already closed) instead of "Em aprovação".</summary>
    public bool Approve { get; set; }

    public static QuoteForm From(QuoteVersion version, bool issueNfe) => new()
    {
        Items = [.. version.Items.OrderBy(i => i.Position).Select(QuoteLineForm.From)], Notes = version.Notes,
        ValidUntil = QuoteView.Date(version.ValidUntil) is var d && d != "—" ? d : "", IssueNfe = issueNfe,
    };

    /// <summary>Drops the empty rows, so the rows left are numbered as Core numbers the lines it is given.</summary>
    public void DropEmptyRows() => Items = [.. Items.Where(i => i is not null && !i.IsEmpty)];

    /// <summary>Pads the form with empty rows to fill in (the only way to add lines without JavaScript).</summary>
    public void AddEmptyRows(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Items.Add(QuoteLineForm.Blank());
        }
    }

    /// <summary>
    /// The input for <see cref="QuoteService"/>. Text that cannot be read as a number or a date gets a pt-BR message in
    /// <paramref name="errors"/> ("Items[0].Quantity", "ValidUntil") and goes to the service as a value it refuses (−1, a past
    /// date), so the other fields' errors come in the same round and nothing is saved; the page shows its own message there.
    /// </summary>
    public QuoteInput ToInput(Dictionary<string, string> errors)
    {
        var lines = new List<QuoteItemInput>();
        for (var i = 0; i < Items.Count; i++)
        {
            var line = Items[i];
            var label = $"Item {i + 1}";
            var quantity = ReadNumber(line.Quantity, $"Items[{i}].Quantity", $"{label}: quantidade inválida; use vírgula nos decimais, por exemplo 1,5.", errors);
            var price = ReadMoney(line.UnitPrice, $"Items[{i}].UnitPrice", $"{label}: valor unitário inválido; use o formato 1.234,56.", errors);
            var discount = line.DiscountKind == DiscountKind.Percent
                ? ReadNumber(line.Discount, $"Items[{i}].Discount", $"{label}: desconto inválido; informe a porcentagem, por exemplo 10 ou 12,5.", errors)
                : ReadMoney(line.Discount, $"Items[{i}].Discount", $"{label}: desconto inválido; use o formato 1.234,56.", errors);
            lines.Add(new QuoteItemInput(line.CatalogItemId, line.Description, quantity, price, discount, line.DiscountKind));
        }
        DateOnly? validUntil = null;
        if (!string.IsNullOrWhiteSpace(ValidUntil))
        {
            if (DateOnly.TryParseExact(ValidUntil.Trim(), ["d/M/yyyy", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                validUntil = date;
            }
            else
            {
                errors["ValidUntil"] = "Validade: use o formato dd/mm/aaaa, por exemplo 20/12/2026.";
                validUntil = DateOnly.MinValue;
            }
        }
        return new QuoteInput(lines, Notes, validUntil, IssueNfe);
    }

    /// <summary>"1,5", "1.000", "2": a pt-BR decimal (dots only as thousands in groups of three); empty is null.</summary>
    private static decimal? ReadNumber(string? text, string key, string message, Dictionary<string, string> errors)
    {
        var clean = (text ?? "").Replace("%", "", StringComparison.Ordinal).Trim();
        if (clean.Length == 0)
        {
            return null;
        }
        if (TryReadNumber(clean, out var value))
        {
            return value;
        }
        errors[key] = message;
        return Unreadable;
    }

    /// <summary>A pt-BR decimal as the quote and purchase forms take it: "2", "1,5", "1.000,125" (dots only as thousands separators).</summary>
    public static bool TryReadNumber(string text, out decimal value)
    {
        value = 0;
        var clean = text.Trim();
        return NumberShape().IsMatch(clean)
            && decimal.TryParse(clean, NumberStyles.AllowLeadingSign | NumberStyles.AllowThousands | NumberStyles.AllowDecimalPoint, QuoteMath.PtBr, out value);
    }

    /// <summary>What an unreadable amount is sent as: negative, which the service refuses for every amount of a line.</summary>
    private const decimal Unreadable = -1;

    private static decimal? ReadMoney(string? text, string key, string message, Dictionary<string, string> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (MoneyInput.TryParse(text, out var value))
        {
            return value;
        }
        errors[key] = message;
        return Unreadable;
    }

    [GeneratedRegex(@"^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")]
    private static partial Regex NumberShape();
}
