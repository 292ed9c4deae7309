using Atende.Core.Sales;

namespace Atende.Core.Tickets;

/// <summary>
/// How many tickets of the list (bin Active) one pipeline has, per workspace, status and assignee: kept by database
/// triggers on <c>Tickets</c> (migration <c>TicketCounts</c>), so the dashboard reads a few rows instead of counting the
/// tickets. Rows may hold 0.
/// </summary>
public class TicketCount : ITicketScoped
{
    /// <summary>The <see cref="AssigneeKey"/> of tickets nobody is assigned to.</summary>
    public const long Nobody = 0;

    public long PipelineId { get; set; }
    public long WorkspaceId { get; set; }
    public TicketStatus Status { get; set; }
    /// <summary>The assignee's id, or <see cref="Nobody"/>.</summary>
    public long AssigneeKey { get; set; }
    public int Count { get; set; }
}
