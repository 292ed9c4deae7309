using Atende.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Atende.Web.Infrastructure;

public static class Database
{
    /// <summary>
    /// Registers AtendeDb on SQLite (default, ./data/atende.db) or PostgreSQL (Atende:Database:Provider=Postgres), pooled:
    /// a request takes a context whose internal services are already resolved instead of building one (that setup was
    /// ~8 % of the CPU of the ticket list page). A context returned to the pool forgets its tracked entities and closes the
    /// connection the request opened (<see cref="Atende.Core.Identity.AccessVersion.Read"/>); AtendeDb holds no state of
    /// its own.
    /// </summary>
    public static void AddAtendeDb(this IServiceCollection services, IConfiguration config, string dataPath)
    {
        var provider = config["Atende:Database:Provider"] ?? "Sqlite";
        services.AddSingleton<Atende.Core.Email.OutboxSignal>();
        services.AddSingleton<Atende.Core.Webhooks.WebhookSignal>();
        services.AddSingleton<Atende.Core.Webhooks.WebhookSubscriptions>();
        services.AddSingleton<Atende.Core.Queue.AfterCommit>();
        var connectionString = config.GetConnectionString("Atende");
        if (provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase) || provider.Equals("PostgreSQL", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException("Atende__Database__Provider=Postgres needs ConnectionStrings__Atende (Host=…;Database=…;Username=…;Password=…).");
            }
            // Statements run again and again (the caller, the agenda, the lists) are prepared once per connection instead of
            // parsed and planned on every request, unless the connection string says otherwise.
            var npgsql = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
            {
                npgsql.MaxAutoPrepare = 50;
            }
            connectionString = npgsql.ConnectionString;
            services.AddDbContextPool<AtendeDb>((sp, o) => o.UseNpgsql(connectionString, x => x.MigrationsAssembly("Atende.Migrations.Postgres"))
                .AddInterceptors(sp.GetRequiredService<Atende.Core.Queue.AfterCommit>()));
        }
        else if (provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                // Owner-only (0700 / 0600): SQLite would create the file with the process's umask (often 0644). Its -wal and
                // -shm files take the database file's mode.
                Atende.Core.Files.OwnerOnly.CreateDirectory(dataPath);
                var file = Path.Combine(dataPath, "atende.db");
                Atende.Core.Files.OwnerOnly.CreateEmptyFile(file);
                connectionString = new SqliteConnectionStringBuilder
                {
                    DataSource = file,
                    DefaultTimeout = 30,
                    Pooling = true,
                }.ToString();
            }
            services.AddDbContextPool<AtendeDb>((sp, o) => o.UseSqlite(connectionString, x => x.MigrationsAssembly("Atende.Migrations.Sqlite"))
                .AddInterceptors(sp.GetRequiredService<Atende.Core.Queue.AfterCommit>(), SqliteBusyTimeout.Instance));
        }
        else
        {
            throw new InvalidOperationException($"Unknown Atende:Database:Provider '{provider}': use Sqlite or Postgres.");
        }
    }

    /// <summary>
    /// <c>--migrate-only</c>: applies the pending migrations (whatever Atende:Database:Migrate says) and reports; 0 when the
    /// database is up to date, 1 with the reason when not. The app does not start.
    /// </summary>
    public static async Task<int> MigrateOnly(WebApplication app)
    {
        try
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
            var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
            await db.Database.MigrateAsync();
            Console.WriteLine(pending.Count == 0
                ? "--migrate-only: the database is up to date; nothing to apply."
                : $"--migrate-only: applied {pending.Count} migration(s): {string.Join(", ", pending)}.");
            return 0;
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"--migrate-only: the migrations could not be applied: {e.GetBaseException().Message}");
            return 1;
        }
    }

    /// <summary>Applies pending migrations (unless Atende:Database:Migrate=false) and turns on WAL for SQLite.</summary>
    public static async Task PrepareDatabase(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
        if (app.Configuration.GetValue("Atende:Database:Migrate", true))
        {
            await db.Database.MigrateAsync();
        }
        if (!db.IsPostgres)
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }
    }
}

/// <summary>
/// Lets SQLite itself wait for the write lock. Microsoft.Data.Sqlite sets no busy handler: a writer that finds the database
/// locked sleeps 150 ms before it tries again, so under concurrent writes a request spent most of its time in that sleep while
/// the lock was long free (bench/README.md, W5). SQLite's own handler (<c>sqlite3_busy_timeout</c>) retries after 1, 2, 5, 10…
/// up to 100 ms. It is set on every open — a pooled connection keeps it, and the call only stores the value — for as long
/// as the connection's command timeout, after which the driver's own retry and timeout apply as before.
/// </summary>
public sealed class SqliteBusyTimeout : Microsoft.EntityFrameworkCore.Diagnostics.DbConnectionInterceptor
{
    public static readonly SqliteBusyTimeout Instance = new();

    public override void ConnectionOpened(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData) =>
        Set(connection);

    public override Task ConnectionOpenedAsync(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Set(connection);
        return Task.CompletedTask;
    }

    private static void Set(System.Data.Common.DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle } sqlite)
        {
            SQLitePCL.raw.sqlite3_busy_timeout(handle, sqlite.DefaultTimeout * 1000);
        }
    }
}

/// <summary>/healthz and /healthz/ready: healthy when the database answers a query.</summary>
public sealed class DatabaseHealthCheck(AtendeDb db) : Microsoft.Extensions.Diagnostics.HealthChecks.IHealthCheck
{
    public async Task<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult> CheckHealthAsync(
        Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await db.Workspaces.AnyAsync(cancellationToken);
            return Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            return Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy("Database error.", e);
        }
    }
}

/// <summary>
/// SQLite keeps no statistics by itself, and over a million tickets the planner needs them to pick the list indexes: this
/// runs <c>PRAGMA optimize</c> when the app starts (analyzing, with a row limit, every table that needs it) and again
/// every six hours. PostgreSQL's autovacuum does the same there.
/// </summary>
public sealed class SqliteStatistics(IServiceScopeFactory scopes, ILogger<SqliteStatistics> log) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(6);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pragma = "PRAGMA optimize=0x10002;";
        while (!stoppingToken.IsCancellationRequested)
        {
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
                if (db.IsPostgres)
                {
                    return;
                }
                try
                {
                    var started = System.Diagnostics.Stopwatch.GetTimestamp();
                    await db.Database.ExecuteSqlRawAsync(pragma, stoppingToken);
                    log.LogInformation("SQLite statistics refreshed ({Pragma}) in {Ms:F0} ms.", pragma, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (SqliteException e)
                {
                    log.LogWarning(e, "PRAGMA optimize failed; the next attempt is in {Interval}.", Interval);
                }
            }
            pragma = "PRAGMA optimize;";
            try
            {
                await Task.Delay(Interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
