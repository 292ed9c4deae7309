using System.Collections.Concurrent;
using System.Threading.Channels;
using Atende.Core.Data;
using Atende.Core.Events;
using Atende.Core.Identity;
using Atende.Core.Live;
using Microsoft.AspNetCore.SignalR;

namespace Atende.Web.Live;

/// <summary>
/// A screen connected to this node's hub: who it is (re-checked on every note, <see cref="Load"/>) and what it watches.
/// </summary>
public sealed class LiveClient(string connectionId, long userId, Func<IServiceProvider, long?, CancellationToken, Task<Caller?>> load, Action abort)
{
    public string ConnectionId => connectionId;
    public long UserId => userId;
    /// <summary>The tickets whose page or chat this screen has open.</summary>
    public ConcurrentDictionary<long, byte> Tickets { get; } = new();
    /// <summary>When this screen last said it was typing in a ticket (the hub drops the rest).</summary>
    public ConcurrentDictionary<long, DateTimeOffset> TypingAt { get; } = new();
    /// <summary>A ticket list or board: hears of every ticket change its user may see.</summary>
    public bool WatchesTickets { get; set; }

    /// <summary>The caller as of now (null: signed out, deactivated, token revoked), through the caller cache.</summary>
    /// <param name="accessVersion">The current access version when the caller has just read it, else null (read here).</param>
    public Task<Caller?> Load(IServiceProvider services, long? accessVersion, CancellationToken ct) => load(services, accessVersion, ct);

    public void Abort() => abort();

    private int _unsent;

    /// <summary>Counts a push handed to SignalR; false when this screen already has too many it has not taken (see Push).</summary>
    public bool Sending() => Interlocked.Increment(ref _unsent) <= LiveFanout.MaxUnsent;

    /// <summary>A push written to the connection (or dropped with it).</summary>
    public void Sent() => Interlocked.Decrement(ref _unsent);

    private int _dropped;

    /// <summary>Disconnects a screen that stopped reading; true the first time only.</summary>
    public bool Drop()
    {
        if (Interlocked.Exchange(ref _dropped, 1) == 1)
        {
            return false;
        }
        abort();
        return true;
    }
}

/// <summary>
/// Delivers the live notes to the screens connected to this node, in the order they came. Every note is checked for every
/// screen as it is delivered: the screen's user is loaded again through the caller cache (one read of the access version
/// per note while nothing changed) and must still see the ticket (<see cref="Visibility.SeesTicket"/>); a user who was
/// deactivated or signed out everywhere is disconnected. A note never carries more than its screen may see: portal users
/// get only the chat of their requests.
/// </summary>
public sealed class LiveFanout(IServiceScopeFactory scopes, IHubContext<LiveHub> hub, ILogger<LiveFanout> log) : BackgroundService
{
    private readonly ConcurrentDictionary<string, LiveClient> _clients = new();
    private readonly Channel<IReadOnlyList<LiveNote>> _notes = Channel.CreateUnbounded<IReadOnlyList<LiveNote>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<long, (string Name, DateTimeOffset Until)> _names = new();

    public void Connected(LiveClient client) => _clients[client.ConnectionId] = client;

    public void Disconnected(string connectionId) => _clients.TryRemove(connectionId, out _);

    public LiveClient? Client(string connectionId) => _clients.GetValueOrDefault(connectionId);

    public int Count => _clients.Count;

    /// <summary>Queues notes for this node's screens (from this node's commits or another node's, through the bus).</summary>
    public void Deliver(IReadOnlyList<LiveNote> notes) => _notes.Writer.TryWrite(notes);

    /// <summary>
    /// Tells every screen of this node that notes may have been lost (the bus between nodes was down): chats ask for what came
    /// after their last message, lists offer to reload, the bell counts again.
    /// </summary>
    /// <remarks>Sent to each screen of this node by connection (<c>Clients.All</c> would cross the backplane to every node).</remarks>
    public void Resync()
    {
        foreach (var client in _clients.Values)
        {
            Push(client, "resync", null);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var notes in _notes.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var callers = new Callers(scope.ServiceProvider, log);
                foreach (var note in notes)
                {
                    await Send(scope.ServiceProvider, note, callers, stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Live notes not delivered");
            }
        }
    }

    private async Task Send(IServiceProvider services, LiveNote note, Callers callers, CancellationToken ct)
    {
        if (note.Kind == LiveKind.Notice)
        {
            foreach (var client in _clients.Values.Where(c => c.UserId == note.UserId))
            {
                if (await callers.Of(client, ct) is not null)
                {
                    Push(client, "notice", new { text = note.Data, at = note.At });
                }
            }
            return;
        }
        if (note.Ticket is not { } scope)
        {
            return;
        }
        var isChat = note.Type == EventTypes.ChatMessagePosted || note.Kind is LiveKind.Typing or LiveKind.Read;
        var ticket = scope.AsTicket();
        object? payload = null;
        foreach (var client in _clients.Values)
        {
            var watching = client.Tickets.ContainsKey(scope.Id);
            if (!watching && !(client.WatchesTickets && note.Kind == LiveKind.Event && !isChat))
            {
                continue;
            }
            if ((note.Kind is LiveKind.Typing or LiveKind.Read) && client.UserId == note.ActorId)
            {
                continue;
            }
            var caller = await callers.Of(client, ct);
            if (caller is null)
            {
                continue;
            }
            if (!Visibility.SeesTicket(caller, ticket))
            {
                client.Tickets.TryRemove(scope.Id, out _);
                continue;
            }
            if (!caller.IsStaff && !isChat)
            {
                continue;
            }
            payload ??= await Payload(services, note, ct);
            var method = note.Kind switch
            {
                LiveKind.Typing => "typing",
                LiveKind.Read => "read",
                _ => isChat ? "chat" : "ticket",
            };
            Push(client, method, payload);
        }
    }

    /// <summary>
    /// Pushes a screen may leave waiting (its socket and SignalR's buffer full) before it is disconnected. A screen that reads
    /// never has more than a few; one that stopped reading would otherwise keep every later note in memory.
    /// </summary>
    public const int MaxUnsent = 256;

    /// <summary>
    /// Sends without waiting for the screen: one that does not read (a stalled phone, a client that never acknowledges) holds
    /// up only its own connection, never the other screens, and once it has <see cref="MaxUnsent"/> pushes waiting it is
    /// disconnected. Nothing is lost: when it connects again it asks for the messages after the last <c>Seq</c> it has.
    /// </summary>
    private void Push(LiveClient client, string method, object? payload)
    {
        if (!client.Sending())
        {
            client.Sent();
            if (client.Drop())
            {
                log.LogInformation("Live screen {Connection} stopped reading ({Unsent} pushes waiting): disconnected", client.ConnectionId, MaxUnsent);
            }
            return;
        }
        var proxy = hub.Clients.Client(client.ConnectionId);
        (payload is null ? proxy.SendAsync(method) : proxy.SendAsync(method, payload)).ContinueWith(t =>
        {
            client.Sent();
            if (t.IsFaulted)
            {
                log.LogDebug(t.Exception, "Live note to {Connection} not sent", client.ConnectionId);
            }
        }, TaskContinuationOptions.ExecuteSynchronously);
    }

    /// <summary>
    /// The screens' callers for one batch of notes: the access version is read once for the batch (one query, however many
    /// screens), each screen's caller comes from the caller cache at that version; a user who may no longer be signed in is
    /// disconnected.
    /// </summary>
    private sealed class Callers(IServiceProvider services, ILogger log)
    {
        private readonly Dictionary<string, Caller?> _byConnection = [];
        private long? _version;

        public async Task<Caller?> Of(LiveClient client, CancellationToken ct)
        {
            if (!_byConnection.TryGetValue(client.ConnectionId, out var caller))
            {
                _version ??= await AccessVersion.Read(services.GetRequiredService<AtendeDb>(), ct);
                caller = await client.Load(services, _version, ct);
                _byConnection[client.ConnectionId] = caller;
                if (caller is null)
                {
                    log.LogInformation("Live screen {Connection}: user {User} may no longer sign in: disconnected", client.ConnectionId, client.UserId);
                    client.Abort();
                }
            }
            return caller;
        }
    }

    private async Task<object> Payload(IServiceProvider services, LiveNote note, CancellationToken ct)
    {
        var ticketId = note.Ticket!.Id;
        if (note.Kind == LiveKind.Event && note.Type == EventTypes.ChatMessagePosted && note.Data is { } json)
        {
            return System.Text.Json.JsonDocument.Parse(json).RootElement.Clone();
        }
        var name = note.ActorName ?? (note.ActorId is { } actor ? await NameOf(services, actor, ct) : null);
        return note.Kind switch
        {
            LiveKind.Typing => new { ticketId, userId = note.ActorId, name },
            LiveKind.Read => new { ticketId, userId = note.ActorId, name, seq = note.Seq, read = note.Data == "read" },
            _ => new { type = note.Type, ticketId, pipelineId = note.Ticket.PipelineId, actorId = note.ActorId, actorName = name, at = note.At },
        };
    }

    /// <summary>A user's name for "alterado por Bruno", remembered for a minute.</summary>
    private async Task<string?> NameOf(IServiceProvider services, long userId, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        if (_names.TryGetValue(userId, out var known) && known.Until > now)
        {
            return known.Name;
        }
        var db = services.GetRequiredService<AtendeDb>();
        var name = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(
            db.Users.Where(u => u.Id == userId).Select(u => u.Name), ct) ?? "";
        if (_names.Count > 10_000)
        {
            _names.Clear();
        }
        _names[userId] = (name, now.AddMinutes(1));
        return name;
    }
}
