using Atende.Core.Common;
using Atende.Core.Portal;
using Atende.Core.Settings;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Areas.Portal.Pages;

/// <summary>"Todos os contatos", "Em aberto", "Finalizados": the portal user's requests, newest activity first, a page at a time.</summary>
public sealed class IndexModel(PortalService portal, SettingsService settings) : AppPage
{
    [BindProperty(SupportsGet = true)]
    public string? State { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? After { get; set; }

    public PortalState Filter { get; private set; }
    public Page<PortalRequestRow> Requests { get; private set; } = new([], null);
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;
    public bool Accepting { get; private set; }

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        Filter = State?.ToLowerInvariant() switch { "open" => PortalState.Open, "finished" => PortalState.Finished, _ => PortalState.All };
        try
        {
            Requests = await portal.Requests(Filter, After, 25, ct);
        }
        catch (ValidationException)
        {
            // A broken "mais antigos" link: the first page instead of an error.
            return Redirect(Filter == PortalState.All ? "/portal/pedidos" : $"/portal/pedidos?state={State}");
        }
        Zone = await settings.TimeZone(ct);
        Accepting = (await portal.PortalSettings(ct)).PipelineId is not null;
        return Page();
    }

    public string Title => Filter switch { PortalState.Open => "Em aberto", PortalState.Finished => "Finalizados", _ => "Todos os contatos" };

    public string NextUrl => "/portal/pedidos?" + (Filter == PortalState.All ? "" : $"state={Filter.ToString().ToLowerInvariant()}&") + "after=" + Uri.EscapeDataString(Requests.Next!);
}
