using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Atende.Web.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static Atende.Web.Tests.Conversations.ConversationData;

namespace Atende.Web.Tests.Operations;

/// <summary>The data folder is the app's own: the database, the keys and the uploaded files are created 0600, their folders 0700.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataFolderTests(SqliteFixture fixture) : IClassFixture<SqliteFixture>
{
    private const UnixFileMode Directory0700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode File0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task Database_keys_and_uploaded_files_are_created_owner_only()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        var app = fixture.App;
        using var api = app.Api(fixture.AdminToken);
        var workspaceId = await app.CreateWorkspace(fixture.AdminToken, Unique("Domínio Pastas"));
        var conversationId = (await Conversation(api, await Partner(api, workspaceId, Unique("Cliente Pastas"))))["id"]!.GetValue<long>();
        using var upload = new MultipartFormDataContent();
        var part = new ByteArrayContent(Encoding.UTF8.GetBytes("contrato assinado"));
        part.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        upload.Add(part, "files", "contrato.txt");
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync($"/api/v1/conversations/{conversationId}/attachments", upload, Ct)).StatusCode);

        var data = app.Services.GetRequiredService<IConfiguration>()["Atende:DataPath"]!;
        // The test creates the data folder itself; the app creates everything inside it.
        var directories = new[] { Path.Combine(data, "keys"), Path.Combine(data, "files") }
            .Concat(Directory.EnumerateDirectories(Path.Combine(data, "files"), "*", SearchOption.AllDirectories)).ToList();
        var files = new[] { "atende.db", "atende.db-wal", "atende.db-shm" }.Select(f => Path.Combine(data, f))
            .Concat(Directory.EnumerateFiles(Path.Combine(data, "keys")))
            .Concat(Directory.EnumerateFiles(Path.Combine(data, "files"), "*", SearchOption.AllDirectories)).ToList();
        Assert.Contains(files, f => f.EndsWith(".xml", StringComparison.Ordinal));
        Assert.Contains(files, f => f.StartsWith(Path.Combine(data, "files"), StringComparison.Ordinal));
        Assert.True(directories.Count >= 4, string.Join('\n', directories));
        Assert.All(directories, d => Assert.True(File.GetUnixFileMode(d) == Directory0700, $"{d}: {File.GetUnixFileMode(d)}"));
        Assert.All(files, f => Assert.True(File.GetUnixFileMode(f) == File0600, $"{f}: {File.GetUnixFileMode(f)}"));
    }

    [Fact]
    public async Task A_new_data_folder_is_created_owner_only()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        var parent = Path.Combine(Path.GetTempPath(), "atende-tests", "folder-" + Guid.NewGuid().ToString("N"));
        var data = Path.Combine(parent, "data");
        try
        {
            await using (var app = await TestApp.Start("Sqlite", new() { ["Atende:DataPath"] = data }))
            {
                Assert.Equal(HttpStatusCode.OK, (await app.Api().GetAsync("/healthz", Ct)).StatusCode);
            }
            Assert.Equal(Directory0700, File.GetUnixFileMode(data));
            Assert.Equal(File0600, File.GetUnixFileMode(Path.Combine(data, "atende.db")));
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }
}
