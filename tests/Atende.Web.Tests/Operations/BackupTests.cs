using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Atende.Core.Data;
using Atende.Core.Email;
using Atende.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Atende.Web.Tests.Conversations.ConversationData;

namespace Atende.Web.Tests.Operations;

/// <summary>
/// <c>backup --to</c> / <c>restore --from</c> (SQLite), run as the operator runs them: <c>dotnet Atende.Web.dll …</c> beside a
/// running app.
/// </summary>
public sealed class BackupTests : IAsyncDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "atende-tests", "backup-" + Guid.NewGuid().ToString("N"));

    public BackupTests() => Directory.CreateDirectory(_root);

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
        return ValueTask.CompletedTask;
    }

    private static Dictionary<string, string> Data(string path) => new() { ["Atende:DataPath"] = path };

    /// <summary>One writer: its writes are numbered, each starts after the previous one was acknowledged.</summary>
    private sealed class Writer(string name, Func<int, Task<bool>> write)
    {
        private readonly ConcurrentQueue<(int Number, long At)> _acknowledged = new();

        public string Name => name;

        public async Task Run(CancellationToken stop)
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                Assert.True(await write(i), $"{name}: write {i} refused");
                _acknowledged.Enqueue((i, Stopwatch.GetTimestamp()));
            }
        }

        public int Count => _acknowledged.Count;

        /// <summary>How many writes were acknowledged before <paramref name="at"/> (a Stopwatch timestamp).</summary>
        public int AcknowledgedBefore(long at) => _acknowledged.Count(a => a.At < at);
    }

    [Fact]
    public async Task A_backup_taken_under_write_load_restores_every_acknowledged_write()
    {
        var data = Path.Combine(_root, "data");
        var archive = Path.Combine(_root, "atende-backup.tar.gz");
        long conversationId;
        string token;
        Writer attachments, partners;
        long backupStarted;
        AppProcess.Exited backup;
        await using (var app = await TestApp.Start("Sqlite", Data(data)))
        {
            token = await app.Setup();
            using var api = app.Api(token);
            Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync("/api/v1/settings/smtp", new
            {
                host = "127.0.0.1", port = 1, security = "None", userName = "envio", password = "senha-do-smtp", fromName = "Carga", fromAddress = "envio@carga.test",
            }, Ct)).StatusCode);
            var workspaceId = await app.CreateWorkspace(token, "Domínio Carga");
            conversationId = (await Conversation(api, await Partner(api, workspaceId, "Cliente Carga")))["id"]!.GetValue<long>();

            // Two writers: a file and its row (the files folder and the database must agree), and plain rows.
            attachments = new Writer("attachments", async i =>
            {
                using var content = new MultipartFormDataContent();
                var part = new ByteArrayContent(Encoding.UTF8.GetBytes(AttachmentText(i)));
                part.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
                content.Add(part, "files", $"carga-{i:D5}.txt");
                return (await api.PostAsync($"/api/v1/conversations/{conversationId}/attachments", content, Ct)).StatusCode == HttpStatusCode.Created;
            });
            partners = new Writer("partners", async i =>
                (await api.PostAsJsonAsync("/api/v1/partners", new { name = $"Carga {i:D5}", workspaceId }, Ct)).StatusCode == HttpStatusCode.Created);

            using var stop = new CancellationTokenSource();
            var writing = Task.WhenAll(Task.Run(() => attachments.Run(stop.Token), Ct), Task.Run(() => partners.Run(stop.Token), Ct));
            while (attachments.Count < 10 || partners.Count < 10)
            {
                Assert.False(writing.IsCompleted, "the writers stopped");
                await Task.Delay(20, Ct);
            }
            backupStarted = Stopwatch.GetTimestamp();
            backup = await AppProcess.Run(["backup", "--to", archive], Data(data), CommandTimeout);
            var backupEnded = Stopwatch.GetTimestamp();
            await Task.Delay(200, Ct);
            stop.Cancel();
            await writing;
            Assert.True(backup.Code == 0, backup.Output);
            // Under load: writes were acknowledged while the backup ran.
            var during = attachments.AcknowledgedBefore(backupEnded) - attachments.AcknowledgedBefore(backupStarted)
                + partners.AcknowledgedBefore(backupEnded) - partners.AcknowledgedBefore(backupStarted);
            Assert.True(during > 0, $"no write acknowledged during the backup ({Stopwatch.GetElapsedTime(backupStarted, backupEnded).TotalMilliseconds:F0} ms); "
                + $"attachments {attachments.AcknowledgedBefore(backupStarted)} before, {attachments.Count} in all; partners {partners.AcknowledgedBefore(backupStarted)} before, {partners.Count} in all");
        }
        Assert.True(File.Exists(archive), backup.Output);
        Assert.False(File.Exists(archive + ".partial"));
        Assert.False(File.Exists(archive + ".db.partial"));

        // Only into an empty data folder, unless forced.
        var restored = Path.Combine(_root, "restored");
        Directory.CreateDirectory(restored);
        await File.WriteAllTextAsync(Path.Combine(restored, "outro.txt"), "já havia algo aqui", Ct);
        var refused = await AppProcess.Run(["restore", "--from", archive], Data(restored), CommandTimeout);
        Assert.True(refused.Code != 0, refused.Output);
        Assert.Contains("the data folder is not empty", refused.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(restored, "atende.db")));
        var restore = await AppProcess.Run(["restore", "--from", archive, "--force"], Data(restored), CommandTimeout);
        Assert.True(restore.Code == 0, restore.Output);

        await using var copy = await TestApp.Start("Sqlite", Data(restored));
        using var copyApi = copy.Api(token);
        // Every write acknowledged before the backup began is there; what is there has no gaps (one consistent snapshot).
        var names = (await Json(await copyApi.GetAsync($"/api/v1/conversations/{conversationId}/attachments", Ct), HttpStatusCode.OK))["items"]!.AsArray()
            .Select(a => (Id: a!["id"]!.GetValue<long>(), Name: a["fileName"]!.GetValue<string>())).Where(a => a.Name.StartsWith("carga-", StringComparison.Ordinal))
            .OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
        AssertPrefix(attachments, backupStarted, [.. names.Select(a => int.Parse(a.Name[6..11], System.Globalization.CultureInfo.InvariantCulture))]);
        foreach (var (id, name) in names)
        {
            var download = await copyApi.GetAsync($"/api/v1/conversations/{conversationId}/attachments/{id}", Ct);
            Assert.True(download.StatusCode == HttpStatusCode.OK, $"{name}: {(int)download.StatusCode}");
            Assert.Equal(AttachmentText(int.Parse(name[6..11], System.Globalization.CultureInfo.InvariantCulture)), await download.Content.ReadAsStringAsync(Ct));
        }
        await using var scope = copy.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
        var partnerNames = await db.Partners.Where(p => p.Name.StartsWith("Carga ")).Select(p => p.Name).ToListAsync(Ct);
        AssertPrefix(partners, backupStarted, [.. partnerNames.Select(n => int.Parse(n[6..], System.Globalization.CultureInfo.InvariantCulture)).Order()]);
        // The keys came along: the saved SMTP password still reads.
        var account = await EmailSettingsService.LoadAccount(db, scope.ServiceProvider.GetRequiredService<IDataProtectionProvider>(), Ct);
        Assert.Equal("senha-do-smtp", account!.Password);
    }

    private static string AttachmentText(int i) => $"anexo {i} da carga — conteúdo verificado após a restauração";

    private static void AssertPrefix(Writer writer, long backupStarted, List<int> present)
    {
        var required = writer.AcknowledgedBefore(backupStarted);
        Assert.True(present.Count >= required, $"{writer.Name}: {required} writes acknowledged before the backup began, {present.Count} restored");
        Assert.Equal(Enumerable.Range(0, present.Count), present);
    }

    [Fact]
    public async Task A_backup_to_a_place_that_cannot_be_written_fails_before_it_starts()
    {
        var data = Path.Combine(_root, "data");
        var migrated = await AppProcess.Run(["--migrate-only"], Data(data), CommandTimeout);
        Assert.True(migrated.Code == 0, migrated.Output);
        var aFile = Path.Combine(_root, "um-arquivo");
        await File.WriteAllTextAsync(aFile, "não é uma pasta", Ct);

        foreach (var target in new[] { Path.Combine(_root, "nao-existe", "backup.tar.gz"), Path.Combine(aFile, "backup.tar.gz") })
        {
            var run = await AppProcess.Run(["backup", "--to", target], Data(data), CommandTimeout);
            Assert.True(run.Code != 0, run.Output);
            Assert.Contains($"backup failed: cannot write the backup to {target}", run.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("Backing up", run.Output, StringComparison.Ordinal);
        }

        // An existing file is never replaced.
        var existing = Path.Combine(_root, "ontem.tar.gz");
        await File.WriteAllTextAsync(existing, "backup de ontem", Ct);
        var refused = await AppProcess.Run(["backup", "--to", existing], Data(data), CommandTimeout);
        Assert.True(refused.Code != 0, refused.Output);
        Assert.Contains("already exists", refused.Output, StringComparison.Ordinal);
        Assert.Equal("backup de ontem", await File.ReadAllTextAsync(existing, Ct));
        Assert.Equal(["data", "ontem.tar.gz", "um-arquivo"], Directory.EnumerateFileSystemEntries(_root).Select(Path.GetFileName).Order());
    }
}
