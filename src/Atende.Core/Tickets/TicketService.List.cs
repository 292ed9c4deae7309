using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Tickets;

/// <summary>What the ticket list does besides listing: the caller's choice of columns, and the quick assignment of a row.</summary>
public sealed partial class TicketService
{
    /// <summary>The optional columns the caller hid in the ticket list (the defaults until they choose).</summary>
    public async Task<IReadOnlySet<TicketSortColumn>> HiddenColumns(CancellationToken ct = default)
    {
        caller.RequireStaff();
        var stored = await db.Users.Where(u => u.Id == caller.UserId).Select(u => u.HiddenTicketColumns).FirstOrDefaultAsync(ct);
        return TicketColumns.Hidden(stored);
    }

    /// <summary>Shows <paramref name="visible"/> and hides the other optional columns, for the caller only, in every browser.</summary>
    public async Task<IReadOnlySet<TicketSortColumn>> ShowColumns(IEnumerable<string> visible, CancellationToken ct = default)
    {
        caller.RequireStaff();
        var stored = TicketColumns.Store(visible);
        await db.Users.Where(u => u.Id == caller.UserId).ExecuteUpdateAsync(s => s.SetProperty(u => u.HiddenTicketColumns, stored), ct);
        return TicketColumns.Hidden(stored);
    }

    /// <summary>
    /// Gives the ticket to <paramref name="assigneeId"/> (null: nobody), through the same rules and history as the form:
    /// the user must see the ticket (<see cref="Identity.Visibility.UsersWhoSee"/>). <paramref name="version"/> is the version the user saw (the
    /// ticket page: a stale one is refused like the form's); null acts on the current one (the list row). Returns the assignee's name.
    /// </summary>
    public async Task<(Ticket Ticket, string? AssigneeName)> Assign(long id, int? version, long? assigneeId, CancellationToken ct = default)
    {
        var ticket = await Get(id, ct);
        var input = new TicketInput
        {
            Title = ticket.Title, Description = ticket.Description, PartnerId = ticket.PartnerId, ContactId = ticket.ContactId,
            CatalogItemId = ticket.CatalogItemId, Value = ticket.Value, AssigneeId = assigneeId, AccountManagerId = ticket.AccountManagerId,
            CategoryId = ticket.CategoryId, SubcategoryId = ticket.SubcategoryId, ChannelId = ticket.ChannelId, DueAt = ticket.DueAt,
            TagIds = ticket.Tags.Select(t => t.TagId).ToList(),
        };
        var (saved, _) = await Update(id, version ?? ticket.Version, input, ct);
        var name = assigneeId is { } userId ? await db.Users.Where(u => u.Id == userId).Select(u => u.Name).FirstAsync(ct) : null;
        return (saved, name);
    }
}
