using System.Globalization;
using Atende.Core.Common;
using Atende.Core.Pipelines;
using Atende.Core.Sales;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages.Purchases;

/// <summary>
/// Menu Compras: the purchases the user may see, filtered by creation period, supplier and pipeline, with the filter's count
/// and total, keyset paging and the CSV of what is filtered. Everything comes from <see cref="PurchaseService"/>.
/// </summary>
public sealed class IndexModel(PurchaseService purchases, PurchaseCsv csv, PipelineService pipelines, Atende.Core.Settings.SettingsService settings) : AppPage
{
    public const int PageSize = 50;

    /// <summary>Creation period, "dd/mm/aaaa".</summary>
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public long? SupplierId { get; set; }
    [BindProperty(SupportsGet = true)] public long? PipelineId { get; set; }
    /// <summary>One ticket's purchases (the Compras tab's "Ver todas").</summary>
    [BindProperty(SupportsGet = true)] public long? TicketId { get; set; }
    [BindProperty(SupportsGet = true)] public string? After { get; set; }

    public Page<PurchaseRow> Results { get; private set; } = new([], null);
    public PurchaseTotals Totals { get; private set; } = new(0, 0);
    public List<PipelineSummary> Pipelines { get; private set; } = [];
    public List<(long Id, string Name)> Suppliers { get; private set; } = [];
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;
    public Dictionary<string, string> FilterErrors { get; } = [];
    public bool Filtered => From is { Length: > 0 } || To is { Length: > 0 } || SupplierId is not null || PipelineId is not null
        || TicketId is not null;

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        var filter = Filter();
        Zone = await settings.TimeZone(ct);
        Pipelines = await pipelines.List(ct: ct);
        Suppliers = await purchases.Suppliers(null, activeOnly: false, ct: ct);
        // A filter the selects cannot show (an old link, another workspace's id): said by the field, the list stays filtered (empty).
        if (SupplierId is { } supplierId && Suppliers.All(s => s.Id != supplierId))
        {
            FilterErrors["supplierId"] = "Fornecedor: não encontrado entre os que você vê. Escolha outro ou limpe os filtros.";
        }
        if (PipelineId is { } pipelineId && Pipelines.All(p => p.Id != pipelineId))
        {
            FilterErrors["pipelineId"] = "Fluxo: não encontrado entre os que você vê. Escolha outro ou limpe os filtros.";
        }
        try
        {
            Results = await purchases.List(filter, After, PageSize, ct);
        }
        // A mangled "after" link opens the first page.
        catch (ValidationException)
        {
            After = null;
            Results = await purchases.List(filter, null, PageSize, ct);
        }
        Totals = await purchases.Totals(filter, ct);
        return Page();
    }

    /// <summary>"Exportar CSV": every row of the filter (all pages), as the list shows them.</summary>
    public async Task<IActionResult> OnGetExport(CancellationToken ct)
    {
        var filter = Filter();
        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers.ContentDisposition = new System.Net.Mime.ContentDisposition { FileName = PurchaseCsv.FileName() }.ToString();
        await csv.Export(Response.Body, filter, ct);
        return new EmptyResult();
    }

    private PurchaseFilter Filter()
    {
        var from = ReadDate(From, "from", "De");
        var to = ReadDate(To, "to", "Até");
        if (from is not null && to is not null && to < from)
        {
            FilterErrors["to"] = "Até: a data final é anterior à inicial. A data foi ignorada.";
            to = null;
        }
        return new PurchaseFilter(SupplierId, PipelineId, TicketId, from, to);
    }

    private DateOnly? ReadDate(string? text, string key, string label)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (DateOnly.TryParseExact(text.Trim(), ["d/M/yyyy", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            && date.Year is >= 2000 and <= 2100)
        {
            return date;
        }
        FilterErrors[key] = $"{label}: use o formato dd/mm/aaaa, por exemplo 01/12/2026. A data foi ignorada.";
        return null;
    }

    /// <summary>This list's URL with its filters, some replaced (null removes one).</summary>
    public string ListUrl(params (string Key, string? Value)[] changes)
    {
        var values = new Dictionary<string, string?>
        {
            ["from"] = From, ["to"] = To, ["supplierId"] = SupplierId?.ToString(CultureInfo.InvariantCulture),
            ["pipelineId"] = PipelineId?.ToString(CultureInfo.InvariantCulture), ["ticketId"] = TicketId?.ToString(CultureInfo.InvariantCulture),
            ["after"] = After,
        };
        foreach (var (key, value) in changes)
        {
            values[key] = value;
        }
        return "/purchases" + QueryString.Create(values.Where(v => !string.IsNullOrEmpty(v.Value))).ToString();
    }

    public string ExportUrl => ListUrl(("handler", "Export"), ("after", null));
}
