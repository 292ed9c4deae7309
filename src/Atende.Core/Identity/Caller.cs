namespace Atende.Core.Identity;

/// <summary>
/// Who is asking: role and grants. What that lets them see is answered by <see cref="Visibility"/>, which every Core
/// service's queries go through, so pages, API, exports and search can never show more than the detail page.
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
