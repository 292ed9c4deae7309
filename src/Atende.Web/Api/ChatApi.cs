using Atende.Core.Chat;
using Atende.Web.Infrastructure;

namespace Atende.Web.Api;

/// <summary>A chat message; <c>seq</c> numbers the ticket's messages (ask <c>?after=</c> the last one you have).</summary>
public sealed record ChatMessageDto(long Id, long Seq, long TicketId, long AuthorId, string AuthorName, bool FromCustomer, string Body, DateTimeOffset CreatedAt)
{
    public static ChatMessageDto Of(ChatMessageRow m) => new(m.Id, m.Seq, m.TicketId, m.AuthorId, m.AuthorName, m.FromCustomer, m.Body, m.CreatedAt);
}

/// <summary>A message to post: plain text (no HTML), up to 4,000 characters.</summary>
public sealed record ChatMessageWrite(string? Body) : IJsonBody<ChatMessageWrite>;

/// <summary>
/// A ticket's chat (<c>/api/v1/tickets/{id}/chat</c>), for staff who see the ticket and for its portal users: any signed-in
/// caller, checked by the chat service through the visibility module (404 for a ticket they do not see).
/// </summary>
public static class ChatApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/tickets/{id:long}/chat").RequireAuthorization().WithTags("Chat");

        group.MapGet("/", static async (long id, long? after, int? limit, ChatService chat, CancellationToken ct) =>
            TypedResults.Ok(new ItemList<ChatMessageDto>([.. (await chat.After(id, after ?? 0, limit ?? 200, ct)).Select(ChatMessageDto.Of)], null)));

        group.MapPost("/", static async (long id, ChatMessageWrite body, ChatService chat, CancellationToken ct) =>
        {
            var posted = await chat.Post(id, body.Body, ct);
            return TypedResults.Created($"/api/v1/tickets/{id}/chat?after={posted.Seq - 1}", ChatMessageDto.Of(posted));
        });
    }
}
