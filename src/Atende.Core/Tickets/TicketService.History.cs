using System.Globalization;
using System.Linq.Expressions;
using Atende.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Tickets;

// The history: what each change looked like before and after, in pt-BR, one row per field.
public sealed partial class TicketService
{
    /// <summary>The history of a ticket, newest first.</summary>
    public async Task<Page<TicketChangeRow>> History(long ticketId, string? after, int limit = 100, CancellationToken ct = default)
    {
        await RequireVisible(ticketId, ct);
        return await HistoryRows(ticketId, after, limit, ct);
    }

    /// <summary>The history of a ticket read by <see cref="Get"/> (known to be visible), newest first.</summary>
    public Task<Page<TicketChangeRow>> History(Ticket visible, int limit, CancellationToken ct = default) => HistoryRows(visible.Id, null, limit, ct);

    private Task<Page<TicketChangeRow>> HistoryRows(long ticketId, string? after, int limit, CancellationToken ct) =>
        db.TicketChanges.AsNoTracking().Where(c => c.TicketId == ticketId).NewestFirst(c => c.Id, after)
            .Select(c => new TicketChangeRow(c.Id, c.At, c.UserId, db.Users.Where(u => u.Id == c.UserId).Select(u => u.Name).FirstOrDefault(), c.Field, c.OldValue, c.NewValue,
                c.OldCode, c.NewCode))
            .ToPageAsync(limit, maxLimit: 500, r => Cursor.ForId(r.Id), ct);

    /// <summary>The history lines the Timeline shows among the interactions: what happened to the ticket's quotes, sales and purchases.</summary>
    public Task<List<TicketChangeRow>> SalesTimeline(Ticket visible, CancellationToken ct = default) =>
        db.TicketChanges.AsNoTracking().Where(c => c.TicketId == visible.Id && (c.Field == "quote" || c.Field == "purchase")).OrderBy(c => c.Id)
            .Select(c => new TicketChangeRow(c.Id, c.At, c.UserId, db.Users.Where(u => u.Id == c.UserId).Select(u => u.Name).FirstOrDefault(), c.Field, c.OldValue,
                c.NewValue, c.OldCode, c.NewCode))
            .ToListAsync(ct);

    /// <summary>
    /// One history row to write: the values as users read them (pt-BR) and, where the field has one, the machine value
    /// (<see cref="TicketChange.OldCode"/>): ids, enum names, ISO dates, money with a dot.
    /// </summary>
    private readonly record struct FieldChange(string Field, string? Old, string? New, string? OldCode = null, string? NewCode = null);

    private static string? IdCode(long? id) => id?.ToString(CultureInfo.InvariantCulture);

    private static string? IdsCode(IEnumerable<long> ids) => JoinCodes(ids.Select(id => id.ToString(CultureInfo.InvariantCulture)));

    private static string? JoinCodes(IEnumerable<string> codes)
    {
        var text = string.Join(",", codes);
        return text.Length == 0 ? null : text;
    }

    private static string MoneyCode(decimal money) => money.ToString("0.00", CultureInfo.InvariantCulture);

    private static string? DateCode(DateTimeOffset? at) => at?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private sealed record State(string Title, string? Description, long PartnerId, long? ContactId, long? CatalogItemId, decimal Value,
        long? AssigneeId, long? AccountManagerId, long? CategoryId, long? SubcategoryId, long? ChannelId, DateTimeOffset? DueAt, List<long> TagIds);

    private static State Snapshot(Ticket t) => new(t.Title, t.Description, t.PartnerId, t.ContactId, t.CatalogItemId, t.Value, t.AssigneeId,
        t.AccountManagerId, t.CategoryId, t.SubcategoryId, t.ChannelId, t.DueAt, t.Tags.Select(x => x.TagId).Order().ToList());

    /// <summary>The changed fields, old → new, as users read them (names, "R$ 1.234,56", dates in the company's zone).</summary>
    private async Task<List<FieldChange>> Describe(State a, State b, CancellationToken ct)
    {
        var changes = new List<FieldChange>();
        if (a.Title != b.Title)
        {
            changes.Add(new("title", a.Title, b.Title));
        }
        if (a.Description != b.Description)
        {
            changes.Add(new("description", Shorten(a.Description), Shorten(b.Description)));
        }
        async Task CompareNames<T>(string field, long? before, long? after, IQueryable<T> set, Expression<Func<T, string>> name) where T : class
        {
            if (before != after)
            {
                changes.Add(new(field, await Name(set, before, name, ct), await Name(set, after, name, ct), IdCode(before), IdCode(after)));
            }
        }
        await CompareNames("partner", a.PartnerId, b.PartnerId, db.Partners, p => p.Name);
        await CompareNames("contact", a.ContactId, b.ContactId, db.Contacts, c => c.Name);
        await CompareNames("catalogItem", a.CatalogItemId, b.CatalogItemId, db.CatalogItems, c => c.Name);
        if (a.Value != b.Value)
        {
            changes.Add(new("value", a.Value.ToString("C", PtBr), b.Value.ToString("C", PtBr), MoneyCode(a.Value), MoneyCode(b.Value)));
        }
        await CompareNames("assignee", a.AssigneeId, b.AssigneeId, db.Users, u => u.Name);
        await CompareNames("accountManager", a.AccountManagerId, b.AccountManagerId, db.Users, u => u.Name);
        await CompareNames("category", a.CategoryId, b.CategoryId, db.Categories, c => c.Name);
        await CompareNames("subcategory", a.SubcategoryId, b.SubcategoryId, db.Subcategories, c => c.Name);
        await CompareNames("channel", a.ChannelId, b.ChannelId, db.Channels, c => c.Name);
        if (a.DueAt != b.DueAt)
        {
            var zone = await CompanyZone(ct);
            changes.Add(new("dueAt", FormatDate(a.DueAt, zone), FormatDate(b.DueAt, zone), DateCode(a.DueAt), DateCode(b.DueAt)));
        }
        if (!a.TagIds.SequenceEqual(b.TagIds))
        {
            var all = a.TagIds.Concat(b.TagIds).Distinct().ToList();
            var names = await db.Tags.Where(t => all.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, ct);
            changes.Add(new("tags", JoinOrNull(a.TagIds.Select(id => names.GetValueOrDefault(id, "?"))), JoinOrNull(b.TagIds.Select(id => names.GetValueOrDefault(id, "?"))),
                IdsCode(a.TagIds), IdsCode(b.TagIds)));
        }
        return changes;
    }

    private static async Task<string?> Name<T>(IQueryable<T> set, long? id, Expression<Func<T, string>> name, CancellationToken ct) where T : class
    {
        if (id is null)
        {
            return null;
        }
        var parameter = Expression.Parameter(typeof(T), "x");
        var match = Expression.Lambda<Func<T, bool>>(Expression.Equal(Expression.Property(parameter, "Id"), Expression.Constant(id.Value)), parameter);
        return await set.Where(match).Select(name).FirstOrDefaultAsync(ct);
    }

    private async Task<List<string>> TagNames(long pipelineId, List<long> tagIds, CancellationToken ct)
    {
        var tags = await db.Tags.Where(t => t.PipelineId == pipelineId && tagIds.Contains(t.Id)).OrderBy(t => t.Position).Select(t => t.Name).ToListAsync(ct);
        if (tags.Count != tagIds.Count)
        {
            throw new ValidationException("tagIds", "Etiqueta inexistente neste fluxo.");
        }
        return tags;
    }

    private static string? JoinOrNull(IEnumerable<string> names)
    {
        var text = string.Join(", ", names);
        return text.Length == 0 ? null : text;
    }

    private static string? Shorten(string? text) => text is null ? null : text.Length <= 300 ? text : text[..297] + "...";

    private static string? FormatDate(DateTimeOffset? value, TimeZoneInfo zone) =>
        value is { } v ? TimeZoneInfo.ConvertTime(v, zone).ToString("dd/MM/yyyy HH:mm", PtBr) : null;

    private static string BinName(TicketBin bin) => bin switch
    {
        TicketBin.Archived => "Arquivado",
        TicketBin.Trash => "Lixeira",
        _ => "Lista",
    };

    private void Record(long ticketId, FieldChange change) =>
        db.TicketChanges.Add(new TicketChange
        {
            TicketId = ticketId, At = Clock.Now(), UserId = caller.UserId, Field = change.Field, OldValue = change.Old, NewValue = change.New,
            OldCode = change.OldCode, NewCode = change.NewCode,
        });
}
