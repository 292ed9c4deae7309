using Atende.Core.Common;
using Atende.Core.Reports;
using Atende.Core.Tickets;
using Atende.Web.Infrastructure;
using Atende.Web.Pages.Tickets;

namespace Atende.Web.Api;

/// <summary>A ticket's first interaction in the contact-data report: plain text, who wrote it, when.</summary>
public sealed record FirstInteractionDto(string Text, string AuthorName, DateTimeOffset At);

/// <summary>One ticket of the contact-data report.</summary>
public sealed record ContactDataItem(long TicketId, string Reference, string Title, string PartnerName, string ContactName,
    IReadOnlyList<string> Phones, IReadOnlyList<string> Emails, FirstInteractionDto? FirstInteraction);

/// <summary>
/// Reports (<c>/api/v1/reports</c>), staff only, scoped like the ticket list. <c>contact-data</c>: the tickets of
/// <c>ids</c> (comma-separated, up to 1,000), or without ids the first 1,000 of a list's filter (<c>pipelineId</c>, <c>q</c>,
/// <c>tag</c>, <c>status</c>, <c>bin</c>, <c>sort</c>, as <c>GET /tickets</c>); <c>format</c> json (default), csv (Excel
/// pt-BR), text or xlsx.
/// </summary>
public static class ReportsApi
{
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/reports").RequireAuthorization(Auth.StaffPolicy).WithTags("Reports");

        group.MapGet("/contact-data", static async (ContactDataReport report, string? ids, string? format, long? pipelineId, string? q, long? tag,
            TicketStatus? status, TicketBin? bin, string? sort, CancellationToken ct) =>
        {
            format ??= "json";
            if (format is not ("json" or "csv" or "text" or "xlsx"))
            {
                throw new ValidationException("format", "Formato desconhecido: use json, csv, text ou xlsx.");
            }
            ContactData data;
            int total;
            if (ids is not null)
            {
                var wanted = ContactDataModel.Ids([ids]) ?? throw new ValidationException("ids", "Informe os números dos atendimentos separados por vírgula (ex.: 12,15).");
                data = await report.Build(wanted, ct);
                total = data.Rows.Count;
            }
            else if (pipelineId is not null)
            {
                (data, total) = await report.Build(new TicketFilter(pipelineId, q, tag, status, bin ?? TicketBin.Active, TicketSort.Parse(sort)), ct);
            }
            else
            {
                throw new ValidationException("ids", "Informe os atendimentos (ids) ou o filtro de uma lista (pipelineId).");
            }
            return format switch
            {
                "csv" => TypedResults.Stream(s => ContactDataReport.WriteCsv(s, data, ct), "text/csv; charset=utf-8", ContactDataReport.FileName("csv")),
                "text" => TypedResults.Stream(s => ContactDataReport.WriteText(s, data, ct), "text/plain; charset=utf-8", ContactDataReport.FileName("txt")),
                "xlsx" => TypedResults.Stream(s => ContactDataReport.WriteXlsx(s, data, ct), Xlsx, ContactDataReport.FileName("xlsx")),
                _ => (IResult)TypedResults.Ok(new CountedList<ContactDataItem>([.. data.Rows.Select(r => new ContactDataItem(r.TicketId, r.Reference, r.Title,
                    r.PartnerName, r.ContactName, r.Phones, r.Emails, r.First is { } f ? new FirstInteractionDto(f.Text, f.AuthorName, f.At) : null))], null, total)),
            };
        })
        .Produces<CountedList<ContactDataItem>>(StatusCodes.Status200OK, "application/json", "text/csv", "text/plain", Xlsx);

        // Início's figures, scoped to the caller; each ticket figure is the total of GET /tickets with pipelineId and
        // open=true, due=Overdue|Today, assigneeId (0: nobody), status; sales are GET /quotes' totals of their month.
        api.MapGet("/dashboard", static async (DashboardService dashboard, CancellationToken ct) => TypedResults.Ok(await dashboard.Build(ct)))
            .RequireAuthorization(Auth.StaffPolicy).WithTags("Reports");
    }
}
