using Atende.Core.Reports;
using Atende.Core.Settings;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages.Quotes;

/// <summary>A quote or sale printed on A4: one version (<c>?version=N</c>; default the current one) with its customer, lines and totals.</summary>
public sealed class PrintModel(PrintSheets sheets, SettingsService settings) : AppPage
{
    public QuoteSheet Sheet { get; private set; } = null!;
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public async Task<IActionResult> OnGet(long id, int? version, CancellationToken ct)
    {
        Sheet = await sheets.Quote(id, version, ct);
        Zone = await settings.TimeZone(ct);
        return Page();
    }
}
