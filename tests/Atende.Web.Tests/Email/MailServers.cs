using System.Net;
using System.Net.Sockets;
using System.Text;
using Atende.Web.Tests.Infrastructure;
using MimeKit;

namespace Atende.Web.Tests.Email;

/// <summary>
/// The real SMTP server of the tests (aiosmtpd with its Maildir handler): ATENDE_TEST_SMTP=host:port and ATENDE_TEST_MAILDIR.
/// Tests skip without it, unless ATENDE_REQUIRE_SERVICES=1.
/// </summary>
public static class TestMailServer
{
    public static (string Host, int Port, string Maildir) Require()
    {
        var smtp = Environment.GetEnvironmentVariable("ATENDE_TEST_SMTP");
        var maildir = Environment.GetEnvironmentVariable("ATENDE_TEST_MAILDIR");
        if (string.IsNullOrWhiteSpace(smtp) || string.IsNullOrWhiteSpace(maildir))
        {
            if (TestApp.ServicesRequired)
            {
                Assert.Fail("ATENDE_REQUIRE_SERVICES=1 but ATENDE_TEST_SMTP / ATENDE_TEST_MAILDIR are not set.");
            }
            Assert.Skip("SMTP not configured: set ATENDE_TEST_SMTP=host:port and ATENDE_TEST_MAILDIR to an aiosmtpd Maildir to run these tests.");
        }
        var colon = smtp.LastIndexOf(':');
        return (smtp[..colon], int.Parse(smtp[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture), maildir);
    }

    /// <summary>The messages in the Maildir (new/ and cur/) that match, waiting up to 20 s for at least <paramref name="count"/>.</summary>
    public static async Task<List<MimeMessage>> WaitFor(Func<MimeMessage, bool> match, int count = 1, int seconds = 20)
    {
        var (_, _, maildir) = Require();
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var found = new List<MimeMessage>();
            foreach (var file in new[] { "new", "cur" }.SelectMany(d => Directory.EnumerateFiles(Path.Combine(maildir, d))))
            {
                MimeMessage message;
                try
                {
                    message = await MimeMessage.LoadAsync(file);
                }
                catch (IOException)
                {
                    continue;
                }
                if (match(message))
                {
                    found.Add(message);
                }
            }
            if (found.Count >= count || DateTime.UtcNow > deadline)
            {
                return found;
            }
            await Task.Delay(100);
        }
    }
}

/// <summary>
/// A minimal SMTP server on loopback for the failure modes aiosmtpd cannot show: it answers each message's RCPT and final
/// DATA with what <see cref="Answer"/> says (e.g. "550 5.1.1 No such user", "451 4.3.0 Try again later"), and keeps what it accepted.
/// </summary>
public sealed class FakeSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _messages;
    private readonly bool _auth;

    /// <summary>The user names and passwords clients signed in with (AUTH), in order.</summary>
    public List<(string User, string Password)> Logins { get; } = [];

    /// <param name="answer">Given the message number (1, 2, …) and the stage ("RCPT" or "DATA"), the reply line; null for "250 OK".</param>
    /// <param name="port">The loopback port to listen on (a server coming back where it was); 0 for any free one.</param>
    /// <param name="auth">Offer AUTH PLAIN and LOGIN, accept any user and keep what it was given (<see cref="Logins"/>).</param>
    public FakeSmtpServer(Func<int, string, string?> answer, int port = 0, bool auth = false)
    {
        Answer = answer;
        _auth = auth;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        _loop = Accept();
    }

    public Func<int, string, string?> Answer { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Every message received up to the end of DATA, accepted or not.</summary>
    public List<MimeMessage> Received { get; } = [];

    /// <summary>A port nothing listens on (connections are refused).</summary>
    public static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private async Task Accept()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Serve(client);
        }
    }

    private async Task Serve(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.Latin1);
            await using var writer = new StreamWriter(stream, Encoding.Latin1) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 fake.test ESMTP");
            var number = 0;
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-fake.test");
                        if (_auth)
                        {
                            await writer.WriteLineAsync("250-AUTH PLAIN LOGIN");
                        }
                        await writer.WriteLineAsync("250 8BITMIME");
                        break;
                    case "AUTH" when _auth:
                        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                        async Task<string> Ask(string prompt)
                        {
                            await writer.WriteLineAsync("334 " + prompt);
                            return await reader.ReadLineAsync(_stop.Token) ?? "";
                        }
                        static string Decode(string base64) => Encoding.UTF8.GetString(Convert.FromBase64String(base64.Trim()));
                        (string, string) login;
                        if (parts[1].Equals("PLAIN", StringComparison.OrdinalIgnoreCase))
                        {
                            // authzid \0 user \0 password
                            var fields = Decode(parts.Length > 2 ? parts[2] : await Ask("")).Split('\0');
                            login = (fields[1], fields[2]);
                        }
                        else
                        {
                            var user = Decode(parts.Length > 2 ? parts[2] : await Ask("VXNlcm5hbWU6"));
                            login = (user, Decode(await Ask("UGFzc3dvcmQ6")));
                        }
                        lock (Logins)
                        {
                            Logins.Add(login);
                        }
                        await writer.WriteLineAsync("235 2.7.0 Authentication successful");
                        break;
                    case "MAIL":
                        number = Interlocked.Increment(ref _messages);
                        await writer.WriteLineAsync("250 2.1.0 OK");
                        break;
                    case "RCPT":
                        await writer.WriteLineAsync(Answer(number, "RCPT") ?? "250 2.1.5 OK");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync(_stop.Token) is { } dataLine && dataLine != ".")
                        {
                            data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                        }
                        lock (Received)
                        {
                            Received.Add(MimeMessage.Load(new MemoryStream(Encoding.Latin1.GetBytes(data.ToString()))));
                        }
                        await writer.WriteLineAsync(Answer(number, "DATA") ?? "250 2.0.0 Queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 Bye");
                        return;
                    default:
                        await writer.WriteLineAsync("250 OK");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}
