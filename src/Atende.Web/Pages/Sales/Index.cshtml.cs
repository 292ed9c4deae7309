using System.Globalization;
using Atende.Core.Common;
using Atende.Core.Partners;
using Atende.Core.Pipelines;
using Atende.Core.Sales;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Htmx;

namespace Atende.Web.Pages.Sales;

/// <summary>
/// Menu Vendas: the tab Vendas (approved quotes) and the tab Orçamentos (awaiting approval, or rejected through the state
/// filter), filtered by creation period, partner and pipeline, with the filter's count and total, keyset paging and the CSV of
/// what is filtered. Everything comes from <see cref="QuoteService"/>, so an agent sees the quotes of the tickets they see.
/// </summary>
public sealed class IndexModel(QuoteService quotes, QuoteCsv csv, PartnerService partners, PipelineService pipelines,
    Atende.Core.Settings.SettingsService settings) : AppPage
{
    public const int PageSize = 50;

    /// <summary>"vendas" or "orcamentos".</summary>
    [BindProperty(SupportsGet = true)] public string? Tab { get; set; }
    /// <summary>On Orçamentos: PendingApproval (default) or Rejected.</summary>
    [BindProperty(SupportsGet = true)] public QuoteState? State { get; set; }
    /// <summary>Creation period, "dd/mm/aaaa".</summary>
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public long? PartnerId { get; set; }
    /// <summary>The partner search box: its matches are offered as links that set <see cref="PartnerId"/>.</summary>
    [BindProperty(SupportsGet = true)] public string? PartnerQ { get; set; }
    [BindProperty(SupportsGet = true)] public long? PipelineId { get; set; }
    [BindProperty(SupportsGet = true)] public string? After { get; set; }

    public bool SalesTab => Tab != "orcamentos";
    public Page<QuoteRow> Results { get; private set; } = new([], null);
    public QuoteTotals Totals { get; private set; } = new(0, 0);
    public List<PipelineSummary> Pipelines { get; private set; } = [];
    public string? PartnerName { get; private set; }
    public Page<PartnerRow>? PartnerChoices { get; private set; }
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;
    public Dictionary<string, string> FilterErrors { get; } = [];
    public bool Filtered => From is { Length: > 0 } || To is { Length: > 0 } || PartnerId is not null || PipelineId is not null
        || (!SalesTab && State == QuoteState.Rejected);

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        var filter = Filter();
        Zone = await settings.TimeZone(ct);
        Pipelines = await pipelines.List(ct: ct);
        await LoadPartner(ct);
        try
        {
            Results = await quotes.List(filter, After, PageSize, ct);
        }
        // Not a refusal to show: a mangled "after" link opens the first page.
        catch (ValidationException)
        {
            After = null;
            Results = await quotes.List(filter, null, PageSize, ct);
        }
        Totals = await quotes.Totals(filter, ct);
        return Page();
    }

    /// <summary>"Exportar CSV": every row of the filter (all pages), as the list shows them.</summary>
    public async Task<IActionResult> OnGetExport(CancellationToken ct)
    {
        var filter = Filter();
        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers.ContentDisposition = new System.Net.Mime.ContentDisposition { FileName = QuoteCsv.FileName(filter.State) }.ToString();
        await csv.Export(Response.Body, filter, ct);
        return new EmptyResult();
    }

    /// <summary>The partner search as you type (htmx): the matches as links.</summary>
    public async Task<IActionResult> OnGetPartners(CancellationToken ct)
    {
        PartnerId = null;
        await LoadPartner(ct);
        return Request.IsHtmx() ? Partial("_PartnerFilter", this) : Redirect(ListUrl(("partnerId", null), ("after", null)));
    }

    private QuoteFilter Filter()
    {
        Tab = SalesTab ? "vendas" : "orcamentos";
        var state = SalesTab ? QuoteState.Approved : State == QuoteState.Rejected ? QuoteState.Rejected : QuoteState.PendingApproval;
        State = SalesTab ? null : state;
        var from = ReadDate(From, "from", "De");
        var to = ReadDate(To, "to", "Até");
        if (from is not null && to is not null && to < from)
        {
            FilterErrors["to"] = "Até: a data final é anterior à inicial.";
            to = null;
        }
        return new QuoteFilter(state, PipelineId, PartnerId, null, from, to);
    }

    private async Task LoadPartner(CancellationToken ct)
    {
        if (PartnerId is { } id)
        {
            try
            {
                PartnerName = (await partners.Get(id, ct)).Name;
            }
            // A partner gone or not the caller's: the list stays empty (the filter still applies), with the reason by the field.
            catch (NotFoundException)
            {
                FilterErrors["partner"] = "Entidade não encontrada.";
            }
        }
        else if (!string.IsNullOrWhiteSpace(PartnerQ))
        {
            PartnerChoices = await partners.List(new PartnerFilter(PartnerQ, null, null, null), null, 8, ct);
        }
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
            ["tab"] = Tab, ["state"] = SalesTab || State != QuoteState.Rejected ? null : "Rejected", ["from"] = From, ["to"] = To,
            ["partnerId"] = PartnerId?.ToString(CultureInfo.InvariantCulture), ["pipelineId"] = PipelineId?.ToString(CultureInfo.InvariantCulture),
            ["after"] = After,
        };
        foreach (var (key, value) in changes)
        {
            values[key] = value;
        }
        return "/sales" + QueryString.Create(values.Where(v => !string.IsNullOrEmpty(v.Value))).ToString();
    }

    public string ExportUrl => ListUrl(("handler", "Export"), ("after", null));
}
