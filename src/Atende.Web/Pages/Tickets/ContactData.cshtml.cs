using System.Globalization;
using Atende.Core.Common;
using Atende.Core.Reports;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages.Tickets;

/// <summary>
/// "Relatórios → Dados do contato": the tickets ticked on a list (<c>ids</c>), or every ticket of the list's filter up to
/// <see cref="ContactDataReport.MaxTickets"/> (<c>all=1</c> with the list's own parameters); on screen, and as text, CSV
/// or XLSX (<c>handler=Export&amp;format=</c>).
/// </summary>
public sealed class ContactDataModel(ContactDataReport report) : AppPage
{
    public ContactData? Report { get; private set; }
    public TicketListContext List { get; private set; } = null!;
    /// <summary>With <c>all=1</c>: how many tickets the filter holds (more than the report when over the limit).</summary>
    public int? FilterTotal { get; private set; }
    public string? Error { get; private set; }
    /// <summary>This report's own query (ids or filter), for the export links.</summary>
    public string ReportQuery { get; private set; } = "";

    /// <summary>The report form sent with nothing ticked (no ids, no filter): a hint, not an error.</summary>
    public bool NothingPicked { get; private set; }

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        List = TicketListContext.From(Request.Query);
        if (Request.Query["all"] != "1" && Request.Query["ids"].All(string.IsNullOrWhiteSpace))
        {
            NothingPicked = true;
            return Page();
        }
        if (!await Load(ct))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        return Page();
    }

    public async Task<IActionResult> OnGetExport(string? format, CancellationToken ct)
    {
        (string Extension, string ContentType, Func<Stream, ContactData, CancellationToken, Task> Write)? file = format switch
        {
            "text" => ("txt", "text/plain; charset=utf-8", ContactDataReport.WriteText),
            "csv" => ("csv", "text/csv; charset=utf-8", ContactDataReport.WriteCsv),
            "xlsx" => ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ContactDataReport.WriteXlsx),
            _ => null,
        };
        if (file is null)
        {
            await Load(ct);
            Error = "Formato de exportação desconhecido: escolha Texto, CSV ou Excel.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (!await Load(ct))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        Response.ContentType = file.Value.ContentType;
        Response.Headers.ContentDisposition = new System.Net.Mime.ContentDisposition { FileName = ContactDataReport.FileName(file.Value.Extension) }.ToString();
        Response.Headers.XContentTypeOptions = "nosniff";
        await file.Value.Write(Response.Body, Report!, ct);
        return new EmptyResult();
    }

    private async Task<bool> Load(CancellationToken ct)
    {
        List = TicketListContext.From(Request.Query);
        var all = Request.Query["all"] == "1" && List.PipelineId is not null;
        List<long>? ids = all ? [] : Ids(Request.Query["ids"]);
        ReportQuery = all
            ? List.Query() + "&all=1"
            : "?ids=" + string.Join(',', (ids ?? []).Select(id => id.ToString(CultureInfo.InvariantCulture)))
              + (List.PipelineId is { } p ? "&pipelineId=" + p.ToString(CultureInfo.InvariantCulture) : "");
        try
        {
            if (ids is null)
            {
                throw new ValidationException("ids", "A seleção de atendimentos não pôde ser lida. Volte à lista e selecione de novo.");
            }
            if (all)
            {
                (Report, var total) = await report.Build(List.Filter, ct);
                FilterTotal = total;
            }
            else
            {
                Report = await report.Build(ids, ct);
            }
            return true;
        }
        catch (ValidationException e)
        {
            Error = e.Message;
            return false;
        }
    }

    /// <summary>The ids of the query (<c>ids=1&amp;ids=2</c> or <c>ids=1,2</c>); null when one is not a number.</summary>
    public static List<long>? Ids(IEnumerable<string?> values)
    {
        var ids = new List<long>();
        foreach (var part in values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            if (!long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return null;
            }
            ids.Add(id);
        }
        return ids;
    }
}
