using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Atende.Core.Common;
using Atende.Core.Files;
using Atende.Core.Identity;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static Atende.Web.Tests.Files.FileTestData;

namespace Atende.Web.Tests.Files;

/// <summary>
/// Request size limits on a real Kestrel: the app's file registrations and upload middleware behind a small upload
/// endpoint of this test (the app itself has no such endpoint yet).
/// </summary>
public sealed class FileUploadLimitTests : IAsyncLifetime
{
    private const string SignedIn = "X-Test-Signed-In";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "atende-tests", Guid.NewGuid().ToString("N"));
    private WebApplication? _app;
    private HttpClient? _client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddAtendeDb(builder.Configuration, _directory);
        builder.Services.AddAtendeFiles(builder.Configuration, _directory);
        _app = builder.Build();
        // Stands in for Auth.LoadCaller: a signed-in request has a caller.
        _app.Use((context, next) =>
        {
            if (context.Request.Headers.ContainsKey(SignedIn))
            {
                context.Items[typeof(Caller)] = new Caller(1, "Pessoa", UserRole.Agent, []);
            }
            return next(context);
        });
        // Stands in for ApiErrors: AllowUploads reads the form, so a body over the limit is refused there, before the endpoint.
        _app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (BadHttpRequestException e)
            {
                await Results.Problem(ApiErrors.ToProblem(e)!.Detail, statusCode: e.StatusCode).ExecuteAsync(context);
            }
        });
        _app.Use(FileUploads.AllowUploads);
        _app.MapPost("/upload", async (HttpRequest request, FileService files, CancellationToken ct) =>
        {
            try
            {
                var form = await request.ReadFormAsync(ct);
                foreach (var file in form.Files)
                {
                    await using var stream = file.OpenReadStream();
                    await files.Save(file.FileName, stream, ct);
                }
                return Results.Ok();
            }
            catch (ValidationException e)
            {
                return Results.ValidationProblem(e.Errors.ToDictionary(x => x.Key, x => x.Value));
            }
            catch (BadHttpRequestException e)
            {
                return Results.Problem(ApiErrors.ToProblem(e)!.Detail, statusCode: e.StatusCode);
            }
        });
        await _app.StartAsync(Ct);
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(2) };
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<(HttpStatusCode Status, string Body)> Upload(long size, bool signedIn)
    {
        using var content = new MultipartFormDataContent();
        var file = new StreamContent(new GeneratedStream(PdfHead, size));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        content.Add(file, "files", "digitalizado.pdf");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/upload") { Content = content };
        if (signedIn)
        {
            request.Headers.Add(SignedIn, "1");
        }
        using var response = await _client!.SendAsync(request, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task A_30_MB_file_from_a_signed_in_user_gets_the_size_message_not_a_413()
    {
        var (status, body) = await Upload(30 * 1024 * 1024, signedIn: true);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("O arquivo \"digitalizado.pdf\" é maior que o limite de 25 MB.", JsonNode.Parse(body)!["errors"]!["file"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_a_signed_in_user_Kestrel_keeps_its_default_limit()
    {
        try
        {
            var (status, _) = await Upload(30 * 1024 * 1024, signedIn: false);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        }
        catch (HttpRequestException e) when (e.InnerException is IOException)
        {
            // Kestrel answered 413 and closed the connection while the client was still writing the body: a busy machine
            // sometimes shows the closed connection before the answer. Either way the upload was cut off, not accepted.
        }
    }

    [Fact]
    public async Task A_request_over_the_request_limit_is_413()
    {
        var limits = _app!.Services.GetRequiredService<FileLimits>();
        Assert.Equal(4L * 26_214_400 + 1_048_576, limits.MaxRequestBytes);
        var (status, body) = await Upload(limits.MaxRequestBytes + 1, signedIn: true);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("Envie menos arquivos", body, StringComparison.Ordinal);
    }

    [Fact]
    public void The_API_answers_413_with_a_pt_BR_problem()
    {
        var problem = ApiErrors.ToProblem(new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge))!;
        Assert.Equal(413, problem.Status);
        Assert.Equal("Envio grande demais.", problem.Title);
        Assert.Equal(ApiErrors.TooLargeMessage, problem.Detail);
    }
}
