namespace Atende.Core.Tickets;

/// <summary>What a user fills in on the ticket form. On update, null ids clear the field.</summary>
public sealed class TicketInput
{
    public string? Title { get; set; }
    public string? Description { get; set; }
    public long? PartnerId { get; set; }
    public long? ContactId { get; set; }
    public long? CatalogItemId { get; set; }
    /// <summary>Null on create takes the catalog item's default price.</summary>
    public decimal? Value { get; set; }
    public long? AssigneeId { get; set; }
    /// <summary>Null on create takes the partner's account manager.</summary>
    public long? AccountManagerId { get; set; }
    public long? CategoryId { get; set; }
    public long? SubcategoryId { get; set; }
    public long? ChannelId { get; set; }
    public DateTimeOffset? DueAt { get; set; }
    public List<long> TagIds { get; set; } = [];
    /// <summary>On update, a different status is a status change (history, e-mail); ignored on create (always Aberto).</summary>
    public TicketStatus? Status { get; set; }
}

/// <summary>Columns the ticket list sorts by.</summary>
public enum TicketSortColumn { UpdatedAt, CreatedAt, Reference, Status, Title, Requester, Value, DueAt, Assignee }

/// <summary>A list order: a column and a direction. Written "-updatedAt" (descending) or "title" (ascending).</summary>
public sealed record TicketSort(TicketSortColumn Column, bool Descending)
{
    public static readonly TicketSort Default = new(TicketSortColumn.UpdatedAt, true);

    public static TicketSort Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Default;
        }
        var descending = text.StartsWith('-');
        var name = text.TrimStart('-', '+');
        if (!Enum.TryParse<TicketSortColumn>(name, ignoreCase: true, out var column) || int.TryParse(name, out _))
        {
            throw new Common.ValidationException("sort",
                $"Ordenação desconhecida: {text}. Use updatedAt, createdAt, reference, status, title, requester, assignee, value ou dueAt (com - na frente para decrescente).");
        }
        return new TicketSort(column, descending);
    }

    public override string ToString() => (Descending ? "-" : "") + char.ToLowerInvariant(Column.ToString()[0]) + Column.ToString()[1..];
}

/// <summary>What the list shows; <see cref="PipelineId"/> null means every pipeline the caller sees.</summary>
public sealed record TicketFilter(
    long? PipelineId = null,
    string? Q = null,
    long? TagId = null,
    TicketStatus? Status = null,
    TicketBin Bin = TicketBin.Active,
    TicketSort? Sort = null,
    /// <summary>The requester partner (the partner page's tickets tab).</summary>
    long? PartnerId = null,
    /// <summary>Only open tickets: not finished, canceled or rejected ("Abertos").</summary>
    bool Open = false,
    /// <summary>The assignee ("Responsável"); <see cref="Unassigned"/> (0) for nobody.</summary>
    long? AssigneeId = null,
    /// <summary>Open tickets past their due time, or due today in the company's time zone.</summary>
    TicketDue? Due = null)
{
    /// <summary><see cref="AssigneeId"/> for the tickets nobody is assigned to ("Sem responsável").</summary>
    public const long Unassigned = 0;

    /// <summary><see cref="Due"/> as instants, set by <see cref="TicketService"/> from the clock and the company's zone.</summary>
    internal (DateTimeOffset? From, DateTimeOffset Before)? DueRange { get; init; }
}

/// <summary>"Atrasados" (open and past due) or "Vencem hoje" (open, due today in the company's time zone).</summary>
public enum TicketDue
{
    Overdue,
    Today,
}

/// <summary>
/// The ticket conditions the list's filters and the dashboard's figures share, so a figure and the list it links to count
/// the same tickets.
/// </summary>
public static class TicketConditions
{
    public static readonly System.Linq.Expressions.Expression<Func<Ticket, bool>> Open =
        t => t.Status != TicketStatus.Done && t.Status != TicketStatus.Canceled && t.Status != TicketStatus.Rejected;

    /// <summary>The instants of <paramref name="due"/> at <paramref name="now"/>: overdue is before now, today is the company's day.</summary>
    public static (DateTimeOffset? From, DateTimeOffset Before) Range(TicketDue due, DateTimeOffset now, TimeZoneInfo zone)
    {
        if (due == TicketDue.Overdue)
        {
            return (null, now);
        }
        var today = Common.ZoneTime.ToLocal(now, zone).Date;
        return (Common.ZoneTime.FromLocal(today, zone), Common.ZoneTime.FromLocal(today.AddDays(1), zone));
    }
}

public sealed record TicketRow(
    long Id,
    string Reference,
    long PipelineId,
    string Title,
    string RequesterName,
    long PartnerId,
    TicketStatus Status,
    decimal Value,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? DueAt,
    long? AssigneeId,
    string? AssigneeName,
    bool Edited,
    TicketBin Bin,
    IReadOnlyList<long> TagIds)
{
    public bool IsOverdue(DateTimeOffset now) => DueAt is { } due && due < now && Status is not (TicketStatus.Done or TicketStatus.Canceled or TicketStatus.Rejected);
}

/// <summary>A line of the Histórico with the user's name.</summary>
/// <summary>A history row: <see cref="OldValue"/>/<see cref="NewValue"/> as shown (pt-BR), <see cref="OldCode"/>/<see cref="NewCode"/> the machine values (null where the field has none, and on rows written before they were kept).</summary>
public sealed record TicketChangeRow(long Id, DateTimeOffset At, long? UserId, string? UserName, string Field, string? OldValue, string? NewValue,
    string? OldCode = null, string? NewCode = null);

/// <param name="AuthorId">The staff user who wrote it; null for a reply by e-mail from a contact.</param>
/// <param name="AuthorName">The user's name, or for a reply by e-mail the sender's name (or address).</param>
/// <param name="FromAddress">For a reply by e-mail, the sender's address.</param>
public sealed record InteractionRow(long Id, string Body, bool Internal, long? AuthorId, string AuthorName, DateTimeOffset CreatedAt, bool Notify,
    IReadOnlyList<AttachmentRow> Attachments, string? FromAddress = null)
{
    public bool ByEmail => FromAddress is not null;
}

public sealed record AttachmentRow(long Id, long? InteractionId, long FileId, string FileName, string ContentType, long Size, DateTimeOffset CreatedAt,
    string? UploadedBy);

/// <summary>The tickets before and after one in a list's order and filter (for the ticket page's arrows).</summary>
public sealed record TicketNeighbors(long? PreviousId, long? NextId);
