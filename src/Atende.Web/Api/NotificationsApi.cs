using Atende.Core.Notifications;
using Atende.Web.Infrastructure;

namespace Atende.Web.Api;

/// <summary>A page of the caller's notifications and how many are unread in all.</summary>
public sealed record NotificationList(IReadOnlyList<NotificationRow> Items, string? Next, int Unread);

public sealed record MarkReadWrite(long? Id) : IJsonBody<MarkReadWrite>;

public static class NotificationsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/notifications").RequireAuthorization(Auth.StaffPolicy).WithTags("Notifications");

        group.MapGet("/", static async (NotificationService notifications, string? after, int? limit, CancellationToken ct) =>
        {
            var page = await notifications.List(after, limit ?? 50, ct);
            return TypedResults.Ok(new NotificationList(page.Items, page.Next, await notifications.UnreadCount(ct)));
        });

        group.MapPost("/read", static async (MarkReadWrite body, NotificationService notifications, CancellationToken ct) =>
        {
            await notifications.MarkRead(body.Id, ct);
            return TypedResults.NoContent();
        });
    }
}
