using Atende.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Atende.Core.Identity;

/// <summary>
/// One row whose <see cref="Value"/> moves whenever who may see what changes: a user's activity, role, name, company or
/// security stamp (password reset, "sign out everywhere"), a workspace or pipeline grant, an API token's revocation. Database
/// triggers move it (migration AccessVersion), so it moves in the very transaction of the change, whatever code or SQL made
/// it, on every node at once. <see cref="CallerCache"/> reads it first on every authenticated request.
/// </summary>
public sealed class AccessVersion
{
    public const int RowId = 1;

    public int Id { get; set; } = RowId;
    public long Value { get; set; }

    /// <summary>
    /// The current value. It opens the request's connection and leaves it open until the request's <see cref="AtendeDb"/> is
    /// disposed: the statements of a request then share one connection instead of taking one from the pool each (on SQLite,
    /// each open also registers EF's functions again).
    /// </summary>
    public static async Task<long> Read(AtendeDb db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"SELECT \"Value\" FROM \"AccessVersion\" WHERE \"Id\" = {RowId}";
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}
