using System.Globalization;

namespace Atende.Bench.Live;

/// <summary>What /proc tells about a process and the machine (Linux).</summary>
public static class ProcStats
{
    /// <summary>Clock ticks per second of the CPU times in /proc: USER_HZ, 100 on every Linux this runs on (getconf CLK_TCK).</summary>
    public const double TicksPerSecond = 100;

    public static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    /// <summary>User + system CPU seconds of the process so far, or null when it is gone.</summary>
    public static double? CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // After "pid (comm) ": state is field 3, utime 14 and stime 15 of the whole line.
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>A "VmRSS"/"VmHWM"… line of /proc/PID/status, in MB, or null.</summary>
    public static double? StatusMb(int pid, string field) => Status(pid, field) / 1024.0;

    /// <summary>The number of a line of /proc/PID/status ("VmRSS" in kB, "Threads"…), or null.</summary>
    public static long? Status(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                {
                    return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }
        return null;
    }

    public static int? Threads(int pid) => (int?)Status(pid, "Threads");

    /// <summary>The process's open file descriptors: all, those on a SQLite file (<c>*.db</c>, <c>-wal</c>, <c>-shm</c>), and sockets.</summary>
    public static (int All, int Sqlite, int Sockets) OpenFiles(int pid)
    {
        int all = 0, sqlite = 0, sockets = 0;
        try
        {
            foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
            {
                all++;
                var target = new FileInfo(fd).LinkTarget ?? "";
                if (target.EndsWith(".db", StringComparison.Ordinal) || target.EndsWith(".db-wal", StringComparison.Ordinal) || target.EndsWith(".db-shm", StringComparison.Ordinal))
                {
                    sqlite++;
                }
                else if (target.StartsWith("socket:", StringComparison.Ordinal))
                {
                    sockets++;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return (all, sqlite, sockets);
    }

    /// <summary>
    /// Microseconds so far during which some runnable task waited for a CPU (/proc/pressure/cpu, "some total"), or null
    /// without PSI: over a window, the share of the time the machine had more work than cores.
    /// </summary>
    public static long? CpuPressureMicros()
    {
        try
        {
            var some = File.ReadLines("/proc/pressure/cpu").First(l => l.StartsWith("some", StringComparison.Ordinal));
            return long.Parse(some[(some.IndexOf("total=", StringComparison.Ordinal) + 6)..], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The machine's cores (the <c>cpuN</c> lines of /proc/stat): this process may be pinned to fewer (taskset).</summary>
    public static int MachineCores() => File.Exists("/proc/stat")
        ? File.ReadLines("/proc/stat").Count(l => l.Length > 3 && l.StartsWith("cpu", StringComparison.Ordinal) && char.IsDigit(l[3]))
        : Environment.ProcessorCount;

    /// <summary>The machine's busy and total CPU time so far (the first line of /proc/stat), in ticks.</summary>
    public static (long Busy, long Total) Machine()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var total = fields.Take(8).Sum();
        var idle = fields[3] + fields[4];
        return (total - idle, total);
    }
}

/// <summary>Samples the app's resident memory while a window runs and takes the CPU used over it.</summary>
public sealed class ProcWindow : IAsyncDisposable
{
    private readonly int? _appPid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;
    private readonly double? _appCpu0;
    private readonly double? _selfCpu0;
    private readonly (long Busy, long Total) _machine0;
    private readonly long? _pressure0 = ProcStats.CpuPressureMicros();
    private readonly long _started = System.Diagnostics.Stopwatch.GetTimestamp();

    public double PeakRssMb { get; private set; }
    public string LoadAtStart { get; } = ProcStats.LoadAverage();

    public ProcWindow(int? appPid)
    {
        _appPid = appPid;
        _appCpu0 = appPid is { } pid ? ProcStats.CpuSeconds(pid) : null;
        _selfCpu0 = ProcStats.CpuSeconds(Environment.ProcessId);
        _machine0 = ProcStats.Machine();
        _sampler = Sample();
    }

    private async Task Sample()
    {
        if (_appPid is not { } pid)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            do
            {
                if (ProcStats.StatusMb(pid, "VmRSS") is { } rss && rss > PeakRssMb)
                {
                    PeakRssMb = rss;
                }
            }
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The window's figures: CPU of the app and of this generator (in cores), the machine's busy share.</summary>
    public async Task<WindowStats> End()
    {
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(_started).TotalSeconds;
        var appCpu = _appPid is { } pid ? ProcStats.CpuSeconds(pid) - _appCpu0 : null;
        var selfCpu = ProcStats.CpuSeconds(Environment.ProcessId) - _selfCpu0;
        var machine = ProcStats.Machine();
        var pressure = ProcStats.CpuPressureMicros() - _pressure0;
        await _stop.CancelAsync();
        await _sampler;
        return new WindowStats(seconds, appCpu / seconds, selfCpu / seconds,
            (double)(machine.Busy - _machine0.Busy) / Math.Max(1, machine.Total - _machine0.Total) * ProcStats.MachineCores(),
            PeakRssMb, _appPid is { } p ? ProcStats.StatusMb(p, "VmHWM") : null, _appPid is { } q ? ProcStats.StatusMb(q, "VmRSS") : null,
            _appPid is { } r ? ProcStats.Threads(r) : null, LoadAtStart, ProcStats.LoadAverage(), pressure / (seconds * 1e6));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampler;
        _stop.Dispose();
    }
}

/// <param name="AppCores">The app's user + system CPU over the window, in cores (1.0 = one core busy all the time).</param>
/// <param name="MachineCores">The whole machine's busy CPU over the window, in cores (of <see cref="ProcStats.MachineCores"/>).</param>
/// <param name="CpuPressure">The share of the window during which some task waited for a CPU (PSI "some"): 0 on an idle machine.</param>
/// <param name="AppHwmMb">The app's peak resident memory since it started (VmHWM: the setup and connecting included).</param>
public sealed record WindowStats(double Seconds, double? AppCores, double? SelfCores, double MachineCores, double AppPeakRssMb, double? AppHwmMb,
    double? AppRssMb, int? AppThreads, string LoadAtStart, string LoadAtEnd, double? CpuPressure);
