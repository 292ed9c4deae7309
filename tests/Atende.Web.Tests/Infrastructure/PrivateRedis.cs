using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Atende.Web.Tests.Infrastructure;

/// <summary>
/// A redis-server of one test alone on a free loopback port (never the shared one other tests use), so the test can kill
/// it and start it again on the same port. Without redis-server the test skips, or fails when services are required.
/// </summary>
public sealed class PrivateRedis : IAsyncDisposable
{
    private readonly string _binary;
    private readonly int _port;
    private Process? _process;
    private readonly List<string> _lines = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private PrivateRedis(string binary, int port)
    {
        _binary = binary;
        _port = port;
    }

    /// <summary>The app's <c>ConnectionStrings:Redis</c>.</summary>
    public string Configuration => $"127.0.0.1:{_port}";

    public static async Task<PrivateRedis> Start()
    {
        var binary = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, "redis-server")).FirstOrDefault(File.Exists);
        if (binary is null)
        {
            if (TestApp.ServicesRequired)
            {
                Assert.Fail("ATENDE_REQUIRE_SERVICES=1 but redis-server is not on the PATH.");
            }
            Assert.Skip("redis-server is not on the PATH: this test starts and restarts a Redis of its own.");
        }
        var redis = new PrivateRedis(binary, FreePort());
        await redis.Restart();
        return redis;
    }

    /// <summary>
    /// A free loopback port below Linux's ephemeral range (32768 and up): no outgoing connection of another process can take
    /// it as its local port while Redis is down, so the restart finds it free.
    /// </summary>
    private static int FreePort()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = Random.Shared.Next(20_000, 32_000);
            try
            {
                var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                listener.Stop();
                return port;
            }
            catch (SocketException) when (attempt < 100)
            {
            }
        }
    }

    /// <summary>Starts redis-server on the port and waits until it accepts connections.</summary>
    public async Task Restart()
    {
        Assert.True(_process is null || _process.HasExited, "Redis is already running");
        _process?.Dispose();
        lock (_lines)
        {
            _lines.Clear();
        }
        var info = new ProcessStartInfo(_binary, ["--port", _port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data);
        Assert.True(_process.Start(), "redis-server did not start");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (await Answers())
            {
                return;
            }
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                string output;
                lock (_lines)
                {
                    output = string.Join('\n', _lines);
                }
                Assert.Fail($"redis-server on port {_port} did not come up:\n{output}");
            }
            await Task.Delay(20, Ct);
        }
    }

    /// <summary>Waits until <c>PUBSUB NUMSUB</c> counts <paramref name="count"/> subscribers of <paramref name="channel"/>.</summary>
    public async Task WaitForSubscribers(string channel, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        long seen;
        while ((seen = await Subscribers(channel)) != count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{seen} subscribers of {channel} on Redis after {timeout.TotalSeconds:0} s, expected {count}");
            await Task.Delay(50, Ct);
        }
    }

    private async Task<long> Subscribers(string channel)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _port, Ct);
        var stream = client.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"*3\r\n$6\r\nPUBSUB\r\n$6\r\nNUMSUB\r\n${channel.Length}\r\n{channel}\r\n"), Ct);
        // *2 $<n> <channel> :<count>
        using var reader = new StreamReader(stream, System.Text.Encoding.ASCII);
        while (await reader.ReadLineAsync(Ct) is { } line)
        {
            if (line.StartsWith(':'))
            {
                return long.Parse(line[1..], CultureInfo.InvariantCulture);
            }
        }
        throw new IOException("Redis closed the connection before answering PUBSUB NUMSUB");
    }

    /// <summary>PING answered with PONG.</summary>
    private async Task<bool> Answers()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, _port, Ct);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), Ct);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, Ct);
            return System.Text.Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            lock (_lines)
            {
                _lines.Add(line);
            }
        }
    }

    /// <summary><c>kill -9</c>: the nodes' connections drop at once, nothing is saved.</summary>
    public async Task Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Kill();
        _process?.Dispose();
    }
}
