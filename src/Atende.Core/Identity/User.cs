using Microsoft.AspNetCore.Identity;

namespace Atende.Core.Identity;

public enum UserRole { Admin, Agent, Portal }

/// <summary>A person who logs in: staff (Admin, Agent) or a customer's person (Portal).</summary>
public class User : IdentityUser<long>
{
    public string Name { get; set; } = "";
    public UserRole Role { get; set; }
    public bool Active { get; set; } = true;
    /// <summary>The customer company of a Portal user.</summary>
    public long? PartnerId { get; set; }
    /// <summary>
    /// The contact (of <see cref="PartnerId"/>) a Portal user was invited as: the requester of the tickets they open. No foreign
    /// key (adding one makes SQLite rebuild Users, dropping its triggers): readers check that the contact is still the partner's.
    /// </summary>
    public long? ContactId { get; set; }
    /// <summary>"Vê todos os pedidos da empresa": a Portal user sees every ticket of their partner, not only those they opened.</summary>
    public bool SeesCompanyRequests { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The optional ticket list columns this user hid ("createdAt,value"); null: the defaults (<see cref="Tickets.TicketColumns"/>).</summary>
    public string? HiddenTicketColumns { get; set; }
    /// <summary>Moves on every edit by an admin; an update presents the one it read (If-Match).</summary>
    public int Version { get; set; } = 1;
    public List<UserWorkspace> Workspaces { get; set; } = [];
    public List<Pipelines.PipelineUser> Pipelines { get; set; } = [];
}

/// <summary>Grants a staff user one workspace.</summary>
public class UserWorkspace
{
    public long UserId { get; set; }
    public long WorkspaceId { get; set; }
}

/// <summary>A personal API token; only its SHA-256 hash is stored.</summary>
public class ApiToken
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public string Name { get; set; } = "";
    public string Hash { get; set; } = "";
    /// <summary>The first characters of the token, shown so the user can tell tokens apart.</summary>
    public string Prefix { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
