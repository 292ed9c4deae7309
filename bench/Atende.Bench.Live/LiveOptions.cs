using System.Globalization;

namespace Atende.Bench.Live;

/// <summary>The command line of the load generator.</summary>
public sealed record LiveOptions
{
    public const string Usage = """
        usage: Atende.Bench.Live --url http://127.0.0.1:5320 [options]
          --admin-email E       admin of the setup (default bench@atende.local); the setup is run when the app has none yet,
          --password P          else the admin signs in with P (default bench-password-1; also every user created)
          --tickets N           tickets, one per new partner (50)
          --watchers N          hub connections per ticket, each watching it (10): the ticket's portal user (see --portal)
                                and N-1 agents' screens
          --agents N            agents (default: enough for 10 screens each), granted the workspace and the pipeline
          --portal true|false   one watcher of each ticket is its customer, a portal user of its partner (true)
          --rate R              messages/s in all (50), each to one ticket (in turn) from one of its watchers (in turn)
          --warmup S            seconds of sending before the measured window (10)
          --duration S          measured seconds (60)
          --drain S             after the last send, at most this long for the pushes still due (10)
          --connect-parallel N  connections opened at once (16)
          --app-pid PID         the app's process on this machine: its CPU and memory from /proc
          --json FILE           also write the result as JSON
        """;

    public required string Url { get; init; }
    public string AdminEmail { get; init; } = "bench@atende.local";
    public string Password { get; init; } = "bench-password-1";
    public int Tickets { get; init; } = 50;
    public int Watchers { get; init; } = 10;
    public int? Agents { get; init; }
    public bool Portal { get; init; } = true;
    public double Rate { get; init; } = 50;
    public int Warmup { get; init; } = 10;
    public int Duration { get; init; } = 60;
    public int Drain { get; init; } = 10;
    public int ConnectParallel { get; init; } = 16;
    public int? AppPid { get; init; }
    public string? Json { get; init; }

    /// <summary>Screens per ticket that are staff (agents).</summary>
    public int StaffWatchers => Portal ? Watchers - 1 : Watchers;

    public int AgentCount => Agents ?? Math.Max(1, (Tickets * StaffWatchers + 9) / 10);

    public static LiveOptions? Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                Console.Error.WriteLine($"error: unexpected argument {args[i]}");
                return null;
            }
            values[args[i][2..]] = args[++i];
        }
        if (!values.TryGetValue("url", out var url))
        {
            return null;
        }
        int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var options = new LiveOptions
        {
            Url = url.TrimEnd('/'),
            AdminEmail = values.GetValueOrDefault("admin-email", "bench@atende.local"),
            Password = values.GetValueOrDefault("password", "bench-password-1"),
            Tickets = Int("tickets", 50),
            Watchers = Int("watchers", 10),
            Agents = values.ContainsKey("agents") ? Int("agents", 0) : null,
            Portal = !values.TryGetValue("portal", out var portal) || bool.Parse(portal),
            Rate = values.TryGetValue("rate", out var rate) ? double.Parse(rate, CultureInfo.InvariantCulture) : 50,
            Warmup = Int("warmup", 10),
            Duration = Int("duration", 60),
            Drain = Int("drain", 10),
            ConnectParallel = Int("connect-parallel", 16),
            AppPid = values.ContainsKey("app-pid") ? Int("app-pid", 0) : null,
            Json = values.GetValueOrDefault("json"),
        };
        var known = new HashSet<string>(StringComparer.Ordinal)
        {
            "url", "admin-email", "password", "tickets", "watchers", "agents", "portal", "rate", "warmup", "duration", "drain",
            "connect-parallel", "app-pid", "json",
        };
        if (values.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            Console.Error.WriteLine($"error: unknown option --{unknown}");
            return null;
        }
        if (options.Tickets < 1 || options.Watchers < 1 || options.StaffWatchers < 0 || options.Rate <= 0 || options.Duration < 1)
        {
            Console.Error.WriteLine("error: --tickets, --watchers, --rate and --duration must be positive");
            return null;
        }
        return options;
    }
}
