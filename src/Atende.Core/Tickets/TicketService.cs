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
public sealed partial class TicketService(AtendeDb db, Caller caller, EventLog events, PublicLinks? links = null)
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

    public async Task RequireVisible(long ticketId, CancellationToken ct)
    {
        if (!await Visible().AnyAsync(t => t.Id == ticketId, ct))
        {
            throw new NotFoundException("Atendimento não encontrado.");
        }
    }

    private async Task<TimeZoneInfo> CompanyZone(CancellationToken ct) => await new SettingsService(db, caller).TimeZone(ct);
}
