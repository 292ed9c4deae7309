using System.Globalization;

namespace Atende.Bench;

public enum BenchProvider { Sqlite, Postgres }

public enum InsertMethod
{
    /// <summary>SQLite: prepared INSERTs reused for every row; PostgreSQL: binary COPY. Explicit ids.</summary>
    Fast,

    /// <summary>EF Core AddRange + SaveChanges, as the app inserts.</summary>
    Ef,
}

/// <summary>Command line of <c>generate</c>.</summary>
public sealed record GenerateOptions(
    BenchProvider Provider,
    string Connection,
    int Partners,
    int Conversations,
    int Sellers,
    int Workspaces,
    string Password,
    int BatchSize,
    int Seed,
    bool Reset,
    InsertMethod Method,
    int Tickets = 0,
    long Interactions = 0,
    int Pipelines = 100,
    int BigPipeline = 0,
    int TicketBatch = 2000,
    bool RebuildIndexes = true,
    bool Analyze = true)
{
    public const string Usage = """
        usage: Atende.Bench generate --provider Sqlite|Postgres --connection "<connection string>" [options]

          --partners N      partners to create (default 100000); each gets 1-3 contacts
          --conversations N conversations, about the same number per partner (default 10 per partner); 92 % in the
                            last 36 months (mostly concluded), 8 % in the next 60 days (pending)
          --sellers N       agents who own the conversations, spread over the workspaces (default 100)
          --workspaces N    workspaces (default 10); partners are spread over them
          --password P      password of every bench user (admin, agents; default bench-password-1)
          --batch N         partners per SaveChanges (default 1000)
          --seed N          random seed (default 20261123): same seed, same data
          --reset           drop and recreate the database first (otherwise it must be empty)
          --method fast|ef  fast (default): SQLite prepared INSERTs / PostgreSQL binary COPY with explicit ids;
                            ef: AddRange + SaveChanges per batch (several times slower)

        tickets (after the partners, same run; always with the fast path):
          --tickets N       tickets to create (default 0: none); requesters are the generated partners and contacts
          --interactions N  interactions spread over the tickets (default 5 per ticket)
          --pipelines N     pipelines (default 100), each with 3-8 tags
          --big-pipeline N  tickets of the first pipeline, "Suporte Técnico" SUP (default a fifth of --tickets);
                            the rest are spread unevenly over the other pipelines
          --ticket-batch N  tickets per transaction / COPY (default 2000)
          --indexes keep|rebuild  rebuild (default): drop the secondary indexes of the ticket tables (and on SQLite
                            the FTS5 insert trigger) during the load, then recreate them exactly; keep: insert with
                            them in place, as the app does
          --no-analyze      skip ANALYZE at the end (PostgreSQL) / ANALYZE + PRAGMA optimize (SQLite)

        examples:
          generate --provider Sqlite --connection "Data Source=/tmp/bench-sqlite/atende.db" --partners 100000
          generate --provider Postgres --connection "Host=127.0.0.1;Database=atende_bench;Username=atende_bench;Password=bench" --partners 100000
          generate --provider Sqlite --connection "Data Source=/tmp/bench-sqlite/atende.db" --partners 100000 --tickets 1000000 --interactions 5000000 --reset
        """;

    public static GenerateOptions Parse(ReadOnlySpan<string> args)
    {
        BenchProvider? provider = null;
        string? connection = null;
        var partners = 100_000;
        int? conversations = null;
        var sellers = 100;
        var workspaces = 10;
        var password = "bench-password-1";
        var batch = 1000;
        var seed = 20261123;
        var reset = false;
        var method = InsertMethod.Fast;
        var tickets = 0;
        long? interactions = null;
        var pipelines = 100;
        int? bigPipeline = null;
        var ticketBatch = 2000;
        var rebuildIndexes = true;
        var analyze = true;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name == "--reset")
            {
                reset = true;
                continue;
            }
            if (name == "--no-analyze")
            {
                analyze = false;
                continue;
            }
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"Missing value for {name}.");
            }
            var value = args[++i];
            switch (name)
            {
                case "--provider":
                    provider = value.ToLowerInvariant() switch
                    {
                        "sqlite" => BenchProvider.Sqlite,
                        "postgres" or "postgresql" or "npgsql" => BenchProvider.Postgres,
                        _ => throw new ArgumentException($"Unknown provider '{value}': use Sqlite or Postgres."),
                    };
                    break;
                case "--connection":
                    connection = value;
                    break;
                case "--partners":
                    partners = PositiveInt(name, value);
                    break;
                case "--conversations":
                    conversations = NonNegativeInt(name, value);
                    break;
                case "--sellers":
                    sellers = PositiveInt(name, value);
                    break;
                case "--workspaces":
                    workspaces = PositiveInt(name, value);
                    break;
                case "--password":
                    password = value;
                    break;
                case "--batch":
                    batch = PositiveInt(name, value);
                    break;
                case "--method":
                    method = value.ToLowerInvariant() switch
                    {
                        "fast" => InsertMethod.Fast,
                        "ef" => InsertMethod.Ef,
                        _ => throw new ArgumentException($"Unknown method '{value}': use fast or ef."),
                    };
                    break;
                case "--seed":
                    seed = PositiveInt(name, value);
                    break;
                case "--tickets":
                    tickets = PositiveInt(name, value);
                    break;
                case "--interactions":
                    interactions = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
                        : throw new ArgumentException($"{name} must be a non-negative integer, got '{value}'.");
                    break;
                case "--pipelines":
                    pipelines = PositiveInt(name, value);
                    break;
                case "--big-pipeline":
                    bigPipeline = PositiveInt(name, value);
                    break;
                case "--ticket-batch":
                    ticketBatch = PositiveInt(name, value);
                    break;
                case "--indexes":
                    rebuildIndexes = value.ToLowerInvariant() switch
                    {
                        "rebuild" => true,
                        "keep" => false,
                        _ => throw new ArgumentException($"Unknown --indexes '{value}': use rebuild or keep."),
                    };
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{name}'.");
            }
        }
        if (provider is null)
        {
            throw new ArgumentException("--provider is required.");
        }
        if (string.IsNullOrWhiteSpace(connection))
        {
            throw new ArgumentException("--connection is required.");
        }
        if (password.Length < 10)
        {
            throw new ArgumentException("--password must have at least 10 characters (the app's password rule).");
        }
        var big = bigPipeline ?? tickets / 5;
        if (tickets > 0 && (big > tickets || (pipelines == 1 && big != tickets)))
        {
            throw new ArgumentException("--big-pipeline must not exceed --tickets (and equals it with a single pipeline).");
        }
        if (tickets > 0 && pipelines == 1)
        {
            big = tickets;
        }
        return new GenerateOptions(provider.Value, connection, partners, conversations ?? partners * 10, sellers, workspaces,
            password, batch, seed, reset, method,
            tickets, interactions ?? 5L * tickets, pipelines, big, ticketBatch, rebuildIndexes, analyze);
    }

    private static int NonNegativeInt(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ArgumentException($"{name} must be zero or a positive integer, got '{value}'.");

    private static int PositiveInt(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} must be a positive integer, got '{value}'.");
}
