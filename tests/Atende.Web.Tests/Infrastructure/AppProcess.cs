using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Atende.Web.Tests.Infrastructure;

/// <summary>
/// The real app as an operating-system process of its own: <c>dotnet Atende.Web.dll</c> from this test project's output folder
/// (the project reference copies the app there with its runtimeconfig, deps and appsettings), listening on a free loopback port.
/// Its console lines are kept, so a test can wait for a line it expects; <see cref="Kill"/> is <c>kill -9</c>.
/// </summary>
public sealed partial class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];

    private AppProcess(Process process) => _process = process;

    /// <summary>Where the app answers, e.g. http://127.0.0.1:41234.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public int Id => _process.Id;

    /// <summary>The app's assembly beside the tests.</summary>
    public static string WebDll => Path.Combine(AppContext.BaseDirectory, "Atende.Web.dll");

    /// <summary>The <c>dotnet</c> host of the runtime running the tests (…/dotnet/shared/Microsoft.NETCore.App/10.x/ → …/dotnet/dotnet).</summary>
    public static string DotnetHost
    {
        get
        {
            var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
            var host = Path.GetFullPath(Path.Combine(runtime, "..", "..", "..", OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet"));
            if (File.Exists(host))
            {
                return host;
            }
            return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";
        }
    }

    /// <summary>
    /// Starts the app with <paramref name="settings"/> (configuration keys such as <c>Atende:DataPath</c>, passed as environment
    /// variables) and waits until it listens.
    /// </summary>
    public static async Task<AppProcess> Start(IReadOnlyDictionary<string, string> settings, TimeSpan timeout)
    {
        Assert.True(File.Exists(WebDll), $"The app is not beside the tests: {WebDll}");
        var info = new ProcessStartInfo(DotnetHost, [WebDll])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_NOLOGO"] = "1";
        // Start-up is mostly JIT (EF Core's model building is not precompiled); without dynamic PGO's instrumented tier it costs
        // a little less CPU, with the same behaviour.
        info.Environment["DOTNET_TieredPGO"] = "0";
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var process = new Process { StartInfo = info };
        var app = new AppProcess(process);
        process.OutputDataReceived += (_, e) => app.Add(e.Data);
        process.ErrorDataReceived += (_, e) => app.Add(e.Data);
        Assert.True(process.Start(), "dotnet did not start");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var listening = await app.WaitForLine(ListeningLine(), timeout);
            app.BaseAddress = new Uri(listening.Groups[1].Value);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return app;
    }

    /// <summary>
    /// Runs <c>dotnet Atende.Web.dll</c> with <paramref name="args"/> (a command such as <c>backup --to …</c>, or a switch) and
    /// <paramref name="settings"/> as environment variables until it exits; fails if it does not exit within <paramref name="timeout"/>.
    /// </summary>
    public static async Task<Exited> Run(IEnumerable<string> args, IReadOnlyDictionary<string, string> settings, TimeSpan timeout)
    {
        Assert.True(File.Exists(WebDll), $"The app is not beside the tests: {WebDll}");
        var info = new ProcessStartInfo(DotnetHost, [WebDll, .. args])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_TieredPGO"] = "0";
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        using var process = new Process { StartInfo = info };
        var app = new AppProcess(process);
        process.OutputDataReceived += (_, e) => app.Add(e.Data);
        process.ErrorDataReceived += (_, e) => app.Add(e.Data);
        Assert.True(process.Start(), "dotnet did not start");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync();
            Assert.Fail($"dotnet Atende.Web.dll {string.Join(' ', args)} did not exit within {timeout.TotalSeconds:0} s:\n{app.Tail()}");
        }
        // WaitForExitAsync also waits for the end of the redirected output.
        return new Exited(process.ExitCode, string.Join('\n', app.Lines()));
    }

    /// <summary>How a process run by <see cref="Run"/> ended: its exit status and its console (stdout and stderr).</summary>
    public sealed record Exited(int Code, string Output);

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_lines)
        {
            _lines.Add(line);
        }
    }

    /// <summary>An HTTP client for the app (one minute per request: a loaded machine starts slowly), with the bearer token if given.</summary>
    public HttpClient Api(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    /// <summary>The app's console so far.</summary>
    public List<string> Lines()
    {
        lock (_lines)
        {
            return [.. _lines];
        }
    }

    /// <summary>The last lines of the console, for failure messages.</summary>
    public string Tail(int count = 40) => string.Join('\n', Lines().TakeLast(count));

    /// <summary>Waits for a console line matching <paramref name="pattern"/>; fails if the app exits or the time runs out first.</summary>
    public async Task<Match> WaitForLine(Regex pattern, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var seen = 0;
        while (true)
        {
            var lines = Lines();
            for (; seen < lines.Count; seen++)
            {
                var match = pattern.Match(lines[seen]);
                if (match.Success)
                {
                    return match;
                }
            }
            if (_process.HasExited)
            {
                Assert.Fail($"The app (pid {_process.Id}) exited with {_process.ExitCode} before printing /{pattern}/:\n{Tail()}");
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"The app (pid {_process.Id}) did not print /{pattern}/ within {timeout.TotalSeconds:0} s:\n{Tail()}");
            }
            await Task.Delay(20);
        }
    }

    /// <summary>
    /// <c>kill -9</c>: Process.Kill sends SIGKILL on Unix, so nothing in the app runs after it (no shutdown, no finally); the exit
    /// status 137 (128 + 9) proves the signal.
    /// </summary>
    public async Task Kill()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
        if (!OperatingSystem.IsWindows())
        {
            Assert.True(_process.ExitCode == 137, $"the app should have died of SIGKILL (137), it exited with {_process.ExitCode}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://[^\s""]+)")]
    private static partial Regex ListeningLine();
}
