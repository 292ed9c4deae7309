using System.Data.Common;
using Atende.Core.Common;
using Atende.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Atende.Core.Queue;

/// <summary>
/// The claim/lease/retry/dead-letter mechanism every background sender shares (the outbox e-mails, the webhook deliveries).
/// A queue is a table with the columns <c>Id</c>, <c>Status</c> (<see cref="LeaseStatus"/> names), <c>Attempts</c>,
/// <c>NextAttemptAt</c>, <c>LockedUntil</c>, <c>LastError</c> and a "done at" column.
/// <list type="bullet">
/// <item><see cref="Claim"/> marks due rows (Pending whose time has come, or Sending whose lease lapsed: a node that crashed
/// mid-send) Sending with a lease and one more attempt, in one statement; on PostgreSQL the rows are picked with
/// <c>FOR UPDATE SKIP LOCKED</c>, so several nodes never claim one row; SQLite has a single writer.</item>
/// <item><see cref="Renew"/>, right before a row goes out, extends its lease — or says another dispatcher has taken it
/// meanwhile (its lease lapsed while earlier rows of a slow round went out), and the row is left alone: never sent twice by
/// two live dispatchers.</item>
/// <item><see cref="Succeeded"/> and <see cref="Failed"/> record the outcome only while the row is still Sending under the
/// same attempt, so a row taken over by another dispatcher is never overwritten by the slow one.</item>
/// </list>
/// A crash between the receiver's acceptance and <see cref="Succeeded"/> sends the row once more after the lease: at most one
/// duplicate per crash, and each sender keeps the row's own id (Message-ID, webhook-id) on every attempt so it can be told.
/// </summary>
public sealed class LeasedQueue(string table, string doneAtColumn)
{
    /// <summary>Marks up to <paramref name="limit"/> due rows Sending until now + <paramref name="lease"/> and returns their ids.</summary>
    public async Task<List<long>> Claim(AtendeDb db, int limit, TimeSpan lease, CancellationToken ct)
    {
        var now = Clock.Now();
        var skipLocked = db.IsPostgres ? "FOR UPDATE SKIP LOCKED" : "";
        var sql = $"""
            UPDATE "{table}" SET "Status" = 'Sending', "LockedUntil" = @until, "Attempts" = "Attempts" + 1
            WHERE "Id" IN (
                SELECT "Id" FROM "{table}"
                WHERE ("Status" = 'Pending' AND "NextAttemptAt" <= @now) OR ("Status" = 'Sending' AND "LockedUntil" <= @now)
                ORDER BY "NextAttemptAt", "Id" LIMIT @limit
                {skipLocked})
            RETURNING "Id"
            """;
        var ids = new List<long>();
        await Run(db, sql, [("now", Time(db, now)), ("until", Time(db, now + lease)), ("limit", limit)], async command =>
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                ids.Add(reader.GetInt64(0));
            }
        });
        ids.Sort();
        return ids;
    }

    /// <summary>
    /// Before sending: the row is still this dispatcher's (<paramref name="attempt"/> is the attempt its claim made) and its
    /// lease now lasts <paramref name="lease"/> more. False: another dispatcher has claimed it since; leave it alone.
    /// </summary>
    public async Task<bool> Renew(AtendeDb db, long id, int attempt, TimeSpan lease, CancellationToken ct) =>
        await Execute(db, $"""
            UPDATE "{table}" SET "LockedUntil" = @until
            WHERE "Id" = @id AND "Status" = 'Sending' AND "Attempts" = @attempt
            """, [("id", id), ("attempt", attempt), ("until", Time(db, Clock.Now() + lease))], ct) > 0;

    /// <summary>The row went out: Sent, with its done-at time.</summary>
    public Task Succeeded(AtendeDb db, long id, int attempt, CancellationToken ct) =>
        Execute(db, $"""
            UPDATE "{table}" SET "Status" = 'Sent', "{doneAtColumn}" = @now, "LockedUntil" = NULL, "LastError" = NULL
            WHERE "Id" = @id AND "Status" = 'Sending' AND "Attempts" = @attempt
            """, [("id", id), ("attempt", attempt), ("now", Time(db, Clock.Now()))], ct);

    /// <summary>
    /// The attempt failed: Pending again at <paramref name="retryAt"/>, or Dead when it is null (refused for good, or out of
    /// attempts). The error is cut to 2,000 characters.
    /// </summary>
    public Task Failed(AtendeDb db, long id, int attempt, string error, DateTimeOffset? retryAt, CancellationToken ct) =>
        Execute(db, retryAt is { } at
            ? $"""
              UPDATE "{table}" SET "Status" = 'Pending', "NextAttemptAt" = @at, "LockedUntil" = NULL, "LastError" = @error
              WHERE "Id" = @id AND "Status" = 'Sending' AND "Attempts" = @attempt
              """
            : $"""
              UPDATE "{table}" SET "Status" = 'Dead', "LockedUntil" = NULL, "LastError" = @error
              WHERE "Id" = @id AND "Status" = 'Sending' AND "Attempts" = @attempt
              """,
            [("id", id), ("attempt", attempt), ("error", error.Length > 2000 ? error[..2000] : error), ("at", retryAt is { } t ? Time(db, t) : DBNull.Value)], ct);

    /// <summary>
    /// An admin's "Tentar de novo" / "Reenviar": a Dead row (and a Sent one when <paramref name="evenIfSent"/>) goes back to
    /// Pending now, with fresh attempts and its own id. Returns false when the row was not in such a state (it changed meanwhile).
    /// </summary>
    public async Task<bool> Retry(AtendeDb db, long id, bool evenIfSent, CancellationToken ct) =>
        await Execute(db, $"""
            UPDATE "{table}" SET "Status" = 'Pending', "NextAttemptAt" = @now, "Attempts" = 0, "LockedUntil" = NULL
            WHERE "Id" = @id AND ("Status" = 'Dead'{(evenIfSent ? " OR \"Status\" = 'Sent'" : "")})
            """, [("id", id), ("now", Time(db, Clock.Now()))], ct) > 0;

    /// <summary>SQLite stores instants as UTC ticks (<see cref="AtendeDb.UtcTicksConverter"/>).</summary>
    private static object Time(AtendeDb db, DateTimeOffset value) => db.IsPostgres ? value : value.UtcTicks;

    private static async Task<int> Execute(AtendeDb db, string sql, (string Name, object Value)[] parameters, CancellationToken ct)
    {
        var changed = 0;
        await Run(db, sql, parameters, async command => changed = await command.ExecuteNonQueryAsync(ct));
        return changed;
    }

    private static async Task Run(AtendeDb db, string sql, (string Name, object Value)[] parameters, Func<DbCommand, Task> use)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            foreach (var (name, value) in parameters)
            {
                var p = command.CreateParameter();
                p.ParameterName = name;
                p.Value = value;
                command.Parameters.Add(p);
            }
            await use(command);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
