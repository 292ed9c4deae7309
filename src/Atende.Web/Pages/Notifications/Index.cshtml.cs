using Atende.Core.Common;
using Atende.Core.Notifications;
using Atende.Core.Settings;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages.Notifications;

public sealed class IndexModel(NotificationService notifications, SettingsService settings) : AppPage
{
    [BindProperty(SupportsGet = true)] public string? After { get; set; }

    public Page<NotificationRow> Results { get; private set; } = new([], null);
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public async Task OnGet(CancellationToken ct)
    {
        Zone = await settings.TimeZone(ct);
        Results = await notifications.List(After, 50, ct);
    }

    /// <summary>Opens a notification: marks it read and goes to its ticket.</summary>
    public async Task<IActionResult> OnPostOpen(long id, long? ticketId, CancellationToken ct)
    {
        await notifications.MarkRead(id, ct);
        return Redirect(ticketId is { } t ? $"/tickets/{t}" : "/notifications");
    }

    public async Task<IActionResult> OnPostReadAll(CancellationToken ct)
    {
        await notifications.MarkRead(null, ct);
        Flash("Todas as notificações foram marcadas como lidas.");
        return Redirect("/notifications");
    }
}
