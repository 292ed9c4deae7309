namespace Atende.Core.Sales;

/// <summary>A line as the form or the API gives it: a catalog item (its name and default price fill what is left empty) or free text.</summary>
public sealed record QuoteItemInput(long? CatalogItemId, string? Description, decimal? Quantity, decimal? UnitPrice, decimal? Discount = null,
    DiscountKind DiscountKind = DiscountKind.Amount, string? FiscalCode = null);

/// <summary>The content of a quote version.</summary>
public sealed record QuoteInput(IReadOnlyList<QuoteItemInput?>? Items, string? Notes, DateOnly? ValidUntil, bool IssueNfe = false);

/// <summary>A quote as lists show it: the current version's totals, the ticket and the customer.</summary>
public sealed record QuoteRow(long Id, string Number, long TicketId, string TicketReference, long PartnerId, string PartnerName, QuoteState State,
    int Version, decimal Subtotal, decimal DiscountTotal, decimal Total, DateOnly? ValidUntil, bool IssueNfe, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt, DateTimeOffset? DecidedAt);

/// <summary>A quote with one of its versions (the current one unless asked) and the numbers of all of them.</summary>
public sealed record QuoteDetails(Quote Quote, string TicketReference, string TicketTitle, string PartnerName, QuoteVersion Version,
    IReadOnlyList<QuoteVersionRow> Versions)
{
    public bool IsCurrent => Version.Number == Quote.CurrentVersion;
}

public sealed record QuoteVersionRow(int Number, DateTimeOffset CreatedAt, string? CreatedBy, decimal Total);

/// <summary>Filters of the Vendas, Orçamentos and API lists; dates are the creation day, in the company's time zone.</summary>
public sealed record QuoteFilter(QuoteState? State = null, long? PipelineId = null, long? PartnerId = null, long? TicketId = null,
    DateOnly? From = null, DateOnly? To = null);

/// <summary>What a list's filter holds in all its pages.</summary>
public sealed record QuoteTotals(int Count, decimal Total)
{
    public QuoteTotals Add(QuoteTotals other) => new(Count + other.Count, Total + other.Total);
}

/// <summary>What "Enviar ao cliente" did: to whom, the public link, and until when it works.</summary>
public sealed record QuoteSent(string To, string Link, DateTimeOffset ExpiresAt);

/// <summary>
/// "Ver dados da NF-e": what an NF-e/NFS-e of this sale needs, read now from the customer's record and the current
/// version, with every missing or invalid field named in <see cref="Problems"/> (pt-BR). Emission is an integration's
/// (an ERP, the NFS-e national API): this is what it reads.
/// </summary>
public sealed record NfeData(string Number, int Version, QuoteState State, bool IssueNfe, DateTimeOffset? ReadyAt, IReadOnlyList<string> Problems,
    NfeCustomer Customer, IReadOnlyList<NfeItem> Items, decimal Subtotal, decimal DiscountTotal, decimal Total)
{
    public bool Complete => Problems.Count == 0;
}

/// <summary>The customer as the NF-e names them: CPF or CNPJ, name, state registration (IE or ISENTO), address, e-mail.</summary>
public sealed record NfeCustomer(long PartnerId, string TaxIdKind, string TaxId, string Name, string StateRegistration, Common.PostalAddress Address, string Email);

public sealed record NfeItem(int Position, string Description, Settings.CatalogItemKind? Kind, string FiscalCode, decimal Quantity, decimal UnitPrice,
    decimal Discount, decimal Total);
