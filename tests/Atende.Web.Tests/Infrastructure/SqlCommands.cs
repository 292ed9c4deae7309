using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Atende.Web.Tests.Infrastructure;

/// <summary>The SQL the app runs while a test records (<see cref="Record"/>): to check what a request reads.</summary>
public sealed partial class SqlCommands : DbCommandInterceptor
{
    private ConcurrentQueue<string>? _recording;

    /// <summary>Starts recording; the returned queue holds each command's text until the next <see cref="Record"/> or <see cref="Stop"/>.</summary>
    public ConcurrentQueue<string> Record() => _recording = new ConcurrentQueue<string>();

    public void Stop() => _recording = null;

    /// <summary>
    /// Whether a statement reads what each node caches and reads again only now and then, whatever the request: the webhook
    /// subscriptions (every 2 s at most), a caller (after any access change, CallerCache), a pipeline with its tags, the
    /// company profile, the ticket form's lists and user menus and the insertable e-mail templates (VersionedCache, after the
    /// same changes; the company's time zone, TimeZoneCache, every 30 s). Tests
    /// that compare how many statements two requests ran leave these out, or the comparison would depend on the clock and
    /// on other tests.
    /// </summary>
    public static bool IsNodeCacheRead(string sql) =>
        sql.Contains("\"WebhookEndpoints\"", StringComparison.Ordinal) || sql.Contains("\"ApiTokens\"", StringComparison.Ordinal)
        || sql.Contains("\"SecurityStamp\" = @", StringComparison.Ordinal) || sql.Contains("FROM \"CompanyProfiles\"", StringComparison.Ordinal)
        || (sql.Contains("FROM \"Pipelines\"", StringComparison.Ordinal) && sql.Contains("LEFT JOIN \"Tags\"", StringComparison.Ordinal))
        || (sql.Contains("FROM \"CatalogItems\"", StringComparison.Ordinal) && sql.Contains("FROM \"Channels\"", StringComparison.Ordinal))
        || sql.Contains("SELECT \"u\".\"Id\", \"u\".\"Name\", EXISTS (", StringComparison.Ordinal)
        || sql.Contains("WHERE \"e\".\"Purpose\" = 'Custom' AND \"e\".\"Active\"", StringComparison.Ordinal);

    /// <summary>How many SQL statements <paramref name="action"/> ran, leaving out <see cref="IsNodeCacheRead"/>. A batched command counts each of its statements (EF ends
    /// each but the last with ";" and a line break; values are parameters): PostgreSQL batches many updates into one command.</summary>
    public async Task<int> StatementsDuring(Func<Task> action)
    {
        var recording = Record();
        try
        {
            await action();
        }
        finally
        {
            Stop();
        }
        return recording.Where(command => !IsNodeCacheRead(command)).Sum(command => 1 + StatementEnd().Count(command));
    }

    [GeneratedRegex(@";[ \t]*\r?\n\s*\S")]
    private static partial Regex StatementEnd();

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        _recording?.Enqueue(command.CommandText);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        _recording?.Enqueue(command.CommandText);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        _recording?.Enqueue(command.CommandText);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        _recording?.Enqueue(command.CommandText);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        _recording?.Enqueue(command.CommandText);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        _recording?.Enqueue(command.CommandText);
        return ValueTask.FromResult(result);
    }
}
