namespace Atende.Core.Partners;

/// <summary>What a user types to create or change a partner.</summary>
public sealed class PartnerInput
{
    public string? Name { get; set; }
    public long? WorkspaceId { get; set; }
    public string? Code { get; set; }
    public bool Customer { get; set; } = true;
    public bool Supplier { get; set; }
    public long? AccountManagerId { get; set; }
    public bool Active { get; set; } = true;
    public string? Notes { get; set; }
    public string? StateRegistration { get; set; }
    public Common.AddressInput Address { get; set; } = new();
}

public sealed class PhoneInput
{
    public string? Country { get; set; } = "BR";
    public string? AreaCode { get; set; }
    public string? Number { get; set; }
    public PhoneType Type { get; set; } = PhoneType.Mobile;
}

public sealed class SocialProfileInput
{
    public SocialNetwork? Network { get; set; }
    public string? Handle { get; set; }
}

/// <summary>What a user types to add or change a contact.</summary>
public sealed class ContactInput
{
    public string? Name { get; set; }
    public List<PhoneInput> Phones { get; set; } = [];
    public List<string?> Emails { get; set; } = [];
    public List<SocialProfileInput> SocialProfiles { get; set; } = [];
}

public sealed record PartnerFilter(string? Q = null, long? WorkspaceId = null, PartnerRoles? Role = null, bool? Active = null);

/// <summary>A partner as the list shows it.</summary>
public sealed record PartnerRow(
    long Id, string Name, string Code, long WorkspaceId, string WorkspaceName, PartnerRoles Roles, bool Active,
    long? AccountManagerId, string? AccountManagerName, int ContactCount, string? FirstContactName);

/// <summary>Another visible partner already uses this code, e-mail or phone.</summary>
public sealed record DuplicateWarning(string Field, string Message, long PartnerId, string PartnerName);

/// <summary>Raised when a save would create a duplicate the user has not confirmed yet.</summary>
public sealed class DuplicateException : Exception
{
    public DuplicateException(IReadOnlyList<DuplicateWarning> warnings)
        : base(string.Join(" ", warnings.Select(w => w.Message))) => Warnings = warnings;

    public DuplicateException() : this([]) { }
    public DuplicateException(string message) : base(message) => Warnings = [];
    public DuplicateException(string message, Exception inner) : base(message, inner) => Warnings = [];

    public IReadOnlyList<DuplicateWarning> Warnings { get; }
}
