using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Atende.Core.Data;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Atende.Web.Tests.Operations;

/// <summary>
/// An upgrade as an operator does it: a data folder and database of the previous release, with data in them (the demo
/// company, a saved SMTP password, the key ring in the folder as that release kept it), and this release started on them:
/// the migrations run at start, every row is still there, the key ring is taken over (into the database on PostgreSQL,
/// checked at start against the saved password), and the app serves.
/// </summary>
public sealed partial class UpgradeTests
{
    /// <summary>The name of the previous release's last migration (the landing before this one); move it on with each release.</summary>
    private const string PreviousRelease = "ChatReceipts";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(180);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_database_of_the_previous_release_with_data_is_upgraded_at_start_and_keeps_everything(string provider)
    {
        await using var store = await AppStore.Create(provider);
        string password;
        await using (var node = await AppProcess.Start(new Dictionary<string, string>(store.Settings)
        {
            ["Atende:Demo"] = "true",
            ["Atende:DataProtection:Store"] = "FileSystem",
        }, Timeout))
        {
            password = (await node.WaitForLine(DemoLine(), Timeout)).Groups[1].Value;
            using var api = node.Api(await Token(node, password));
            var saved = await api.PutAsJsonAsync("/api/v1/settings/smtp", new
            {
                host = "127.0.0.1", port = 2525, security = "None", userName = "atende", password = "segredo-do-smtp",
                fromName = "Atende", fromAddress = "atende@horizonte.example",
            }, Ct);
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync(Ct));
        }

        // The schema goes back to the previous release (its Down migrations), the rows stay.
        (int, int, int, int, int) counts;
        await using (var db = MigrateOnlyTests.Open(provider, store.Settings))
        {
            counts = await Counts(db);
            Assert.True(counts.Item2 > 0 && counts.Item3 > 0 && counts.Item4 > 0, $"the demo has tickets, interactions and quotes: {counts}");
            var previous = db.Database.GetMigrations().Single(m => m.EndsWith("_" + PreviousRelease, StringComparison.Ordinal));
            await db.GetService<IMigrator>().MigrateAsync(previous, Ct);
            Assert.Equal(previous, (await db.Database.GetAppliedMigrationsAsync(Ct)).Last());
        }

        // This release, with its defaults (on PostgreSQL the key ring now lives in the database).
        await using (var node = await AppProcess.Start(store.Settings, Timeout))
        {
            using var api = node.Api(await Token(node, password));
            var dashboard = await TicketSteps.Json(await api.GetAsync("/api/v1/dashboard", Ct), HttpStatusCode.OK);
            Assert.NotEmpty(dashboard["pipelines"]!.AsArray());
            var smtp = await TicketSteps.Json(await api.GetAsync("/api/v1/settings/smtp", Ct), HttpStatusCode.OK);
            Assert.Equal("atende", smtp["userName"]!.GetValue<string>());
            // The ring the saved password needs was taken over: the start-up check refuses to start without it.
            if (provider == "Postgres")
            {
                Assert.Contains(node.Lines(), l => l.Contains("data-protection key(s) from", StringComparison.Ordinal));
            }
        }
        await using (var db = MigrateOnlyTests.Open(provider, store.Settings))
        {
            Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
            Assert.Equal(counts, await Counts(db));
        }
    }

    private static async Task<(int Partners, int Tickets, int Interactions, int Quotes, int Chat)> Counts(AtendeDb db) =>
        (await db.Partners.CountAsync(Ct), await db.Tickets.CountAsync(Ct), await db.Interactions.CountAsync(Ct), await db.Quotes.CountAsync(Ct),
            await db.ChatMessages.CountAsync(Ct));

    private static async Task<string> Token(AppProcess node, string password)
    {
        using var client = node.Api();
        var created = await TicketSteps.Json(await client.PostAsJsonAsync("/api/v1/tokens", new { email = "ana@horizonte.example", password }, Ct), HttpStatusCode.Created);
        return created["token"]!.GetValue<string>();
    }

    [GeneratedRegex(@"with the password (\S+?)(?:""|$)")]
    private static partial Regex DemoLine();
}
