using Atende.Core.Reports;
using Atende.Core.Settings;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages.Tickets;

/// <summary>
/// The ticket printed on A4: every field, the requester, and its interactions (internal notes included, marked as such) unless
/// <c>?interactions=0</c> (or <c>false</c>).
/// </summary>
public sealed class PrintModel(PrintSheets sheets, SettingsService settings) : AppPage
{
    [BindProperty(SupportsGet = true)] public string? Interactions { get; set; }

    public bool WithInteractions => Interactions?.Trim().ToLowerInvariant() is not ("0" or "false");
    public TicketSheet Sheet { get; private set; } = null!;
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public async Task<IActionResult> OnGet(long id, CancellationToken ct)
    {
        Sheet = await sheets.Ticket(id, WithInteractions, ct);
        Zone = await settings.TimeZone(ct);
        return Page();
    }
}
