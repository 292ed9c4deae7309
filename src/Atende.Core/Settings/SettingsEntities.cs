namespace Atende.Core.Settings;

/// <summary>The company running this Atende (one row).</summary>
public class CompanyProfile
{
    public const long SingletonId = 1;
    public long Id { get; set; } = SingletonId;
    public string Name { get; set; } = "";
    public string? Email { get; set; }
    /// <summary>Where users reach this Atende ("https://atende.suaempresa.com.br"): the base of the links in e-mails.</summary>
    public string? PublicUrl { get; set; }
    public string TimeZone { get; set; } = "America/Sao_Paulo";
    public string Currency { get; set; } = "BRL";
    public const int MaxPhoneLength = 30;
    /// <summary>The company's CNPJ (or CPF), formatted; "" when none.</summary>
    public string TaxId { get; set; } = "";
    /// <summary>The company's phone as typed ("(11) 3456-7890"); "" when none.</summary>
    public string Phone { get; set; } = "";
    public Common.PostalAddress Address { get; set; } = Common.PostalAddress.Empty;
    /// <summary>
    /// The pipeline the portal's requests ("Novo contato") become tickets in; null (or an inactive pipeline): the portal does not
    /// take requests. Pipelines are deactivated, never deleted while they have tickets; no foreign key (SQLite would rebuild the table).
    /// </summary>
    public long? PortalPipelineId { get; set; }
    /// <summary>What the portal's request form asks after the category (the "módulo Central ou CRM" parameter).</summary>
    public PortalForm PortalForm { get; set; } = PortalForm.Subcategory;
    /// <summary>Who may reopen a finished request from the portal.</summary>
    public PortalReopen PortalReopen { get; set; } = PortalReopen.Requester;
}

/// <summary>The portal form's second field: a subcategory of the category (módulo Central) or a channel (módulo CRM).</summary>
public enum PortalForm { Subcategory, Channel }

/// <summary>Who may reopen a finished request from the portal with a new message.</summary>
public enum PortalReopen
{
    /// <summary>Nobody: a finished request is read-only in the portal (staff reopen it).</summary>
    Nobody,
    /// <summary>The portal user who opened it.</summary>
    Requester,
    /// <summary>Any portal user who sees it.</summary>
    Anyone,
}

/// <summary>An entry of one of the admin-maintained lists: never deleted while in use, deactivated instead.</summary>
public abstract class ListItem
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public bool Active { get; set; } = true;
    /// <summary>Moves on every edit; an update presents the one it read (If-Match).</summary>
    public int Version { get; set; } = 1;
}

/// <summary>Canal de comunicação / Forma de contato.</summary>
public class Channel : ListItem;

/// <summary>Tipo de oportunidade.</summary>
public class OpportunityType : ListItem;

/// <summary>Classificação of tickets, with its sub-classificações.</summary>
public class Category : ListItem
{
    public List<Subcategory> Subcategories { get; set; } = [];
}

public class Subcategory : ListItem
{
    public long CategoryId { get; set; }
}

public enum CatalogItemKind { Service, Product }

/// <summary>Serviço/Produto with a default price.</summary>
public class CatalogItem : ListItem
{
    public CatalogItemKind Kind { get; set; }
    public decimal DefaultPrice { get; set; }
    /// <summary>What an NF-e/NFS-e needs for it: the NCM of a product, the service code of a service ("" when not set; see FiscalCode).</summary>
    public string FiscalCode { get; set; } = "";
}
