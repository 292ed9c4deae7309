using Atende.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Webhooks;

/// <summary>An active endpoint and the event types it takes (empty: every event).</summary>
public sealed record Subscription(long EndpointId, string Events)
{
    public bool Takes(string type) => Events.Length == 0 || Events.Split(',').Contains(type);
}

/// <summary>
/// The active endpoints every write asks about (<see cref="Events.EventLog.Raise"/>), read from the database at most every
/// <see cref="MaxAge"/> instead of on every write. A change on this node (<see cref="Changed"/>: saved, deleted, turned off by
/// the dispatcher) is seen at once; a change made on another node within <see cref="MaxAge"/>.
/// </summary>
public sealed class WebhookSubscriptions
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(2);

    private sealed record Snapshot(long ReadAt, IReadOnlyList<Subscription> Active);

    private volatile Snapshot? _current;

    public async Task<IReadOnlyList<Subscription>> Active(AtendeDb db, CancellationToken ct)
    {
        var now = Environment.TickCount64;
        if (_current is { } cached && now - cached.ReadAt < MaxAge.TotalMilliseconds)
        {
            return cached.Active;
        }
        var active = await db.WebhookEndpoints.AsNoTracking().Where(e => e.Active).OrderBy(e => e.Id)
            .Select(e => new Subscription(e.Id, e.Events)).ToListAsync(ct);
        _current = new Snapshot(now, active);
        return active;
    }

    public void Changed() => _current = null;
}
