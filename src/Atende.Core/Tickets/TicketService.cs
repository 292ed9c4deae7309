using System.Globalization;
using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Events;
using Atende.Core.Identity;
using Atende.Core.Settings;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Tickets;

/// <summary>Tickets (atendimentos), always scoped to the caller's pipelines and workspaces.</summary>
/// <remarks><paramref name="links"/> makes the links in e-mails (a default when none is given).</remarks>
public sealed partial class TicketService(AtendeDb db, Caller caller, EventLog events, PublicLinks? links = null, VersionedCache? cache = null,
    TimeZoneCache? zones = null)
{
    private static readonly CultureInfo PtBr = CultureInfo.GetCultureInfo("pt-BR");

    /// <summary>
    /// The tickets this staff service works on: <see cref="Visibility.Tickets"/>, for staff only. A Portal caller is refused
    /// here (the customer portal reads its scope from <see cref="Visibility"/> itself), so no staff list, search, board or
    /// detail can show a Portal user anything.
    /// </summary>
    private IQueryable<Ticket> Visible(bool useGrantsIndex = false)
    {
        caller.RequireStaff();
        return Visibility.Tickets(db, caller, useGrantsIndex);
    }

    /// <summary>
    /// The users the caller may make assignee of a ticket of this pipeline and requester workspace, by name: those who would see
    /// it (<see cref="Visibility.UsersWhoSee"/>). The form, the ticket header and the list row offer these, so no choice is refused.
    /// </summary>
    public Task<List<User>> Assignable(long pipelineId, long workspaceId, CancellationToken ct = default)
    {
        caller.RequireStaff();
        return Visibility.UsersWhoSee(db, pipelineId, workspaceId).AsNoTracking().OrderBy(u => u.Name).ThenBy(u => u.Id).ToListAsync(ct);
    }

    /// <summary>
    /// The ticket form's two user menus in one statement, by name: every active staff user (Contador) and, among them, those
    /// who may be assignee of a ticket of this pipeline and requester workspace (Responsável, as <see cref="Assignable"/>).
    /// </summary>
    public async Task<UserMenuLists> UserMenus(long pipelineId, long workspaceId, CancellationToken ct = default)
    {
        caller.RequireStaff();
        return cache is null
            ? await LoadUserMenus(pipelineId, workspaceId, ct)
            : await cache.Get(caller, $"user-menus:{pipelineId}:{workspaceId}", () => LoadUserMenus(pipelineId, workspaceId, ct));
    }

    /// <summary>
    /// Every active staff user, and those who see tickets of the pipeline and workspace. Kept per node under the access version,
    /// which moves with users, grants and pipelines (<see cref="VersionedCache"/>). Shared: never change the lists.
    /// </summary>
    private async Task<UserMenuLists> LoadUserMenus(long pipelineId, long workspaceId, CancellationToken ct)
    {
        var whoSee = Visibility.UsersWhoSee(db, pipelineId, workspaceId);
        var users = await db.Users.AsNoTracking().Where(u => u.Active && u.Role != UserRole.Portal).OrderBy(u => u.Name).ThenBy(u => u.Id)
            .Select(u => new { u.Id, u.Name, Sees = whoSee.Any(w => w.Id == u.Id) }).ToListAsync(ct);
        return new(users.Select(u => new UserChoice(u.Id, u.Name)).ToList(), users.Where(u => u.Sees).Select(u => new UserChoice(u.Id, u.Name)).ToList());
    }


    public static string StatusName(TicketStatus status) => status switch
    {
        TicketStatus.Open => "Aberto",
        TicketStatus.Reopened => "Reaberto",
        TicketStatus.Analyzing => "Analisando",
        TicketStatus.Waiting => "Aguardando",
        TicketStatus.Canceled => "Cancelado",
        TicketStatus.Rejected => "Rejeitado",
        TicketStatus.Done => "Finalizado",
        _ => status.ToString(),
    };

    public static bool IsClosed(TicketStatus status) => status is TicketStatus.Done or TicketStatus.Canceled or TicketStatus.Rejected;

    public async Task<Ticket> Get(long id, CancellationToken ct = default) =>
        await Visible().Include(t => t.Tags).FirstOrDefaultAsync(t => t.Id == id, ct)
        ?? throw new NotFoundException("Atendimento não encontrado.");

    /// <summary>
    /// The requester of a ticket read by <see cref="Get"/>: the partner's name and its contacts (the form's contact select), in
    /// one statement. The partner is in the ticket's workspace, which the caller sees.
    /// </summary>
    public async Task<TicketRequester> Requester(Ticket visible, CancellationToken ct = default)
    {
        var partner = await db.Partners.AsNoTracking().Where(p => p.Id == visible.PartnerId)
            .Select(p => new { p.Name, Contacts = p.Contacts.OrderBy(c => c.Id).Select(c => new { c.Id, c.Name }).ToList() })
            .FirstAsync(ct);
        return new TicketRequester(partner.Name, partner.Contacts.Select(c => (c.Id, c.Name)).ToList());
    }

    public async Task RequireVisible(long ticketId, CancellationToken ct)
    {
        if (!await Visible().AnyAsync(t => t.Id == ticketId, ct))
        {
            throw new NotFoundException("Atendimento não encontrado.");
        }
    }

    private Task<TimeZoneInfo> CompanyZone(CancellationToken ct) => SettingsService.CompanyZone(db, zones, ct);
}

/// <summary>A ticket's requester partner as its form shows it: the name and the contacts to choose from.</summary>
public sealed record TicketRequester(string Name, IReadOnlyList<(long Id, string Name)> Contacts);

/// <summary>A user as a menu offers them.</summary>
public sealed record UserChoice(long Id, string Name);

/// <summary>A ticket's user menus: every active staff user (Staff), and those who see its pipeline and workspace (Assignable).</summary>
public sealed record UserMenuLists(List<UserChoice> Staff, List<UserChoice> Assignable);
