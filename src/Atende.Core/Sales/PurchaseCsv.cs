using System.Globalization;
using System.Text;
using Atende.Core.Common;
using Atende.Core.Partners;
using Atende.Core.Settings;
using CsvHelper;
using CsvHelper.Configuration;

namespace Atende.Core.Sales;

/// <summary>
/// CSV of the Compras list as filtered, one row per purchase, for Excel pt-BR: UTF-8 with BOM, ';', money "1234,56", dates
/// "dd/MM/yyyy" in the company's time zone, formula-safe cells (<see cref="PartnerCsv.SafeCell"/>). Rows come from
/// <see cref="PurchaseService.List"/> page by page, so the export never holds more than the list shows.
/// </summary>
public sealed class PurchaseCsv(PurchaseService purchases, SettingsService settings)
{
    public static readonly string[] Header = ["Número", "Data", "Situação", "Atendimento", "Fornecedor", "Subtotal", "Descontos", "Total"];

    private static readonly CultureInfo PtBr = CultureInfo.GetCultureInfo("pt-BR");

    /// <summary>"compras-2026-12-07.csv".</summary>
    public static string FileName() => $"compras-{DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.csv";

    public async Task Export(Stream output, PurchaseFilter filter, CancellationToken ct = default)
    {
        var zone = await settings.TimeZone(ct);
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true);
        await using var csv = new CsvWriter(writer, new CsvConfiguration(PtBr) { Delimiter = ";" });
        foreach (var h in Header)
        {
            csv.WriteField(h);
        }
        await csv.NextRecordAsync();
        string? after = null;
        do
        {
            var page = await purchases.List(filter, after, 200, ct);
            foreach (var p in page.Items)
            {
                string[] fields =
                [
                    p.Number, ZoneTime.ToLocal(p.CreatedAt, zone).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture),
                    p.CanceledAt is null ? "Registrada" : "Cancelada", p.TicketReference, p.SupplierName,
                    Money(p.Subtotal), Money(p.DiscountTotal), Money(p.Total),
                ];
                foreach (var f in fields)
                {
                    csv.WriteField(PartnerCsv.SafeCell(f));
                }
                await csv.NextRecordAsync();
            }
            after = page.Next;
        }
        while (after is not null);
    }

    /// <summary>"1234,56": no thousands separator, so a spreadsheet reads it as a number.</summary>
    private static string Money(decimal value) => value.ToString("0.00", PtBr);
}
