using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Atende.Bench.Live;

/// <summary>A <c>chat</c> push (and the answer of <c>Send</c>): the message as the chat API lists it.</summary>
public sealed record ChatPush(long Id, long Seq, long TicketId, long AuthorId, string AuthorName, bool FromCustomer, string Body, DateTimeOffset CreatedAt);

/// <summary>
/// The hub connections and the measured run. Message <c>i</c> goes to ticket <c>i mod tickets</c> from its watcher
/// <c>(i / tickets) mod watchers</c>, at the fixed time <c>start + i / rate</c> (open loop: a slow answer never delays the next
/// send). Its body is <c>"bench {i} {timestamp}"</c>, the timestamp taken just before <c>Send</c> is invoked; each watcher of the
/// ticket (the sender's own screen included: the hub pushes to every screen of the ticket) records the time its <c>chat</c> push
/// arrived, so delivery latency is push arrival − that timestamp, on this machine's monotonic clock.
/// </summary>
public sealed class LiveRun : IAsyncDisposable
{
    private readonly LiveOptions _o;
    private readonly LiveWorld _world;
    private readonly HubConnection?[][] _connections;
    private readonly int _watchers;
    private readonly int _messages;
    private readonly int _warmupMessages;
    // Per message i.
    private readonly long[] _sendTs;
    private readonly long[] _sendWall;
    private readonly long[] _ackTs;
    private readonly long[] _created;
    private readonly long[] _lag;
    private readonly int[] _state; // 0 not sent, 1 sending, 2 answered, 3 refused or failed
    // Per delivery i × watchers + slot: the latency in Stopwatch ticks, -1 while not received.
    private readonly long[] _latency;
    private readonly ConcurrentQueue<string> _errors = new();
    private int _received;
    private int _unknown;
    private int _wrongTicket;
    private int _duplicates;
    private int _closed;
    private int _stopping;

    public LiveRun(LiveOptions options, LiveWorld world)
    {
        _o = options;
        _world = world;
        _watchers = options.Watchers;
        _connections = [.. world.Screens.Select(s => new HubConnection?[s.Length])];
        _warmupMessages = (int)Math.Round(options.Rate * options.Warmup);
        _messages = _warmupMessages + (int)Math.Round(options.Rate * options.Duration);
        _sendTs = new long[_messages];
        _sendWall = new long[_messages];
        _ackTs = new long[_messages];
        _created = new long[_messages];
        _lag = new long[_messages];
        _state = new int[_messages];
        _latency = new long[_messages * _watchers];
        Array.Fill(_latency, -1);
    }

    /// <summary>
    /// Opens every screen's WebSocket and watches its ticket (each within 30 s). False when any failed: the failures are
    /// printed (what the app answered) and nothing is sent.
    /// </summary>
    public async Task<bool> Connect()
    {
        var clock = Stopwatch.StartNew();
        var screens = _world.Screens.SelectMany(s => s).ToArray();
        var url = new Uri(_o.Url + "/hubs/live");
        var failed = 0;
        await Parallel.ForEachAsync(screens, new ParallelOptions { MaxDegreeOfParallelism = _o.ConnectParallel }, async (screen, _) =>
        {
            var connection = new HubConnectionBuilder()
                .WithUrl(url, o =>
                {
                    o.Transports = HttpTransportType.WebSockets;
                    o.SkipNegotiation = true;
                    o.Headers["Authorization"] = "Bearer " + screen.Token;
                })
                .Build();
            connection.On<ChatPush>("chat", m => OnChat(screen, m));
            connection.Closed += e =>
            {
                if (Volatile.Read(ref _stopping) == 0)
                {
                    Interlocked.Increment(ref _closed);
                    _errors.Enqueue($"connection of {screen.Who} on ticket {screen.TicketId} closed: {e?.Message ?? "by the server"}");
                }
                return Task.CompletedTask;
            };
            _connections[screen.Ticket][screen.Slot] = connection;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await connection.StartAsync(timeout.Token);
                await connection.InvokeAsync<JsonElement>("Watch", screen.TicketId, 0L, timeout.Token);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                if (Interlocked.Increment(ref failed) <= 5)
                {
                    _errors.Enqueue($"connection {screen.Ticket * _watchers + screen.Slot + 1} ({screen.Who}, ticket {screen.TicketId}) after " +
                        $"{clock.Elapsed.TotalSeconds:F1} s: {e.GetType().Name}: {e.Message}");
                }
            }
        });
        var rss = "";
        if (_o.AppPid is { } pid)
        {
            var files = ProcStats.OpenFiles(pid);
            rss = $"; app RSS {ProcStats.StatusMb(pid, "VmRSS"):F0} MB, {ProcStats.Threads(pid)} threads, {files.All} open files ({files.Sqlite} on SQLite files, {files.Sockets} sockets)";
        }
        Console.WriteLine($"Connected and watching: {screens.Length - failed} of {screens.Length} WebSocket connections in {clock.Elapsed.TotalSeconds:F1} s{rss}");
        if (failed > 0)
        {
            Console.WriteLine($"{failed} connections failed; the first ones:");
            foreach (var error in _errors)
            {
                Console.WriteLine("  ! " + error);
            }
        }
        return failed == 0;
    }

    private void OnChat(Screen screen, ChatPush message)
    {
        var now = Stopwatch.GetTimestamp();
        var parts = message.Body.Split(' ');
        if (parts.Length != 3 || parts[0] != "bench" || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var i) || i < 0 || i >= _messages
            || !long.TryParse(parts[2], CultureInfo.InvariantCulture, out var sentAt))
        {
            Interlocked.Increment(ref _unknown);
            return;
        }
        if (message.TicketId != screen.TicketId)
        {
            Interlocked.Increment(ref _wrongTicket);
            return;
        }
        if (Interlocked.CompareExchange(ref _latency[i * _watchers + screen.Slot], now - sentAt, -1) != -1)
        {
            Interlocked.Increment(ref _duplicates);
            return;
        }
        Interlocked.Increment(ref _received);
        Interlocked.CompareExchange(ref _created[i], message.CreatedAt.UtcTicks, 0);
    }

    private async Task Send(int i)
    {
        var ticket = i % _world.TicketIds.Length;
        var slot = i / _world.TicketIds.Length % _watchers;
        var connection = _connections[ticket][slot]!;
        _state[i] = 1;
        var sentAt = Stopwatch.GetTimestamp();
        _sendTs[i] = sentAt;
        _sendWall[i] = DateTime.UtcNow.Ticks;
        try
        {
            await connection.InvokeAsync<ChatPush>("Send", _world.TicketIds[ticket], string.Create(CultureInfo.InvariantCulture, $"bench {i} {sentAt}"));
            _ackTs[i] = Stopwatch.GetTimestamp();
            Volatile.Write(ref _state[i], 2);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Volatile.Write(ref _state[i], 3);
            _errors.Enqueue($"Send {i} ({_world.Screens[ticket][slot].Who}, ticket {_world.TicketIds[ticket]}): {e.Message}");
        }
    }

    /// <summary>The warm-up, the measured window and the drain; then the figures.</summary>
    public async Task<LiveResult> Measure()
    {
        var interval = Stopwatch.Frequency / _o.Rate;
        var sends = new List<Task>(_messages);
        ProcWindow? window = null;
        WindowStats? stats = null;
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 10;
        Console.WriteLine($"Sending {_o.Rate.ToString(CultureInfo.InvariantCulture)} msg/s: {_warmupMessages} warm-up messages, then {_messages - _warmupMessages} measured");
        for (var i = 0; i < _messages; i++)
        {
            var due = start + (long)(i * interval);
            var wait = due - Stopwatch.GetTimestamp();
            if (wait > Stopwatch.Frequency / 2000)
            {
                await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
            }
            if (i == _warmupMessages)
            {
                window = new ProcWindow(_o.AppPid);
            }
            _lag[i] = Stopwatch.GetTimestamp() - due;
            sends.Add(Send(i));
        }
        // The window ends one interval after the last measured send was due.
        var end = start + (long)(_messages * interval);
        var left = end - Stopwatch.GetTimestamp();
        if (left > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds((double)left / Stopwatch.Frequency));
        }
        if (window is not null)
        {
            stats = await window.End();
            await window.DisposeAsync();
        }

        // Drain: every push due for a message whose Send was answered, within --drain seconds.
        var drain = Stopwatch.StartNew();
        while (drain.Elapsed.TotalSeconds < _o.Drain)
        {
            var pending = sends.Count(t => !t.IsCompleted);
            var due = Enumerable.Range(0, _messages).Count(i => Volatile.Read(ref _state[i]) == 2) * _watchers;
            if (pending == 0 && Volatile.Read(ref _received) >= due)
            {
                break;
            }
            await Task.Delay(50);
        }
        return LiveResult.Of(this, stats, drain.Elapsed);
    }

    public async ValueTask DisposeAsync()
    {
        Volatile.Write(ref _stopping, 1);
        await Parallel.ForEachAsync(_connections.SelectMany(c => c).OfType<HubConnection>(), new ParallelOptions { MaxDegreeOfParallelism = 32 },
            async (c, _) => await c.DisposeAsync());
    }

    /// <summary>The figures of one run.</summary>
    public sealed record LiveResult
    {
        public required int Connections { get; init; }
        public required double Rate { get; init; }
        public required int WarmupSeconds { get; init; }
        public required int DurationSeconds { get; init; }
        public required int Sent { get; init; }
        public required int SendErrors { get; init; }
        public required int Expected { get; init; }
        public required int Received { get; init; }
        public required int Lost { get; init; }
        public required int Duplicates { get; init; }
        public required int WrongTicket { get; init; }
        public required int Unknown { get; init; }
        public required int ConnectionsClosed { get; init; }
        public required double AchievedRate { get; init; }
        public required Percentiles Delivery { get; init; }
        public required Percentiles SendAnswer { get; init; }
        public required Percentiles SendToCreated { get; init; }
        public required Percentiles CreatedToDelivered { get; init; }
        /// <summary>Per message: its last watcher's push − its first watcher's (the fan-out delivers one screen after the other).</summary>
        public required Percentiles Spread { get; init; }
        public required Percentiles WarmupDelivery { get; init; }
        public required Percentiles ScheduleLag { get; init; }
        /// <summary>Delivery latency per 10 s of the measured window (by send time).</summary>
        public required Percentiles[] Slices { get; init; }
        public required WindowStats? Window { get; init; }
        public required double DrainSeconds { get; init; }
        public required string[] Errors { get; init; }

        public bool Ok => Lost == 0 && SendErrors == 0 && Duplicates == 0 && WrongTicket == 0 && Unknown == 0 && ConnectionsClosed == 0;

        internal static LiveResult Of(LiveRun run, WindowStats? window, TimeSpan drain)
        {
            var w = run._watchers;
            var measured = Enumerable.Range(run._warmupMessages, run._messages - run._warmupMessages).ToArray();
            var answered = measured.Where(i => run._state[i] == 2).ToArray();
            var delivered = answered.SelectMany(i => Enumerable.Range(0, w).Select(s => run._latency[i * w + s])).Where(l => l >= 0).ToArray();
            static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
            var created = answered.Where(i => run._created[i] != 0).ToArray();
            var slices = measured.GroupBy(i => (int)((i - run._warmupMessages) / (run._o.Rate * 10)))
                .Select(g => Percentiles.Of(g.SelectMany(i => Enumerable.Range(0, w).Select(s => run._latency[i * w + s])).Where(l => l >= 0).Select(Ms)))
                .ToArray();
            var firstSend = run._sendTs[run._warmupMessages];
            var lastSend = run._sendTs[run._messages - 1];
            return new LiveResult
            {
                Connections = run._world.Screens.Sum(s => s.Length),
                Rate = run._o.Rate,
                WarmupSeconds = run._o.Warmup,
                DurationSeconds = run._o.Duration,
                Sent = measured.Length,
                SendErrors = measured.Count(i => run._state[i] != 2),
                Expected = answered.Length * w,
                Received = delivered.Length,
                Lost = answered.Length * w - delivered.Length,
                Duplicates = run._duplicates,
                WrongTicket = run._wrongTicket,
                Unknown = run._unknown,
                ConnectionsClosed = run._closed,
                AchievedRate = (measured.Length - 1) / Math.Max(1e-9, (lastSend - firstSend) / (double)Stopwatch.Frequency),
                Delivery = Percentiles.Of(delivered.Select(Ms)),
                SendAnswer = Percentiles.Of(answered.Select(i => Ms(run._ackTs[i] - run._sendTs[i]))),
                // Wall clocks of this process and of the app (same machine): when the message was sent, when the app stamped it
                // (ChatService.Post, before its transaction), when each push arrived.
                SendToCreated = Percentiles.Of(created.Select(i => (run._created[i] - run._sendWall[i]) / 10_000.0)),
                CreatedToDelivered = Percentiles.Of(created.SelectMany(i => Enumerable.Range(0, w).Select(s => run._latency[i * w + s]).Where(l => l >= 0)
                    .Select(l => (run._sendWall[i] - run._created[i]) / 10_000.0 + Ms(l)))),
                Spread = Percentiles.Of(answered.Select(i => Enumerable.Range(0, w).Select(s => run._latency[i * w + s]).Where(l => l >= 0).ToArray())
                    .Where(l => l.Length > 1).Select(l => Ms(l.Max() - l.Min()))),
                WarmupDelivery = Percentiles.Of(Enumerable.Range(0, run._warmupMessages * w).Select(k => run._latency[k]).Where(l => l >= 0).Select(Ms)),
                ScheduleLag = Percentiles.Of(measured.Select(i => Ms(run._lag[i]))),
                Slices = slices,
                Window = window,
                DrainSeconds = drain.TotalSeconds,
                Errors = [.. run._errors.Take(20)],
            };
        }

        public void Print(LiveOptions o)
        {
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine();
            Console.WriteLine(string.Create(inv, $"Measured window: {DurationSeconds} s, {Sent} messages sent ({AchievedRate:F1}/s), {SendErrors} send errors; " +
                $"deliveries expected {Expected}, received {Received}, lost {Lost}, duplicates {Duplicates}, wrong ticket {WrongTicket}, " +
                $"connections closed {ConnectionsClosed} (drain {DrainSeconds:F1} s)"));
            Console.WriteLine($"  delivery latency (send -> chat push at each watcher): {Delivery}");
            Console.WriteLine($"  Send answered (hub invocation round trip):             {SendAnswer}");
            Console.WriteLine($"  send -> message stamped by the app (CreatedAt):         {SendToCreated}");
            Console.WriteLine($"  message stamped -> chat push at each watcher:           {CreatedToDelivered}");
            Console.WriteLine($"  a message's last watcher - its first (fan-out spread):   {Spread}");
            Console.WriteLine($"  warm-up deliveries (not counted):                       {WarmupDelivery}");
            Console.WriteLine($"  generator's lateness against the schedule:              {ScheduleLag}");
            Console.WriteLine("  per 10 s of the window, delivery p50/p99/max ms: " + string.Join("  ",
                Slices.Select(s => string.Create(inv, $"{s.P50:F0}/{s.P99:F0}/{s.Max:F0}"))));
            if (Window is { } win)
            {
                Console.WriteLine(string.Create(inv, $"  CPU over the window: app {win.AppCores * 100:F0} % of a core, generator {win.SelfCores * 100:F0} %, machine " +
                    $"{win.MachineCores:F2} of {ProcStats.MachineCores()} cores busy, CPU pressure {win.CpuPressure * 100:F0} % (PSI some); app RSS peak {win.AppPeakRssMb:F0} MB in the window " +
                    $"(VmHWM {win.AppHwmMb:F0} MB since start, {win.AppRssMb:F0} MB at the end, {win.AppThreads} threads); load {win.LoadAtStart} -> {win.LoadAtEnd}"));
            }
            foreach (var error in Errors)
            {
                Console.WriteLine("  ! " + error);
            }
            Console.WriteLine();
            Console.WriteLine("| clients | msg/s | sent | deliveries expected / received | lost | p50 ms | p90 ms | p99 ms | max ms | Send answer p50 / p99 ms | app CPU | app peak RSS | load at start |");
            Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            Console.WriteLine(string.Create(inv, $"| {Connections} | {AchievedRate:F1} | {Sent} | {Expected} / {Received} | {Lost} | {Delivery.P50:F1} | {Delivery.P90:F1} | " +
                $"{Delivery.P99:F1} | {Delivery.Max:F1} | {SendAnswer.P50:F1} / {SendAnswer.P99:F1} | " +
                $"{(Window?.AppCores is { } c ? $"{c * 100:F0} %" : "?")} | {(Window is { } x ? $"{x.AppPeakRssMb:F0} MB" : "?")} | {Window?.LoadAtStart.Split(' ')[0] ?? "?"} |"));
            Console.WriteLine(string.Create(inv, $"RESULT sent={Sent} send_errors={SendErrors} expected={Expected} received={Received} lost={Lost} p50_ms={Delivery.P50:F1} " +
                $"p90_ms={Delivery.P90:F1} p99_ms={Delivery.P99:F1} max_ms={Delivery.Max:F1} app_cpu={Window?.AppCores:F2} gen_cpu={Window?.SelfCores:F2} " +
                $"machine_cpu={Window?.MachineCores:F2} cpu_pressure={Window?.CpuPressure:F2} app_peak_rss_mb={Window?.AppPeakRssMb:F0} ok={Ok}"));
            _ = o;
        }

        public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true });
    }
}

/// <summary>Latency percentiles in milliseconds (nearest rank).</summary>
public sealed record Percentiles(int Count, double P50, double P90, double P99, double P999, double Max, double Mean)
{
    public static Percentiles Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return new Percentiles(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }
        double At(double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Percentiles(sorted.Length, At(0.50), At(0.90), At(0.99), At(0.999), sorted[^1], sorted.Average());
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"n={Count} p50 {P50:F1}  p90 {P90:F1}  p99 {P99:F1}  p99.9 {P999:F1}  max {Max:F1}  mean {Mean:F1} ms");
}
