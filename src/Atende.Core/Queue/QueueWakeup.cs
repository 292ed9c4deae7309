using Atende.Core.Email;
using Atende.Core.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Atende.Core.Queue;

/// <summary>The queues a commit can wake.</summary>
public enum QueueKind { Outbox, Webhooks }

/// <summary>
/// Wakes a dispatcher of this process when rows of its queue are committed (outbox e-mails, webhook deliveries): after
/// SaveChanges outside a transaction, or when the transaction that saved them commits. A rolled-back row never wakes anyone.
/// The code that adds the rows marks the context (<see cref="Mark"/>), so no SaveChanges pays for a look at its change tracker.
/// </summary>
public sealed class QueueWakeup(OutboxSignal outbox, WebhookSignal webhooks) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, HashSet<QueueKind>> Waiting = [];

    /// <summary>Rows of <paramref name="kind"/> were added to <paramref name="context"/>: wake its dispatcher once they commit.</summary>
    public static void Mark(DbContext context, QueueKind kind) => Waiting.GetOrCreateValue(context).Add(kind);

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        WakeIfCommitted(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        WakeIfCommitted(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) => WakeAfterCommit(eventData.Context);

    public Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        WakeAfterCommit(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public Task TransactionRolledBackAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void WakeIfCommitted(DbContext? context)
    {
        if (context is not null && context.Database.CurrentTransaction is null)
        {
            WakeAfterCommit(context);
        }
    }

    private void WakeAfterCommit(DbContext? context)
    {
        if (context is not null && Waiting.TryGetValue(context, out var kinds))
        {
            Waiting.Remove(context);
            foreach (var kind in kinds)
            {
                (kind == QueueKind.Outbox ? (WakeSignal)outbox : webhooks).Wake();
            }
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
