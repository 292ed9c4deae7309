using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Atende.Web.Tests.Infrastructure;

namespace Atende.Web.Tests.Tickets;

/// <summary>
/// A screen that stops reading (a phone gone to sleep mid-transfer, a client that never acknowledges) over a real socket to a
/// real app process: it negotiates and watches the ticket as a browser does, then keeps its connection alive with pings but
/// never takes what the server sends, so the server's socket and SignalR's buffer fill. Three other screens on the same ticket
/// still get every message, once, each agent's in the order posted and within seconds of the post, and the API keeps
/// answering, while ten agents post; the stalled one is disconnected instead of holding every later message in memory (by the
/// fan-out once it has <c>LiveFanout.MaxUnsent</c> pushes waiting, or by SignalR once one send to its socket has waited 10 s,
/// whichever comes first), and nothing is lost for it: it asks again after its last <c>Seq</c> when it reconnects (covered by
/// <see cref="LiveHubTests"/>).
/// </summary>
public sealed partial class LiveStalledScreenTests
{
    /// <summary>
    /// Post to push on a screen that reads: under half a second here while the stalled screen is full; the bound is for a loaded
    /// machine. A fan-out that waited for the stalled screen would hold the others until SignalR gives up on its socket (a send
    /// pending for <c>TransportSendTimeout</c>, 10 s) or until it is dropped: ten seconds and more.
    /// </summary>
    private static readonly TimeSpan MaxLag = TimeSpan.FromSeconds(5);

    /// <summary>A GET of the ticket while the screen is stalled: milliseconds when idle; the bound is for a loaded machine.</summary>
    private static readonly TimeSpan MaxGet = TimeSpan.FromSeconds(5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_screen_that_stops_reading_is_dropped_and_the_others_get_every_message()
    {
        await using var data = await AppStore.Create("Sqlite");
        await using var node = await AppProcess.Start(data.Settings, TimeSpan.FromSeconds(90));
        using var anonymous = node.Api();
        var adminToken = (await TicketSteps.Json(await anonymous.PostAsJsonAsync("/api/v1/setup", new
        {
            companyName = "Empresa Ao Vivo", adminName = "Administradora", adminEmail = TestApp.AdminEmail, adminPassword = TestApp.Password,
        }, Ct), HttpStatusCode.Created))["token"]!.GetValue<string>();
        using var admin = node.Api(adminToken);
        var workspace = (await TicketSteps.Json(await admin.PostAsJsonAsync("/api/v1/workspaces", new { name = "Filial" }, Ct), HttpStatusCode.Created))["id"]!.GetValue<long>();
        var agents = new List<(long Id, string Email)>();
        for (var i = 0; i < 11; i++)
        {
            var email = $"agente{i}@empresa.test";
            var id = (await TicketSteps.Json(await admin.PostAsJsonAsync("/api/v1/users",
                new { name = $"Agente {i}", email, role = "Agent", workspaceIds = new[] { workspace }, password = TestApp.Password }, Ct), HttpStatusCode.Created))["id"]!.GetValue<long>();
            agents.Add((id, email));
        }
        var pipeline = (await TicketSteps.Pipeline(admin, users: [.. agents.Select(a => a.Id)]))["id"]!.GetValue<long>();
        var (partner, _) = await TicketSteps.Partner(admin, workspace, "Mercearia", "Ana");
        var ticket = (await TicketSteps.Ticket(admin, pipeline, partner, null, "Entrega atrasada"))["id"]!.GetValue<long>();
        var tokens = await Task.WhenAll(agents.Select(a => Token(node, a.Email)));

        // The screens that read, over SignalR's own client: the admin's and two of the posting agents'.
        await using var adminScreen = await ChatScreen.Open(node, adminToken, ticket);
        await using var firstPosterScreen = await ChatScreen.Open(node, tokens[1], ticket);
        await using var lastPosterScreen = await ChatScreen.Open(node, tokens[^1], ticket);
        ChatScreen[] readers = [adminScreen, firstPosterScreen, lastPosterScreen];

        // The screen that stops reading: the first agent's, watching the same ticket.
        using var stalled = await StalledScreen.Open(node, tokens[0], ticket);

        // Ten agents post messages as long as the chat allows (HTML and accents, which the JSON escapes: several bytes per
        // character, so the buffers fill sooner), within the chat's pace, until the server says it dropped the stalled screen
        // (or far more than its buffers can hold). Meanwhile the admin reads the ticket.
        var dropped = node.WaitForLine(DroppedLine(), TimeSpan.FromSeconds(120));
        var body = string.Concat(Enumerable.Repeat("<ç>", 1320));
        var postedAt = new ConcurrentDictionary<long, long>();
        var posterOf = new ConcurrentDictionary<long, int>();
        var posters = tokens.Skip(1).Select(async (token, i) =>
        {
            using var api = node.Api(token);
            for (var n = 0; n < 400 && !dropped.IsCompleted && stalled.Ended is null; n++)
            {
                var response = await api.PostAsJsonAsync($"/api/v1/tickets/{ticket}/chat", new { body = $"{i}/{n} {body}" }, Ct);
                Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
                var seq = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("seq").GetInt64();
                postedAt[seq] = Stopwatch.GetTimestamp();
                posterOf[seq] = i;
                if (n >= 8)
                {
                    await Task.Delay(250, Ct);
                }
            }
        }).ToList();
        var posting = Task.WhenAll(posters);
        var postingTime = Stopwatch.StartNew();
        var gets = new List<TimeSpan>();
        while (!posting.IsCompleted)
        {
            var started = Stopwatch.GetTimestamp();
            using var answer = await admin.GetAsync($"/api/v1/tickets/{ticket}", Ct);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            gets.Add(Stopwatch.GetElapsedTime(started));
            await Task.WhenAny(posting, Task.Delay(200, Ct));
        }
        await posting;
        postingTime.Stop();
        // Dropped: the server says so (MaxUnsent pushes waiting), or SignalR ended the socket first (one send pending for
        // TransportSendTimeout, 10 s, when a loaded machine posts slower) and the screen's pings find its connection ended.
        Assert.True(dropped.IsCompletedSuccessfully || stalled.Ended is not null,
            $"The stalled screen was never dropped after {postedAt.Count} messages (its pings: still going at {DateTime.UtcNow:HH:mm:ss.fff}).\n{node.Tail()}");

        // Every message was posted once, and every screen that reads got each of them pushed once (two agents' messages
        // committed side by side may be pushed in either order: the chat puts them by Seq), each agent's in the order posted.
        var last = postedAt.Keys.Max();
        Assert.Equal(ChatScreen.Seqs(1, last), postedAt.Keys.Order());
        foreach (var reader in readers)
        {
            await reader.WaitForPushes(1, last, "every message on a screen that reads");
            var pushed = reader.Snapshot().Pushed;
            Assert.Equal(ChatScreen.Seqs(1, last), pushed.Order());
            foreach (var byPoster in pushed.GroupBy(s => posterOf[s]))
            {
                Assert.True(byPoster.SequenceEqual(byPoster.Order()), $"agent {byPoster.Key}'s messages were pushed as {string.Join(",", byPoster)}");
            }
        }

        // No screen that reads waited for the stalled one: each message reached them within seconds of its post, those posted
        // while the stalled screen's buffers were full (at least the last MaxUnsent before the drop) too; the API answered.
        var lags = readers.SelectMany(r => r.FirstPushedAt()).Select(p => (Seq: p.Key, Lag: Stopwatch.GetElapsedTime(postedAt[p.Key], p.Value))).ToList();
        var slowest = lags.MaxBy(l => l.Lag);
        var slowestGet = gets.Max();
        TestContext.Current.SendDiagnosticMessage(string.Create(CultureInfo.InvariantCulture,
            $"{(dropped.IsCompletedSuccessfully ? "Dropped by the server" : $"Connection ended ({stalled.Ended})")} after {last} messages in {postingTime.Elapsed.TotalSeconds:0.0} s; " +
            $"slowest push {slowest.Lag.TotalMilliseconds:0} ms (seq {slowest.Seq}); {gets.Count} GETs meanwhile, slowest {slowestGet.TotalMilliseconds:0} ms."));
        Assert.True(slowest.Lag < MaxLag, $"message {slowest.Seq} reached a screen that reads {slowest.Lag.TotalSeconds:0.0} s after it was posted.\n{node.Tail()}");
        Assert.True(slowestGet < MaxGet, $"a GET of the ticket took {slowestGet.TotalSeconds:0.0} s while the screen was stalled.");

        // The stalled screen, reading at last, finds its connection ended by the server after what was already buffered.
        Assert.True(await stalled.ReadsToTheEnd(TimeSpan.FromSeconds(60)), "The stalled screen's connection is still open.");
    }

    [GeneratedRegex(@"Live screen \S+ stopped reading \(\d+ pushes waiting\): disconnected")]
    private static partial Regex DroppedLine();

    private static async Task<string> Token(AppProcess node, string email)
    {
        using var client = node.Api();
        var created = await TicketSteps.Json(await client.PostAsJsonAsync("/api/v1/tokens", new { email, password = TestApp.Password }, Ct), HttpStatusCode.Created);
        return created["token"]!.GetValue<string>();
    }

    /// <summary>
    /// A raw WebSocket speaking SignalR's JSON protocol as a browser does: negotiate, connect with the connection token,
    /// handshake and <c>Watch</c>, then it only writes (a ping every two seconds, so the server never drops it for silence) and
    /// never reads. Its receive buffer is the smallest the system allows, so what the server sends piles up on the server's side.
    /// </summary>
    private sealed class StalledScreen : IDisposable
    {
        private const char Separator = '\u001e';
        private readonly ClientWebSocket _socket;
        private readonly HttpMessageInvoker _invoker;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _pings;

        /// <summary>When and how a ping found the connection ended by the server (null while it is open).</summary>
        public string? Ended { get; private set; }

        private StalledScreen(ClientWebSocket socket, HttpMessageInvoker invoker)
        {
            _socket = socket;
            _invoker = invoker;
            _pings = Task.Run(async () =>
            {
                try
                {
                    while (!_stop.IsCancellationRequested)
                    {
                        await Task.Delay(2000, _stop.Token);
                        await Write("{\"type\":6}");
                    }
                }
                catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
                {
                    // Stopped, or the server ended the connection.
                    if (!_stop.IsCancellationRequested)
                    {
                        Ended = $"{DateTime.UtcNow:HH:mm:ss.fff} {e.GetType().Name}: {e.Message}";
                    }
                }
            });
        }

        public static async Task<StalledScreen> Open(AppProcess node, string token, long ticket)
        {
            var handler = new SocketsHttpHandler
            {
                ConnectCallback = async (context, ct) =>
                {
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = 1024 };
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                },
            };
            using var api = node.Api(token);
            var negotiated = await TicketSteps.Json(await api.PostAsync("/hubs/live/negotiate?negotiateVersion=1", null, Ct), HttpStatusCode.OK);
            Assert.Contains(negotiated["availableTransports"]!.AsArray(), t => t!["transport"]!.GetValue<string>() == "WebSockets");
            var connectionToken = negotiated["connectionToken"]!.GetValue<string>();
            var invoker = new HttpMessageInvoker(handler);
            var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
            var uri = new UriBuilder(node.BaseAddress) { Scheme = "ws", Path = "/hubs/live", Query = "id=" + Uri.EscapeDataString(connectionToken) }.Uri;
            await socket.ConnectAsync(uri, invoker, Ct);
            var screen = new StalledScreen(socket, invoker);
            await screen.Write("{\"protocol\":\"json\",\"version\":1}");
            await screen.Write($"{{\"type\":1,\"invocationId\":\"1\",\"target\":\"Watch\",\"arguments\":[{ticket},0]}}");
            // Reads only until Watch is answered: from here on the screen takes nothing.
            var text = new StringBuilder();
            var buffer = new byte[8192];
            while (!text.ToString().Contains("\"invocationId\":\"1\"", StringComparison.Ordinal))
            {
                var read = await socket.ReceiveAsync(buffer, Ct);
                Assert.NotEqual(WebSocketMessageType.Close, read.MessageType);
                text.Append(Encoding.UTF8.GetString(buffer, 0, read.Count));
            }
            Assert.DoesNotContain("\"error\"", text.ToString(), StringComparison.Ordinal);
            return screen;
        }

        private readonly SemaphoreSlim _writing = new(1, 1);

        private async Task Write(string message)
        {
            await _writing.WaitAsync(Ct);
            try
            {
                await _socket.SendAsync(Encoding.UTF8.GetBytes(message + Separator), WebSocketMessageType.Text, true, Ct);
            }
            finally
            {
                _writing.Release();
            }
        }

        /// <summary>Reads what was left waiting; true when the server ended the connection within <paramref name="timeout"/>.</summary>
        public async Task<bool> ReadsToTheEnd(TimeSpan timeout)
        {
            await _stop.CancelAsync();
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            limit.CancelAfter(timeout);
            var buffer = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    var read = await _socket.ReceiveAsync(buffer, limit.Token);
                    if (read.MessageType == WebSocketMessageType.Close)
                    {
                        return true;
                    }
                }
            }
            catch (WebSocketException)
            {
                return true;
            }
            catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
            {
                return false;
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _socket.Abort();
            _socket.Dispose();
            _invoker.Dispose();
            _pings.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
