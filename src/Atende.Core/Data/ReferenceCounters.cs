using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Atende.Core.Data;

/// <summary>Numbers for references ("SUP-12", "ORC-2026-0001") from a counter row per prefix that only ever goes up: never reused.</summary>
public static class ReferenceCounters
{
    /// <summary>
    /// The next number for <paramref name="alias"/> (call inside the transaction that uses it). The upsert locks the row
    /// until the transaction ends, so concurrent creations queue on it and get distinct numbers.
    /// </summary>
    public static async Task<long> Next(AtendeDb db, string alias, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = """
            INSERT INTO "ReferenceCounters" ("Alias", "Last") VALUES (@alias, 1)
            ON CONFLICT ("Alias") DO UPDATE SET "Last" = "ReferenceCounters"."Last" + 1
            RETURNING "Last"
            """;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@alias";
        parameter.Value = alias;
        command.Parameters.Add(parameter);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }
}
