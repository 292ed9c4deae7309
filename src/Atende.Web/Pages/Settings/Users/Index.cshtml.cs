using Atende.Core.Common;
using Atende.Core.Identity;
using Atende.Core.Workspaces;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Atende.Web.Pages.Settings.Users;

public sealed class IndexModel(UserService users, WorkspaceService workspaces, Atende.Core.Data.AtendeDb db, Caller caller) : AppPage, IActionPage
{
    public IReadOnlyList<User> Users { get; private set; } = [];
    [BindProperty(SupportsGet = true)] public string? After { get; set; }
    public string? Next { get; private set; }
    public Dictionary<long, string> WorkspaceNames { get; private set; } = [];
    public Dictionary<long, string> PartnerNames { get; private set; } = [];
    public long CurrentUserId => caller.UserId;

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        Page<User> page;
        try
        {
            page = await users.List(After, 100, ct);
        }
        // Not a refusal to show: a mangled "after" link opens the first page.
        catch (ValidationException)
        {
            After = null;
            page = await users.List(null, 100, ct);
        }
        Users = page.Items;
        Next = page.Next;
        WorkspaceNames = (await workspaces.Visible(ct)).ToDictionary(w => w.Id, w => w.Name);
        var partnerIds = Users.Where(u => u.PartnerId is not null).Select(u => u.PartnerId!.Value).Distinct().ToList();
        PartnerNames = partnerIds.Count == 0
            ? []
            : await Visibility.Partners(db, caller).Where(p => partnerIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        return Page();
    }

    /// <summary>Deactivates a user (from this list or from the user's form): they lose access at once, their history stays.</summary>
    public async Task<IActionResult> OnPostDeactivate(long id, CancellationToken ct)
    {
        var user = await users.Get(id, ct);
        await users.Deactivate(id, ct);
        Flash($"{user.Name} foi desativado(a) e perdeu o acesso. O histórico foi mantido.");
        return Redirect("/settings/users");
    }

    /// <summary>A refused deactivation (e.g. the last admin) comes back to the list with Core's message.</summary>
    public string? RefusedActionBack(string? handler, Exception refusal) => handler == "Deactivate" ? "/settings/users" : null;

    public static string RoleName(UserRole role) => role switch
    {
        UserRole.Admin => "Administrador",
        UserRole.Agent => "Atendente",
        _ => "Portal",
    };
}
