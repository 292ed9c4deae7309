using Atende.Core.Notifications;
using Atende.Web.Infrastructure;

namespace Atende.Web.Api;

public sealed record MarkReadWrite(long? Id) : IJsonBody<MarkReadWrite>;

public static class NotificationsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/notifications").RequireAuthorization(Auth.StaffPolicy).WithTags("Notifications");

        group.MapGet("/", async (NotificationService notifications, string? after, int? limit, CancellationToken ct) =>
        {
            var page = await notifications.List(after, limit ?? 50, ct);
            return TypedResults.Ok(new
            {
                items = page.Items.Select(n => new { id = n.Id, ticketId = n.TicketId, text = n.Text, fromName = n.FromName, createdAt = n.CreatedAt, read = n.Read }),
                next = page.Next,
                unread = await notifications.UnreadCount(ct),
            });
        });

        group.MapPost("/read", async (MarkReadWrite body, NotificationService notifications, CancellationToken ct) =>
        {
            await notifications.MarkRead(body.Id, ct);
            return TypedResults.NoContent();
        });
    }
}
