using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Notifications;

public sealed record NotificationRow(long Id, long? TicketId, string Text, string? FromName, DateTimeOffset CreatedAt, bool Read);

/// <summary>The caller's own in-app notifications; nobody reads another user's.</summary>
public sealed class NotificationService(AtendeDb db, Caller caller)
{
    /// <summary>
    /// Adds an in-app notice to <paramref name="db"/> (saved with the caller's change): the one way notices are written, so
    /// the user's open screens count it live once the change commits.
    /// </summary>
    public static void Add(AtendeDb db, Notification notice)
    {
        db.Notifications.Add(notice);
        Queue.AfterCommit.Publish(db, new Live.LiveNote(Live.LiveKind.Notice, UserId: notice.UserId, At: notice.CreatedAt, Data: notice.Text));
    }

    /// <summary>
    /// The bell's count, on every staff page: a compiled query, so EF Core does not walk and look up its expression tree
    /// each time (a quarter of a bare page's time, bench/README.md "Fifth look"). A compiled query belongs to one model,
    /// hence one per model (one per provider).
    /// </summary>
    public Task<int> UnreadCount(CancellationToken ct = default) =>
        CountUnread.GetOrAdd(db.Model, static _ => EF.CompileAsyncQuery((AtendeDb db, long userId, CancellationToken ct) =>
            db.Notifications.Count(n => n.UserId == userId && n.ReadAt == null)))(db, caller.UserId, ct);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Microsoft.EntityFrameworkCore.Metadata.IModel,
        Func<AtendeDb, long, CancellationToken, Task<int>>> CountUnread = new();

    public async Task<Page<NotificationRow>> List(string? after, int limit = 50, CancellationToken ct = default)
    {
        var query = db.Notifications.AsNoTracking().Where(n => n.UserId == caller.UserId);
        return await query.NewestFirst(n => n.Id, after)
            .Select(n => new NotificationRow(n.Id, n.TicketId, n.Text, db.Users.Where(u => u.Id == n.FromUserId).Select(u => u.Name).FirstOrDefault(), n.CreatedAt, n.ReadAt != null))
            .ToPageAsync(limit, r => Cursor.ForId(r.Id), ct);
    }

    public async Task MarkRead(long? id, CancellationToken ct = default)
    {
        var query = db.Notifications.Where(n => n.UserId == caller.UserId && n.ReadAt == null);
        if (id is { } one)
        {
            query = query.Where(n => n.Id == one);
        }
        var now = Clock.Now();
        await query.ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
    }
}
