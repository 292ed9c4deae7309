using System.Data.Common;
using System.Diagnostics;
using Atende.Core.Data;
using Atende.Core.Tickets;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Atende.Bench;

/// <summary>Writes batches of tickets (tickets, their tags, interactions and history), parents first, explicit ids.</summary>
public interface ITicketWriter : IDisposable
{
    Task Write(TicketBatch batch);

    /// <summary>Called once after the last batch.</summary>
    Task Finish();
}

/// <summary>SQLite: one prepared INSERT per table, reused for every row; one transaction per batch.</summary>
public sealed class SqliteTicketWriter : ITicketWriter
{
    private readonly SqliteConnection _conn;
    private readonly SqliteInsert _tickets, _tags, _interactions, _changes;

    public SqliteTicketWriter(AtendeDb db)
    {
        _conn = (SqliteConnection)db.Database.GetDbConnection();
        _tickets = new SqliteInsert(_conn, TableMap.For<Ticket>(db));
        _tags = new SqliteInsert(_conn, TableMap.For<TicketTag>(db));
        _interactions = new SqliteInsert(_conn, TableMap.For<Interaction>(db));
        _changes = new SqliteInsert(_conn, TableMap.For<TicketChange>(db));
    }

    public Task Write(TicketBatch batch)
    {
        using var tx = _conn.BeginTransaction();
        _tickets.Transaction = _tags.Transaction = _interactions.Transaction = _changes.Transaction = tx;
        foreach (var ticket in batch.Tickets)
        {
            _tickets.Insert(ticket);
            foreach (var tag in ticket.Tags)
            {
                _tags.Insert(tag);
            }
        }
        foreach (var interaction in batch.Interactions)
        {
            _interactions.Insert(interaction);
        }
        foreach (var change in batch.Changes)
        {
            _changes.Insert(change);
        }
        tx.Commit();
        return Task.CompletedTask;
    }

    public Task Finish() => Task.CompletedTask;

    public void Dispose()
    {
        _tickets.Dispose();
        _tags.Dispose();
        _interactions.Dispose();
        _changes.Dispose();
    }
}

/// <summary>PostgreSQL: binary COPY per table and batch; identity sequences moved past the explicit ids at the end.</summary>
public sealed class PostgresTicketWriter(AtendeDb db) : ITicketWriter
{
    private readonly NpgsqlConnection _conn = (NpgsqlConnection)db.Database.GetDbConnection();
    private readonly TableMap _tickets = TableMap.For<Ticket>(db);
    private readonly TableMap _tags = TableMap.For<TicketTag>(db);
    private readonly TableMap _interactions = TableMap.For<Interaction>(db);
    private readonly TableMap _changes = TableMap.For<TicketChange>(db);

    public async Task Write(TicketBatch batch)
    {
        await PgCopy.Copy(_conn, _tickets, batch.Tickets);
        await PgCopy.Copy(_conn, _tags, batch.Tickets.SelectMany(t => t.Tags));
        await PgCopy.Copy(_conn, _interactions, batch.Interactions);
        await PgCopy.Copy(_conn, _changes, batch.Changes);
    }

    public async Task Finish()
    {
        foreach (var table in new[] { _tickets.Name, _interactions.Name, _changes.Name })
        {
            await PgCopy.ResetIdentity(db, table);
        }
    }

    public void Dispose()
    {
    }
}

/// <summary>
/// Drops the secondary indexes of the ticket tables before a bulk load and recreates them afterwards from their own
/// saved definitions (so they come back exactly as the migrations made them): building an index once from sorted data
/// is much cheaper than maintaining ten of them row by row. On SQLite the FTS5 insert trigger is dropped too and the
/// TicketSearch index rebuilt from Tickets in one pass; on PostgreSQL the foreign keys of the loaded tables are dropped and
/// re-added (re-adding validates every row in one join, instead of one lookup per inserted row).
/// </summary>
public sealed class BulkIndexes
{
    private static readonly string[] Tables = ["Tickets", "TicketTags", "Interactions", "TicketChanges"];
    private const string SqliteInsertTrigger = "Tickets_search_ai";

    private readonly bool _sqlite;
    private readonly List<(string Name, string Sql)> _indexes;
    private readonly List<(string Table, string Name, string Definition)> _foreignKeys;
    private readonly List<(string Name, string Sql)> _triggers;

    private BulkIndexes(bool sqlite, List<(string, string)> indexes, List<(string, string, string)> foreignKeys, List<(string, string)> triggers)
    {
        _sqlite = sqlite;
        _indexes = indexes;
        _foreignKeys = foreignKeys;
        _triggers = triggers;
    }

    /// <summary>What is in the database now: index and trigger SQL (SQLite) or index and FK definitions (PostgreSQL).</summary>
    public static async Task<List<string>> Describe(DbConnection conn, bool sqlite)
    {
        var tables = string.Join(", ", Tables.Select(t => $"'{t}'"));
        if (sqlite)
        {
            return (await Rows(conn, $"SELECT type || ' ' || name || ': ' || sql FROM sqlite_master WHERE tbl_name IN ({tables}) AND sql IS NOT NULL AND type IN ('index', 'trigger', 'table') ORDER BY name"))
                .Select(r => (string)r[0]).ToList();
        }
        var indexes = await Rows(conn, $"SELECT indexname || ': ' || indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN ({tables}) ORDER BY indexname");
        var fks = await Rows(conn, $"SELECT conname || ': ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid::regclass::text IN ({string.Join(", ", Tables.Select(t => $"'\"{t}\"'"))}) ORDER BY conname");
        return indexes.Concat(fks).Select(r => (string)r[0]).ToList();
    }

    public static async Task<BulkIndexes> Drop(AtendeDb db, bool sqlite)
    {
        var conn = db.Database.GetDbConnection();
        var tables = string.Join(", ", Tables.Select(t => $"'{t}'"));
        List<(string, string)> indexes;
        List<(string, string, string)> foreignKeys = [];
        List<(string, string)> triggers = [];
        if (sqlite)
        {
            // sql IS NULL: the automatic indexes of primary keys, which stay.
            indexes = (await Rows(conn, $"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ({tables}) AND sql IS NOT NULL ORDER BY name"))
                .Select(r => ((string)r[0], (string)r[1])).ToList();
            triggers = (await Rows(conn, $"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name = '{SqliteInsertTrigger}'"))
                .Select(r => ((string)r[0], (string)r[1])).ToList();
            if (triggers.Count != 1)
            {
                throw new InvalidOperationException($"Trigger {SqliteInsertTrigger} not found: has the Tickets migration changed?");
            }
            foreach (var (name, _) in triggers)
            {
                await Exec(conn, $"DROP TRIGGER \"{name}\"");
            }
            foreach (var (name, _) in indexes)
            {
                await Exec(conn, $"DROP INDEX \"{name}\"");
            }
        }
        else
        {
            // Indexes that back a constraint (primary keys) stay.
            indexes = (await Rows(conn, $"""
                SELECT i.indexname, i.indexdef FROM pg_indexes i
                WHERE i.schemaname = current_schema() AND i.tablename IN ({tables})
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)
                ORDER BY i.indexname
                """)).Select(r => ((string)r[0], (string)r[1])).ToList();
            foreignKeys = (await Rows(conn, $"""
                SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
                WHERE contype = 'f' AND conrelid::regclass::text IN ({string.Join(", ", Tables.Select(t => $"'\"{t}\"'"))})
                ORDER BY conname
                """)).Select(r => ((string)r[0], (string)r[1], (string)r[2])).ToList();
            foreach (var (table, name, _) in foreignKeys)
            {
                await Exec(conn, $"ALTER TABLE {table} DROP CONSTRAINT \"{name}\"");
            }
            foreach (var (name, _) in indexes)
            {
                await Exec(conn, $"DROP INDEX \"{name}\"");
            }
        }
        Console.WriteLine($"Dropped {indexes.Count} indexes{(sqlite ? $" and trigger {SqliteInsertTrigger}" : $" and {foreignKeys.Count} foreign keys")} of {string.Join(", ", Tables)} for the load.");
        return new BulkIndexes(sqlite, indexes, foreignKeys, triggers);
    }

    public async Task Restore(AtendeDb db)
    {
        var conn = db.Database.GetDbConnection();
        var watch = Stopwatch.StartNew();
        if (!_sqlite)
        {
            // Per session: more memory for the sorts of CREATE INDEX (the default 64 MB spills to disk).
            await Exec(conn, "SET maintenance_work_mem = '512MB'");
        }
        foreach (var (name, sql) in _indexes)
        {
            watch.Restart();
            await Exec(conn, sql);
            Console.WriteLine($"  index {name}: {watch.Elapsed.TotalSeconds:F1} s");
        }
        foreach (var (table, name, definition) in _foreignKeys)
        {
            watch.Restart();
            await Exec(conn, $"ALTER TABLE {table} ADD CONSTRAINT \"{name}\" {definition}");
            Console.WriteLine($"  foreign key {name}: {watch.Elapsed.TotalSeconds:F1} s");
        }
        if (_sqlite)
        {
            watch.Restart();
            await Exec(conn, "INSERT INTO TicketSearch(TicketSearch) VALUES ('rebuild')");
            Console.WriteLine($"  FTS5 TicketSearch rebuild: {watch.Elapsed.TotalSeconds:F1} s");
            foreach (var (_, sql) in _triggers)
            {
                await Exec(conn, sql);
            }
        }
    }

    private static async Task Exec(DbConnection conn, string sql)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.CommandTimeout = 0;
        await cmd.ExecuteNonQueryAsync();
    }

    internal static async Task<List<object[]>> Rows(DbConnection conn, string sql)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        var rows = new List<object[]>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }
        return rows;
    }
}
