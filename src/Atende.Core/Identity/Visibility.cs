using System.Linq.Expressions;
using Atende.Core.Conversations;
using Atende.Core.Data;
using Atende.Core.Partners;
using Atende.Core.Pipelines;
using Atende.Core.Sales;
using Atende.Core.Tickets;
using Atende.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Identity;

/// <summary>
/// What a caller may see: the one place the rule is written. Every list, search, count, export, board, agenda feed,
/// notification and e-mail recipient check reads through here, so none of them can show more than the detail page.
/// </summary>
/// <remarks>
/// <para>Staff: admins see everything. Agents see the partners and conversations of the workspaces granted to them, and the
/// tickets of a pipeline they are authorized on whose requester is in one of those workspaces (both grants needed).</para>
/// <para>Portal scope (role Portal, <see cref="Caller.PartnerId"/> set): the tickets they opened whose requester is their own
/// partner — every ticket of that partner with "vê todos os pedidos da empresa" (<see cref="Caller.SeesCompanyRequests"/>) — in
/// any pipeline and not in the trash; only the public (non-internal) interactions of those; their own partner record; no
/// conversations, pipelines or workspaces. A Portal caller without a partner sees nothing. The staff services
/// (<c>TicketService</c>, <c>PartnerService</c>, …) still refuse Portal callers (<see cref="Caller.RequireStaff"/>) and the
/// staff pages and API require the Staff policy: this scope is for the customer portal's own pages, nothing else.</para>
/// </remarks>
public static class Visibility
{
    /// <summary>Partners the caller may see: admins all, agents those of their workspaces, a Portal user their own partner.</summary>
    public static IQueryable<Partner> Partners(AtendeDb db, Caller caller)
    {
        if (caller.IsAdmin)
        {
            return db.Partners;
        }
        if (!caller.IsStaff)
        {
            var partnerId = PortalPartner(caller);
            return db.Partners.Where(p => p.Id == partnerId);
        }
        var workspaceIds = caller.WorkspaceIds.ToArray();
        if (workspaceIds.Length == 1)
        {
            // Equality, not "= ANY(@ids)": PostgreSQL then reads IX_Partners_WorkspaceId_SortName_Id in list order
            // instead of filtering the whole SortName index (see bench/README.md).
            var workspaceId = workspaceIds[0];
            return db.Partners.Where(p => p.WorkspaceId == workspaceId);
        }
        return db.Partners.Where(p => workspaceIds.Contains(p.WorkspaceId));
    }

    /// <summary>Tickets the caller may see, in any bin for staff (see <see cref="TicketRule"/>).</summary>
    public static IQueryable<Ticket> Tickets(AtendeDb db, Caller caller, bool useGrantsIndex = false) => db.Tickets.Where(TicketRule(caller, useGrantsIndex));

    /// <summary>
    /// The condition of <see cref="Tickets"/>, to combine with others in one expression (the ticket search): admins every
    /// ticket; agents those of a pipeline they are authorized on whose requester is in one of their workspaces; a Portal user
    /// the tickets of their partner they opened (all of the partner's with <see cref="Caller.SeesCompanyRequests"/>) outside the trash.
    /// </summary>
    /// <param name="useGrantsIndex">
    /// True to let the index (WorkspaceId, PipelineId, Bin, Id) answer the agent's grants: all their tickets of a list, in
    /// no order (the ticket search meets the text index's matches there). False (lists, pages) writes "WorkspaceId + 0",
    /// which no index answers, so SQLite (no statistics) walks a list's ordering index and stops after a page instead of
    /// reading and sorting every ticket of the agent's workspaces.
    /// </param>
    public static Expression<Func<Ticket, bool>> TicketRule(Caller caller, bool useGrantsIndex = false)
    {
        if (caller.IsAdmin)
        {
            return t => true;
        }
        if (!caller.IsStaff)
        {
            var partnerId = PortalPartner(caller);
            if (caller.SeesCompanyRequests)
            {
                return t => t.PartnerId == partnerId && t.Bin != TicketBin.Trash;
            }
            var userId = caller.UserId;
            return t => t.PartnerId == partnerId && t.CreatedById == userId && t.Bin != TicketBin.Trash;
        }
        var pipelineIds = caller.PipelineIds.ToArray();
        var workspaceIds = caller.WorkspaceIds.ToArray();
        if (workspaceIds.Length == 1)
        {
            var workspaceId = workspaceIds[0];
            return useGrantsIndex
                ? t => pipelineIds.Contains(t.PipelineId) && t.WorkspaceId == workspaceId
                : t => pipelineIds.Contains(t.PipelineId) && t.WorkspaceId + 0 == workspaceId;
        }
        return useGrantsIndex
            ? t => pipelineIds.Contains(t.PipelineId) && workspaceIds.Contains(t.WorkspaceId)
            : t => pipelineIds.Contains(t.PipelineId) && workspaceIds.Contains(t.WorkspaceId + 0);
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Caller, Func<Ticket, bool>> CompiledTicketRules = [];

    /// <summary>
    /// Whether the caller may see <paramref name="ticket"/> as it is in memory (the live screens, checking each note as it is
    /// delivered): <see cref="TicketRule"/> itself, compiled once per caller — a caller is cached per access version, so a
    /// change of grants, activity or portal scope gives a new caller and a new rule.
    /// </summary>
    public static bool SeesTicket(Caller caller, Ticket ticket) => CompiledTicketRules.GetValue(caller, c => TicketRule(c).Compile())(ticket);

    /// <summary>The interactions of a ticket the caller may see: staff all of them (internal notes too), a Portal user only the public ones.</summary>
    public static IQueryable<Interaction> Interactions(AtendeDb db, Caller caller, long ticketId)
    {
        var tickets = Tickets(db, caller);
        var query = db.Interactions.Where(i => i.TicketId == ticketId && tickets.Any(t => t.Id == i.TicketId));
        return caller.IsStaff ? query : query.Where(i => !i.Internal);
    }

    /// <summary>Conversations the caller may see: admins all, agents those of partners in their workspaces, Portal users none.</summary>
    /// <param name="useWorkspaceIndex">
    /// False when the query is narrowed by something more selective (a seller): the workspace test is then written
    /// "WorkspaceId + 0", which no index answers, so SQLite (which keeps no statistics) reads (SellerId, At) instead of
    /// walking the workspace's whole (WorkspaceId, At) range. PostgreSQL would choose right either way.
    /// </param>
    public static IQueryable<Conversation> Conversations(AtendeDb db, Caller caller, bool useWorkspaceIndex = true)
    {
        if (caller.IsAdmin)
        {
            return db.Conversations;
        }
        if (!caller.IsStaff)
        {
            return db.Conversations.Where(c => false);
        }
        var workspaceIds = caller.WorkspaceIds.ToArray();
        if (workspaceIds.Length == 1)
        {
            var workspaceId = workspaceIds[0];
            return useWorkspaceIndex ? db.Conversations.Where(c => c.WorkspaceId == workspaceId) : db.Conversations.Where(c => c.WorkspaceId + 0 == workspaceId);
        }
        return useWorkspaceIndex ? db.Conversations.Where(c => workspaceIds.Contains(c.WorkspaceId)) : db.Conversations.Where(c => workspaceIds.Contains(c.WorkspaceId + 0));
    }

    /// <summary>
    /// Quotes and sales the caller may see: those of the tickets they see, by the rule of <see cref="TicketRule"/> on the
    /// ticket's pipeline and workspace kept on each quote (staff only; the portal shows none yet).
    /// </summary>
    public static IQueryable<Quote> Quotes(AtendeDb db, Caller caller) => ByTicketScope(db.Quotes, caller);

    /// <summary>The rows of <see cref="QuoteTotal"/> that sum only quotes the caller may see (<see cref="Quotes"/>'s rule).</summary>
    public static IQueryable<QuoteTotal> QuoteTotals(AtendeDb db, Caller caller) => ByTicketScope(db.QuoteTotals, caller);

    /// <summary>The rows of <see cref="TicketCount"/> that count only tickets the staff caller may see (<see cref="TicketRule"/> on pipeline and workspace).</summary>
    public static IQueryable<TicketCount> TicketCounts(AtendeDb db, Caller caller) => ByTicketScope(db.TicketCounts, caller);

    /// <summary>
    /// Purchases the caller may see: by the same rule as <see cref="Quotes"/>, on the ticket's pipeline and workspace kept on
    /// each purchase (staff only).
    /// </summary>
    public static IQueryable<Purchase> Purchases(AtendeDb db, Caller caller) => ByTicketScope(db.Purchases, caller);

    /// <summary>Rows that carry their ticket's pipeline and workspace, seen by staff on both grants (admins all, others none).</summary>
    private static IQueryable<T> ByTicketScope<T>(IQueryable<T> rows, Caller caller) where T : class, ITicketScoped
    {
        if (caller.IsAdmin)
        {
            return rows;
        }
        if (!caller.IsStaff)
        {
            return rows.Where(r => false);
        }
        var pipelineIds = caller.PipelineIds.ToArray();
        var workspaceIds = caller.WorkspaceIds.ToArray();
        return rows.Where(r => pipelineIds.Contains(r.PipelineId) && workspaceIds.Contains(r.WorkspaceId));
    }

    /// <summary>Workspaces the caller may see: admins all, agents their granted ones, Portal users none.</summary>
    public static IQueryable<Workspace> Workspaces(AtendeDb db, Caller caller)
    {
        if (caller.IsAdmin)
        {
            return db.Workspaces;
        }
        var ids = caller.IsStaff ? caller.WorkspaceIds.ToArray() : [];
        return db.Workspaces.Where(w => ids.Contains(w.Id));
    }

    /// <summary>Whether the caller may see <paramref name="workspaceId"/> (the rule of <see cref="Workspaces"/>, without a query).</summary>
    public static bool SeesWorkspace(Caller caller, long workspaceId) => caller.IsAdmin || (caller.IsStaff && caller.WorkspaceIds.Contains(workspaceId));

    /// <summary>Pipelines the caller may see: admins all, agents those they are authorized on, Portal users none.</summary>
    public static IQueryable<Pipeline> Pipelines(AtendeDb db, Caller caller)
    {
        if (caller.IsAdmin)
        {
            return db.Pipelines;
        }
        var ids = caller.IsStaff ? caller.PipelineIds.ToArray() : [];
        return db.Pipelines.Where(p => ids.Contains(p.Id));
    }

    /// <summary>Whether the caller may see <paramref name="pipelineId"/> (the rule of <see cref="Pipelines"/>, without a query).</summary>
    public static bool SeesPipeline(Caller caller, long pipelineId) => caller.IsAdmin || (caller.IsStaff && caller.PipelineIds.Contains(pipelineId));

    // The users' side: who may see a ticket, for assignees, notifications and e-mail recipients.

    /// <summary>
    /// The staff users who may see a ticket of <paramref name="pipelineId"/> whose requester is in <paramref name="workspaceId"/>:
    /// the rule of <see cref="Tickets"/> read from the users' side (active admins; active agents with both grants; never an
    /// inactive user). Who may be assigned a ticket, and who may be told about it (notifications, e-mails): a user never hears
    /// of a ticket they cannot open. Portal users are not among them: they are never assignees nor told here.
    /// </summary>
    public static IQueryable<User> UsersWhoSee(AtendeDb db, long pipelineId, long workspaceId) =>
        db.Users.Where(u => u.Active && (u.Role == UserRole.Admin
            || (u.Role == UserRole.Agent && u.Pipelines.Any(p => p.PipelineId == pipelineId) && u.Workspaces.Any(w => w.WorkspaceId == workspaceId))));

    /// <summary>
    /// The portal users who may see <paramref name="ticket"/>: the Portal rule of <see cref="TicketRule"/> read from the users'
    /// side (active, of the ticket's partner, who opened it or see all the company's requests; nobody for a ticket in the trash).
    /// Who is told by e-mail of chat messages they missed.
    /// </summary>
    public static IQueryable<User> PortalUsersWhoSee(AtendeDb db, Ticket ticket)
    {
        var partnerId = ticket.PartnerId;
        var openerId = ticket.CreatedById;
        var inTrash = ticket.Bin == TicketBin.Trash;
        return db.Users.Where(u => !inTrash && u.Active && u.Role == UserRole.Portal && u.PartnerId == partnerId && (u.SeesCompanyRequests || u.Id == openerId));
    }

    /// <summary>Whether <paramref name="userId"/> is among <see cref="UsersWhoSee"/> <paramref name="ticket"/> as it is in memory (an unsaved change included).</summary>
    public static Task<bool> UserSees(AtendeDb db, long userId, Ticket ticket, CancellationToken ct = default) =>
        UsersWhoSee(db, ticket.PipelineId, ticket.WorkspaceId).AnyAsync(u => u.Id == userId, ct);

    /// <summary>
    /// Why <paramref name="userId"/> may not see a ticket of this pipeline and workspace, in pt-BR ("Bruno não tem acesso a este
    /// atendimento (domínio Filial)"): the pipeline when they lack it, else the workspace.
    /// </summary>
    public static async Task<string> NoAccess(AtendeDb db, long userId, long pipelineId, long workspaceId, CancellationToken ct = default)
    {
        var user = await db.Users.Where(u => u.Id == userId)
            .Select(u => new { u.Name, HasPipeline = u.Pipelines.Any(p => p.PipelineId == pipelineId) }).FirstAsync(ct);
        var scope = user.HasPipeline
            ? "domínio " + await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.Name).FirstAsync(ct)
            : "fluxo " + await db.Pipelines.Where(p => p.Id == pipelineId).Select(p => p.Name).FirstAsync(ct);
        return $"{user.Name} não tem acesso a este atendimento ({scope}).";
    }

    /// <summary>The partner of a Portal caller; -1 (no row) when none is set, so such a caller sees nothing.</summary>
    private static long PortalPartner(Caller caller) => caller.Role == UserRole.Portal && caller.PartnerId is { } id ? id : -1;
}
