using System.Diagnostics;
using System.Text.Json;
using Atende.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Atende.Web.Tests.Tickets;

/// <summary>
/// A chat screen as the page keeps it, over a real WebSocket to one node: the messages by seq (pushes and catch-ups, one per
/// seq), every push in the order it came (and when it came), and on every <c>resync</c> a catch-up after the last seq it has.
/// </summary>
internal sealed class ChatScreen : IAsyncDisposable
{
    /// <summary>A push: milliseconds when idle; generous for a loaded machine.</summary>
    private static readonly TimeSpan PushTimeout = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static IEnumerable<long> Seqs(long from, long to) => Enumerable.Range((int)from, (int)(to - from + 1)).Select(i => (long)i);

    private readonly object _gate = new();
    private readonly SortedDictionary<long, string> _shown = [];
    private readonly List<long> _pushed = [];
    private readonly Dictionary<long, long> _firstPushedAt = [];
    private readonly List<(long After, long[] Seqs)> _caughtUp = [];
    private readonly SemaphoreSlim _catchingUp = new(1, 1);
    private readonly List<Task> _resyncs = [];
    private readonly HubConnection _connection;
    private readonly AppProcess _node;
    private readonly long _ticket;
    private int _resyncCount;

    private ChatScreen(HubConnection connection, AppProcess node, long ticket)
    {
        _connection = connection;
        _node = node;
        _ticket = ticket;
        _connection.On<JsonElement>("chat", message =>
        {
            if (message.GetProperty("ticketId").GetInt64() != _ticket)
            {
                return;
            }
            var seq = message.GetProperty("seq").GetInt64();
            lock (_gate)
            {
                _pushed.Add(seq);
                _firstPushedAt.TryAdd(seq, Stopwatch.GetTimestamp());
                _shown.TryAdd(seq, message.GetProperty("body").GetString()!);
            }
        });
        // A handler must not wait for an invocation on its own connection: the catch-up runs beside it, one at a time.
        _connection.On("resync", () =>
        {
            lock (_gate)
            {
                _resyncs.Add(Task.Run(async () =>
                {
                    await CatchUp();
                    Interlocked.Increment(ref _resyncCount);
                }));
            }
        });
    }

    public static async Task<ChatScreen> Open(AppProcess node, string token, long ticket)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(node.BaseAddress, "hubs/live"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.Headers["Authorization"] = "Bearer " + token;
            })
            .Build();
        var screen = new ChatScreen(connection, node, ticket);
        await connection.StartAsync(Ct);
        await screen.CatchUp();
        return screen;
    }

    /// <summary>Catch-ups finished after a <c>resync</c>.</summary>
    public int Resyncs => Volatile.Read(ref _resyncCount);

    public string Body(long seq)
    {
        lock (_gate)
        {
            return _shown[seq];
        }
    }

    /// <summary>What the chat shows (by seq), every push in order, every catch-up (the seq it asked after, what came).</summary>
    public (SortedDictionary<long, string> Shown, List<long> Pushed, List<(long After, long[] Seqs)> CaughtUp) Snapshot()
    {
        lock (_gate)
        {
            return (new SortedDictionary<long, string>(_shown), [.. _pushed], [.. _caughtUp]);
        }
    }

    /// <summary>When each message was first pushed to this screen (<see cref="Stopwatch.GetTimestamp"/>), by seq.</summary>
    public Dictionary<long, long> FirstPushedAt()
    {
        lock (_gate)
        {
            return new(_firstPushedAt);
        }
    }

    /// <summary>Sends through the hub; the number the server gave the message.</summary>
    public async Task<long> Send(string body) =>
        (await _connection.InvokeAsync<JsonElement>("Send", _ticket, body, Ct)).GetProperty("seq").GetInt64();

    /// <summary><c>Watch(ticket, lastSeq)</c>, as the chat does when it opens or is told to catch up.</summary>
    private async Task CatchUp()
    {
        await _catchingUp.WaitAsync(Ct);
        try
        {
            long last;
            lock (_gate)
            {
                last = _shown.Count == 0 ? 0 : _shown.Keys.Max();
            }
            var answer = await _connection.InvokeAsync<JsonElement>("Watch", _ticket, last, Ct);
            var messages = answer.GetProperty("messages").EnumerateArray().ToList();
            lock (_gate)
            {
                _caughtUp.Add((last, [.. messages.Select(m => m.GetProperty("seq").GetInt64())]));
                foreach (var m in messages)
                {
                    _shown.TryAdd(m.GetProperty("seq").GetInt64(), m.GetProperty("body").GetString()!);
                }
            }
        }
        finally
        {
            _catchingUp.Release();
        }
    }

    public Task WaitForPushes(long from, long to, string what) =>
        WaitUntil(() =>
        {
            lock (_gate)
            {
                return Seqs(from, to).All(_pushed.Contains);
            }
        }, PushTimeout, what);

    public Task WaitForKnown(long from, long to, string what) =>
        WaitUntil(() =>
        {
            lock (_gate)
            {
                return Seqs(from, to).All(_shown.ContainsKey);
            }
        }, PushTimeout, what);

    /// <summary>Waits for a <c>resync</c> after the first <paramref name="before"/> and the catch-up it started.</summary>
    public Task WaitForResync(int before, TimeSpan timeout, AppProcess node) =>
        WaitUntil(() => Resyncs > before, timeout, $"'resync' on the screen of {node.BaseAddress} after Redis came back");

    private async Task WaitUntil(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                var (shown, pushed, caughtUp) = Snapshot();
                Assert.Fail($"Not within {timeout.TotalSeconds:0} s: {what}. Connection {_connection.State}; pushed [{string.Join(",", pushed)}]; " +
                    $"shown [{string.Join(",", shown.Keys)}]; catch-ups [{string.Join(" | ", caughtUp.Select(c => $"after {c.After}: {string.Join(",", c.Seqs)}"))}]; resyncs {Resyncs}.\n" +
                    $"{_node.BaseAddress}:\n{_node.Tail(20)}");
            }
            await Task.Delay(20, Ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        Task[] pending;
        lock (_gate)
        {
            pending = [.. _resyncs];
        }
        try
        {
            await Task.WhenAll(pending);
        }
        catch (Exception)
        {
            // A catch-up cut short by the closed connection.
        }
    }
}
