using System.Globalization;
using System.Text;
using Atende.Core.Files;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Atende.Web.Infrastructure;

/// <summary>
/// Serves a <see cref="StoredFile"/> safely, from minimal API endpoints (<c>return await FileResults.Serve(…)</c>) and
/// Razor Pages (<c>return (await FileResults.Serve(…)).ToActionResult()</c>): a download (attachment) unless a preview
/// is asked for a proven raster image, its checked content type, nosniff, a sandboxing CSP, no caching, range requests.
/// </summary>
public static class FileResults
{
    public const string ContentSecurityPolicy = "default-src 'none'; sandbox";
    public const string CacheControl = "private, no-store";

    /// <summary>
    /// Opens the file (<see cref="Atende.Core.Common.NotFoundException"/> if its bytes are missing) and returns the
    /// result that sends it. <paramref name="preview"/> shows it inline only when <see cref="FileService.IsPreviewableImage"/>.
    /// </summary>
    public static async Task<IResult> Serve(FileService files, StoredFile file, bool preview, CancellationToken ct)
    {
        var stream = await files.Open(file, ct);
        return new StoredFileResult(file, stream, preview && FileService.IsPreviewableImage(file));
    }

    /// <summary>Runs a minimal API result from a Razor Page or controller.</summary>
    public static IActionResult ToActionResult(this IResult result) => new HttpResultAction(result);

    /// <summary>
    /// <c>attachment; filename="ascii"; filename*=UTF-8''percent-encoded</c> (RFC 6266/8187): the quoted name is an
    /// ASCII fallback (accents dropped, anything else replaced by "_"), the starred one the real name.
    /// </summary>
    public static string ContentDisposition(string fileName, bool inline) =>
        $"{(inline ? "inline" : "attachment")}; filename=\"{AsciiFallback(fileName)}\"; filename*=UTF-8''{Rfc8187(fileName)}";

    public static string AsciiFallback(string fileName)
    {
        var builder = new StringBuilder(fileName.Length);
        foreach (var c in fileName.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            builder.Append(c is >= ' ' and <= '~' and not '"' and not '\\' and not '%' ? c : '_');
        }
        var text = builder.ToString();
        return text.Trim('_', ' ').Length == 0 ? FileService.DefaultName : text;
    }

    private static string Rfc8187(string value)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || "!#$&+-.^_`|~".Contains(c, StringComparison.Ordinal))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return builder.ToString();
    }

    private sealed class StoredFileResult(StoredFile file, Stream stream, bool inline) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var headers = httpContext.Response.Headers;
            headers.ContentDisposition = ContentDisposition(file.FileName, inline);
            headers.XContentTypeOptions = "nosniff";
            headers.ContentSecurityPolicy = FileResults.ContentSecurityPolicy;
            headers.CacheControl = FileResults.CacheControl;
            headers["Cross-Origin-Resource-Policy"] = "same-origin";
            var etag = file.Sha256.Length > 0 ? new EntityTagHeaderValue($"\"{file.Sha256}\"") : null;
            return TypedResults.Stream(stream, file.ContentType, fileDownloadName: null, lastModified: file.CreatedAt, entityTag: etag,
                enableRangeProcessing: true).ExecuteAsync(httpContext);
        }
    }

    private sealed class HttpResultAction(IResult result) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);
    }
}
