using System.Security.Claims;
using Atende.Core.Chat;
using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Identity;
using Atende.Core.Live;
using Atende.Web.Api;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace Atende.Web.Live;

/// <summary>What a chat screen needs when it opens or catches up: the messages after its last one and the others' marks.</summary>
public sealed record ChatCatchUp(IReadOnlyList<ChatMessageDto> Messages, IReadOnlyList<ChatReceiptRow> Receipts);

/// <summary>
/// The one hub (<c>/hubs/live</c>) of the live screens: the ticket chat, the ticket page's "alterado por", the list and board,
/// the bell. Every call loads its caller again (a user deactivated or signed out everywhere is refused and disconnected) and
/// goes through the Core services, hence the visibility module; what the server pushes is checked per screen and note by
/// <see cref="LiveFanout"/>. There are no group names a client could forge: a screen asks to watch a ticket by id, and gets
/// it only if it may see it.
/// </summary>
/// <remarks>
/// Client → server: <c>Watch(ticketId, afterSeq)</c> → <see cref="ChatCatchUp"/>, <c>Unwatch(ticketId)</c>, <c>WatchTickets()</c>
/// (staff), <c>Send(ticketId, body)</c> → the message, <c>Typing(ticketId)</c>, <c>Receipt(ticketId, seq, read)</c>.
/// Server → client: <c>chat</c> (a message, as the chat API lists it), <c>typing</c>, <c>read</c>, <c>ticket</c> (another's
/// change: type, ticketId, pipelineId, actorId, actorName, at), <c>notice</c> (the bell), <c>resync</c> (ask again for what came after).
/// </remarks>
[Authorize]
public sealed class LiveHub(LiveFanout fanout, ILiveBus bus, IServiceProvider services) : Hub
{
    /// <summary>How many tickets one connection may watch at once (a screen watches one or two).</summary>
    public const int MaxWatched = 100;

    /// <summary>A screen says it is typing at most this often (more is dropped).</summary>
    private static readonly TimeSpan TypingEvery = TimeSpan.FromSeconds(2);

    public override Task OnConnectedAsync()
    {
        var user = Context.User!;
        var userId = long.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!, System.Globalization.CultureInfo.InvariantCulture);
        Func<IServiceProvider, long?, CancellationToken, Task<Caller?>> load;
        if (user.Identity?.AuthenticationType == IdentityConstants.ApplicationScheme)
        {
            var stamp = user.FindFirstValue("AspNet.Identity.SecurityStamp") ?? "";
            load = (sp, version, ct) => sp.GetRequiredService<CallerCache>().Session(sp.GetRequiredService<AtendeDb>(), userId, stamp, ct, version);
        }
        else
        {
            // An API token (integrations, the load script): kept in memory only, checked again like every request's.
            var secret = Context.GetHttpContext()!.Request.Headers.Authorization.ToString()["Bearer ".Length..].Trim();
            load = (sp, version, ct) => sp.GetRequiredService<TokenService>().Authenticate(secret, ct, version);
        }
        fanout.Connected(new LiveClient(Context.ConnectionId, userId, load, Context.Abort));
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        fanout.Disconnected(Context.ConnectionId);
        return Task.CompletedTask;
    }

    /// <summary>Opens a ticket on this screen: its chat after <paramref name="afterSeq"/> and the marks; from now on its notes.</summary>
    public async Task<ChatCatchUp> Watch(long ticketId, long afterSeq)
    {
        var client = Client();
        if (client.Tickets.Count >= MaxWatched && !client.Tickets.ContainsKey(ticketId))
        {
            throw new HubException($"Esta conexão já acompanha {MaxWatched} atendimentos. Feche alguns e tente de novo.");
        }
        var chat = await Chat();
        var messages = await chat.After(ticketId, Math.Max(0, afterSeq), ChatService.MaxPage, Context.ConnectionAborted);
        var receipts = await chat.Receipts(ticketId, Context.ConnectionAborted);
        client.Tickets[ticketId] = 0;
        return new ChatCatchUp([.. messages.Select(ChatMessageDto.Of)], receipts);
    }

    public void Unwatch(long ticketId) => Client().Tickets.TryRemove(ticketId, out _);

    /// <summary>A ticket list or board: every change to a ticket its user may see (staff only).</summary>
    public async Task WatchTickets()
    {
        var caller = await Caller();
        if (!caller.IsStaff)
        {
            throw new ForbiddenException();
        }
        Client().WatchesTickets = true;
    }

    /// <summary>Posts a message (the chat service's rules: plain text up to 4,000 characters, 5 a second).</summary>
    public async Task<ChatMessageDto> Send(long ticketId, string? body)
    {
        var posted = await (await Chat()).Post(ticketId, body, Context.ConnectionAborted);
        return ChatMessageDto.Of(posted);
    }

    /// <summary>"Bruno está digitando…" on the others' screens of a ticket this screen watches (at most every 2 s).</summary>
    public async Task Typing(long ticketId)
    {
        var client = Client();
        var now = DateTimeOffset.UtcNow;
        if (!client.Tickets.ContainsKey(ticketId) || (client.TypingAt.TryGetValue(ticketId, out var last) && now - last < TypingEvery))
        {
            return;
        }
        client.TypingAt[ticketId] = now;
        var caller = await Caller();
        var ticket = await Visibility.Tickets(services.GetRequiredService<AtendeDb>(), caller)
            .Where(t => t.Id == ticketId).Select(t => new TicketScope(t.Id, t.PartnerId, t.WorkspaceId, t.PipelineId, t.CreatedById, t.Bin))
            .FirstOrDefaultAsync(Context.ConnectionAborted);
        if (ticket is null)
        {
            client.Tickets.TryRemove(ticketId, out _);
            return;
        }
        bus.Publish([new LiveNote(LiveKind.Typing, "chat.typing", ticket, caller.UserId, caller.Name, Clock.Now())]);
    }

    /// <summary>This screen received (<paramref name="read"/>: has in view) the ticket's messages up to <paramref name="seq"/>.</summary>
    public async Task Receipt(long ticketId, long seq, bool read)
    {
        var caller = await Caller();
        if (await Chat(caller).Receipt(ticketId, seq, read, Context.ConnectionAborted) is { } ticket)
        {
            bus.Publish([new LiveNote(LiveKind.Read, "chat.receipt", ticket, caller.UserId, caller.Name, Clock.Now(), read ? "read" : "delivered", Seq: seq)]);
        }
    }

    private LiveClient Client() => fanout.Client(Context.ConnectionId) ?? throw new HubException("Conexão encerrada. Recarregue a página.");

    private async Task<Caller> Caller()
    {
        if (await Client().Load(services, null, Context.ConnectionAborted) is { } caller)
        {
            return caller;
        }
        Context.Abort();
        throw new HubException("Sua sessão terminou. Entre de novo.");
    }

    private async Task<ChatService> Chat() => Chat(await Caller());

    private ChatService Chat(Caller caller) => ActivatorUtilities.CreateInstance<ChatService>(services, caller);
}

/// <summary>
/// Turns the Core's refusals into messages the screen shows (a <see cref="HubException"/> reaches the client with its
/// text; anything else would arrive as a bare "error on the server"): the pt-BR message of a validation, a ticket the caller
/// does not see, a stale or too fast write.
/// </summary>
public sealed class LiveHubErrors : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext context, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception e) when (e is ValidationException or NotFoundException or ForbiddenException or ConflictException or TooManyRequestsException)
        {
            throw new HubException(e.Message);
        }
    }
}
