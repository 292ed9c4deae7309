using Atende.Core.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace Atende.Core.Tests.Common;

/// <summary>Keyset pages read from a real (in-memory SQLite) table, walked page by page as an API client does.</summary>
public sealed class KeysetTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly SqliteConnection connection = new("Data Source=:memory:");
    private readonly RowsDb db;

    public KeysetTests()
    {
        connection.Open();
        db = new RowsDb(new DbContextOptionsBuilder<RowsDb>().UseSqlite(connection).Options);
        db.Database.EnsureCreated();
    }

    public void Dispose()
    {
        db.Dispose();
        connection.Dispose();
    }

    [Fact]
    public async Task A_short_last_page_has_no_next_cursor()
    {
        await Add("a", "b", "c");

        var page = await ByKey(null, limit: 5);

        Assert.Equal(["a", "b", "c"], page.Items.Select(r => r.Key));
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task A_page_of_exactly_limit_rows_has_no_next_cursor()
    {
        await Add("a", "b", "c");

        var page = await ByKey(null, limit: 3);

        Assert.Equal(3, page.Items.Count);
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task One_row_more_than_the_limit_gives_a_cursor_at_the_last_row_shown()
    {
        await Add("a", "b", "c", "d");

        var page = await ByKey(null, limit: 3);

        Assert.Equal(["a", "b", "c"], page.Items.Select(r => r.Key));
        Assert.Equal(new Cursor("c", page.Items[^1].Id), Cursor.Decode(page.Next));
        var rest = await ByKey(page.Next, limit: 3);
        Assert.Equal(["d"], rest.Items.Select(r => r.Key));
        Assert.Null(rest.Next);
    }

    [Fact]
    public async Task Walking_pages_with_equal_sort_keys_sees_every_row_once_in_order()
    {
        await Add("b", "a", "b", "a", "b", "b", "c", "a", "b");
        var expected = await db.Rows.OrderBy(r => r.Key).ThenBy(r => r.Id).Select(r => r.Id).ToListAsync(Ct);

        var seen = new List<long>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = await ByKey(after, limit: 2);
            seen.AddRange(page.Items.Select(r => r.Id));
            after = page.Next;
            pages++;
        }
        while (after is not null && pages < 20);

        Assert.Equal(expected, seen);
        Assert.Equal(5, pages);
    }

    [Fact]
    public async Task Newest_first_pages_by_id_alone_and_resume_below_the_last_id()
    {
        await Add("x", "x", "x", "x", "x");
        var ids = await db.Rows.OrderByDescending(r => r.Id).Select(r => r.Id).ToListAsync(Ct);

        var first = await db.Rows.NewestFirst(r => r.Id, null).ToPageAsync(2, r => Cursor.ForId(r.Id), Ct);
        var second = await db.Rows.NewestFirst(r => r.Id, first.Next).ToPageAsync(2, r => Cursor.ForId(r.Id), Ct);
        var third = await db.Rows.NewestFirst(r => r.Id, second.Next).ToPageAsync(2, r => Cursor.ForId(r.Id), Ct);

        Assert.Equal(ids, first.Items.Concat(second.Items).Concat(third.Items).Select(r => r.Id));
        Assert.NotNull(second.Next);
        Assert.Null(third.Next);
    }

    [Fact]
    public void Id_cursors_keep_the_encoding_clients_already_hold()
    {
        // ["","42"] in base64url, as the lists handed it out before the helper existed.
        Assert.Equal("WyIiLCI0MiJd", Cursor.ForId(42).Encode());
        Assert.Equal(new Cursor("", 42), Cursor.Decode("WyIiLCI0MiJd"));
    }

    [Fact]
    public async Task A_malformed_cursor_is_a_validation_error_on_after()
    {
        var error = await Assert.ThrowsAsync<ValidationException>(() =>
            db.Rows.NewestFirst(r => r.Id, "nao-e-cursor").ToPageAsync(2, r => Cursor.ForId(r.Id), Ct));

        Assert.Contains("after", error.Errors.Keys);
    }

    [Theory]
    [InlineData(0, 200, 1)]
    [InlineData(-5, 200, 1)]
    [InlineData(1000, 200, 200)]
    [InlineData(1000, 500, 500)]
    [InlineData(300, 500, 300)]
    public async Task The_page_size_is_clamped_between_one_and_the_list_maximum(int limit, int maxLimit, int expected)
    {
        db.Rows.AddRange(Enumerable.Range(0, 600).Select(i => new Row { Key = "k" }));
        await db.SaveChangesAsync(Ct);

        var page = await db.Rows.OrderBy(r => r.Id).ToPageAsync(limit, maxLimit, r => Cursor.ForId(r.Id), Ct);

        Assert.Equal(expected, page.Items.Count);
        Assert.NotNull(page.Next);
    }

    [Fact]
    public void Rows_already_read_are_cut_to_the_limit()
    {
        var rows = new List<int> { 1, 2, 3 };

        var page = Keyset.PageOf(rows, 2, n => new Cursor("n", n));
        var last = Keyset.PageOf(new List<int> { 1, 2 }, 2, n => new Cursor("n", n));

        Assert.Equal([1, 2], page.Items);
        Assert.Equal(new Cursor("n", 2), Cursor.Decode(page.Next));
        Assert.Equal([1, 2], last.Items);
        Assert.Null(last.Next);
    }

    /// <summary>The (Key, Id) ascending list, with its cursor condition written as the name-ordered lists write theirs.</summary>
    private Task<Page<Row>> ByKey(string? after, int limit)
    {
        var query = db.Rows.AsNoTracking();
        if (Cursor.Decode(after) is { } cursor)
        {
            query = query.Where(r => string.Compare(r.Key, cursor.Key) > 0 || (r.Key == cursor.Key && r.Id > cursor.Id));
        }
        return query.OrderBy(r => r.Key).ThenBy(r => r.Id).ToPageAsync(limit, r => new Cursor(r.Key, r.Id), Ct);
    }

    private async Task Add(params string[] keys)
    {
        db.Rows.AddRange(keys.Select(k => new Row { Key = k }));
        await db.SaveChangesAsync(Ct);
    }

    public sealed class Row
    {
        public long Id { get; set; }
        public string Key { get; set; } = "";
    }

    private sealed class RowsDb(DbContextOptions<RowsDb> options) : DbContext(options)
    {
        public DbSet<Row> Rows => Set<Row>();
    }
}
