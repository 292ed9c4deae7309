using Atende.Core.Conversations;
using Atende.Core.Data;
using Atende.Core.Partners;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using NpgsqlTypes;

namespace Atende.Bench;

/// <summary>A partner with its contacts (and their phones, e-mails, social profiles) and its conversations.</summary>
public sealed record PartnerGraph(Partner Partner, List<Conversation> Conversations);

/// <summary>Writes batches of partner graphs.</summary>
public interface IBatchWriter
{
    /// <summary>True when the writer needs the ids (and foreign keys) set by <see cref="IdSequence"/>.</summary>
    bool NeedsIds { get; }

    Task Write(IReadOnlyList<PartnerGraph> batch);

    /// <summary>Called once after the last batch.</summary>
    Task Finish();
}

/// <summary>Hands out explicit ids (the database is empty, so they start at 1) and sets the foreign keys.</summary>
public sealed class IdSequence
{
    private long _partner, _contact, _phone, _email, _social;

    public void Assign(Partner partner)
    {
        partner.Id = ++_partner;
        foreach (var contact in partner.Contacts)
        {
            contact.Id = ++_contact;
            contact.PartnerId = partner.Id;
            foreach (var phone in contact.Phones)
            {
                phone.Id = ++_phone;
                phone.ContactId = contact.Id;
            }
            foreach (var email in contact.Emails)
            {
                email.Id = ++_email;
                email.ContactId = contact.Id;
            }
            foreach (var profile in contact.SocialProfiles)
            {
                profile.Id = ++_social;
                profile.ContactId = contact.Id;
            }
        }
    }
}

/// <summary>The app's own way: AddRange + SaveChanges (one INSERT … RETURNING per row), change tracker cleared per batch.</summary>
public sealed class EfWriter(AtendeDb db, bool transactionPerBatch) : IBatchWriter
{
    public bool NeedsIds => false;

    public async Task Write(IReadOnlyList<PartnerGraph> batch)
    {
        await using var tx = transactionPerBatch ? await db.Database.BeginTransactionAsync() : null;
        db.Partners.AddRange(batch.Select(g => g.Partner));
        await db.SaveChangesAsync();
        // Conversations point at the partners' ids, known now.
        foreach (var graph in batch)
        {
            foreach (var conversation in graph.Conversations)
            {
                conversation.Id = 0;
                conversation.PartnerId = graph.Partner.Id;
            }
            db.Conversations.AddRange(graph.Conversations);
        }
        await db.SaveChangesAsync();
        if (tx is not null)
        {
            await tx.CommitAsync();
        }
        db.ChangeTracker.Clear();
    }

    public Task Finish() => Task.CompletedTask;
}

/// <summary>
/// One column of a table as EF maps it: column name, the CLR property and the value converter of the model
/// (enums → text, and on SQLite DateTimeOffset → UTC ticks), so the raw writers store exactly what EF would.
/// </summary>
internal sealed record ColumnMap(string Name, string StoreType, Type ProviderType, Func<object, object?> Get);

internal sealed record TableMap(string Name, IReadOnlyList<ColumnMap> Columns)
{
    public static TableMap For<T>(AtendeDb db)
    {
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = entity.GetTableName() ?? throw new InvalidOperationException($"{typeof(T).Name} has no table.");
        var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
        var columns = new List<ColumnMap>();
        foreach (var property in entity.GetProperties())
        {
            var info = property.PropertyInfo ?? throw new InvalidOperationException($"{typeof(T).Name}.{property.Name} is a shadow property.");
            var mapping = property.GetRelationalTypeMapping();
            var converter = mapping.Converter;
            var providerType = Nullable.GetUnderlyingType(converter?.ProviderClrType ?? property.ClrType) ?? converter?.ProviderClrType ?? property.ClrType;
            // A compiled getter (e => (object)((T)e).Property): millions of rows go through here.
            var entityParameter = System.Linq.Expressions.Expression.Parameter(typeof(object), "e");
            var read = System.Linq.Expressions.Expression.Lambda<Func<object, object?>>(
                System.Linq.Expressions.Expression.Convert(
                    System.Linq.Expressions.Expression.Property(System.Linq.Expressions.Expression.Convert(entityParameter, typeof(T)), info),
                    typeof(object)),
                entityParameter).Compile();
            Func<object, object?> get = converter is null
                ? read
                : e => read(e) is { } v ? converter.ConvertToProvider(v) : null;
            columns.Add(new ColumnMap(property.GetColumnName(store) ?? property.Name, property.GetColumnType(), providerType, get));
        }
        return new TableMap(table, columns);
    }

    public string ColumnList => string.Join(", ", Columns.Select(c => $"\"{c.Name}\""));
}

/// <summary>One prepared SQLite INSERT for a table, reused for every row (parameters rebound, statement kept compiled).</summary>
internal sealed class SqliteInsert : IDisposable
{
    private readonly TableMap _map;
    private readonly SqliteCommand _command;

    public SqliteInsert(SqliteConnection conn, TableMap map)
    {
        _map = map;
        _command = conn.CreateCommand();
        _command.CommandText = $"INSERT INTO \"{map.Name}\" ({map.ColumnList}) VALUES ({string.Join(", ", map.Columns.Select((_, i) => "$p" + i))})";
        for (var i = 0; i < map.Columns.Count; i++)
        {
            _command.Parameters.Add(new SqliteParameter("$p" + i, null));
        }
    }

    public SqliteTransaction? Transaction
    {
        set => _command.Transaction = value;
    }

    public void Insert(object entity)
    {
        for (var i = 0; i < _map.Columns.Count; i++)
        {
            _command.Parameters[i].Value = _map.Columns[i].Get(entity) ?? DBNull.Value;
        }
        _command.ExecuteNonQuery();
    }

    public void Dispose() => _command.Dispose();
}

/// <summary>SQLite: one prepared INSERT per table, reused for every row; one transaction per batch (FTS triggers still fire).</summary>
public sealed class SqliteWriter : IBatchWriter, IDisposable
{
    private readonly SqliteConnection _conn;
    private readonly SqliteInsert[] _tables;

    public SqliteWriter(AtendeDb db)
    {
        _conn = (SqliteConnection)db.Database.GetDbConnection();
        _tables =
        [
            new(_conn, TableMap.For<Partner>(db)),
            new(_conn, TableMap.For<Contact>(db)),
            new(_conn, TableMap.For<ContactPhone>(db)),
            new(_conn, TableMap.For<ContactEmail>(db)),
            new(_conn, TableMap.For<SocialProfile>(db)),
            new(_conn, TableMap.For<Conversation>(db)),
        ];
    }

    public bool NeedsIds => true;

    public Task Write(IReadOnlyList<PartnerGraph> batch)
    {
        using var tx = _conn.BeginTransaction();
        foreach (var table in _tables)
        {
            table.Transaction = tx;
        }
        foreach (var (partner, conversations) in batch)
        {
            _tables[0].Insert(partner);
            foreach (var conversation in conversations)
            {
                _tables[5].Insert(conversation);
            }
            foreach (var contact in partner.Contacts)
            {
                _tables[1].Insert(contact);
                foreach (var phone in contact.Phones)
                {
                    _tables[2].Insert(phone);
                }
                foreach (var email in contact.Emails)
                {
                    _tables[3].Insert(email);
                }
                foreach (var profile in contact.SocialProfiles)
                {
                    _tables[4].Insert(profile);
                }
            }
        }
        tx.Commit();
        return Task.CompletedTask;
    }

    public Task Finish() => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var table in _tables)
        {
            table.Dispose();
        }
    }
}

/// <summary>PostgreSQL binary COPY of entities into a table, with the column types of the EF model.</summary>
internal static class PgCopy
{
    public static async Task Copy(NpgsqlConnection conn, TableMap map, IEnumerable<object> rows)
    {
        var types = map.Columns.Select(DbType).ToArray();
        await using var importer = await conn.BeginBinaryImportAsync($"COPY \"{map.Name}\" ({map.ColumnList}) FROM STDIN (FORMAT BINARY)");
        foreach (var row in rows)
        {
            importer.StartRow();
            for (var i = 0; i < map.Columns.Count; i++)
            {
                var value = map.Columns[i].Get(row);
                if (value is null)
                {
                    importer.WriteNull();
                    continue;
                }
                switch (value)
                {
                    case string s: importer.Write(s, types[i]); break;
                    case long l: importer.Write(l, types[i]); break;
                    case int n: importer.Write(n, types[i]); break;
                    case bool b: importer.Write(b, types[i]); break;
                    case decimal d: importer.Write(d, types[i]); break;
                    case DateTimeOffset d: importer.Write(d, types[i]); break;
                    default: throw new InvalidOperationException($"{map.Name}.{map.Columns[i].Name}: no COPY writer for {value.GetType().Name}.");
                }
            }
        }
        await importer.CompleteAsync();
    }

    private static NpgsqlDbType DbType(ColumnMap column) => column.ProviderType switch
    {
        var t when t == typeof(string) => column.StoreType.StartsWith("character varying", StringComparison.Ordinal) ? NpgsqlDbType.Varchar : NpgsqlDbType.Text,
        var t when t == typeof(long) => NpgsqlDbType.Bigint,
        var t when t == typeof(int) => NpgsqlDbType.Integer,
        var t when t == typeof(bool) => NpgsqlDbType.Boolean,
        var t when t == typeof(decimal) => NpgsqlDbType.Numeric,
        var t when t == typeof(DateTimeOffset) => NpgsqlDbType.TimestampTz,
        _ => throw new InvalidOperationException($"Column {column.Name}: unsupported type {column.ProviderType.Name} ({column.StoreType})."),
    };

    /// <summary>Moves the identity sequence of a table past its largest id (the ids were given explicitly).</summary>
    public static async Task ResetIdentity(AtendeDb db, string table)
    {
        var sql = $"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'Id'), COALESCE((SELECT max(\"Id\") FROM \"{table}\"), 0) + 1, false)";
        await db.Database.ExecuteSqlRawAsync(sql);
    }
}

/// <summary>PostgreSQL: binary COPY per table and batch, explicit ids; identity sequences moved past them at the end.</summary>
public sealed class PostgresCopyWriter(AtendeDb db) : IBatchWriter
{
    private readonly NpgsqlConnection _conn = (NpgsqlConnection)db.Database.GetDbConnection();
    private readonly TableMap[] _tables =
    [
        TableMap.For<Partner>(db), TableMap.For<Contact>(db), TableMap.For<ContactPhone>(db), TableMap.For<ContactEmail>(db), TableMap.For<SocialProfile>(db),
        TableMap.For<Conversation>(db),
    ];

    public bool NeedsIds => true;

    public async Task Write(IReadOnlyList<PartnerGraph> batch)
    {
        // Parents first: the foreign keys are checked row by row.
        var contacts = batch.SelectMany(g => g.Partner.Contacts).ToList();
        await PgCopy.Copy(_conn, _tables[0], batch.Select(g => g.Partner));
        await PgCopy.Copy(_conn, _tables[5], batch.SelectMany(g => g.Conversations));
        await PgCopy.Copy(_conn, _tables[1], contacts);
        await PgCopy.Copy(_conn, _tables[2], contacts.SelectMany(c => c.Phones));
        await PgCopy.Copy(_conn, _tables[3], contacts.SelectMany(c => c.Emails));
        await PgCopy.Copy(_conn, _tables[4], contacts.SelectMany(c => c.SocialProfiles));
    }

    public async Task Finish()
    {
        // The ids were given explicitly: move each identity past the largest one, or the app's next insert collides.
        foreach (var map in _tables)
        {
            await PgCopy.ResetIdentity(db, map.Name);
        }
    }
}
