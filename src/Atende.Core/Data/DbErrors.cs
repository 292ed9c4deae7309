using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Atende.Core.Data;

/// <summary>What a database error means, the same on both providers.</summary>
public static class DbErrors
{
    /// <summary>SQLite's extended codes for a UNIQUE constraint and a duplicate primary key (both under SQLITE_CONSTRAINT, 19).</summary>
    private const int SqliteUnique = 2067;
    private const int SqlitePrimaryKey = 1555;

    /// <summary>
    /// A write refused because another row already holds the same unique value: usually two requests doing the same thing
    /// at once (e.g. two attaches of one uploaded file). PostgreSQL 23505; SQLite 19 with 2067 or 1555.
    /// </summary>
    public static bool IsUniqueViolation(Exception exception) => (exception is DbUpdateException { InnerException: { } inner } ? inner : exception) switch
    {
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } => true,
        SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: SqliteUnique or SqlitePrimaryKey } => true,
        _ => false,
    };
}
