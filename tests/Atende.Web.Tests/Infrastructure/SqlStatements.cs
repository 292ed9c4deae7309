using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Atende.Web.Tests.Infrastructure;

/// <summary>
/// Counts the SQL statements EF Core runs against one test app's database (from EF's diagnostic events, so the app is
/// not changed; other apps running in parallel are told apart by their connection string). A batched command counts
/// each of its statements (EF ends each but the last with ";" and a line break; values are parameters).
/// </summary>
public sealed partial class SqlStatements : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly string _database;
    private readonly IDisposable _listeners;
    private readonly List<IDisposable> _subscriptions = [];
    private int _count;

    /// <param name="database">A part of the connection string only this app's database has (its file or name).</param>
    public SqlStatements(string database)
    {
        _database = database;
        _listeners = DiagnosticListener.AllListeners.Subscribe(this);
    }

    public int Count => Volatile.Read(ref _count);

    /// <summary>How many statements <paramref name="action"/> ran.</summary>
    public async Task<int> During(Func<Task> action)
    {
        var before = Count;
        await action();
        return Count - before;
    }

    public void OnNext(DiagnosticListener listener)
    {
        if (listener.Name == DbLoggerCategory.Name)
        {
            lock (_subscriptions)
            {
                _subscriptions.Add(listener.Subscribe(this));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key == RelationalEventId.CommandExecuted.Name && value.Value is CommandExecutedEventData data
            && data.Command.Connection?.ConnectionString.Contains(_database, StringComparison.Ordinal) == true)
        {
            Interlocked.Add(ref _count, 1 + StatementEnd().Count(data.Command.CommandText));
        }
    }

    [GeneratedRegex(@";[ \t]*\r?\n\s*\S")]
    private static partial Regex StatementEnd();

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        _listeners.Dispose();
        lock (_subscriptions)
        {
            _subscriptions.ForEach(s => s.Dispose());
        }
    }
}
