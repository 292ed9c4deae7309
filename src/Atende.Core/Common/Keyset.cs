using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Common;

/// <summary>
/// Keyset paging: a list reads one row more than the page to know whether there is a next page, and the next page's cursor
/// is the last row's sort key and id (see <see cref="Cursor"/>).
/// </summary>
public static class Keyset
{
    /// <summary>The largest page a list answers unless it says otherwise.</summary>
    public const int MaxLimit = 200;

    /// <summary>The page size a list uses for the <paramref name="limit"/> asked: from 1 to <paramref name="maxLimit"/>.</summary>
    public static int Clamp(int limit, int maxLimit = MaxLimit) => Math.Clamp(limit, 1, maxLimit);

    /// <summary>
    /// The rows after the cursor <paramref name="after"/> (a <see cref="Cursor.ForId"/> one), newest first: the order of the
    /// lists paged by id alone.
    /// </summary>
    public static IOrderedQueryable<T> NewestFirst<T>(this IQueryable<T> query, Expression<Func<T, long>> id, string? after)
    {
        if (Cursor.DecodeId(after) is { } lastId)
        {
            // A captured variable, not a constant, so the database sees a parameter and reuses the statement's plan.
            Expression<Func<long>> last = () => lastId;
            query = query.Where(Expression.Lambda<Func<T, bool>>(Expression.LessThan(id.Body, last.Body), id.Parameters));
        }
        return query.OrderByDescending(id);
    }

    /// <summary>
    /// Reads one page of an ordered query already past its cursor: at most <paramref name="limit"/> rows (clamped by
    /// <see cref="Clamp"/>), and the cursor of the last one when more rows follow.
    /// </summary>
    public static Task<Page<T>> ToPageAsync<T>(this IQueryable<T> ordered, int limit, Func<T, Cursor> cursorOf, CancellationToken ct) =>
        ordered.ToPageAsync(limit, MaxLimit, cursorOf, ct);

    /// <inheritdoc cref="ToPageAsync{T}(IQueryable{T}, int, Func{T, Cursor}, CancellationToken)"/>
    public static async Task<Page<T>> ToPageAsync<T>(this IQueryable<T> ordered, int limit, int maxLimit, Func<T, Cursor> cursorOf, CancellationToken ct)
    {
        limit = Clamp(limit, maxLimit);
        return PageOf(await ordered.Take(limit + 1).ToListAsync(ct), limit, cursorOf);
    }

    /// <summary>
    /// The page of <paramref name="rows"/> read as <paramref name="limit"/> + 1: the first <paramref name="limit"/>, and the
    /// cursor of the last of them when the extra row shows more follow (null on the last page).
    /// </summary>
    public static Page<T> PageOf<T>(List<T> rows, int limit, Func<T, Cursor> cursorOf)
    {
        var more = CutToLimit(rows, limit);
        return new Page<T>(rows, more ? cursorOf(rows[^1]).Encode() : null);
    }

    /// <summary>Removes the row read past <paramref name="limit"/> (lists read limit + 1 rows); true when there was one.</summary>
    public static bool CutToLimit<T>(List<T> rows, int limit)
    {
        if (rows.Count <= limit)
        {
            return false;
        }
        rows.RemoveRange(limit, rows.Count - limit);
        return true;
    }
}
