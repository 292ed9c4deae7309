using Atende.Core.Sales;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages.Purchases;

/// <summary>A purchase, read-only: supplier, ticket, lines, totals and notes (404 when the user may not see its ticket).</summary>
public sealed class DetailsModel(PurchaseService purchases, Atende.Core.Settings.SettingsService settings) : AppPage
{
    public PurchaseDetails Details { get; private set; } = null!;
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public async Task<IActionResult> OnGet(long id, CancellationToken ct)
    {
        Details = await purchases.Details(id, ct);
        Zone = await settings.TimeZone(ct);
        return Page();
    }
}
