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

    /// <summary>
    /// The access version this caller was loaded under; <see cref="CallerCache"/> serves a caller only while it is current,
    /// so it is also the version this request read. What <see cref="VersionedCache"/> keeps under it is current for this
    /// request. 0: not loaded through the cache (a background job, a test): read the database.
    /// </summary>
    public long AccessVersion { get; init; }

    /// <summary>The optional ticket list columns the user hid, as stored (<see cref="Tickets.TicketColumns"/>).</summary>
    public string? HiddenTicketColumns { get; init; }

    /// <summary>A Portal user who sees every ticket of their partner ("vê todos os pedidos da empresa"), not only those they opened.</summary>
    public bool SeesCompanyRequests { get; init; }

    /// <summary>The contact a Portal user was invited as (the requester of what they open), if any.</summary>
    public long? ContactId { get; init; }

    public bool IsPortal => Role == UserRole.Portal;

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
