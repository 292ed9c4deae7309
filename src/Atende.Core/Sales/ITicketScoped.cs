namespace Atende.Core.Sales;

/// <summary>
/// A row that carries its ticket's pipeline and workspace, kept in step when the ticket moves, so who may see it is
/// decided on the row itself (Identity/Visibility).
/// </summary>
public interface ITicketScoped
{
    long PipelineId { get; }
    long WorkspaceId { get; }
}
