using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Atende.Web.Tests.Infrastructure;

namespace Atende.Web.Tests.Api;

/// <summary>
/// Spectral (spectral:oas, with the repository's .spectral.yaml) on the live document: no error and no warning. A rule may only
/// be turned off in .spectral.yaml with its reason in docs/api.md. Spectral is installed by <c>npm ci</c> in
/// tests/Atende.Web.Tests/Api/spectral (.ci/run does it); without it the test skips, or fails when services are required.
/// </summary>
public sealed partial class OpenApiLintTests(SqliteFixture fixture) : IClassFixture<SqliteFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Root()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Atende.slnx")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("Atende.slnx not found above " + AppContext.BaseDirectory);
    }

    private static string RequireSpectral(string root)
    {
        var spectral = Path.Combine(root, "tests", "Atende.Web.Tests", "Api", "spectral", "node_modules", ".bin", "spectral");
        if (!File.Exists(spectral))
        {
            const string reason = "Spectral not installed: run `npm ci` in tests/Atende.Web.Tests/Api/spectral.";
            if (TestApp.ServicesRequired)
            {
                Assert.Fail("ATENDE_REQUIRE_SERVICES=1 but " + reason);
            }
            Assert.Skip(reason);
        }
        return spectral;
    }

    [Fact]
    public async Task The_document_lints_clean_with_spectral_oas()
    {
        var root = Root();
        var spectral = RequireSpectral(root);
        using var client = fixture.App.Api();
        var response = await client.GetAsync("/openapi/v1.json", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = Path.Combine(Path.GetTempPath(), $"atende-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(document, await response.Content.ReadAsStringAsync(Ct), Ct);
        try
        {
            var start = new ProcessStartInfo(spectral)
            {
                ArgumentList = { "lint", document, "--ruleset", Path.Combine(root, ".spectral.yaml"), "--format", "json", "--quiet" },
                RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root,
            };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(Ct);
            var error = process.StandardError.ReadToEndAsync(Ct);
            await process.WaitForExitAsync(Ct);
            var text = (await output).Trim();
            Assert.True(text.StartsWith('['), $"spectral answered no JSON (exit {process.ExitCode}): {text} {await error}");
            // Severity 0 is an error, 1 a warning; 2 (info) and 3 (hint) are advice.
            var findings = JsonNode.Parse(text)!.AsArray()
                .Where(f => f!["severity"]!.GetValue<int>() <= 1)
                .Select(f => $"{f!["code"]} at {string.Join('.', f["path"]!.AsArray().Select(p => p!.ToString()))}: {f["message"]}")
                .ToList();
            Assert.True(findings.Count == 0, $"{findings.Count} Spectral errors/warnings:\n" + string.Join('\n', findings.Take(40)));
        }
        finally
        {
            File.Delete(document);
        }
    }

    [Fact]
    public void Every_rule_turned_off_is_justified_in_docs_api_md()
    {
        var root = Root();
        var rules = OffRule().Matches(File.ReadAllText(Path.Combine(root, ".spectral.yaml"))).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(rules);
        var docs = File.ReadAllText(Path.Combine(root, "docs", "api.md"));
        Assert.All(rules, rule => Assert.Contains($"`{rule}`", docs, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^\s+([a-z0-9-]+):\s*off\s*$", RegexOptions.Multiline)]
    private static partial Regex OffRule();
}
