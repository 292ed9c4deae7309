using Atende.Core.Email;
using Atende.Core.Live;
using Atende.Core.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Atende.Core.Queue;

/// <summary>The queues a commit can wake.</summary>
public enum QueueKind { Outbox, Webhooks }

/// <summary>
/// What happens once a change is committed, never before and never after a rollback: the dispatchers of this process whose
/// rows were committed (outbox e-mails, webhook deliveries) are woken, and the live notes of the change (<see cref="LiveNote"/>:
/// its events and notices) go to the live screens (<see cref="ILiveBus"/>). It runs after SaveChanges outside a transaction,
/// or when the transaction that saved them commits. The code that adds the rows marks the context (<see cref="Mark"/>,
/// <see cref="Publish"/>), so no SaveChanges pays for a look at its change tracker.
/// </summary>
/// <param name="live">Where live notes go; none in a host without live screens (tools, some tests), which then drops them.</param>
public sealed class AfterCommit(OutboxSignal outbox, WebhookSignal webhooks, ILiveBus? live = null) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private sealed class Pending
    {
        public readonly HashSet<QueueKind> Queues = [];
        public readonly List<LiveNote> Notes = [];
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, Pending> Waiting = [];

    /// <summary>Rows of <paramref name="kind"/> were added to <paramref name="context"/>: wake its dispatcher once they commit.</summary>
    public static void Mark(DbContext context, QueueKind kind) => Waiting.GetOrCreateValue(context).Queues.Add(kind);

    /// <summary>Tell the live screens <paramref name="note"/> once the change saved on <paramref name="context"/> commits.</summary>
    public static void Publish(DbContext context, LiveNote note) => Waiting.GetOrCreateValue(context).Notes.Add(note);

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        RunIfCommitted(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        RunIfCommitted(eventData.Context);
        return ValueTask.FromResult(result);
    }

    /// <summary>A failed save outside a transaction committed nothing (inside one, the rollback forgets).</summary>
    public void SaveChangesFailed(DbContextErrorEventData eventData) => ForgetIfNoTransaction(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ForgetIfNoTransaction(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) => Run(eventData.Context);

    public Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Run(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public Task TransactionRolledBackAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void RunIfCommitted(DbContext? context)
    {
        if (context is not null && context.Database.CurrentTransaction is null)
        {
            Run(context);
        }
    }

    private void Run(DbContext? context)
    {
        if (context is null || !Waiting.TryGetValue(context, out var pending))
        {
            return;
        }
        Waiting.Remove(context);
        foreach (var kind in pending.Queues)
        {
            (kind == QueueKind.Outbox ? (WakeSignal)outbox : webhooks).Wake();
        }
        if (pending.Notes.Count > 0)
        {
            live?.Publish(pending.Notes);
        }
    }

    private static void ForgetIfNoTransaction(DbContext? context)
    {
        if (context is not null && context.Database.CurrentTransaction is null)
        {
            Forget(context);
        }
    }

    private static void Forget(DbContext? context)
    {
        if (context is not null)
        {
            Waiting.Remove(context);
        }
    }
}
