using System.Globalization;
using Atende.Core.Tickets;
using Microsoft.AspNetCore.Http;

namespace Atende.Web.Pages.Tickets;

/// <summary>
/// The list a user is looking at (pipeline, search, tag, status, bin, order), carried in query strings so the
/// ticket page's previous/next arrows walk the same list and "back" returns to it.
/// </summary>
public sealed record TicketListContext(long? PipelineId, string? Q, long? TagId, TicketStatus? Status, TicketBin Bin, TicketSort Sort,
    bool Open = false, long? AssigneeId = null, TicketDue? Due = null)
{
    public static TicketListContext From(IQueryCollection query, string prefix = "")
    {
        string? Get(string key) => query[prefix + key].FirstOrDefault() is { Length: > 0 } v ? v : null;
        static long? Long(string? v) => long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        TicketSort sort;
        try
        {
            sort = TicketSort.Parse(Get("sort"));
        }
        // A link's unknown order falls back to the default one.
        catch (Core.Common.ValidationException)
        {
            sort = TicketSort.Default;
        }
        return new TicketListContext(
            Long(Get("pipelineId")),
            Get("q"),
            Long(Get("tag")),
            Enum.TryParse<TicketStatus>(Get("status"), out var status) && Enum.IsDefined(status) ? status : null,
            Enum.TryParse<TicketBin>(Get("bin"), out var bin) && Enum.IsDefined(bin) ? bin : TicketBin.Active,
            sort,
            Get("open") == "1",
            Long(Get("assignee")),
            Get("due") switch { "overdue" => TicketDue.Overdue, "today" => TicketDue.Today, _ => null });
    }

    public TicketFilter Filter => new(PipelineId, Q, TagId, Status, Bin, Sort, Open: Open, AssigneeId: AssigneeId, Due: Due);

    /// <summary>The filters a dashboard figure adds to a list (open, assignee, due), which the list shows as removable chips.</summary>
    public bool Narrowed => Open || AssigneeId is not null || Due is not null;

    /// <summary>The query string of this list, with changes; "after" starts the page after a cursor.</summary>
    public string Query(string prefix = "", string? after = null) => QueryString.Create(new (string, string?)[]
        {
            ("pipelineId", PipelineId?.ToString(CultureInfo.InvariantCulture)),
            ("q", Q),
            ("tag", TagId?.ToString(CultureInfo.InvariantCulture)),
            ("status", Status?.ToString()),
            ("bin", Bin == TicketBin.Active ? null : Bin.ToString()),
            ("sort", Sort == TicketSort.Default ? null : Sort.ToString()),
            ("open", Open ? "1" : null),
            ("assignee", AssigneeId?.ToString(CultureInfo.InvariantCulture)),
            ("due", Due switch { TicketDue.Overdue => "overdue", TicketDue.Today => "today", _ => null }),
            ("after", after),
        }
        .Where(p => !string.IsNullOrEmpty(p.Item2))
        .Select(p => new KeyValuePair<string, string?>(prefix + p.Item1, p.Item2))).ToString();

    public string ListUrl(string? after = null) => "/tickets" + Query(after: after);

    /// <summary>The link of a column header: ascending first, then toggles; dates start newest first.</summary>
    public string SortUrl(TicketSortColumn column)
    {
        var descending = Sort.Column == column
            ? !Sort.Descending
            : column is TicketSortColumn.UpdatedAt or TicketSortColumn.CreatedAt or TicketSortColumn.Value or TicketSortColumn.Reference;
        return (this with { Sort = new TicketSort(column, descending) }).ListUrl();
    }

    public string? AriaSort(TicketSortColumn column) => Sort.Column != column ? null : Sort.Descending ? "descending" : "ascending";
}
