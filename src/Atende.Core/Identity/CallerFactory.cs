using Atende.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Identity;

public static class CallerFactory
{
    /// <summary>Loads the caller (role and current workspace grants) of an active user, or null if inactive/missing.</summary>
    public static async Task<Caller?> Load(AtendeDb db, long userId, CancellationToken ct = default)
    {
        var user = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId && u.Active)
            .Select(u => new { u.Id, u.Name, u.Role, u.PartnerId, Workspaces = u.Workspaces.Select(w => w.WorkspaceId).ToList() })
            .FirstOrDefaultAsync(ct);
        return user is null ? null : new Caller(user.Id, user.Name, user.Role, user.Workspaces, user.PartnerId);
    }
}
