using System.Globalization;
using Atende.Core.Settings;

namespace Atende.Core.Sales;

/// <summary>
/// CSV of the Compras list as filtered, one row per purchase, for Excel pt-BR: UTF-8 with BOM, ';', money "1234,56", dates
/// "dd/MM/yyyy" in the company's time zone, formula-safe cells (<see cref="ListCsv"/>). Rows come from
/// <see cref="PurchaseService.List"/> page by page, so the export never holds more than the list shows.
/// </summary>
public sealed class PurchaseCsv(PurchaseService purchases, SettingsService settings)
{
    public static readonly string[] Header = ["Número", "Data", "Situação", "Atendimento", "Fornecedor", "Subtotal", "Descontos", "Total"];

    /// <summary>"compras-2026-12-07.csv".</summary>
    public static string FileName() => $"compras-{DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.csv";

    public async Task Export(Stream output, PurchaseFilter filter, CancellationToken ct = default)
    {
        var zone = await settings.TimeZone(ct);
        await ListCsv.Write(output, Header, after => purchases.List(filter, after, 200, ct), p => [
            p.Number, ListCsv.Date(p.CreatedAt, zone), p.CanceledAt is null ? "Registrada" : "Cancelada", p.TicketReference, p.SupplierName,
            ListCsv.Money(p.Subtotal), ListCsv.Money(p.DiscountTotal), ListCsv.Money(p.Total),
        ], ct);
    }
}
