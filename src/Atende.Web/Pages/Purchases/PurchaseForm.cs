using Atende.Core.Common;
using Atende.Core.Sales;
using Atende.Web.Infrastructure;
using Atende.Web.Pages.Quotes;

namespace Atende.Web.Pages.Purchases;

/// <summary>The "Nova compra" form: the supplier, the lines as typed (pt-BR numbers) and the notes.</summary>
public sealed class PurchaseForm
{
    public long? SupplierId { get; set; }
    public List<QuoteLineForm> Items { get; set; } = [];
    public string? Notes { get; set; }

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
    /// The input for <see cref="PurchaseService.Create"/>. A number the page cannot read goes as a value Core refuses (so
    /// every field's error comes in one round and nothing is saved) and its own message is kept in <paramref name="unreadable"/>
    /// (ModelState key → message), to replace Core's.
    /// </summary>
    public PurchaseInput ToInput(Dictionary<string, string> unreadable)
    {
        var lines = new List<QuoteItemInput?>();
        for (var i = 0; i < Items.Count; i++)
        {
            var line = Items[i];
            var key = $"Input.Items[{i}].";
            var label = $"Item {i + 1}";
            decimal? quantity = null, unitPrice = null, discount = null;
            if (!string.IsNullOrWhiteSpace(line.Quantity))
            {
                if (QuoteForm.TryReadNumber(line.Quantity, out var q))
                {
                    quantity = q;
                }
                else
                {
                    quantity = -1;
                    unreadable[key + "Quantity"] = $"{label}: quantidade ilegível; use por exemplo 2 ou 1,5.";
                }
            }
            if (!string.IsNullOrWhiteSpace(line.UnitPrice))
            {
                if (MoneyInput.TryParse(line.UnitPrice, out var price))
                {
                    unitPrice = price;
                }
                else
                {
                    unitPrice = -1;
                    unreadable[key + "UnitPrice"] = $"{label}: valor unitário ilegível; use por exemplo 1.234,56.";
                }
            }
            if (!string.IsNullOrWhiteSpace(line.Discount))
            {
                if (MoneyInput.TryParse(line.Discount.Replace("%", "", StringComparison.Ordinal), out var d))
                {
                    discount = d;
                }
                else
                {
                    discount = -1;
                    unreadable[key + "Discount"] = $"{label}: desconto ilegível; use por exemplo 10,00.";
                }
            }
            lines.Add(new QuoteItemInput(line.CatalogItemId, line.Description, quantity, unitPrice, discount, line.DiscountKind));
        }
        return new PurchaseInput(SupplierId, lines, Notes);
    }
}
