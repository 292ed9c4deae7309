using Atende.Core.Email;
using Atende.Core.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Atende.Core.Queue;

/// <summary>
/// Wakes a dispatcher of this process when rows of its queue are committed (outbox e-mails, webhook deliveries): after
/// SaveChanges outside a transaction, or when the transaction that saved them commits. A rolled-back row never wakes anyone.
/// </summary>
public sealed class QueueWakeup(OutboxSignal outbox, WebhookSignal webhooks) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, HashSet<WakeSignal>> Waiting = [];

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

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

    private void Note(DbContext? context)
    {
        if (context is null)
        {
            return;
        }
        var added = context.ChangeTracker.Entries().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        var signals = Waiting.GetOrCreateValue(context);
        if (added.OfType<OutboxEmail>().Any())
        {
            signals.Add(outbox);
        }
        if (added.OfType<WebhookDelivery>().Any())
        {
            signals.Add(webhooks);
        }
    }

    private static void WakeIfCommitted(DbContext? context)
    {
        if (context is not null && context.Database.CurrentTransaction is null)
        {
            WakeAfterCommit(context);
        }
    }

    private static void WakeAfterCommit(DbContext? context)
    {
        if (context is not null && Waiting.TryGetValue(context, out var signals))
        {
            Waiting.Remove(context);
            foreach (var signal in signals)
            {
                signal.Wake();
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
