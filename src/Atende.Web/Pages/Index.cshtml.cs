using Atende.Core.Data;
using Atende.Core.Identity;
using Atende.Core.Settings;
using Atende.Core.Workspaces;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Atende.Web.Pages;

public sealed class IndexModel(AtendeDb db, WorkspaceService workspaces, SettingsService settings, Caller caller) : AppPage
{
    public string CompanyName { get; private set; } = "";
    public int PartnerCount { get; private set; }
    public int ContactCount { get; private set; }
    public List<Workspace> Workspaces { get; private set; } = [];
    public bool IsStaff => caller.IsStaff;
    public string UserName => caller.Name;

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        if (caller.IsPortal)
        {
            return Redirect("/portal");
        }
        CompanyName = (await settings.Company(ct)).Name;
        if (caller.IsStaff)
        {
            Workspaces = await workspaces.Visible(ct);
            var visible = Visibility.Partners(db, caller);
            PartnerCount = await visible.CountAsync(ct);
            ContactCount = await visible.SelectMany(p => p.Contacts).CountAsync(ct);
        }
        return Page();
    }
}
