using Atende.Core.Common;
using Atende.Core.Files;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using static Atende.Web.Tests.Files.FileTestData;

namespace Atende.Web.Tests.Files;

/// <summary>What a browser receives when a stored file is served (the helper run on a bare HttpContext).</summary>
public sealed class FileResultsTests(SqliteDiskFiles fixture) : IClassFixture<SqliteDiskFiles>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Served(HttpResponse Response, byte[] Body);

    private static async Task<Served> Run(IServiceScope scope, Func<HttpContext, Task> execute, string? range = null)
    {
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Method = "GET";
        if (range is not null)
        {
            context.Request.Headers.Range = range;
        }
        var body = new MemoryStream();
        context.Response.Body = body;
        await execute(context);
        return new Served(context.Response, body.ToArray());
    }

    private static async Task<Served> Serve(IServiceScope scope, StoredFile file, bool preview, string? range = null)
    {
        var result = await FileResults.Serve(scope.ServiceProvider.GetRequiredService<FileService>(), file, preview, Ct);
        return await Run(scope, result.ExecuteAsync, range);
    }

    private async Task<(IServiceScope Scope, StoredFile File, byte[] Content)> Upload(string name, byte[] content)
    {
        var scope = fixture.App.Services.CreateScope();
        var file = await scope.ServiceProvider.GetRequiredService<FileService>().Save(name, new MemoryStream(content), Ct);
        return (scope, file, content);
    }

    [Fact]
    public async Task A_download_is_an_attachment_with_safe_headers_and_the_checked_content_type()
    {
        var (scope, file, content) = await Upload("Relatório de vendas 2024.pdf", With(PdfHead, 5000));
        using var _ = scope;

        var served = await Serve(scope, file, preview: false);

        var headers = served.Response.Headers;
        Assert.Equal(200, served.Response.StatusCode);
        Assert.Equal("attachment; filename=\"Relatorio de vendas 2024.pdf\"; filename*=UTF-8''Relat%C3%B3rio%20de%20vendas%202024.pdf", headers.ContentDisposition.ToString());
        Assert.Equal("nosniff", headers.XContentTypeOptions.ToString());
        Assert.Equal("default-src 'none'; sandbox", headers.ContentSecurityPolicy.ToString());
        Assert.Equal("private, no-store", headers.CacheControl.ToString());
        Assert.Equal("application/pdf", served.Response.ContentType);
        Assert.Equal(content.Length, served.Response.ContentLength);
        Assert.Equal("bytes", headers.AcceptRanges.ToString());
        Assert.Equal(content, served.Body);
    }

    [Fact]
    public async Task Only_a_previewed_raster_image_is_inline()
    {
        var (scope, png, _) = await Upload("foto do balcão.png", With(PngHead));
        using var _ = scope;
        var pdf = await scope.ServiceProvider.GetRequiredService<FileService>().Save("folheto.pdf", new MemoryStream(With(PdfHead)), Ct);

        var preview = await Serve(scope, png, preview: true);
        Assert.StartsWith("inline; filename=\"foto do balcao.png\"", preview.Response.Headers.ContentDisposition.ToString(), StringComparison.Ordinal);
        Assert.Equal("image/png", preview.Response.ContentType);
        Assert.Equal("default-src 'none'; sandbox", preview.Response.Headers.ContentSecurityPolicy.ToString());

        Assert.StartsWith("attachment;", (await Serve(scope, png, preview: false)).Response.Headers.ContentDisposition.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("attachment;", (await Serve(scope, pdf, preview: true)).Response.Headers.ContentDisposition.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quotes_and_other_characters_cannot_break_the_header()
    {
        var (scope, file, _) = await Upload("Proposta \"final\" 100% ação; x=1.pdf", With(PdfHead));
        using var _ = scope;

        var served = await Serve(scope, file, preview: false);

        Assert.Equal("attachment; filename=\"Proposta _final_ 100_ acao; x=1.pdf\"; filename*=UTF-8''Proposta%20%22final%22%20100%25%20a%C3%A7%C3%A3o%3B%20x%3D1.pdf",
            served.Response.Headers.ContentDisposition.ToString());
        Assert.Equal("attachment; filename=\"arquivo\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC", FileResults.ContentDisposition("日本", inline: false));
    }

    [Fact]
    public async Task Range_requests_get_part_of_the_file()
    {
        var (scope, file, content) = await Upload("video.mp4", With(Mp4Head, 10_000));
        using var _ = scope;

        var served = await Serve(scope, file, preview: false, range: "bytes=100-199");

        Assert.Equal(206, served.Response.StatusCode);
        Assert.Equal($"bytes 100-199/{content.Length}", served.Response.Headers.ContentRange.ToString());
        Assert.Equal(100, served.Response.ContentLength);
        Assert.Equal(content[100..200], served.Body);
        Assert.Equal("nosniff", served.Response.Headers.XContentTypeOptions.ToString());
    }

    [Fact]
    public async Task Missing_bytes_are_not_found()
    {
        var (scope, file, _) = await Upload("sumiu.pdf", With(PdfHead));
        using var _ = scope;
        await scope.ServiceProvider.GetRequiredService<IFileStore>().Delete(file.StorageKey, Ct);

        await Assert.ThrowsAsync<NotFoundException>(() => FileResults.Serve(scope.ServiceProvider.GetRequiredService<FileService>(), file, false, Ct));
    }

    [Fact]
    public async Task Razor_Pages_get_the_same_response_through_an_action_result()
    {
        var (scope, file, content) = await Upload("foto.jpg", With(JpegHead));
        using var _ = scope;
        var action = (await FileResults.Serve(scope.ServiceProvider.GetRequiredService<FileService>(), file, true, Ct)).ToActionResult();

        var served = await Run(scope, ctx => action.ExecuteResultAsync(new ActionContext { HttpContext = ctx }));

        Assert.StartsWith("inline;", served.Response.Headers.ContentDisposition.ToString(), StringComparison.Ordinal);
        Assert.Equal("image/jpeg", served.Response.ContentType);
        Assert.Equal("private, no-store", served.Response.Headers.CacheControl.ToString());
        Assert.Equal(content, served.Body);
    }
}
