using System.Globalization;
using System.Linq.Expressions;
using System.Text.RegularExpressions;
using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Identity;
using Atende.Core.Partners;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Tickets;

/// <summary>
/// The ticket list: filters, text search, every order with keyset pages, the board, the partner tab, neighbours, the
/// caller's choice of columns and the quick assignment of a row; and the search text kept up to date when a partner,
/// contact or assignee is renamed.
/// </summary>
public sealed partial class TicketService
{
    /// <summary>Up to this many search matches are sorted directly instead of walking a list index.</summary>
    private const int FewMatches = 2000;

    /// <summary>
    /// A search first looks at this many rows of the list in its own order, after the cursor (on SQLite, of the rows the
    /// caller may see): a common word fills the page there without reading every match. Only when they hold too few
    /// matches does the text index find them all.
    /// </summary>
    private const int SearchWindow = 4000;

    /// <summary>An agent's search on SQLite first looks at this many of their next rows (a quarter of the window).</summary>
    private const int FirstLook = SearchWindow / 4;

    /// <summary>One page of a list, in the filter's order, by keyset: the same speed on page 1 and page 10,000.</summary>
    public async Task<Page<TicketRow>> List(TicketFilter filter, string? after, int limit = 50, CancellationToken ct = default)
    {
        limit = Keyset.Clamp(limit);
        filter = await WithDueRange(filter, ct);
        var sort = filter.Sort ?? TicketSort.Default;
        var rows = await Find(filter, sort, Cursor.Decode(after), limit + 1, ct);
        var page = Keyset.PageOf(rows, limit, t => CursorOf(t, sort.Column));
        return new Page<TicketRow>(await ToRows(page.Items, ct), page.Next);
    }

    /// <summary>
    /// What a list row reads of a ticket: the columns it shows, the keys its cursor needs and the assignee's name (joined,
    /// not a user loaded): never the description, the search text or a user's other columns.
    /// </summary>
    private sealed class ListedTicket
    {
        public long Id { get; init; }
        public string Reference { get; init; } = "";
        public long PipelineId { get; init; }
        public string Title { get; init; } = "";
        public string RequesterName { get; init; } = "";
        public long PartnerId { get; init; }
        public TicketStatus Status { get; init; }
        public decimal Value { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
        public DateTimeOffset? DueAt { get; init; }
        public long? AssigneeId { get; init; }
        public string? AssigneeName { get; init; }
        public bool Edited { get; init; }
        public TicketBin Bin { get; init; }
        public string TitleSort { get; init; } = "";
        public string RequesterSort { get; init; } = "";
        public string AssigneeSort { get; init; } = "";
    }

    private Expression<Func<Ticket, ListedTicket>> Listed => t => new ListedTicket
    {
        Id = t.Id, Reference = t.Reference, PipelineId = t.PipelineId, Title = t.Title, RequesterName = t.RequesterName,
        PartnerId = t.PartnerId, Status = t.Status, Value = t.Value, CreatedAt = t.CreatedAt, UpdatedAt = t.UpdatedAt, DueAt = t.DueAt,
        AssigneeId = t.AssigneeId, AssigneeName = db.Users.Where(u => u.Id == t.AssigneeId).Select(u => u.Name).FirstOrDefault(),
        Edited = t.Edited, Bin = t.Bin, TitleSort = t.TitleSort, RequesterSort = t.RequesterSort, AssigneeSort = t.AssigneeSort,
    };

    /// <summary>How many tickets the list of <paramref name="filter"/> holds (all pages): the same visible query and search.</summary>
    public async Task<int> Count(TicketFilter filter, CancellationToken ct = default)
    {
        filter = await WithDueRange(filter, ct);
        var query = Filtered(Visible(), filter);
        if (await Search(filter, ct) is { } search)
        {
            query = query.Where(search.Match);
        }
        return await query.CountAsync(ct);
    }

    /// <summary>
    /// The board's columns: for each tag, the first <paramref name="limit"/> cards of its list (as <see cref="List"/> with
    /// the tag's filter and the default order), read in a fixed number of queries whatever the number of tags: one
    /// UNION ALL of the per-tag keyset queries, then the rows' tags and assignees.
    /// </summary>
    public async Task<Dictionary<long, Page<TicketRow>>> Board(long pipelineId, IReadOnlyList<long> tagIds, int limit, CancellationToken ct = default)
    {
        limit = Keyset.Clamp(limit);
        var sort = TicketSort.Default;
        IQueryable<BoardCard>? cards = null;
        foreach (var tagId in tagIds)
        {
            var column = Segments(Filtered(Visible(), new TicketFilter(pipelineId, TagId: tagId)), sort, null, reversed: false).Single()
                .Take(limit + 1).Select(t => new BoardCard { TagId = tagId, Id = t.Id, UpdatedAt = t.UpdatedAt });
            cards = cards is null ? column : cards.Concat(column);
        }
        var found = cards is null ? [] : await cards.ToListAsync(ct);
        var ids = found.Select(c => c.Id).Distinct().ToArray();
        var listed = ids.Length == 0 ? [] : await Visible().AsNoTracking().Where(t => ids.Contains(t.Id)).Select(Listed).ToListAsync(ct);
        var rows = (await ToRows(listed, ct)).ToDictionary(r => r.Id);
        var columns = new Dictionary<long, Page<TicketRow>>();
        foreach (var tagId in tagIds)
        {
            // UNION ALL keeps no order: each column is sorted again as its query was (UpdatedAt, then Id, descending).
            var cardsOfTag = found.Where(c => c.TagId == tagId).OrderByDescending(c => c.UpdatedAt).ThenByDescending(c => c.Id).ToList();
            columns[tagId] = Keyset.PageOf(cardsOfTag, limit, c => new Cursor(c.UpdatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture), c.Id)).Map(c => rows[c.Id]);
        }
        return columns;
    }

    private sealed class BoardCard
    {
        public long TagId { get; init; }
        public long Id { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
    }

    /// <summary>A partner's tickets the caller may see (any pipeline, not in the trash), newest first.</summary>
    public async Task<Page<TicketRow>> ListForPartner(long partnerId, string? after, int limit = 20, CancellationToken ct = default)
    {
        var query = Visible().AsNoTracking().Where(t => t.PartnerId == partnerId && t.Bin != TicketBin.Trash);
        var page = await query.NewestFirst(t => t.Id, after).Select(Listed).ToPageAsync(limit, t => Cursor.ForId(t.Id), ct);
        return new Page<TicketRow>(await ToRows(page.Items, ct), page.Next);
    }

    /// <summary>The tickets just before and after <paramref name="ticketId"/> in the list <paramref name="filter"/> describes.</summary>
    public async Task<TicketNeighbors> Neighbors(long ticketId, TicketFilter filter, CancellationToken ct = default) =>
        await Neighbors(await Visible().AsNoTracking().FirstOrDefaultAsync(t => t.Id == ticketId, ct) ?? throw new NotFoundException("Atendimento não encontrado."), filter, ct);

    /// <summary>The neighbors of a ticket already read through the caller's visibility (<see cref="Get"/>).</summary>
    public async Task<TicketNeighbors> Neighbors(Ticket ticket, TicketFilter filter, CancellationToken ct = default)
    {
        filter = await WithDueRange(filter, ct);
        var sort = filter.Sort ?? TicketSort.Default;
        var cursor = CursorOf(new ListedTicket
        {
            Id = ticket.Id, Status = ticket.Status, Value = ticket.Value, CreatedAt = ticket.CreatedAt, UpdatedAt = ticket.UpdatedAt,
            DueAt = ticket.DueAt, TitleSort = ticket.TitleSort, RequesterSort = ticket.RequesterSort, AssigneeSort = ticket.AssigneeSort,
        }, sort.Column);
        var backwards = sort with { Descending = !sort.Descending };
        if (string.IsNullOrWhiteSpace(filter.Q))
        {
            return await SeekNeighbors(Filtered(Visible(), filter), sort, backwards, cursor, ct);
        }
        var next = await Find(filter, sort, cursor, 1, ct);
        var previous = await Find(filter, backwards, cursor, 1, ct, reversed: true);
        return new TicketNeighbors(previous.FirstOrDefault()?.Id, next.FirstOrDefault()?.Id);
    }

    /// <summary>
    /// The next and previous tickets of a list without search in one statement (a round trip on PostgreSQL): the first row
    /// of each ordered index range after the cursor, both ways, as one UNION ALL; each way takes its first range that has one.
    /// </summary>
    private async Task<TicketNeighbors> SeekNeighbors(IQueryable<Ticket> query, TicketSort sort, TicketSort backwards, Cursor cursor, CancellationToken ct)
    {
        // Rank: the way (next 0–9, previous 10–19) and the range's place in that walk.
        var ranges = Segments(query, sort, cursor, reversed: false).Select((range, i) => (range, rank: i))
            .Concat(Segments(query, backwards, cursor, reversed: true).Select((range, i) => (range, rank: 10 + i)))
            .Select(x =>
            {
                var rank = x.rank;
                return x.range.Take(1).Select(t => new { t.Id, Rank = rank });
            })
            .Aggregate((all, one) => all.Concat(one));
        var found = (await ranges.ToListAsync(ct)).OrderBy(x => x.Rank).ToList();
        return new TicketNeighbors(found.FirstOrDefault(x => x.Rank >= 10)?.Id, found.FirstOrDefault(x => x.Rank < 10)?.Id);
    }

    /// <summary>Reads up to <paramref name="take"/> tickets of the filter's list after <paramref name="cursor"/>.</summary>
    private async Task<List<ListedTicket>> Find(TicketFilter filter, TicketSort sort, Cursor? cursor, int take, CancellationToken ct, bool reversed = false)
    {
        var search = await Search(filter, ct);
        var query = Filtered(Visible(), filter);
        if (search is null)
        {
            return await Seek(query, sort, cursor, take, ct, reversed);
        }
        if (!caller.IsAdmin && db.IsPostgres && await FewTextMatches(filter, search, ct) is { } few)
        {
            // PostgreSQL: a caller who sees part of the list (an agent) would find few of the next rows theirs; their
            // matches, when few, are read through the trigram index and their grants' index together, then sorted.
            return await Seek(few, sort, cursor, take, ct, reversed);
        }
        // A common word: its matches among the next rows of the list fill the page, in the list's own index order.
        var agentOnSqlite = !caller.IsAdmin && !db.IsPostgres;
        var (found, windowFull) = (new List<ListedTicket>(), true);
        if (agentOnSqlite)
        {
            // SQLite, an agent: a first look at their next rows tells a word that may fill the page within the window
            // from one too rare to (fewer matches there than a page's share), which goes to the text index at once.
            (found, windowFull) = await SeekInWindow(filter, search.Match, sort, cursor, take, FirstLook, ct, reversed);
        }
        if (!agentOnSqlite || (found.Count < take && windowFull && found.Count * (SearchWindow / FirstLook) >= take))
        {
            (found, windowFull) = await SeekInWindow(filter, search.Match, sort, cursor, take, SearchWindow, ct, reversed);
        }
        if (found.Count >= take || !windowFull)
        {
            return found;
        }
        if (agentOnSqlite && await FewTextMatches(filter, search, ct) is { } rare)
        {
            // SQLite: a word too rare to fill the page from the agent's next rows; their matches, when few, are read
            // through the text index and their grants' index, then sorted.
            return await Seek(rare, sort, cursor, take, ct, reversed);
        }
        // A rare word (or an old date): the text index (or the date indexes) find every match, few enough to sort.
        return await Seek(await search.Narrow(query, ct), sort, cursor, take, ct, reversed);
    }

    /// <summary>The filter with its <see cref="TicketFilter.Due"/> as instants (now, in the company's zone).</summary>
    private async Task<TicketFilter> WithDueRange(TicketFilter filter, CancellationToken ct) =>
        filter.Due is { } due && filter.DueRange is null ? filter with { DueRange = TicketConditions.Range(due, Clock.Now(), await CompanyZone(ct)) } : filter;

    private static IQueryable<Ticket> Filtered(IQueryable<Ticket> tickets, TicketFilter filter)
    {
        var query = tickets.AsNoTracking().Where(t => t.Bin == filter.Bin);
        if (filter.PipelineId is { } pipelineId)
        {
            query = query.Where(t => t.PipelineId == pipelineId);
        }
        if (filter.Status is { } status)
        {
            query = query.Where(t => t.Status == status);
        }
        if (filter.TagId is { } tagId)
        {
            query = query.Where(t => t.Tags.Any(x => x.TagId == tagId));
        }
        if (filter.PartnerId is { } partnerId)
        {
            query = query.Where(t => t.PartnerId == partnerId);
        }
        if (filter.Open || filter.Due is not null)
        {
            query = query.Where(TicketConditions.Open);
        }
        if (filter.AssigneeId is { } assigneeId)
        {
            query = assigneeId == TicketFilter.Unassigned ? query.Where(t => t.AssigneeId == null) : query.Where(t => t.AssigneeId == assigneeId);
        }
        if (filter.DueRange is var (from, before))
        {
            query = from is { } start ? query.Where(t => t.DueAt >= start && t.DueAt < before) : query.Where(t => t.DueAt < before);
        }
        return query;
    }

    /// <summary>
    /// A search as a row condition (<see cref="Match"/>: LIKE on the folded text, the typed days) and as a way to
    /// narrow a list to its matches through an index (<see cref="Narrow"/>).
    /// </summary>
    /// <param name="TextTerms">The words the text index answers (none when a date or a reference narrows instead).</param>
    private sealed record TicketSearch(Expression<Func<Ticket, bool>> Match, IReadOnlyList<string> TextTerms,
        Func<IQueryable<Ticket>, CancellationToken, Task<IQueryable<Ticket>>> Narrow);

    private async Task<TicketSearch?> Search(TicketFilter filter, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(filter.Q))
        {
            return null;
        }
        var zone = await CompanyZone(ct);
        var (terms, days) = ParseQuery(filter.Q, zone);
        // "sup-1234": a reference, or the start of one (SUP-1234, SUP-12345…), read from the reference index.
        var references = terms.Where(t => ReferencePattern().IsMatch(t)).ToList();
        terms = terms.Except(references).ToList();
        var indexed = terms.Where(t => t.Length >= PartnerService.MinSubstringLength).ToList();
        var shortTerms = terms.Where(t => t.Length < PartnerService.MinSubstringLength).ToList();
        Expression<Func<Ticket, bool>> match = t => true;
        foreach (var (start, end) in days)
        {
            match = And(match, t => (t.CreatedAt >= start && t.CreatedAt < end) || (t.UpdatedAt >= start && t.UpdatedAt < end)
                || (t.DueAt >= start && t.DueAt < end));
        }
        Expression<Func<Ticket, bool>>? byReference = null;
        foreach (var reference in references)
        {
            var from = reference.ToUpperInvariant();
            var to = from[..^1] + (char)(from[^1] + 1);
            Expression<Func<Ticket, bool>> range = t => string.Compare(t.Reference, from) >= 0 && string.Compare(t.Reference, to) < 0;
            byReference = byReference is null ? range : And(byReference, range);
            match = And(match, range);
        }
        if (indexed.Count > 0)
        {
            foreach (var term in indexed)
            {
                var pattern = "%" + term + "%";
                match = And(match, t => EF.Functions.Like(t.SearchText, pattern));
            }
        }
        else if (shortTerms.Count > 0 && days.Count == 0 && references.Count == 0)
        {
            // Only one- or two-character words (e.g. "12"): titles or references that start with them.
            var prefix = string.Join(' ', shortTerms);
            var upper = prefix[..^1] + (char)(prefix[^1] + 1);
            var referenceSuffix = "-" + prefix.ToUpperInvariant();
            match = And(match, t => (string.Compare(t.TitleSort, prefix) >= 0 && string.Compare(t.TitleSort, upper) < 0)
                || t.Reference.EndsWith(referenceSuffix));
        }
        else if (days.Count == 0 && references.Count == 0)
        {
            return null;
        }
        // A date or a reference narrows the list through its own index better than the text index: a day holds few
        // tickets, a word many.
        var byText = days.Count == 0 && references.Count == 0 ? indexed : [];
        return new TicketSearch(match, byText, (query, token) => Narrow(query, match, byText, byReference, token));
    }

    /// <summary>
    /// The matches of a search through an index: the reference index for a typed reference, else FTS5 on SQLite and the
    /// trigram index on PostgreSQL for words, else the date indexes.
    /// </summary>
    private async Task<IQueryable<Ticket>> Narrow(IQueryable<Ticket> query, Expression<Func<Ticket, bool>> match, List<string> indexed,
        Expression<Func<Ticket, bool>>? byReference, CancellationToken ct)
    {
        if (byReference is not null)
        {
            // Asked alone, so the planner reads the unique reference index rather than a list index.
            var ids = await db.Tickets.Where(byReference).Select(t => t.Id).Take(FewMatches + 1).ToListAsync(ct);
            if (ids.Count <= FewMatches)
            {
                return query.Where(t => ids.Contains(t.Id)).Where(match);
            }
        }
        if (indexed.Count > 0 && !db.IsPostgres)
        {
            var ids = TextIndexMatches(indexed);
            return query.Where(t => ids.Contains(t.Id)).Where(match);
        }
        query = query.Where(match);
        if (db.IsPostgres)
        {
            // Few matches: sort just those instead of letting the planner walk a list index and filter most rows.
            var matches = await query.Select(t => t.Id).Take(FewMatches + 1).ToListAsync(ct);
            if (matches.Count <= FewMatches)
            {
                return db.Tickets.AsNoTracking().Where(t => matches.Contains(t.Id));
            }
        }
        return query;
    }

    /// <summary>The ids of the tickets whose search text holds every one of <paramref name="terms"/> (FTS5 trigram, SQLite).</summary>
    private IQueryable<long> TextIndexMatches(IEnumerable<string> terms)
    {
        var phrases = string.Join(" AND ", terms.Select(t => "\"" + t.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
        return db.Database.SqlQuery<long>($"SELECT rowid AS \"Value\" FROM TicketSearch WHERE TicketSearch MATCH {phrases}");
    }

    /// <summary>
    /// The matches of a text search in the caller's list of <paramref name="filter"/> when there are at most
    /// <see cref="FewMatches"/>, else null (also when no word of the search is long enough for the text index). The
    /// caller's grants are applied with the text index, before any row is read: on SQLite the grants' index
    /// (WorkspaceId, PipelineId, Bin, Id) meets the FTS5 matches ("Id + 0": not one primary-key lookup per match of
    /// every workspace); on PostgreSQL the trigram index can be combined with the same index.
    /// </summary>
    private async Task<IQueryable<Ticket>?> FewTextMatches(TicketFilter filter, TicketSearch search, CancellationToken ct)
    {
        if (search.TextTerms.Count == 0)
        {
            return null;
        }
        var query = Filtered(Visible(useGrantsIndex: true), filter);
        IQueryable<Ticket> matches;
        if (db.IsPostgres)
        {
            matches = query.Where(search.Match);
        }
        else
        {
            var ids = TextIndexMatches(search.TextTerms);
            matches = query.Where(t => ids.Contains(t.Id + 0));
        }
        var found = await matches.Select(t => t.Id).Take(FewMatches + 1).ToListAsync(ct);
        if (found.Count > FewMatches)
        {
            return null;
        }
        // Just these rows, by primary key (still through the caller's visibility), then sorted: not the text index read
        // again (on SQLite 10–20 ms for a common word at 1,000,000 tickets), nor a list index walked.
        return Visible().AsNoTracking().Where(t => found.Contains(t.Id));
    }

    private static Expression<Func<Ticket, bool>> And(Expression<Func<Ticket, bool>> left, Expression<Func<Ticket, bool>> right)
    {
        if (left.Body is ConstantExpression { Value: true })
        {
            return right;
        }
        var body = new ParameterSwap(right.Parameters[0], left.Parameters[0]).Visit(right.Body);
        return Expression.Lambda<Func<Ticket, bool>>(Expression.AndAlso(left.Body, body), left.Parameters);
    }

    private sealed class ParameterSwap(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }

    /// <summary>Splits a search into text terms and whole days typed as dd/mm/aaaa (each day in the company's time zone).</summary>
    internal static (List<string> Terms, List<(DateTimeOffset Start, DateTimeOffset End)> Days) ParseQuery(string q, TimeZoneInfo zone)
    {
        var days = new List<(DateTimeOffset, DateTimeOffset)>();
        var rest = new List<string>();
        foreach (var word in q.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (DatePattern().IsMatch(word) && DateTime.TryParseExact(word, ["d/M/yyyy", "dd/MM/yyyy"], PtBr, DateTimeStyles.None, out var date))
            {
                if (!ZoneTime.InRange(date))
                {
                    throw new ValidationException("q", $"Data fora do intervalo aceito: {word}.");
                }
                var start = new DateTimeOffset(date, zone.GetUtcOffset(date));
                var next = date.AddDays(1);
                days.Add((start.ToUniversalTime(), new DateTimeOffset(next, zone.GetUtcOffset(next)).ToUniversalTime()));
            }
            else
            {
                rest.Add(word);
            }
        }
        return (PartnerService.SearchTerms(string.Join(' ', rest)), days);
    }

    /// <summary>Reads up to <paramref name="take"/> tickets after <paramref name="cursor"/> in <paramref name="sort"/> order.</summary>
    /// <param name="reversed">Walk backwards: for the due date and the assignee, tickets without one then come first instead of last.</param>
    private async Task<List<ListedTicket>> Seek(IQueryable<Ticket> query, TicketSort sort, Cursor? cursor, int take, CancellationToken ct, bool reversed = false)
    {
        var found = new List<ListedTicket>();
        foreach (var segment in Segments(query, sort, cursor, reversed))
        {
            found.AddRange(await segment.Take(take - found.Count).Select(Listed).ToListAsync(ct));
            if (found.Count >= take)
            {
                break;
            }
        }
        return found;
    }

    /// <summary>
    /// As <see cref="Seek"/>, but only among the next <paramref name="window"/> rows of each segment of the filter's list,
    /// filtered by <paramref name="match"/>. <c>WindowFull</c>: some window ended before the list did, so matches may lie
    /// beyond it. On SQLite the window is counted in the caller's own rows: the list's index ends with what their
    /// visibility reads, so the rows they may not see are passed over in the index, never read (see AtendeDb). On
    /// PostgreSQL it is counted in rows of the list (its index order, whoever sees them) and visibility is part of the match.
    /// </summary>
    private async Task<(List<ListedTicket> Found, bool WindowFull)> SeekInWindow(TicketFilter filter, Expression<Func<Ticket, bool>> match,
        TicketSort sort, Cursor? cursor, int take, int window, CancellationToken ct, bool reversed)
    {
        var (list, windowMatch) = db.IsPostgres
            ? (Filtered(db.Tickets.AsNoTracking(), filter), And(Visibility.TicketRule(caller), match))
            : (Filtered(Visible(), filter), match);
        var found = new List<ListedTicket>();
        foreach (var segment in Segments(list, sort, cursor, reversed))
        {
            // Ordered, limited, then filtered: EF keeps the subquery's order on the outer query.
            found.AddRange(await segment.Take(window).Where(windowMatch).Take(take - found.Count).Select(Listed).ToListAsync(ct));
            if (found.Count >= take)
            {
                return (found, false);
            }
            if (await segment.Take(window).CountAsync(ct) == window)
            {
                return (found, true);
            }
        }
        return (found, false);
    }

    /// <summary>
    /// The list in <paramref name="sort"/> order from <paramref name="cursor"/>, as ordered index ranges read one after the
    /// other: one for most columns; for the due date and the assignee, tickets with one then tickets without (or the reverse).
    /// </summary>
    private static IEnumerable<IQueryable<Ticket>> Segments(IQueryable<Ticket> query, TicketSort sort, Cursor? cursor, bool reversed)
    {
        var desc = sort.Descending;
        return sort.Column switch
        {
            TicketSortColumn.DueAt => BlanksLast(
                c => Page(query.Where(t => t.DueAt != null), t => t.DueAt!.Value, desc, c, Ticks),
                c => PageById(query.Where(t => t.DueAt == null), desc, c?.Id), cursor, reversed),
            // "> ''" rather than "<> ''": a range, so the index scan starts past the tickets without assignee.
            TicketSortColumn.Assignee => BlanksLast(
                c => Page(query.Where(t => string.Compare(t.AssigneeSort, "") > 0), t => t.AssigneeSort, desc, c, c => c.Key),
                c => PageById(query.Where(t => t.AssigneeSort == ""), desc, c?.Id), cursor, reversed),
            TicketSortColumn.UpdatedAt => [Page(query, t => t.UpdatedAt, desc, cursor, Ticks)],
            TicketSortColumn.CreatedAt => [Page(query, t => t.CreatedAt, desc, cursor, Ticks)],
            TicketSortColumn.Status => [PageByStatus(query, desc, cursor)],
            TicketSortColumn.Title => [Page(query, t => t.TitleSort, desc, cursor, c => c.Key)],
            TicketSortColumn.Requester => [Page(query, t => t.RequesterSort, desc, cursor, c => c.Key)],
            TicketSortColumn.Value => [Page(query, t => t.Value, desc, cursor, c => c.KeyAsDecimal())],
            _ => [PageById(query, desc, cursor?.IdAlone())],
        };
    }

    /// <summary>
    /// A column some tickets have no value in: those with one in order (<paramref name="values"/>), then those without by
    /// id (<paramref name="blanks"/>), or the reverse when walking backwards. A cursor with an empty key is in the blanks.
    /// </summary>
    private static IEnumerable<IQueryable<Ticket>> BlanksLast(Func<Cursor?, IQueryable<Ticket>> values, Func<Cursor?, IQueryable<Ticket>> blanks,
        Cursor? cursor, bool reversed)
    {
        var cursorInBlanks = cursor is not null && cursor.Key.Length == 0;
        var started = cursor is null;
        foreach (var (isBlank, read) in reversed ? new[] { (true, blanks), (false, values) } : [(false, values), (true, blanks)])
        {
            if (!started && isBlank != cursorInBlanks)
            {
                continue;
            }
            var segmentCursor = started ? null : cursor;
            started = true;
            yield return read(segmentCursor);
        }
    }

    private static DateTimeOffset Ticks(Cursor cursor) => cursor.KeyAsInstant();

    private static Cursor CursorOf(ListedTicket t, TicketSortColumn column) => column switch
    {
        TicketSortColumn.UpdatedAt => new Cursor(t.UpdatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture), t.Id),
        TicketSortColumn.CreatedAt => new Cursor(t.CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture), t.Id),
        TicketSortColumn.DueAt => new Cursor(t.DueAt?.UtcTicks.ToString(CultureInfo.InvariantCulture) ?? "", t.Id),
        TicketSortColumn.Status => new Cursor(((int)t.Status).ToString(CultureInfo.InvariantCulture), t.Id),
        TicketSortColumn.Title => new Cursor(t.TitleSort, t.Id),
        TicketSortColumn.Requester => new Cursor(t.RequesterSort, t.Id),
        TicketSortColumn.Assignee => new Cursor(t.AssigneeSort, t.Id),
        TicketSortColumn.Value => new Cursor(t.Value.ToString(CultureInfo.InvariantCulture), t.Id),
        _ => new Cursor("", t.Id),
    };

    /// <summary>Orders by the key then id, and starts after (key, id) when given: "key > k OR (key = k AND id > i)".</summary>
    private static IQueryable<Ticket> Page<TKey>(IQueryable<Ticket> query, Expression<Func<Ticket, TKey>> key, bool desc, Cursor? after, Func<Cursor, TKey> parse)
    {
        if (after is not null)
        {
            var bound = new Bound<TKey>(parse(after), after.Id);
            var t = key.Parameters[0];
            var boundValue = Expression.Field(Expression.Constant(bound), nameof(Bound<TKey>.Value));
            var id = Expression.Field(Expression.Constant(bound), nameof(Bound<TKey>.Id));
            Expression beyond;
            if (typeof(TKey) == typeof(string))
            {
                var compare = Expression.Call(typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!, key.Body, boundValue);
                beyond = desc ? Expression.LessThan(compare, Expression.Constant(0)) : Expression.GreaterThan(compare, Expression.Constant(0));
            }
            else
            {
                beyond = desc ? Expression.LessThan(key.Body, boundValue) : Expression.GreaterThan(key.Body, boundValue);
            }
            var idProperty = Expression.Property(t, nameof(Ticket.Id));
            var idBeyond = desc ? Expression.LessThan(idProperty, id) : Expression.GreaterThan(idProperty, id);
            // The redundant "key >= v" (or "<=") lets PostgreSQL start the index scan at the cursor instead of
            // filtering every row before it (a page 50,000 rows deep: 718 ms → 0.2 ms, see bench/README.md).
            Expression notBefore;
            if (typeof(TKey) == typeof(string))
            {
                var compare = Expression.Call(typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!, key.Body, boundValue);
                notBefore = desc ? Expression.LessThanOrEqual(compare, Expression.Constant(0)) : Expression.GreaterThanOrEqual(compare, Expression.Constant(0));
            }
            else
            {
                notBefore = desc ? Expression.LessThanOrEqual(key.Body, boundValue) : Expression.GreaterThanOrEqual(key.Body, boundValue);
            }
            var body = Expression.AndAlso(notBefore, Expression.OrElse(beyond, Expression.AndAlso(Expression.Equal(key.Body, boundValue), idBeyond)));
            query = query.Where(Expression.Lambda<Func<Ticket, bool>>(body, t));
        }
        return desc ? query.OrderByDescending(key).ThenByDescending(t => t.Id) : query.OrderBy(key).ThenBy(t => t.Id);
    }

    private static IQueryable<Ticket> PageById(IQueryable<Ticket> query, bool desc, long? afterId) =>
        afterId is { } id
            ? (desc ? query.Where(t => t.Id < id).OrderByDescending(t => t.Id) : query.Where(t => t.Id > id).OrderBy(t => t.Id))
            : (desc ? query.OrderByDescending(t => t.Id) : query.OrderBy(t => t.Id));

    /// <summary>
    /// Status order by the stored column itself (an expression such as "(int)Status" is no index order): the statuses
    /// past the cursor's are a short IN list.
    /// </summary>
    private static IQueryable<Ticket> PageByStatus(IQueryable<Ticket> query, bool desc, Cursor? after)
    {
        if (after is not null)
        {
            var number = after.KeyAsInt();
            if (!Enum.IsDefined((TicketStatus)number))
            {
                throw Cursor.InvalidCursor();
            }
            var status = (TicketStatus)number;
            var beyond = Enum.GetValues<TicketStatus>().Where(s => desc ? s < status : s > status).ToArray();
            var id = after.Id;
            query = desc
                ? query.Where(t => beyond.Contains(t.Status) || (t.Status == status && t.Id < id))
                : query.Where(t => beyond.Contains(t.Status) || (t.Status == status && t.Id > id));
        }
        return desc ? query.OrderByDescending(t => t.Status).ThenByDescending(t => t.Id) : query.OrderBy(t => t.Status).ThenBy(t => t.Id);
    }

    /// <summary>Holds keyset values so EF sends them as parameters, not literals.</summary>
    private sealed class Bound<TKey>(TKey value, long id)
    {
        public readonly TKey Value = value;
        public readonly long Id = id;
    }

    /// <summary>Rows for the list: the tags of all rows in one query, never per row (the assignee's name came with the row).</summary>
    private async Task<List<TicketRow>> ToRows(IReadOnlyList<ListedTicket> tickets, CancellationToken ct)
    {
        if (tickets.Count == 0)
        {
            return [];
        }
        // One array parameter (json_each on SQLite, = ANY on PostgreSQL), not one parameter per ticket: the same SQL text for
        // any page size, which EF does not rewrite on every call.
        var ids = tickets.Select(t => t.Id).ToArray();
        var tags = (await db.TicketTags.Where(x => EF.Parameter(ids).Contains(x.TicketId)).Select(x => new { x.TicketId, x.TagId }).ToListAsync(ct))
            .ToLookup(x => x.TicketId, x => x.TagId);
        return tickets.Select(t => new TicketRow(t.Id, t.Reference, t.PipelineId, t.Title, t.RequesterName, t.PartnerId, t.Status, t.Value, t.CreatedAt,
            t.UpdatedAt, t.DueAt, t.AssigneeId, t.AssigneeName, t.Edited, t.Bin, tags[t.Id].ToList())).ToList();
    }

    /// <summary>
    /// Keeps a partner's tickets in step after its name or workspace changed (call inside the change's transaction): the
    /// workspace, the requester name and sort key of those without a contact, and the search text of all, in one UPDATE.
    /// </summary>
    internal static Task FollowPartner(AtendeDb db, Partner partner, CancellationToken ct)
    {
        var (partnerId, workspaceId, name) = (partner.Id, partner.WorkspaceId, partner.Name);
        var sort = SearchText.Normalize(name);
        var part = SearchTextPart(sort);
        return db.Tickets.Where(t => t.PartnerId == partnerId).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.WorkspaceId, workspaceId)
            .SetProperty(t => t.RequesterName, t => t.ContactId == null ? name : t.RequesterName)
            .SetProperty(t => t.RequesterSort, t => t.ContactId == null ? sort : t.RequesterSort)
            // SearchText.Build(reference, title, requester, partner) in SQL: the reference is ASCII (lower() folds it),
            // TitleSort and RequesterSort are the normalized title and requester.
            .SetProperty(t => t.SearchText, t => t.Reference.ToLower()
                + (t.TitleSort == "" ? "" : SearchText.PartSeparator + t.TitleSort)
                + (t.ContactId == null ? part : t.RequesterSort == "" ? "" : SearchText.PartSeparator + t.RequesterSort)
                + part), ct);
    }

    /// <summary>
    /// Keeps the tickets requested by a contact in step after it was renamed (<paramref name="contact"/>) or removed
    /// (null: the partner becomes their requester); call inside the change's transaction, before a removal is saved.
    /// </summary>
    internal static Task FollowContact(AtendeDb db, Partner partner, long contactId, Contact? contact, CancellationToken ct)
    {
        var newContactId = contact?.Id;
        var name = contact?.Name ?? partner.Name;
        var sort = SearchText.Normalize(name);
        var tail = SearchTextPart(sort) + SearchTextPart(SearchText.Normalize(partner.Name));
        return db.Tickets.Where(t => t.ContactId == contactId).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.ContactId, newContactId)
            .SetProperty(t => t.RequesterName, name)
            .SetProperty(t => t.RequesterSort, sort)
            // SearchText.Build(reference, title, requester, partner) in SQL, as in FollowPartner.
            .SetProperty(t => t.SearchText, t => t.Reference.ToLower() + (t.TitleSort == "" ? "" : SearchText.PartSeparator + t.TitleSort) + tail), ct);
    }

    /// <summary>A normalized part of <see cref="SearchText.Build"/> after the first: "" when empty, else separator and part.</summary>
    private static string SearchTextPart(string normalized) => normalized.Length == 0 ? "" : SearchText.PartSeparator + normalized;

    /// <summary>Keeps the assignee sort key of a renamed user's tickets in step (call inside the rename's transaction).</summary>
    internal static Task RenameAssignee(AtendeDb db, long userId, string name, CancellationToken ct)
    {
        var sort = SearchText.Normalize(name);
        return db.Tickets.Where(t => t.AssigneeId == userId).ExecuteUpdateAsync(s => s.SetProperty(t => t.AssigneeSort, sort), ct);
    }

    private static string BuildSearchText(Ticket ticket, string partnerName) =>
        SearchText.Build(ticket.Reference, ticket.Title, ticket.RequesterName, partnerName);

    [GeneratedRegex(@"^\d{1,2}/\d{1,2}/\d{4}$")]
    private static partial Regex DatePattern();

    /// <summary>The optional columns the caller hid in the ticket list (the defaults until they choose).</summary>
    public async Task<IReadOnlySet<TicketSortColumn>> HiddenColumns(CancellationToken ct = default)
    {
        caller.RequireStaff();
        if (_hiddenColumns is { } chosen)
        {
            return chosen;
        }
        // A caller loaded through CallerCache came with them (a change moves the access version: they are current).
        var stored = caller.AccessVersion != 0 ? caller.HiddenTicketColumns
            : await db.Users.Where(u => u.Id == caller.UserId).Select(u => u.HiddenTicketColumns).FirstOrDefaultAsync(ct);
        return TicketColumns.Hidden(stored);
    }

    /// <summary>The columns this request chose (<see cref="ShowColumns"/>): newer than the ones its caller was loaded with.</summary>
    private IReadOnlySet<TicketSortColumn>? _hiddenColumns;

    /// <summary>Shows <paramref name="visible"/> and hides the other optional columns, for the caller only, in every browser.</summary>
    public async Task<IReadOnlySet<TicketSortColumn>> ShowColumns(IEnumerable<string> visible, CancellationToken ct = default)
    {
        caller.RequireStaff();
        var stored = TicketColumns.Store(visible);
        await db.Users.Where(u => u.Id == caller.UserId).ExecuteUpdateAsync(s => s.SetProperty(u => u.HiddenTicketColumns, stored), ct);
        return _hiddenColumns = TicketColumns.Hidden(stored);
    }

    /// <summary>
    /// Gives the ticket to <paramref name="assigneeId"/> (null: nobody), through the same rules and history as the form:
    /// the user must see the ticket (<see cref="Identity.Visibility.UsersWhoSee"/>). <paramref name="version"/> is the version the user saw (the
    /// ticket page: a stale one is refused like the form's); null acts on the current one (the list row). Returns the assignee's name.
    /// </summary>
    public async Task<(Ticket Ticket, string? AssigneeName)> Assign(long id, int? version, long? assigneeId, CancellationToken ct = default)
    {
        var ticket = await Get(id, ct);
        var input = new TicketInput
        {
            Title = ticket.Title, Description = ticket.Description, PartnerId = ticket.PartnerId, ContactId = ticket.ContactId,
            CatalogItemId = ticket.CatalogItemId, Value = ticket.Value, AssigneeId = assigneeId, AccountManagerId = ticket.AccountManagerId,
            CategoryId = ticket.CategoryId, SubcategoryId = ticket.SubcategoryId, ChannelId = ticket.ChannelId, DueAt = ticket.DueAt,
            TagIds = ticket.Tags.Select(t => t.TagId).ToList(),
        };
        var (saved, _) = await Update(id, version ?? ticket.Version, input, ct);
        var name = assigneeId is { } userId ? await db.Users.Where(u => u.Id == userId).Select(u => u.Name).FirstAsync(ct) : null;
        return (saved, name);
    }
}
