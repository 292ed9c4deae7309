namespace Atende.Core.Identity;

/// <summary>What an e-mailed account link lets its holder do: accept an invitation to the portal, or reset a forgotten password.</summary>
public enum AccountLinkPurpose { Invite, Reset }

/// <summary>
/// A single-use, expiring link e-mailed to a user (an invitation or a password reset): its holder chooses a password. Only the
/// SHA-256 of the token is stored; a link is used once (<see cref="UsedAt"/>), and a newer link of the same purpose ends the
/// older ones.
/// </summary>
public class AccountLink
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public AccountLinkPurpose Purpose { get; set; }
    public string Hash { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    /// <summary>When it was used, or ended by a newer link (then it was never used to set a password).</summary>
    public DateTimeOffset? UsedAt { get; set; }
    /// <summary>The staff user who sent an invitation; null for a reset the user asked for.</summary>
    public long? CreatedById { get; set; }
}
