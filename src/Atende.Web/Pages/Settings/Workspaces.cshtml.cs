using Atende.Core.Common;
using Atende.Core.Workspaces;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Atende.Web.Pages.Settings;

public sealed class WorkspacesModel(WorkspaceService workspaces) : AppPage, IFormPage
{
    public sealed class NameForm
    {
        public long Id { get; set; }
        /// <summary>The version the rename form showed: a rename made meanwhile by another admin is refused, not overwritten.</summary>
        public int Version { get; set; } = Versions.Any;
        public string? Name { get; set; }
    }

    /// <summary>The create form at the top.</summary>
    [BindProperty] public NameForm New { get; set; } = new();

    /// <summary>The rename form of one row.</summary>
    [BindProperty] public NameForm Rename { get; set; } = new();

    /// <summary>The row whose rename was refused: it shows what was typed and the error.</summary>
    public long? FailedRenameId { get; private set; }

    public List<Workspace> Workspaces { get; private set; } = [];
    public Dictionary<long, int> UserCounts { get; private set; } = [];

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        await Load(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostCreate(CancellationToken ct)
    {
        var workspace = await workspaces.Create(New.Name, ct);
        Flash($"Domínio \"{workspace.Name}\" criado. Conceda-o aos usuários em Usuários.");
        return Redirect("/settings/workspaces");
    }

    public async Task<IActionResult> OnPostRename(CancellationToken ct)
    {
        // Shown only if the rename is refused: that row then keeps what was typed and the error.
        FailedRenameId = Rename.Id;
        var workspace = await workspaces.Rename(Rename.Id, Rename.Version, Rename.Name, ct);
        Flash($"Domínio renomeado para \"{workspace.Name}\".");
        return Redirect($"/settings/workspaces#workspace-{workspace.Id}");
    }

    public string ErrorPrefix(string? handler) => handler == "Rename" ? nameof(Rename) : nameof(New);

    public Task Redisplay(CancellationToken ct) => Load(ct);

    /// <summary>A rename based on a stale version: the message by the name that row was renaming.</summary>
    public bool ShowConflict(PageModel page, Exception conflict)
    {
        ModelState.AddModelError($"{nameof(Rename)}.Name", conflict.Message);
        return true;
    }

    private async Task Load(CancellationToken ct)
    {
        Workspaces = await workspaces.Visible(ct);
        UserCounts = await workspaces.GrantedUserCounts(ct);
    }
}
