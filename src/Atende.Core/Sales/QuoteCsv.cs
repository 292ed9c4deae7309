using System.Globalization;
using System.Text;
using Atende.Core.Common;
using Atende.Core.Partners;
using Atende.Core.Settings;
using CsvHelper;
using CsvHelper.Configuration;

namespace Atende.Core.Sales;

/// <summary>
/// CSV of the Vendas/Orçamentos list as filtered, one row per quote (its current version), for Excel pt-BR: UTF-8 with BOM,
/// ';', money as "1234,56", dates "dd/MM/yyyy" in the company's time zone, formula-safe cells (<see cref="PartnerCsv.SafeCell"/>).
/// Rows come from <see cref="QuoteService.List"/>, so the export never holds more than the list shows.
/// </summary>
public sealed class QuoteCsv(QuoteService quotes, SettingsService settings)
{
    public static readonly string[] Header =
    [
        "Número", "Situação", "Versão", "Atendimento", "Entidade", "Criado em", "Atualizado em", "Decidido em", "Validade", "Subtotal", "Descontos",
        "Total", "Emitir NF-e",
    ];

    private static readonly CultureInfo PtBr = CultureInfo.GetCultureInfo("pt-BR");

    /// <summary>"vendas-2026-12-07.csv" or "orcamentos-2026-12-07.csv".</summary>
    public static string FileName(QuoteState? state) =>
        $"{(state == QuoteState.Approved ? "vendas" : "orcamentos")}-{DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.csv";

    public async Task Export(Stream output, QuoteFilter filter, CancellationToken ct = default)
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
            var page = await quotes.List(filter, after, 200, ct);
            foreach (var q in page.Items)
            {
                string[] fields =
                [
                    q.Number, QuoteService.StateName(q.State), q.Version.ToString(CultureInfo.InvariantCulture), q.TicketReference, q.PartnerName,
                    Date(q.CreatedAt, zone), Date(q.UpdatedAt, zone), q.DecidedAt is { } decided ? Date(decided, zone) : "",
                    q.ValidUntil?.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture) ?? "", Money(q.Subtotal), Money(q.DiscountTotal), Money(q.Total),
                    q.IssueNfe ? "Sim" : "Não",
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
    public static string Money(decimal value) => value.ToString("0.00", PtBr);

    private static string Date(DateTimeOffset value, TimeZoneInfo zone) => ZoneTime.ToLocal(value, zone).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
}
