using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Settings;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Sales;

/// <summary>A priced line of a quote or a purchase: what <see cref="QuoteMath.Totals"/> adds up.</summary>
public interface IPricedLine
{
    /// <summary>The discount in R$, rounded to cents.</summary>
    decimal Discount { get; }
    /// <summary>Gross (quantity × unit price, in cents) minus the discount.</summary>
    decimal Total { get; }
}

/// <summary>
/// A line checked and priced by <see cref="SaleLines.Read"/>: what a <see cref="QuoteItem"/> or a <see cref="PurchaseItem"/> stores
/// (<see cref="FiscalCode"/>, the NCM or service code for the NF-e, only a quote's).
/// </summary>
public sealed record SaleLine(int Position, long? CatalogItemId, string Description, decimal Quantity, decimal UnitPrice, DiscountKind DiscountKind,
    decimal DiscountInput, decimal Discount, decimal Total, string FiscalCode = "");

/// <summary>
/// The one reading of item lines for quotes and purchases: each line as the form or the API gives it is checked (errors on
/// <c>items[i].field</c>, "Item n: …") and priced by <see cref="QuoteMath"/>. Nothing is written.
/// </summary>
public static class SaleLines
{
    /// <summary>
    /// The lines of <paramref name="items"/> that passed, in order; the refusals go to <paramref name="v"/> (the caller
    /// throws them with its own). A catalog item fills the description and the unit price left empty.
    /// </summary>
    public static async Task<List<SaleLine>> Read(AtendeDb db, Validation v, IReadOnlyList<QuoteItemInput?> items, CancellationToken ct)
    {
        var catalogIds = items.Where(i => i?.CatalogItemId is not null).Select(i => i!.CatalogItemId!.Value).Distinct().ToList();
        var catalog = await db.CatalogItems.AsNoTracking().Where(c => catalogIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        var lines = new List<SaleLine>();
        for (var i = 0; i < items.Count; i++)
        {
            if (Line(v, i, items[i], catalog) is { } line)
            {
                lines.Add(line);
            }
        }
        return lines;
    }

    private static SaleLine? Line(Validation v, int index, QuoteItemInput? input, Dictionary<long, CatalogItem> catalog)
    {
        var field = $"items[{index}]";
        var label = $"Item {index + 1}";
        var ok = true;
        void Refuse(string name, string message)
        {
            v.Add(field + name, $"{label}: {message}");
            ok = false;
        }
        if (input is null)
        {
            Refuse("", "vazio.");
            return null;
        }
        CatalogItem? entry = null;
        if (input.CatalogItemId is { } catalogId)
        {
            if (!catalog.TryGetValue(catalogId, out entry))
            {
                Refuse(".catalogItemId", "serviço/produto não encontrado.");
            }
            else if (!entry.Active)
            {
                Refuse(".catalogItemId", $"o serviço/produto \"{entry.Name}\" está desativado; escolha outro ou descreva o item.");
            }
        }
        var description = SearchText.Clean(string.IsNullOrWhiteSpace(input.Description) ? entry?.Name : input.Description);
        if (Validation.IsBlank(description))
        {
            Refuse(".description", "descreva o item ou escolha um serviço/produto.");
        }
        else if (description.Length > QuoteService.MaxDescriptionLength)
        {
            Refuse(".description", $"a descrição pode ter no máximo {QuoteService.MaxDescriptionLength} caracteres.");
        }
        var quantity = input.Quantity ?? 0;
        if (input.Quantity is null)
        {
            Refuse(".quantity", "informe a quantidade.");
        }
        else if (quantity <= 0)
        {
            Refuse(".quantity", "a quantidade deve ser maior que zero.");
        }
        else if (QuoteMath.Places(quantity) > 3)
        {
            Refuse(".quantity", "a quantidade pode ter no máximo 3 casas decimais.");
        }
        else if (quantity > QuoteService.MaxQuantity)
        {
            Refuse(".quantity", $"a quantidade pode ser no máximo {QuoteService.MaxQuantity.ToString("N0", QuoteMath.PtBr)}.");
        }
        var unitPrice = input.UnitPrice ?? entry?.DefaultPrice ?? 0;
        if (input.UnitPrice is null && entry is null)
        {
            Refuse(".unitPrice", "informe o valor unitário.");
        }
        else if (unitPrice < 0)
        {
            Refuse(".unitPrice", "o valor unitário não pode ser negativo.");
        }
        else if (QuoteMath.Places(unitPrice) > 2)
        {
            Refuse(".unitPrice", "o valor unitário tem no máximo 2 casas decimais (centavos).");
        }
        else if (unitPrice > QuoteService.MaxUnitPrice)
        {
            Refuse(".unitPrice", $"o valor unitário pode ser no máximo {QuoteMath.Brl(QuoteService.MaxUnitPrice)}.");
        }
        var discountInput = input.Discount ?? 0;
        var percent = input.DiscountKind == DiscountKind.Percent;
        if (discountInput < 0)
        {
            Refuse(".discount", "o desconto não pode ser negativo.");
        }
        else if (percent && discountInput > 100)
        {
            Refuse(".discount", "o desconto pode ser no máximo 100%.");
        }
        else if (QuoteMath.Places(discountInput) > 2)
        {
            Refuse(".discount", percent ? "o desconto em % tem no máximo 2 casas decimais." : "o desconto tem no máximo 2 casas decimais (centavos).");
        }
        if (!ok)
        {
            return null;
        }
        var gross = QuoteMath.Gross(quantity, unitPrice);
        var discount = QuoteMath.Discount(gross, input.DiscountKind, discountInput);
        if (discount > gross)
        {
            Refuse(".discount", $"o desconto ({QuoteMath.Brl(discount)}) é maior que o valor do item ({QuoteMath.Brl(gross)}).");
            return null;
        }
        var (fiscalCode, fiscalError) = string.IsNullOrWhiteSpace(input.FiscalCode) ? (entry?.FiscalCode ?? "", null)
            : entry is null ? FiscalCode.ParseAny(input.FiscalCode)
            : FiscalCode.Parse(input.FiscalCode, entry.Kind);
        if (fiscalError is not null)
        {
            Refuse(".fiscalCode", fiscalError);
            return null;
        }
        return new SaleLine(index + 1, entry?.Id, description, quantity, unitPrice, input.DiscountKind, discountInput, discount, gross - discount, fiscalCode);
    }
}
