using Atende.Core.Common;

namespace Atende.Core.Tickets;

/// <summary>
/// The ticket list's columns a user may hide (Referência and Título always show), named as in the list's sort
/// ("createdAt"), and how a user's choice is stored (<see cref="Identity.User.HiddenTicketColumns"/>).
/// </summary>
public static class TicketColumns
{
    /// <summary>In the order the list shows them.</summary>
    public static readonly TicketSortColumn[] Optional =
    [
        TicketSortColumn.Status, TicketSortColumn.Requester, TicketSortColumn.Value, TicketSortColumn.UpdatedAt,
        TicketSortColumn.CreatedAt, TicketSortColumn.Assignee, TicketSortColumn.DueAt,
    ];

    /// <summary>Hidden until a user chooses otherwise, so the default list fits a laptop screen.</summary>
    public static readonly IReadOnlySet<TicketSortColumn> HiddenByDefault = new HashSet<TicketSortColumn> { TicketSortColumn.CreatedAt };

    /// <summary>"createdAt" for <see cref="TicketSortColumn.CreatedAt"/>: the name the list's sort and forms use.</summary>
    public static string Name(TicketSortColumn column) => new TicketSort(column, false).ToString();

    /// <summary>The hidden columns a stored value names (unknown names, from an older version, are ignored).</summary>
    public static IReadOnlySet<TicketSortColumn> Hidden(string? stored) => stored is null
        ? HiddenByDefault
        : stored.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(TryParse).OfType<TicketSortColumn>().ToHashSet();

    /// <summary>
    /// What to store when a user leaves <paramref name="visible"/> shown and hides the other optional columns;
    /// an unknown name is a validation error naming it.
    /// </summary>
    public static string Store(IEnumerable<string> visible)
    {
        var shown = new HashSet<TicketSortColumn>();
        var unknown = new List<string>();
        foreach (var name in visible.Select(n => n.Trim()).Where(n => n.Length > 0))
        {
            if (TryParse(name) is { } column)
            {
                shown.Add(column);
            }
            else
            {
                unknown.Add(name.Length > 40 ? name[..40] + "…" : name);
            }
        }
        if (unknown.Count > 0)
        {
            throw new ValidationException("columns", $"Coluna desconhecida: {string.Join(", ", unknown)}.");
        }
        return string.Join(',', Optional.Where(c => !shown.Contains(c)).Select(Name));
    }

    private static TicketSortColumn? TryParse(string name) => EnumNames.TryParse<TicketSortColumn>(name, out var column) ? column : null;
}
