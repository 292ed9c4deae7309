namespace Atende.Core.Identity;

/// <summary>
/// Who is asking, with what they may see. Every Core service scopes its queries through this,
/// so pages, API, exports and search can never show more than the caller's workspaces.
/// </summary>
public sealed class Caller
{
    public Caller(long userId, string name, UserRole role, IReadOnlyCollection<long> workspaceIds, long? partnerId = null,
        IReadOnlyCollection<long>? pipelineIds = null)
    {
        PipelineIds = pipelineIds ?? [];
        UserId = userId;
        Name = name;
        Role = role;
        WorkspaceIds = workspaceIds;
        PartnerId = partnerId;
    }

    public long UserId { get; }
    public string Name { get; }
    public UserRole Role { get; }
    public IReadOnlyCollection<long> WorkspaceIds { get; }
    public long? PartnerId { get; }
    /// <summary>Pipelines an agent is authorized on (admins see every pipeline).</summary>
    public IReadOnlyCollection<long> PipelineIds { get; }

    public bool IsAdmin => Role == UserRole.Admin;
    public bool IsStaff => Role is UserRole.Admin or UserRole.Agent;

    public bool CanSeeWorkspace(long workspaceId) => IsAdmin || (IsStaff && WorkspaceIds.Contains(workspaceId));

    public bool CanSeePipeline(long pipelineId) => IsAdmin || (IsStaff && PipelineIds.Contains(pipelineId));

    public void RequireAdmin()
    {
        if (!IsAdmin)
        {
            throw new Common.ForbiddenException("Somente administradores podem fazer isto.");
        }
    }

    public void RequireStaff()
    {
        if (!IsStaff)
        {
            throw new Common.ForbiddenException();
        }
    }
}
