using System.Globalization;
using Atende.Core.Common;

namespace Atende.Core.Sales;

/// <summary>
/// How the sales lists (Vendas/Orçamentos, Compras) export CSV for Excel pt-BR: UTF-8 with BOM, ';', formula-safe cells
/// (<see cref="Spreadsheet.SafeCell"/>), money "1234,56", dates "dd/MM/yyyy"; the rows read page by page through the
/// list itself, so an export never holds more than the list shows.
/// </summary>
public static class ListCsv
{
    private static readonly CultureInfo PtBr = CultureInfo.GetCultureInfo("pt-BR");

    public static Task Write<T>(Stream output, IReadOnlyList<string> header, Func<string?, Task<Page<T>>> page, Func<T, string[]> fields,
        CancellationToken ct) => Spreadsheet.WriteCsv(output, header, Rows(page, fields), ct);

    private static async IAsyncEnumerable<object?[]> Rows<T>(Func<string?, Task<Page<T>>> page, Func<T, string[]> fields)
    {
        string? after = null;
        do
        {
            var rows = await page(after);
            foreach (var row in rows.Items)
            {
                yield return fields(row);
            }
            after = rows.Next;
        }
        while (after is not null);
    }

    /// <summary>"1234,56": no thousands separator, so a spreadsheet reads it as a number.</summary>
    public static string Money(decimal value) => value.ToString("0.00", PtBr);

    /// <summary>"07/12/2026" in <paramref name="zone"/>.</summary>
    public static string Date(DateTimeOffset value, TimeZoneInfo zone) => ZoneTime.ToLocal(value, zone).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
}
