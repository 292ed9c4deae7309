using Atende.Core.Data;
using Atende.Core.Email;
using Atende.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;

namespace Atende.Web.Tests.Email;

/// <summary>An install upgraded from before templates existed gets the three automatic templates, with the standard texts.</summary>
public abstract class EmailTemplateMigrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract Task<(AtendeDb Db, Func<Task> Drop)> EmptyDatabase();

    [Fact]
    public async Task Upgrading_an_existing_database_writes_the_automatic_templates()
    {
        var (db, drop) = await EmptyDatabase();
        try
        {
            var migrations = db.Database.GetMigrations().ToList();
            var index = migrations.FindIndex(m => m.EndsWith("_EmailTemplates", StringComparison.Ordinal));
            Assert.True(index > 0, "the EmailTemplates migration exists");
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync(migrations[index - 1], Ct);
            // Written in SQL: the entity has columns later migrations add.
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO \"CompanyProfiles\" (\"Id\", \"Name\", \"TimeZone\", \"Currency\") VALUES (1, 'Empresa antiga', 'America/Sao_Paulo', 'BRL')", Ct);

            await db.Database.MigrateAsync(Ct);

            var templates = await db.EmailTemplates.AsNoTracking().ToListAsync(Ct);
            Assert.Equal([EmailTemplatePurpose.StatusChanged, EmailTemplatePurpose.Assigned, EmailTemplatePurpose.Interaction,
                    EmailTemplatePurpose.PortalRequestReceived, EmailTemplatePurpose.PortalMessage, EmailTemplatePurpose.ChatMissed],
                templates.Select(t => t.Purpose).Order());
            Assert.All(templates, t =>
            {
                Assert.True(t.Active);
                Assert.Equal(1, t.Version);
                Assert.True(EmailTemplateDefaults.IsStandard(t.Purpose, t.Subject, t.Body));
                Assert.Equal(SearchText.Normalize(t.Name), t.SortName);
            });
            Assert.Equal("Empresa antiga", (await db.CompanyProfiles.SingleAsync(Ct)).Name);
        }
        finally
        {
            await drop();
        }
    }
}

public sealed class EmailTemplateMigrationTestsSqlite : EmailTemplateMigrationTests
{
    protected override Task<(AtendeDb Db, Func<Task> Drop)> EmptyDatabase()
    {
        var file = Path.Combine(Path.GetTempPath(), "atende-tests", $"upgrade-{Guid.NewGuid():N}.db");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var db = new AtendeDb(new DbContextOptionsBuilder<AtendeDb>()
            .UseSqlite($"Data Source={file}", x => x.MigrationsAssembly("Atende.Migrations.Sqlite")).Options);
        return Task.FromResult<(AtendeDb, Func<Task>)>((db, async () =>
        {
            await db.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(file);
        }));
    }
}

public sealed class EmailTemplateMigrationTestsPostgres : EmailTemplateMigrationTests
{
    protected override async Task<(AtendeDb Db, Func<Task> Drop)> EmptyDatabase()
    {
        var server = TestApp.PostgresServer;
        if (string.IsNullOrWhiteSpace(server))
        {
            if (TestApp.ServicesRequired)
            {
                Assert.Fail("ATENDE_REQUIRE_SERVICES=1 but ATENDE_TEST_POSTGRES is not set.");
            }
            Assert.Skip("PostgreSQL not configured: set ATENDE_TEST_POSTGRES to a connection string to run these tests.");
        }
        var name = "atende_upgrade_" + Guid.NewGuid().ToString("N")[..12];
        await Execute(server, $"CREATE DATABASE \"{name}\"");
        var db = new AtendeDb(new DbContextOptionsBuilder<AtendeDb>()
            .UseNpgsql(new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString(), x => x.MigrationsAssembly("Atende.Migrations.Postgres")).Options);
        return (db, async () =>
        {
            await db.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
            await Execute(server, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        });
    }

    private static async Task Execute(string server, string sql)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
