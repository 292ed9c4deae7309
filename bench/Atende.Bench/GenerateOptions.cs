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
    InsertMethod Method)
{
    public const string Usage = """
        usage: Atende.Bench generate --provider Sqlite|Postgres --connection "<connection string>" [options]

          --partners N      partners to create (default 100000); each gets 1-3 contacts
          --conversations N conversations, about the same number per partner (default 10 per partner); 92 % in the
                            last 36 months (mostly concluded), 8 % in the next 60 days (pending)
          --sellers N       agents who own the conversations, spread over the workspaces (default 100)
          --workspaces N    workspaces (default 10); partners are spread over them
          --password P      password of bench@atende.local (admin) and agent@atende.local (default bench-password-1)
          --batch N         partners per SaveChanges (default 1000)
          --seed N          random seed (default 20261123): same seed, same data
          --reset           drop and recreate the database first (otherwise it must be empty)
          --method fast|ef  fast (default): SQLite prepared INSERTs / PostgreSQL binary COPY with explicit ids;
                            ef: AddRange + SaveChanges per batch (several times slower)

        examples:
          generate --provider Sqlite --connection "Data Source=/tmp/bench-sqlite/atende.db" --partners 100000
          generate --provider Postgres --connection "Host=127.0.0.1;Database=atende_bench;Username=atende_bench;Password=bench" --partners 100000
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
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name == "--reset")
            {
                reset = true;
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
        return new GenerateOptions(provider.Value, connection, partners, conversations ?? partners * 10, sellers, workspaces, password, batch, seed, reset, method);
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
