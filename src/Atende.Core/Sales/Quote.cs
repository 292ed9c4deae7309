namespace Atende.Core.Sales;

/// <summary>Where a quote stands: awaiting the customer (Orçamentos), approved (a sale, Vendas), rejected or canceled.</summary>
public enum QuoteState { PendingApproval, Approved, Rejected, Canceled }

/// <summary>How a line's discount was given: an amount in R$ or a percentage of the line.</summary>
public enum DiscountKind { Amount, Percent }

/// <summary>
/// A quote (Orçamento) on a ticket; approved, it is a sale (Venda). Its content lives in versions: editing writes a new
/// <see cref="QuoteVersion"/> and the older ones stay, obsolete and read-only. The current version's totals and validity
/// are copied here so lists and their totals read one row per quote.
/// </summary>
public class Quote : ITicketScoped
{
    public long Id { get; set; }
    /// <summary>"ORC-2026-0001": unique, from a counter per year that only goes up, so never reused.</summary>
    public string Number { get; set; } = "";
    public long TicketId { get; set; }
    /// <summary>The customer: the ticket's partner when the quote was created.</summary>
    public long PartnerId { get; set; }
    /// <summary>
    /// The ticket's pipeline and workspace, kept in step with the ticket (QuoteService.FollowTicket): who sees the ticket
    /// sees its quotes, and the pipeline header sums "a receber" from one index.
    /// </summary>
    public long PipelineId { get; set; }
    public long WorkspaceId { get; set; }
    public QuoteState State { get; set; }
    /// <summary>The number of the current version (1, 2, …).</summary>
    public int CurrentVersion { get; set; }
    public bool IssueNfe { get; set; }
    /// <summary>When the sale's NF-e data was checked complete and marked "pronta para emissão" (null: not yet).</summary>
    public DateTimeOffset? NfeReadyAt { get; set; }
    public DateOnly? ValidUntil { get; set; }
    public decimal Subtotal { get; set; }
    public decimal DiscountTotal { get; set; }
    public decimal Total { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public long CreatedById { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>When the state left PendingApproval (approved, rejected or canceled).</summary>
    public DateTimeOffset? DecidedAt { get; set; }
    /// <summary>The staff user who decided; null when the customer did through the public link.</summary>
    public long? DecidedById { get; set; }
    /// <summary>The version that was approved or rejected.</summary>
    public int? DecidedVersion { get; set; }
    /// <summary>A decision through the public link: the name and CPF the customer typed and the address it came from.</summary>
    public string? DecidedByName { get; set; }
    public string? DecidedByCpf { get; set; }
    public string? DecidedFromIp { get; set; }
    /// <summary>Moves on every change; a write presents the one it read (If-Match), so two approvals at once cannot both pass.</summary>
    public int Revision { get; set; } = 1;
}

/// <summary>
/// How many quotes one pipeline, workspace and state hold and the sum of their current totals, over all time
/// (<see cref="Month"/> = <see cref="AllTime"/>) and per calendar month (UTC) of creation (yyyymm, 202611). The pipeline
/// header ("aguardando aprovação · a receber") and the unfiltered Vendas and Orçamentos totals read a few all-time rows
/// instead of every quote; a period adds the whole months inside it and sums only the quotes of its partial edges.
/// Database triggers on Quotes keep it (migration QuoteTotals), so every write — a service, a ticket moved in bulk, a
/// cascade delete — changes it in its own transaction, and no code path can forget it.
/// </summary>
public class QuoteTotal : ITicketScoped
{
    public const int AllTime = 0;

    public long PipelineId { get; set; }
    public long WorkspaceId { get; set; }
    public QuoteState State { get; set; }
    public int Month { get; set; }
    public int Count { get; set; }
    public decimal Total { get; set; }

    /// <summary>The yyyymm of an instant's UTC month, as the triggers compute it.</summary>
    public static int MonthOf(DateTimeOffset instant) => instant.UtcDateTime.Year * 100 + instant.UtcDateTime.Month;

    /// <summary>The instant the UTC month of <paramref name="instant"/> starts.</summary>
    public static DateTimeOffset MonthStart(DateTimeOffset instant) => new(instant.UtcDateTime.Year, instant.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The start of the first whole UTC month from <paramref name="instant"/> on (itself when a month starts there); null past December 9999.</summary>
    public static DateTimeOffset? FirstWholeMonth(DateTimeOffset instant)
    {
        var month = MonthStart(instant);
        return month == instant ? month : month.UtcDateTime.Year == 9999 && month.UtcDateTime.Month == 12 ? null : month.AddMonths(1);
    }
}

/// <summary>One version of a quote's content, immutable once written.</summary>
public class QuoteVersion
{
    public long Id { get; set; }
    public long QuoteId { get; set; }
    public int Number { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public long CreatedById { get; set; }
    public DateOnly? ValidUntil { get; set; }
    public string Notes { get; set; } = "";
    public decimal Subtotal { get; set; }
    public decimal DiscountTotal { get; set; }
    public decimal Total { get; set; }
    public List<QuoteItem> Items { get; set; } = [];
}

/// <summary>A line of a quote version: a catalog item or free text, with its computed amounts (see <see cref="QuoteMath"/>).</summary>
public class QuoteItem : IPricedLine
{
    public long Id { get; set; }
    public long QuoteVersionId { get; set; }
    public int Position { get; set; }
    public long? CatalogItemId { get; set; }
    public string Description { get; set; } = "";
    /// <summary>The NCM or service code for the NF-e: the catalog item's when the line was written, or as given ("" when none).</summary>
    public string FiscalCode { get; set; } = "";
    public decimal Quantity { get; set; }
    public decimal UnitPrice { get; set; }
    public DiscountKind DiscountKind { get; set; }
    /// <summary>The discount as typed: R$ for <see cref="DiscountKind.Amount"/>, % for <see cref="DiscountKind.Percent"/>.</summary>
    public decimal DiscountInput { get; set; }
    /// <summary>The discount in R$, rounded to cents.</summary>
    public decimal Discount { get; set; }
    public decimal Total { get; set; }
}

/// <summary>
/// A public approval link sent to the customer ("Enviar ao cliente"): <c>/q/{token}</c> opens the quote without a login
/// until <see cref="ExpiresAt"/>. Only the token's SHA-256 is stored, so the database never holds a working link.
/// </summary>
public class QuoteLink
{
    public long Id { get; set; }
    public long QuoteId { get; set; }
    /// <summary>Lower-case hex SHA-256 of the token.</summary>
    public string TokenHash { get; set; } = "";
    /// <summary>The version the e-mail carried (the page says when a newer one replaced it).</summary>
    public int Version { get; set; }
    public string SentTo { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public long CreatedById { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}
