using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Workspaces;

public sealed class WorkspaceService(AtendeDb db, Caller caller)
{
    /// <summary>Workspaces the caller may see (<see cref="Visibility.Workspaces"/>), by name.</summary>
    public Task<List<Workspace>> Visible(CancellationToken ct = default)
    {
        return Visibility.Workspaces(db, caller).AsNoTracking().OrderBy(w => w.Name).ToListAsync(ct);
    }

    public async Task<Workspace> Get(long id, CancellationToken ct = default)
    {
        if (!Visibility.SeesWorkspace(caller, id))
        {
            throw new NotFoundException("Domínio não encontrado.");
        }
        return await db.Workspaces.FirstOrDefaultAsync(w => w.Id == id, ct) ?? throw new NotFoundException("Domínio não encontrado.");
    }

    /// <summary>How many active users are granted each workspace, in one grouped query; workspaces nobody holds are absent.</summary>
    public async Task<Dictionary<long, int>> GrantedUserCounts(CancellationToken ct = default)
    {
        caller.RequireAdmin();
        return await (
                from grant in db.UserWorkspaces
                join user in db.Users on grant.UserId equals user.Id
                where user.Active
                group grant by grant.WorkspaceId into g
                select new { WorkspaceId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.WorkspaceId, x => x.Count, ct);
    }

    public async Task<Workspace> Create(string? name, CancellationToken ct = default)
    {
        caller.RequireAdmin();
        var workspace = new Workspace { Name = await ValidName(name, null, ct) };
        db.Workspaces.Add(workspace);
        await db.SaveChangesAsync(ct);
        return workspace;
    }

    public async Task<Workspace> Rename(long id, int version, string? name, CancellationToken ct = default)
    {
        caller.RequireAdmin();
        var workspace = await Get(id, ct);
        Versions.Check(workspace.Version, version, Stale);
        workspace.Name = await ValidName(name, id, ct);
        workspace.Version++;
        await Versions.Save(db, Stale, ct);
        return workspace;
    }

    private const string Stale = "Este domínio foi alterado por outra pessoa enquanto você editava. Recarregue e tente de novo.";

    private async Task<string> ValidName(string? name, long? exceptId, CancellationToken ct)
    {
        var v = new Validation();
        var clean = v.Text("name", "Nome do domínio", name, 100);
        v.ThrowIfAny();
        var all = await db.Workspaces.Where(w => w.Id != exceptId).Select(w => w.Name).ToListAsync(ct);
        if (all.Any(n => SearchText.Normalize(n) == SearchText.Normalize(clean)))
        {
            throw new ValidationException("name", $"Já existe um domínio chamado \"{clean}\".");
        }
        return clean;
    }
}
