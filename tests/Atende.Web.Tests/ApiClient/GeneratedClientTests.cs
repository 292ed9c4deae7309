using System.Diagnostics;
using Atende.Web.Tests.Infrastructure;

namespace Atende.Web.Tests.ApiClient;

/// <summary>
/// The Kiota client in tests/Atende.ApiClient is what Kiota generates from the live OpenAPI document today: generated again
/// here into a temporary folder and compared file by file. With ATENDE_REGENERATE_API_CLIENT=1 it rewrites the committed
/// client instead (scripts/regenerate-api-client.sh).
/// </summary>
public sealed class GeneratedClientTests
{
    private const string ClientFolder = "tests/Atende.ApiClient";

    [Fact]
    public async Task The_committed_client_is_generated_from_the_live_document()
    {
        await using var app = await TestApp.Start("Sqlite");
        using var http = app.Api();
        var document = (await http.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken)).ReplaceLineEndings("\n");

        var root = RepositoryRoot();
        var committed = Path.Combine(root, ClientFolder);
        if (Environment.GetEnvironmentVariable("ATENDE_REGENERATE_API_CLIENT") == "1")
        {
            await File.WriteAllTextAsync(Path.Combine(committed, "openapi.json"), document, TestContext.Current.CancellationToken);
            await Generate(root, committed);
            return;
        }

        var scratch = Path.Combine(Path.GetTempPath(), "atende-client-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(scratch);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(scratch, "openapi.json"), document, TestContext.Current.CancellationToken);
            await Generate(root, scratch);
            var stale = new List<string>();
            if ((await File.ReadAllTextAsync(Path.Combine(committed, "openapi.json"), TestContext.Current.CancellationToken)).ReplaceLineEndings("\n") != document)
            {
                stale.Add("openapi.json");
            }
            var expected = Files(Path.Combine(scratch, "Generated"));
            var actual = Files(Path.Combine(committed, "Generated"));
            stale.AddRange(expected.Keys.Union(actual.Keys).Where(f => !expected.TryGetValue(f, out var e) || !actual.TryGetValue(f, out var a) || e != a).Order());
            Assert.True(stale.Count == 0,
                $"The committed API client is not what the live document generates; run scripts/regenerate-api-client.sh. Differs: {string.Join(", ", stale.Take(20))}");
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>Runs the Kiota of the repository's tool manifest: openapi.json in <paramref name="folder"/> → folder/Generated.</summary>
    private static async Task Generate(string root, string folder)
    {
        var kiota = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true,
            ArgumentList =
            {
                "tool", "run", "kiota", "generate", "--language", "CSharp", "--class-name", "AtendeClient", "--namespace-name", "Atende.ApiClient",
                "--exclude-backward-compatible", "--clean-output", "--log-level", "Warning",
                "--openapi", Path.Combine(folder, "openapi.json"), "--output", Path.Combine(folder, "Generated"),
            },
        };
        using var process = Process.Start(kiota)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        if (process.ExitCode != 0)
        {
            var message = $"kiota exited with {process.ExitCode}: {await output}{await errors}";
            if (!TestApp.ServicesRequired && message.Contains("dotnet tool restore", StringComparison.Ordinal))
            {
                Assert.Skip("Kiota is not installed: run `dotnet tool restore`.");
            }
            Assert.Fail(message);
        }
    }

    private static Dictionary<string, string> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), f => File.ReadAllText(f).ReplaceLineEndings("\n"));

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Atende.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Atende.slnx not found above " + AppContext.BaseDirectory);
    }
}
