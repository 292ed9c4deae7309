using Atende.Core.Identity;
using Atende.Core.Reports;
using Atende.Core.Settings;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages;

/// <summary><c>Início</c>: the dashboard of what the caller sees (<see cref="DashboardService"/>); every figure links to its list.</summary>
public sealed class IndexModel(DashboardService dashboard, SettingsService settings, Caller caller) : AppPage
{
    /// <summary>Pipelines broken down by status and assignee (those with most open tickets); a company with 100 pipelines keeps a light page.</summary>
    public const int DetailedPipelines = 6;

    public string CompanyName { get; private set; } = "";
    public bool IsStaff => caller.IsStaff;
    public string UserName => caller.Name;
    public long UserId => caller.UserId;
    public Dashboard? Figures { get; private set; }
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        if (caller.IsPortal)
        {
            return Redirect("/portal");
        }
        CompanyName = (await settings.Company(ct)).Name;
        if (caller.IsStaff)
        {
            Figures = await dashboard.Build(ct);
            Zone = await settings.TimeZone(ct);
        }
        return Page();
    }
}
