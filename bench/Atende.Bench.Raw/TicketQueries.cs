using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Atende.Bench.Raw;

public enum TicketStatus { Open, Reopened, Analyzing, Waiting, Canceled, Rejected, Done }

/// <summary>A line of the list, as Atende's <c>GET /api/v1/tickets</c> items show it.</summary>
public sealed record TicketRow(long Id, string Reference, long PipelineId, string Title, string RequesterName, long PartnerId, TicketStatus Status,
    decimal Value, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? DueAt, long? AssigneeId, string? AssigneeName,
    IReadOnlyList<long> TagIds, bool Edited, int Bin);

/// <summary>A page of the list and the cursor of the next one (Atende's format: base64url of <c>["key","id"]</c>).</summary>
public sealed record TicketPage(IReadOnlyList<TicketRow> Items, string? Next);

/// <summary>A search this app does not reproduce (only words of 3+ letters are): a 400, never a 500.</summary>
public sealed class UnsupportedSearchException(string message) : Exception(message);

/// <summary>The database: a pooled connection per request, SQLite (<c>Data Source=…</c>) or PostgreSQL (<c>Host=…</c>).</summary>
public sealed class Database
{
    private readonly NpgsqlDataSource? postgres;
    private readonly string? sqlite;

    public Database(string connectionString)
    {
        if (connectionString.StartsWith("Host=", StringComparison.OrdinalIgnoreCase))
        {
            postgres = NpgsqlDataSource.Create(connectionString);
        }
        else
        {
            sqlite = new SqliteConnectionStringBuilder(connectionString) { Pooling = true }.ToString();
        }
    }

    public bool IsPostgres => postgres is not null;

    public Sql Sql => IsPostgres ? Sql.Postgres : Sql.Sqlite;

    public async ValueTask<DbConnection> Open(CancellationToken ct)
    {
        if (postgres is not null)
        {
            return await postgres.OpenConnectionAsync(ct);
        }
        var connection = new SqliteConnection(sqlite);
        await connection.OpenAsync(ct);
        return connection;
    }
}

/// <summary>
/// Runs the statements of <see cref="Sql"/> as Atende's ticket list does (TicketService.List and its search), with
/// plain ADO.NET: prepared commands on pooled connections, columns read by name once per statement.
/// </summary>
public sealed partial class TicketQueries(Database db)
{
    /// <summary>Atende's TicketService.SearchWindow: rows of the list a search looks at before it asks the text index.</summary>
    private const int SearchWindow = 4000;

    /// <summary>Atende's TicketService.FewMatches (PostgreSQL): up to this many matches are sorted directly.</summary>
    private const int FewMatches = 2000;

    private const int ActiveBin = 0;

    public async Task<bool> Healthy(CancellationToken ct)
    {
        await using var connection = await db.Open(ct);
        await using var command = Command(connection, db.Sql.Health, new Values(0));
        return await command.ExecuteScalarAsync(ct) is not null;
    }

    /// <summary>The first page of a pipeline's list in the default order (updated last first), or of a search in it.</summary>
    public async Task<TicketPage> FirstPage(long pipelineId, string? q, int limit, CancellationToken ct)
    {
        var words = string.IsNullOrWhiteSpace(q) ? null : Words(q);
        await using var connection = await db.Open(ct);
        var take = limit + 1;
        var tickets = words is null
            ? await ReadTickets(connection, db.Sql.List, new Values(pipelineId, Limit: take), ct)
            : await Search(connection, pipelineId, words, take, ct);
        var items = tickets.Take(limit).ToList();
        var next = tickets.Count > limit ? Cursor(items[^1]) : null;
        return new TicketPage(await WithNamesAndTags(connection, items, ct), next);
    }

    /// <summary>TicketService.Find with a search: the window of the list first, the text index when it holds too few matches.</summary>
    private async Task<List<TicketRow>> Search(DbConnection connection, long pipelineId, IReadOnlyList<string> words, int take, CancellationToken ct)
    {
        var found = await ReadTickets(connection, db.Sql.SearchWindow, new Values(pipelineId, SearchWindow, take, words), ct);
        if (found.Count >= take)
        {
            return found;
        }
        await using (var count = Command(connection, db.Sql.WindowCount, new Values(pipelineId, SearchWindow)))
        {
            if (Convert.ToInt64(await count.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) < SearchWindow)
            {
                return found;
            }
        }
        if (db.Sql.SearchIds is null)
        {
            return await ReadTickets(connection, db.Sql.SearchNarrowed, new Values(pipelineId, Limit: take, Words: words), ct);
        }
        var ids = new List<long>();
        await using (var command = Command(connection, db.Sql.SearchIds, new Values(pipelineId, Limit: FewMatches + 1, Words: words)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                ids.Add(reader.GetInt64(0));
            }
        }
        if (ids.Count > FewMatches)
        {
            // Atende then walks the list index with the LIKE conditions: a statement not captured into Sql.cs.
            throw new UnsupportedSearchException("Mais de 2.000 resultados fora da janela: caso não reproduzido por este app.");
        }
        return await ReadTickets(connection, db.Sql.SearchNarrowed, new Values(pipelineId, Limit: take, Ids: ids), ct);
    }

    /// <summary>TicketService.ToRows: the assignees' names (when any) and the tags of the page.</summary>
    private async Task<List<TicketRow>> WithNamesAndTags(DbConnection connection, List<TicketRow> items, CancellationToken ct)
    {
        if (items.Count == 0)
        {
            return items;
        }
        var assigneeIds = items.Where(t => t.AssigneeId is not null).Select(t => t.AssigneeId!.Value).Distinct().ToList();
        var names = new Dictionary<long, string>();
        if (assigneeIds.Count > 0 && db.Sql.Assignees is not null)
        {
            await using var command = Command(connection, db.Sql.Assignees, new Values(0, Ids: assigneeIds));
            await using var reader = await command.ExecuteReaderAsync(ct);
            var (id, name) = (reader.GetOrdinal("Id"), reader.GetOrdinal("Name"));
            while (await reader.ReadAsync(ct))
            {
                names[reader.GetInt64(id)] = reader.GetString(name);
            }
        }
        var tags = new Dictionary<long, List<long>>();
        await using (var command = Command(connection, db.Sql.Tags, new Values(0, Ids: [.. items.Select(t => t.Id)])))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var ticketId = reader.GetInt64(0);
                if (!tags.TryGetValue(ticketId, out var list))
                {
                    tags[ticketId] = list = [];
                }
                list.Add(reader.GetInt64(1));
            }
        }
        return [.. items.Select(t => t with
        {
            AssigneeName = t.AssigneeName ?? (t.AssigneeId is { } a ? names.GetValueOrDefault(a) : null),
            TagIds = tags.GetValueOrDefault(t.Id) ?? [],
        })];
    }

    private async Task<List<TicketRow>> ReadTickets(DbConnection connection, string sql, Values values, CancellationToken ct)
    {
        await using var command = Command(connection, sql, values);
        await using var reader = await command.ExecuteReaderAsync(ct);
        int Column(string name) => reader.GetOrdinal(name);
        var (id, reference, pipeline, title, requester, partner, status, value, created, updated, due, assignee, edited, bin) = (Column("Id"),
            Column("Reference"), Column("PipelineId"), Column("Title"), Column("RequesterName"), Column("PartnerId"), Column("Status"), Column("Value"),
            Column("CreatedAt"), Column("UpdatedAt"), Column("DueAt"), Column("AssigneeId"), Column("Edited"), Column("Bin"));
        var assigneeName = Enumerable.Range(0, reader.FieldCount).FirstOrDefault(i => reader.GetName(i) == "AssigneeName", -1);
        var rows = new List<TicketRow>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new TicketRow(reader.GetInt64(id), reader.GetString(reference), reader.GetInt64(pipeline), reader.GetString(title),
                reader.GetString(requester), reader.GetInt64(partner), (TicketStatus)reader.GetInt32(status), Money(reader, value), Instant(reader, created),
                Instant(reader, updated), reader.IsDBNull(due) ? null : Instant(reader, due), reader.IsDBNull(assignee) ? null : reader.GetInt64(assignee),
                assigneeName < 0 || reader.IsDBNull(assigneeName) ? null : reader.GetString(assigneeName), [], reader.GetBoolean(edited), reader.GetInt32(bin)));
        }
        return rows;
    }

    // Atende's SQLite value converters: instants as UTC ticks, money as cents.
    private DateTimeOffset Instant(DbDataReader reader, int column) =>
        db.IsPostgres ? reader.GetFieldValue<DateTimeOffset>(column) : new DateTimeOffset(reader.GetInt64(column), TimeSpan.Zero);

    private decimal Money(DbDataReader reader, int column) => db.IsPostgres ? reader.GetDecimal(column) : reader.GetInt64(column) / 100m;

    private static string Cursor(TicketRow last) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(
        new[] { last.UpdatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture), last.Id.ToString(CultureInfo.InvariantCulture) }));

    /// <summary>
    /// Atende's search terms (PartnerService.SearchTerms over SearchText.Normalize) for the one kind of search reproduced
    /// here: words of three or more letters. Dates, references, numbers and short words take other statements in Atende.
    /// </summary>
    private static List<string> Words(string q)
    {
        var words = new List<string>();
        foreach (var word in q.Normalize(NormalizationForm.FormD).ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var term = new string([.. word.Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark && c is not ('%' or '_' or '\\'))]);
            if (term.Length < 3 || !term.All(char.IsAsciiLetter))
            {
                throw new UnsupportedSearchException($"Só palavras de 3 ou mais letras: \"{word}\" não é reproduzida por este app.");
            }
            if (!words.Contains(term))
            {
                words.Add(term);
            }
        }
        return words;
    }

    /// <summary>What a statement's parameters mean; <see cref="Command"/> binds them to the names EF gave them.</summary>
    /// <param name="Window">The window of a search (the first <c>LIMIT @p</c> of a statement that has another one after it).</param>
    /// <param name="Limit">The statement's last <c>LIMIT</c>.</param>
    private sealed record Values(long PipelineId, int Window = 0, int Limit = 0, IReadOnlyList<string>? Words = null, IReadOnlyList<long>? Ids = null);

    /// <summary>A statement of <see cref="Sql"/> written for a number of words and ids: its text and its parameters' names.</summary>
    private sealed record Shape(string Text, string[] Names, string? LastLimit, string? Match, string? Array, string? JsonArray);

    private static readonly ConcurrentDictionary<(string Sql, int Words, int Ids), Shape> Shapes = new();

    private DbCommand Command(DbConnection connection, string sql, Values v)
    {
        var shape = Shapes.GetOrAdd((sql, v.Words?.Count ?? 0, v.Ids is null ? 0 : Padded(v.Ids.Count)), ShapeOf);
        var command = connection.CreateCommand();
        command.CommandText = shape.Text;
        foreach (var name in shape.Names)
        {
            object value = name switch
            {
                "@filter_Bin" => ActiveBin,
                "@pipelineId" => v.PipelineId,
                _ when name == shape.LastLimit => v.Limit,
                "@p" => v.Window,
                _ when name == shape.Match => string.Join(" AND ", v.Words!.Select(w => "\"" + w + "\"")),
                _ when name == shape.Array => v.Ids!.ToArray(),
                _ when name == shape.JsonArray => "[" + string.Join(",", v.Ids!.Select(id => id.ToString(CultureInfo.InvariantCulture))) + "]",
                _ when name.StartsWith("@pattern_", StringComparison.Ordinal) => "%" + v.Words![int.Parse(name[9..], CultureInfo.InvariantCulture)] + "%",
                _ when name.StartsWith("@in_", StringComparison.Ordinal) => v.Ids![Math.Min(int.Parse(name[4..], CultureInfo.InvariantCulture), v.Ids.Count - 1)],
                _ => throw new InvalidOperationException($"Parameter {name} has no meaning in TicketQueries: re-sync it with Sql.cs."),
            };
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        command.Prepare();
        return command;
    }

    /// <summary>
    /// EF 10 writes a list of ids as one parameter each and pads the list (repeating the last id) so that fewer shapes
    /// reach the statement cache: 7 ids are sent as 10 parameters, 50 as 50.
    /// </summary>
    private static int Padded(int count) => (count + 9) / 10 * 10;

    private static Shape ShapeOf((string Sql, int Words, int Ids) key)
    {
        var text = LikeConditions().Replace(key.Sql, m => string.Join(" AND ",
            Enumerable.Range(0, Math.Max(key.Words, 1)).Select(i => $"{m.Groups["column"].Value} LIKE @pattern_{i}{m.Groups["escape"].Value}")));
        text = InList().Replace(text, _ => "IN (" + string.Join(", ", Enumerable.Range(0, key.Ids).Select(i => $"@in_{i}")) + ")");
        var names = Parameter().Matches(text).Select(m => m.Value).Distinct().ToArray();
        return new Shape(text, names, LastLimit().Match(text) is { Success: true } l ? l.Groups[1].Value : null,
            FtsMatch().Match(text) is { Success: true } f ? f.Groups[1].Value : null, AnyArray().Match(text) is { Success: true } a ? a.Groups[1].Value : null,
            JsonEach().Match(text) is { Success: true } j ? j.Groups[1].Value : null);
    }

    [GeneratedRegex("""(?<column>\S+\."SearchText") LIKE @pattern\d*(?<escape> ESCAPE '')?(?: AND \k<column> LIKE @pattern\d*(?: ESCAPE '')?)*""")]
    private static partial Regex LikeConditions();

    [GeneratedRegex(@"IN \(@[A-Za-z_]+1(?:, @[A-Za-z_]+\d+)*\)")]
    private static partial Regex InList();

    [GeneratedRegex(@"@\w+")]
    private static partial Regex Parameter();

    [GeneratedRegex(@"LIMIT (@\w+)\s*$")]
    private static partial Regex LastLimit();

    [GeneratedRegex(@"MATCH (@\w+)")]
    private static partial Regex FtsMatch();

    [GeneratedRegex(@"= ANY \((@\w+)\)")]
    private static partial Regex AnyArray();

    /// <summary>EF's one-parameter list on SQLite (<c>EF.Parameter(ids)</c>): the ids as a JSON array.</summary>
    [GeneratedRegex(@"json_each\((@\w+)\)")]
    private static partial Regex JsonEach();
}
