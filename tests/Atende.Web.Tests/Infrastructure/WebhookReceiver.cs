using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Atende.Web.Tests.Infrastructure;

/// <summary>How the receiver answers one request: status, headers, a wait before answering (infinite: it hangs until the
/// caller gives up), and a body of <see cref="BodySize"/> bytes of 'x' or the given <see cref="Body"/>. With
/// <see cref="HangAfterBytes"/> it stops after that many body bytes and waits for the caller to hang up.</summary>
public sealed record WebhookAnswer(
    int StatusCode = 200,
    IReadOnlyDictionary<string, string>? Headers = null,
    TimeSpan Delay = default,
    long BodySize = 0,
    string? Body = null,
    long? HangAfterBytes = null)
{
    public static readonly WebhookAnswer Ok = new();

    /// <summary>Never answers (until the caller hangs up or the receiver is disposed).</summary>
    public static WebhookAnswer Hang => new(Delay: Timeout.InfiniteTimeSpan);
}

/// <summary>One request the receiver got. <see cref="Answered"/> completes when its answer ends (sent whole, or the caller
/// hung up), with the body bytes written and flushed before then (a write the caller hung up on does not count).</summary>
public sealed class ReceivedWebhook
{
    private readonly TaskCompletionSource<long> _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal ReceivedWebhook(string method, string path, IReadOnlyDictionary<string, string> headers, string body)
    {
        Method = method;
        Path = path;
        Headers = headers;
        Body = body;
    }

    public string Method { get; }
    public string Path { get; }

    /// <summary>Header names are case-insensitive; a repeated header's values are joined with ", ".</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    public string Body { get; }
    public Task<long> Answered => _answered.Task;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    internal void Done(long bytes) => _answered.TrySetResult(bytes);
}

/// <summary>
/// An HTTP server on 127.0.0.1 (random port) that stands in for a customer's webhook endpoint: it records every request
/// (headers and body) and answers as the test scripts it, call by call (<see cref="Enqueue"/>), else with
/// <see cref="DefaultAnswer"/> (200). Dispose it to stop it; requests still hanging are let go.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<WebhookAnswer> _answers = new();
    private readonly List<ReceivedWebhook> _requests = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _arrived = new(0);

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>http://127.0.0.1:port/webhook</summary>
    public Uri Url { get; private set; } = null!;

    public int Port => Url.Port;

    /// <summary>The answer once the scripted ones are used up.</summary>
    public WebhookAnswer DefaultAnswer { get; set; } = WebhookAnswer.Ok;

    /// <summary>The requests so far, in order of arrival.</summary>
    public IReadOnlyList<ReceivedWebhook> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<WebhookReceiver> Start(CancellationToken ct = default)
    {
        // An empty builder: no appsettings.json or ASPNETCORE_ variables of the test folder can add endpoints or logs.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.Run(receiver.Receive);
        await app.StartAsync(ct);
        receiver.Url = new Uri(new Uri(app.Urls.First()), "/webhook");
        return receiver;
    }

    /// <summary>Scripts the next answers, one per request, in order.</summary>
    public void Enqueue(params WebhookAnswer[] answers)
    {
        foreach (var answer in answers)
        {
            _answers.Enqueue(answer);
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> requests have arrived (at most <paramref name="within"/>, 30 s
    /// by default: a bound for a failing test, not a timing) and returns them.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitFor(int count, TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(30));
        while (Requests.Count < count)
        {
            try
            {
                await _arrived.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The webhook receiver got {Requests.Count} of {count} requests.");
            }
        }
        return Requests;
    }

    private async Task Receive(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var received = new ReceivedWebhook(context.Request.Method, context.Request.Path + context.Request.QueryString, headers, body);
        lock (_requests)
        {
            _requests.Add(received);
        }
        _arrived.Release();

        var answer = _answers.TryDequeue(out var scripted) ? scripted : DefaultAnswer;
        long written = 0;
        using var gone = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            if (answer.Delay != TimeSpan.Zero)
            {
                await Task.Delay(answer.Delay, gone.Token);
            }
            context.Response.StatusCode = answer.StatusCode;
            foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }
            var bytes = answer.Body is null ? null : Encoding.UTF8.GetBytes(answer.Body);
            var size = bytes?.Length ?? answer.BodySize;
            context.Response.ContentLength = size;
            if (bytes is not null)
            {
                await context.Response.Body.WriteAsync(bytes, gone.Token);
                written = bytes.Length;
            }
            else
            {
                var chunk = new byte[64 * 1024];
                Array.Fill(chunk, (byte)'x');
                var end = Math.Min(size, answer.HangAfterBytes ?? size);
                while (written < end)
                {
                    var n = (int)Math.Min(chunk.Length, end - written);
                    await context.Response.Body.WriteAsync(chunk.AsMemory(0, n), gone.Token);
                    await context.Response.Body.FlushAsync(gone.Token);
                    written += n;
                }
                if (written < size)
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, gone.Token);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The caller hung up, or the receiver is stopping.
            context.Abort();
        }
        finally
        {
            received.Done(written);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
        _arrived.Dispose();
    }
}
