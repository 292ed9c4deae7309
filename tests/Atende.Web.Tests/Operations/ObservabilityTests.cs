using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Atende.Web.Tests.Infrastructure;

namespace Atende.Web.Tests.Operations;

/// <summary>
/// The real app as a Production process (<see cref="AppProcess"/>), driven once through what handles secrets: the setup, a sign-in
/// through the login form (a cookie), an API token, the SMTP settings saved on their page, the IMAP settings saved through the
/// API (bearer token), and a password-reset e-mail queued while the SMTP server cannot be reached. Its logs run at Debug, so
/// the secrets check covers more than the default Information.
/// </summary>
public sealed class ObservedProcessFixture : IAsyncLifetime
{
    public const string SmtpPassword = "smtp-senha-Zq81-nao-logar";
    public const string ImapPassword = "imap-senha-Kx52-nao-logar";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "atende-tests", "observed-" + Guid.NewGuid().ToString("N"));

    public AppProcess App { get; private set; } = null!;

    /// <summary>Every secret the scenario handled: the admin's password, the tokens, the cookie, the SMTP and IMAP passwords.</summary>
    public List<string> Secrets { get; } = [TestApp.Password, SmtpPassword, ImapPassword];

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        App = await AppProcess.Start(new Dictionary<string, string>
        {
            ["Atende:DataPath"] = _directory,
            ["Atende:PublicUrl"] = "https://atende.example",
            ["Logging:LogLevel:Default"] = "Debug",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Information",
            ["Atende:Inbox:PollSeconds"] = "2",
        }, TimeSpan.FromSeconds(90));

        using var anonymous = App.Api();
        var setup = await anonymous.PostAsJsonAsync("/api/v1/setup", new
        {
            companyName = "Empresa Observada Ltda", adminName = "Administradora", adminEmail = TestApp.AdminEmail, adminPassword = TestApp.Password,
        }, ct);
        Assert.Equal(HttpStatusCode.Created, setup.StatusCode);
        Secrets.Add((await setup.Content.ReadFromJsonAsync<JsonObject>(ct))!["token"]!.GetValue<string>());

        // A browser: the login form, then the SMTP settings page with its anti-forgery token and the sign-in cookie.
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false })
        {
            BaseAddress = App.BaseAddress, Timeout = TimeSpan.FromSeconds(60),
        };
        var login = await browser.SubmitForm("/login", "form", new() { ["Input.Email"] = TestApp.AdminEmail, ["Input.Password"] = TestApp.Password });
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var authCookie = cookies.GetCookies(App.BaseAddress).FirstOrDefault(c => c.Name == "atende.auth");
        Assert.NotNull(authCookie);
        Secrets.Add(authCookie.Value);

        var token = await anonymous.PostAsJsonAsync("/api/v1/tokens", new { email = TestApp.AdminEmail, password = TestApp.Password }, ct);
        Assert.Equal(HttpStatusCode.Created, token.StatusCode);
        var apiToken = (await token.Content.ReadFromJsonAsync<JsonObject>(ct))!["token"]!.GetValue<string>();
        Secrets.Add(apiToken);

        // An SMTP server that refuses connections: the e-mail waits in the outbox and its failed attempt is counted.
        var closedPort = ClosedPort();
        var saved = await browser.SubmitForm("/settings/email", "form.settings-form", new()
        {
            ["Input.Host"] = "127.0.0.1", ["Input.Port"] = closedPort.ToString(CultureInfo.InvariantCulture), ["Input.Security"] = "None",
            ["Input.UserName"] = "smtp-usuario", ["Input.Password"] = SmtpPassword,
            ["Input.FromName"] = "Atendimento", ["Input.FromAddress"] = "atendimento@empresa.example",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        using var api = App.Api(apiToken);
        var imap = await api.PutAsJsonAsync("/api/v1/settings/imap", new
        {
            enabled = true, host = "127.0.0.1", port = closedPort, security = "None", userName = "caixa@empresa.example", password = ImapPassword,
        }, ct);
        Assert.Equal(HttpStatusCode.OK, imap.StatusCode);

        var reset = await anonymous.PostAsJsonAsync("/api/v1/account/forgot-password", new { email = TestApp.AdminEmail }, ct);
        Assert.True(reset.IsSuccessStatusCode, $"forgot-password answered {(int)reset.StatusCode}");
    }

    /// <summary>A loopback port nothing listens on (taken and released).</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>
/// What an operator sees of a running app: /metrics in Prometheus text with the HTTP, EF Core and Atende numbers; JSON log lines
/// that carry the request's RequestId and TraceId; and no secret anywhere in the log.
/// </summary>
public sealed partial class ObservedProcessTests(ObservedProcessFixture fixture) : IClassFixture<ObservedProcessFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The samples of a Prometheus text exposition: (name, labels, value).</summary>
    private static List<(string Name, string Labels, double Value)> Samples(string text) =>
        [.. text.Split('\n').Select(l => SampleLine().Match(l)).Where(m => m.Success)
            .Select(m => (m.Groups["name"].Value, m.Groups["labels"].Value, double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture)))];

    private static double Single(List<(string Name, string Labels, double Value)> samples, string name, string? label = null)
    {
        var found = samples.Where(s => s.Name == name && (label is null || s.Labels.Contains(label, StringComparison.Ordinal))).ToList();
        Assert.True(found.Count == 1, $"{name}{(label is null ? "" : " with " + label)}: {found.Count} samples, expected one");
        return found[0].Value;
    }

    [Fact]
    public async Task Metrics_answer_Prometheus_text_with_request_durations_EF_Core_and_the_queued_email()
    {
        using var client = fixture.App.Api();
        // The dispatcher tries the queued e-mail at once and fails (the SMTP port is closed): wait for that attempt's count.
        string text = "";
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var response = await client.GetAsync("/metrics", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
            text = await response.Content.ReadAsStringAsync(Ct);
            if (text.Contains("atende_email_send_failed_total", StringComparison.Ordinal) || DateTime.UtcNow > deadline)
            {
                break;
            }
            await Task.Delay(250, Ct);
        }
        var samples = Samples(text);

        Assert.Contains(samples, s => s.Name == "http_server_request_duration_seconds_count" && s.Labels.Contains("http_route=\"/api/v1/tokens\"", StringComparison.Ordinal));
        Assert.True(samples.Where(s => s.Name == "microsoft_entityframeworkcore_queries_total").Sum(s => s.Value) > 0, "EF Core counts its queries");
        Assert.Contains(samples, s => s.Name.StartsWith("dotnet_gc_", StringComparison.Ordinal));

        Assert.Equal(1, Single(samples, "atende_email_outbox_pending"));
        var age = Single(samples, "atende_email_outbox_oldest_age_seconds");
        Assert.True(age is > 0 and < 600, $"the queued e-mail's age is {age} s");
        // One attempt so far (the next is a minute later; a slow machine may have reached it).
        Assert.True(Single(samples, "atende_email_send_failed_total", "outcome=\"retry\"") >= 1, "the failed attempt is counted");
        Assert.Equal(0, Single(samples, "atende_webhook_deliveries_pending"));
        Assert.Equal(0, Single(samples, "atende_webhook_deliveries_oldest_age_seconds"));
        Assert.Equal(0, Single(samples, "atende_live_connections"));
        // The mailbox is on but has never been read (its server refuses): no time to report.
        Assert.DoesNotContain(samples, s => s.Name == "atende_imap_last_success_time_seconds");
        Assert.Contains("# TYPE atende_email_outbox_pending gauge", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_logs_are_JSON_lines_and_a_request_s_lines_carry_its_RequestId_and_TraceId()
    {
        using var client = fixture.App.Api();
        var marker = "/healthz/ready?probe=" + Guid.NewGuid().ToString("N");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(marker, Ct)).StatusCode);

        List<JsonElement> entries = [];
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var lines = fixture.App.Lines().Where(l => l.Length > 0).ToList();
            entries = [.. lines.Select(line =>
            {
                try
                {
                    using var json = JsonDocument.Parse(line);
                    Assert.Equal(JsonValueKind.Object, json.RootElement.ValueKind);
                    return json.RootElement.Clone();
                }
                catch (JsonException e)
                {
                    Assert.Fail($"Not a JSON log line ({e.Message}): {line}");
                    throw;
                }
            })];
            if (entries.Any(e => Message(e).Contains("Request finished", StringComparison.Ordinal) && Message(e).Contains(marker, StringComparison.Ordinal)) || DateTime.UtcNow > deadline)
            {
                break;
            }
            await Task.Delay(100, Ct);
        }
        Assert.All(entries, e =>
        {
            Assert.True(e.TryGetProperty("Timestamp", out _), "a line has its Timestamp");
            Assert.True(e.TryGetProperty("LogLevel", out _), "a line has its LogLevel");
            Assert.True(e.TryGetProperty("Category", out _), "a line has its Category");
        });

        var started = entries.Single(e => Message(e).StartsWith("Request starting", StringComparison.Ordinal) && Message(e).Contains(marker, StringComparison.Ordinal));
        var requestId = Scope(started, "RequestId");
        var traceId = Scope(started, "TraceId");
        Assert.False(string.IsNullOrEmpty(requestId), "the request's lines carry its RequestId");
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        // Every line of that request (start, the health checks, the end) carries both.
        var ofRequest = entries.Where(e => Scope(e, "RequestId") == requestId).ToList();
        Assert.True(ofRequest.Count >= 2, $"{ofRequest.Count} lines carry the RequestId {requestId}");
        Assert.All(ofRequest, e => Assert.Equal(traceId, Scope(e, "TraceId")));
        Assert.Contains(ofRequest, e => Message(e).StartsWith("Request finished", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_password_token_or_cookie_reaches_the_log()
    {
        // Give the dispatcher and the poller a round with the saved passwords (both servers refuse the connection).
        using var client = fixture.App.Api();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!fixture.App.Lines().Any(l => l.Contains("could not be read", StringComparison.Ordinal)) ||
               !fixture.App.Lines().Any(l => l.Contains("attempt 1 failed", StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, "the mailbox and the outbox should have tried their servers:\n" + fixture.App.Tail());
            await Task.Delay(250, Ct);
        }
        var log = string.Join('\n', fixture.App.Lines());
        Assert.True(log.Length > 10_000, $"the Debug log should be substantial, it has {log.Length} characters");
        // What is not secret is there: the mailbox the poller could not read is named (its user and server, not its password).
        Assert.Contains("caixa@empresa.example@127.0.0.1", log, StringComparison.Ordinal);
        foreach (var secret in fixture.Secrets)
        {
            Assert.False(log.Contains(secret, StringComparison.Ordinal), $"A secret ({secret[..4]}…) is in the log:\n" +
                string.Join('\n', fixture.App.Lines().Where(l => l.Contains(secret, StringComparison.Ordinal)).Take(3)));
        }
    }

    private static string Message(JsonElement entry) => entry.TryGetProperty("Message", out var m) ? m.GetString() ?? "" : "";

    /// <summary>A value from the line's scopes (the hosting scope has RequestId, the activity scope TraceId), or null.</summary>
    private static string? Scope(JsonElement entry, string name)
    {
        if (!entry.TryGetProperty("Scopes", out var scopes) || scopes.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        foreach (var scope in scopes.EnumerateArray())
        {
            if (scope.ValueKind == JsonValueKind.Object && scope.TryGetProperty(name, out var value))
            {
                return value.ValueKind == JsonValueKind.String ? value.GetString() : value.ToString();
            }
        }
        return null;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>[^}]*)\})? (?<value>[-+0-9.eE]+|NaN|\+Inf|-Inf)(?: \d+)?$")]
    private static partial Regex SampleLine();
}
