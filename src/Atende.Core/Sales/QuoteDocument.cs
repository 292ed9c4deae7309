namespace Atende.Core.Sales;

/// <summary>What a quote version's PDF shows: every value already chosen and in the company's time zone.</summary>
public sealed record QuoteDocument(
    string Title,              // "Orçamento" or "Venda"
    string Number,             // "ORC-2026-0001"
    int Version,               // 1, 2, …
    bool Obsolete,             // true: a superseded version; the PDF says so visibly ("Versão substituída")
    string StateLabel,         // "Em aprovação", "Aprovado", "Rejeitado", "Cancelado"
    DateOnly IssuedOn,         // when this version was written
    DateOnly? ValidUntil,      // null: no validity date
    QuoteParty Company,
    QuoteParty Customer,
    IReadOnlyList<QuoteDocumentLine> Lines,
    decimal Subtotal, decimal DiscountTotal, decimal Total,
    string Notes,              // may be empty, may be long, multi-line
    string? ApprovalUrl);      // null or the public link the customer opens to approve

public sealed record QuoteParty(string Name, string TaxId, string StateRegistration, IReadOnlyList<string> AddressLines, string Email, string Phone);
// TaxId is a formatted CPF/CNPJ or ""; StateRegistration "" or "ISENTO" or digits; every string may be "".

public sealed record QuoteDocumentLine(int Position, string Description, decimal Quantity, decimal UnitPrice, decimal Discount, decimal Total);
// Quantity up to 3 decimals (show "2", "1,5", "0,125"); money in BRL; Discount is the line's discount in R$ (0 = none).
