using Atende.Core.Data;
using Atende.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Atende.Web.Tests.Operations;

/// <summary><c>--migrate-only</c> applies the migrations and exits 0 without serving; a database it cannot reach exits non-zero with the reason.</summary>
public sealed class MigrateOnlyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(180);

    internal static AtendeDb Open(string provider, Dictionary<string, string> settings)
    {
        var options = new DbContextOptionsBuilder<AtendeDb>();
        if (provider == "Postgres")
        {
            options.UseNpgsql(settings["ConnectionStrings:Atende"], o => o.MigrationsAssembly("Atende.Migrations.Postgres"));
        }
        else
        {
            options.UseSqlite($"Data Source={Path.Combine(settings["Atende:DataPath"], "atende.db")};Pooling=False", o => o.MigrationsAssembly("Atende.Migrations.Sqlite"));
        }
        return new AtendeDb(options.Options);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Migrate_only_applies_every_migration_and_exits_0(string provider)
    {
        await using var store = await AppStore.Create(provider);
        await using (var before = Open(provider, store.Settings))
        {
            Assert.NotEmpty(await before.Database.GetPendingMigrationsAsync(Ct));
        }

        var run = await AppProcess.Run(["--migrate-only"], store.Settings, Timeout);
        Assert.True(run.Code == 0, run.Output);
        Assert.Contains("--migrate-only: applied", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", run.Output, StringComparison.Ordinal);
        await using (var after = Open(provider, store.Settings))
        {
            Assert.Empty(await after.Database.GetPendingMigrationsAsync(Ct));
            Assert.Equal(after.Database.GetMigrations(), await after.Database.GetAppliedMigrationsAsync(Ct));
        }

        // Again: nothing to do, still 0 (an upgrade script may run it every time).
        var again = await AppProcess.Run(["--migrate-only"], store.Settings, Timeout);
        Assert.True(again.Code == 0, again.Output);
        Assert.Contains("the database is up to date", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_only_exits_non_zero_with_the_reason_when_the_database_cannot_be_reached()
    {
        var data = Path.Combine(Path.GetTempPath(), "atende-tests", "migrate-" + Guid.NewGuid().ToString("N"));
        var run = await AppProcess.Run(["--migrate-only"], new Dictionary<string, string>
        {
            ["Atende:DataPath"] = data,
            ["Atende:Database:Provider"] = "Postgres",
            ["ConnectionStrings:Atende"] = "Host=127.0.0.1;Port=1;Database=atende;Username=atende;Password=atende;Timeout=5",
        }, Timeout);
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
        Assert.True(run.Code != 0, run.Output);
        Assert.Contains("--migrate-only: the migrations could not be applied:", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", run.Output, StringComparison.Ordinal);
    }
}
