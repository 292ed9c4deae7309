using Atende.Core.Sales;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages.Purchases;

/// <summary>A purchase, read-only: supplier, ticket, lines, totals and notes (404 when the user may not see its ticket).</summary>
public sealed class DetailsModel(PurchaseService purchases, Atende.Core.Settings.SettingsService settings) : AppPage, IActionPage
{
    public PurchaseDetails Details { get; private set; } = null!;
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public async Task<IActionResult> OnGet(long id, CancellationToken ct)
    {
        Details = await purchases.Details(id, ct);
        Zone = await settings.TimeZone(ct);
        return Page();
    }

    /// <summary>"Cancelar compra": back to the page, which then shows it canceled (a second cancel is flashed as refused).</summary>
    public async Task<IActionResult> OnPostCancel(long id, CancellationToken ct)
    {
        var purchase = await purchases.Cancel(id, ct);
        Flash($"Compra {purchase.Number} cancelada: ela não entra mais nos totais.");
        return Redirect($"/purchases/{id}");
    }

    public string? RefusedActionBack(string? handler, Exception refusal) => handler == "Cancel" ? $"/purchases/{RouteData.Values["id"]}" : null;
}
