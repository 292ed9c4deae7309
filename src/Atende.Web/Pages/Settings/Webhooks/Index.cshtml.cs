using Atende.Core.Events;
using Atende.Core.Settings;
using Atende.Core.Webhooks;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages.Settings.Webhooks;

/// <summary>/settings/webhooks: the endpoints that receive the company's events, whether each is on, and since when it fails.</summary>
public sealed class IndexModel(WebhookService webhooks, SettingsService settings) : AppPage
{
    public List<WebhookView> Endpoints { get; private set; } = [];

    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        Zone = await settings.TimeZone(ct);
        Endpoints = await webhooks.List(ct);
        return Page();
    }

    /// <summary>"Todos os eventos", or the labels of the subscribed ones ("Atendimento criado, Parceiro alterado").</summary>
    public static string EventsSummary(IReadOnlyList<string> events) => events.Count == 0
        ? "Todos os eventos"
        : string.Join(", ", EventTypes.Subscribable.Where(s => events.Contains(s.Type)).Select(s => s.Label));
}
