using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Atende.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Atende.Web.Tests.Tickets;

/// <summary>
/// A screen that stops reading (a phone gone to sleep mid-transfer, a client that never acknowledges) over a real socket to a
/// real app process: it keeps its connection alive with pings but never takes what the server sends, so the server's socket
/// and SignalR's buffer fill. Another screen on the same ticket still gets every message, once, while ten agents post; the
/// stalled one is disconnected once it has too many pushes waiting (instead of holding every later message in memory), and
/// nothing is lost for it: it asks again after its last <c>Seq</c> when it reconnects (covered by <see cref="LiveHubTests"/>).
/// </summary>
public sealed partial class LiveStalledScreenTests
{
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

        // The screen that reads: the admin's chat, over SignalR's own client.
        var shown = new ConcurrentQueue<long>();
        await using var reader = new HubConnectionBuilder()
            .WithUrl(new Uri(node.BaseAddress, "hubs/live"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.Headers["Authorization"] = "Bearer " + adminToken;
            })
            .Build();
        reader.On<JsonElement>("chat", m => shown.Enqueue(m.GetProperty("seq").GetInt64()));
        await reader.StartAsync(Ct);
        await reader.InvokeAsync<JsonElement>("Watch", ticket, 0L, Ct);

        // The screen that stops reading: the first agent's, watching the same ticket.
        using var stalled = await StalledScreen.Open(node, await Token(node, agents[0].Email), ticket);

        // Ten agents post long messages (HTML and accents, which the JSON escapes), within the chat's pace, until the server
        // says it dropped the stalled screen (or far more than its buffers can hold).
        var dropped = node.WaitForLine(DroppedLine(), TimeSpan.FromSeconds(120));
        var body = string.Concat(Enumerable.Repeat("<b>Ação</b> ", 330));
        var posted = new ConcurrentBag<long>();
        var posters = agents.Skip(1).Select(async (agent, i) =>
        {
            using var api = node.Api(await Token(node, agent.Email));
            for (var n = 0; n < 400 && !dropped.IsCompleted && stalled.Ended is null; n++)
            {
                var response = await api.PostAsJsonAsync($"/api/v1/tickets/{ticket}/chat", new { body = $"{i}/{n} {body}" }, Ct);
                Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
                posted.Add((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("seq").GetInt64());
                if (n >= 8)
                {
                    await Task.Delay(250, Ct);
                }
            }
        }).ToList();
        await Task.WhenAll(posters);
        // Dropped: the server says so, or (on a loaded machine, first) the screen's own pings find its connection ended.
        Assert.True(dropped.IsCompletedSuccessfully || stalled.Ended is not null,
            $"The stalled screen was never dropped after {posted.Count} messages (its pings: still going at {DateTime.UtcNow:HH:mm:ss.fff}).\n{node.Tail()}");
        TestContext.Current.SendDiagnosticMessage(dropped.IsCompletedSuccessfully
            ? $"Dropped by the server after {posted.Count} messages." : $"Connection ended after {posted.Count} messages: {stalled.Ended}\n{node.Tail()}");

        // The reading screen got every message exactly once (two agents' messages committed side by side may be pushed in either
        // order: the chat puts them by Seq and asks for a gap it sees).
        var last = posted.Max();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (shown.Count < posted.Count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, Ct);
        }
        Assert.Equal(Enumerable.Range(1, (int)last).Select(s => (long)s), shown.Order());
        Assert.Equal(posted.Count, (int)last);

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
    /// A raw WebSocket speaking SignalR's JSON protocol: handshake and <c>Watch</c>, then it only writes (a ping every two
    /// seconds, so the server never drops it for silence) and never reads. Its receive buffer is the smallest the system
    /// allows, so what the server sends piles up on the server's side.
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
            var invoker = new HttpMessageInvoker(handler);
            var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
            var uri = new UriBuilder(node.BaseAddress) { Scheme = "ws", Path = "/hubs/live" }.Uri;
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
