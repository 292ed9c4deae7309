using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace Atende.Browser.Tests;

/// <summary>
/// poppler-utils (pdfinfo, pdftotext, pdftoppm) reading a PDF Chromium printed: page size and count, each page's text, each
/// page as a grey image. Missing tools skip the test, or fail it under ATENDE_REQUIRE_SERVICES=1 (.ci/run installs them).
/// </summary>
internal static partial class Poppler
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Fails or skips now when a tool is missing, before the journey spends its time.</summary>
    public static void Require()
    {
        foreach (var tool in new[] { "pdfinfo", "pdftotext", "pdftoppm" })
        {
            var path = "/usr/bin/" + tool;
            if (!File.Exists(path))
            {
                var reason = $"{path} is missing: install poppler-utils to check printed pages.";
                if (Environment.GetEnvironmentVariable("ATENDE_REQUIRE_SERVICES") == "1")
                {
                    Assert.Fail("ATENDE_REQUIRE_SERVICES=1 but " + reason);
                }
                Assert.Skip(reason);
            }
        }
    }

    /// <summary>The page size in points ("595.28 x 841.89" is A4; Chromium's A4 is 595.92 x 842.88) and the number of pages.</summary>
    public static async Task<(double Width, double Height, int Pages)> Info(string pdf)
    {
        var info = await Run("pdfinfo", pdf);
        var size = PageSize().Match(info);
        var pages = PageCount().Match(info);
        Assert.True(size.Success && pages.Success, "pdfinfo said:\n" + info);
        return (double.Parse(size.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(size.Groups[2].Value, CultureInfo.InvariantCulture),
            int.Parse(pages.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>The text of each page, first page first, no-break spaces as spaces.</summary>
    public static async Task<List<string>> PageTexts(string pdf, int pages)
    {
        var texts = new List<string>(pages);
        for (var n = 1; n <= pages; n++)
        {
            // "R$ 1.234,56" is printed with a no-break space.
            texts.Add((await Run("pdftotext", "-f", $"{n}", "-l", $"{n}", "-enc", "UTF-8", pdf, "-")).Replace('\u00a0', ' '));
        }
        return texts;
    }

    /// <summary>
    /// Each page rendered at 50 dpi in grey (pdftoppm's PGM: a short text header, then one byte a pixel): the share of the
    /// pixels above its bottom margin (where "Página X de Y" is printed even on an empty page) that are not near white, first
    /// page first. A page without content gives 0.
    /// </summary>
    public static async Task<List<double>> InkPerPage(string pdf, string directory)
    {
        Directory.CreateDirectory(directory);
        var prefix = Path.Combine(directory, "page");
        await Run("pdftoppm", "-r", "50", "-gray", pdf, prefix);
        // pdftoppm numbers pages page-1.pgm or page-01.pgm by the page count's digits: the number, not the name, orders them.
        return Directory.GetFiles(directory, "page-*.pgm")
            .OrderBy(f => int.Parse(Path.GetFileNameWithoutExtension(f)["page-".Length..], CultureInfo.InvariantCulture))
            .Select(f => Ink(File.ReadAllBytes(f))).ToList();
    }

    /// <summary>Renders the pages as PNG too, for a person to look at (not asserted on).</summary>
    public static Task Png(string pdf, string prefix) => Run("pdftoppm", "-r", "50", "-png", pdf, prefix);

    private static double Ink(byte[] pgm)
    {
        // Header: "P5", width, height, maxval, each followed by whitespace; the pixels follow the single whitespace after maxval.
        var tokens = new List<string>();
        var at = 0;
        while (tokens.Count < 4)
        {
            while (char.IsWhiteSpace((char)pgm[at])) { at++; }
            var start = at;
            while (!char.IsWhiteSpace((char)pgm[at])) { at++; }
            tokens.Add(Encoding.ASCII.GetString(pgm, start, at - start));
        }
        at++;
        Assert.Equal("P5", tokens[0]);
        var width = int.Parse(tokens[1], CultureInfo.InvariantCulture);
        var height = int.Parse(tokens[2], CultureInfo.InvariantCulture);
        Assert.True(pgm.Length - at >= width * height, "a truncated PGM");
        // The bottom 16 mm of 297 are the margin with the page number.
        var pixels = width * (int)(height * (1 - 16.0 / 297));
        var dark = 0;
        for (var i = at; i < at + pixels; i++)
        {
            if (pgm[i] < 200) { dark++; }
        }
        return (double)dark / pixels;
    }

    private static async Task<string> Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/" + tool) { RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = Encoding.UTF8 };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.True(process.ExitCode == 0, $"{tool} failed: {await error}");
        return await output;
    }

    [GeneratedRegex(@"Page size:\s+([\d.]+) x ([\d.]+) pts")]
    private static partial Regex PageSize();

    [GeneratedRegex(@"Pages:\s+(\d+)")]
    private static partial Regex PageCount();
}
