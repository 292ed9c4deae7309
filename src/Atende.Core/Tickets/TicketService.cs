using Atende.Core.Data;
using Atende.Core.Identity;

namespace Atende.Core.Tickets;

/// <summary>Tickets (atendimentos), always scoped to the caller's pipelines and workspaces.</summary>
public sealed class TicketService(AtendeDb db, Caller caller)
{
    /// <summary>
    /// Tickets the caller may see, in any bin: admins all; agents those in a pipeline they are authorized on whose
    /// requester is in one of their workspaces; portal users none.
    /// </summary>
    public static IQueryable<Ticket> VisibleTickets(AtendeDb db, Caller caller)
    {
        if (caller.IsAdmin)
        {
            return db.Tickets;
        }
        if (!caller.IsStaff)
        {
            return db.Tickets.Where(t => false);
        }
        var pipelineIds = caller.PipelineIds.ToArray();
        var workspaceIds = caller.WorkspaceIds.ToArray();
        if (workspaceIds.Length == 1)
        {
            var workspaceId = workspaceIds[0];
            return db.Tickets.Where(t => pipelineIds.Contains(t.PipelineId) && t.WorkspaceId == workspaceId);
        }
        return db.Tickets.Where(t => pipelineIds.Contains(t.PipelineId) && workspaceIds.Contains(t.WorkspaceId));
    }

    public IQueryable<Ticket> Visible() => VisibleTickets(db, caller);
}
