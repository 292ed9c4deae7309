using Npgsql;

namespace Atende.Web.Tests.Infrastructure;

/// <summary>
/// Where the <see cref="AppProcess"/> runs of one test keep their state: a data folder of its own (files, data-protection keys)
/// and for PostgreSQL a fresh database, both removed afterwards. Every process started with <see cref="Settings"/> sees the same
/// state, one after the other (a crash loop) or side by side (several nodes).
/// </summary>
public sealed class AppStore : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "atende-tests", "process-" + Guid.NewGuid().ToString("N"));
    private string? _server;
    private string? _database;

    private AppStore()
    {
    }

    /// <summary><c>Atende:DataPath</c>, <c>Atende:Database:Provider</c> and, for PostgreSQL, <c>ConnectionStrings:Atende</c>.</summary>
    public Dictionary<string, string> Settings { get; } = [];

    /// <summary>
    /// A data folder of one node alone (inside this store's folder, removed with it), for nodes that share the database but no
    /// disk: pass it as that node's <c>Atende:DataPath</c>.
    /// </summary>
    public string NodeFolder(string name)
    {
        var folder = Path.Combine(_directory, "node-" + name);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>The PostgreSQL connection string of this store's database (null on SQLite).</summary>
    public string? ConnectionString => Settings.GetValueOrDefault("ConnectionStrings:Atende");

    public static async Task<AppStore> Create(string provider)
    {
        var store = new AppStore();
        Directory.CreateDirectory(store._directory);
        store.Settings["Atende:DataPath"] = store._directory;
        store.Settings["Atende:Database:Provider"] = provider;
        if (provider == "Postgres")
        {
            store._server = TestApp.RequirePostgres();
            store._database = "atende_process_" + Guid.NewGuid().ToString("N")[..12];
            await using var connection = new NpgsqlConnection(store._server);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{store._database}\"", connection);
            await command.ExecuteNonQueryAsync();
            store.Settings["ConnectionStrings:Atende"] = new NpgsqlConnectionStringBuilder(store._server) { Database = store._database }.ToString();
        }
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            await using var connection = new NpgsqlConnection(_server);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
