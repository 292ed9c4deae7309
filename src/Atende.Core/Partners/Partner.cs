namespace Atende.Core.Partners;

[Flags]
public enum PartnerRoles { None = 0, Customer = 1, Supplier = 2 }

/// <summary>A customer and/or supplier, company or person (UI: Entidade / Cliente).</summary>
public class Partner
{
    public long Id { get; set; }
    public long WorkspaceId { get; set; }
    public string Name { get; set; } = "";
    /// <summary>CPF, CNPJ (formatted) or a free code; empty when none.</summary>
    public string Code { get; set; } = "";
    /// <summary>The code without formatting, upper-case: finds duplicates.</summary>
    public string CodeKey { get; set; } = "";
    public PartnerRoles Roles { get; set; } = PartnerRoles.Customer;
    public long? AccountManagerId { get; set; }
    public bool Active { get; set; } = true;
    public string Notes { get; set; } = "";
    /// <summary>Inscrição Estadual as typed, "ISENTO", or "" when none (see <see cref="StateRegistrationRules"/>).</summary>
    public string StateRegistration { get; set; } = "";
    public Common.PostalAddress Address { get; set; } = Common.PostalAddress.Empty;
    /// <summary>Normalized name: sorts the list and pages it by keyset.</summary>
    public string SortName { get; set; } = "";
    /// <summary>Normalized name, code, contact names, e-mails and phones (see SearchText).</summary>
    public string SearchText { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>
    /// The latest date of this partner's conversations (null: none), kept by ConversationService in the same transaction
    /// as every conversation write, so "partners without a conversation from today on" is answered from this column.
    /// </summary>
    public DateTimeOffset? LastConversationAt { get; set; }
    public int Version { get; set; }
    public List<Contact> Contacts { get; set; } = [];
}

public class Contact
{
    public long Id { get; set; }
    public long PartnerId { get; set; }
    public string Name { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; }
    public List<ContactPhone> Phones { get; set; } = [];
    public List<ContactEmail> Emails { get; set; } = [];
    public List<SocialProfile> SocialProfiles { get; set; } = [];
}

public class ContactPhone
{
    public long Id { get; set; }
    public long ContactId { get; set; }
    public int Position { get; set; }
    /// <summary>"+5511987654321".</summary>
    public string E164 { get; set; } = "";
    public PhoneType Type { get; set; }
}

public class ContactEmail
{
    public long Id { get; set; }
    public long ContactId { get; set; }
    public int Position { get; set; }
    public string Address { get; set; } = "";
    /// <summary>Lower-case address: finds duplicates.</summary>
    public string AddressKey { get; set; } = "";
}

public enum SocialNetwork { Facebook, Instagram, LinkedIn, Telegram, WhatsApp }

public class SocialProfile
{
    public long Id { get; set; }
    public long ContactId { get; set; }
    public SocialNetwork Network { get; set; }
    public string Handle { get; set; } = "";
}
