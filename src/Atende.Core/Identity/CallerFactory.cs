using Atende.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Identity;

public static class CallerFactory
{
    /// <summary>
    /// Loads the caller (role and current workspace and pipeline grants) of an active user, or null if inactive or missing, or if
    /// <paramref name="securityStamp"/> is given and no longer matches (password changed, deactivated, signed out everywhere).
    /// <paramref name="accessVersion"/>: the version read before loading (<see cref="CallerCache"/>), 0 otherwise.
    /// </summary>
    public static async Task<Caller?> Load(AtendeDb db, long userId, string? securityStamp = null, CancellationToken ct = default, long accessVersion = 0)
    {
        var user = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId && u.Active && (securityStamp == null || u.SecurityStamp == securityStamp))
            .Select(u => new { u.Id, u.Name, u.Role, u.PartnerId, u.ContactId, u.SeesCompanyRequests, u.HiddenTicketColumns, Workspaces = u.Workspaces.Select(w => w.WorkspaceId).ToList(), Pipelines = u.Pipelines.Select(p => p.PipelineId).ToList() })
            // Two more statements rather than one whose rows are the product of the two grant lists.
            .AsSplitQuery()
            .FirstOrDefaultAsync(ct);
        return user is null ? null : new Caller(user.Id, user.Name, user.Role, user.Workspaces, user.PartnerId, user.Pipelines)
        {
            AccessVersion = accessVersion, HiddenTicketColumns = user.HiddenTicketColumns, SeesCompanyRequests = user.SeesCompanyRequests,
            ContactId = user.ContactId,
        };
    }
}
