using System.Globalization;
using Atende.Core.Settings;

namespace Atende.Core.Sales;

/// <summary>
/// CSV of the Vendas/Orçamentos list as filtered, one row per quote (its current version), for Excel pt-BR: UTF-8 with BOM,
/// ';', money as "1234,56", dates "dd/MM/yyyy" in the company's time zone, formula-safe cells (<see cref="ListCsv"/>).
/// Rows come from <see cref="QuoteService.List"/>, so the export never holds more than the list shows.
/// </summary>
public sealed class QuoteCsv(QuoteService quotes, SettingsService settings)
{
    public static readonly string[] Header =
    [
        "Número", "Situação", "Versão", "Atendimento", "Entidade", "Criado em", "Atualizado em", "Decidido em", "Validade", "Subtotal", "Descontos",
        "Total", "Emitir NF-e",
    ];

    /// <summary>"vendas-2026-12-07.csv" or "orcamentos-2026-12-07.csv".</summary>
    public static string FileName(QuoteState? state) =>
        $"{(state == QuoteState.Approved ? "vendas" : "orcamentos")}-{DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.csv";

    public async Task Export(Stream output, QuoteFilter filter, CancellationToken ct = default)
    {
        var zone = await settings.TimeZone(ct);
        await ListCsv.Write(output, Header, after => quotes.List(filter, after, 200, ct), q => [
            q.Number, QuoteService.StateName(q.State), q.Version.ToString(CultureInfo.InvariantCulture), q.TicketReference, q.PartnerName,
            ListCsv.Date(q.CreatedAt, zone), ListCsv.Date(q.UpdatedAt, zone), q.DecidedAt is { } decided ? ListCsv.Date(decided, zone) : "",
            q.ValidUntil?.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture) ?? "", ListCsv.Money(q.Subtotal), ListCsv.Money(q.DiscountTotal),
            ListCsv.Money(q.Total), q.IssueNfe ? "Sim" : "Não",
        ], ct);
    }
}
