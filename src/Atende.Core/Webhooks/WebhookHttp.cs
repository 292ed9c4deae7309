using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Atende.Core.Webhooks;

/// <summary>What a webhook receiver answered: its status (null when none came), the first 1 KB of its body, how long it took,
/// the wait it asked for (Retry-After), and why no answer came.</summary>
public sealed record WebhookResponse(int? StatusCode, string Excerpt, TimeSpan Elapsed, TimeSpan? RetryAfter, string? Error);

/// <summary>A connection the webhook handler refused to open: the host resolved to a private address.</summary>
public sealed class WebhookTargetRefusedException : HttpRequestException
{
    public WebhookTargetRefusedException(string message) : base(message) { }
    public WebhookTargetRefusedException() { }
    public WebhookTargetRefusedException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>Sends webhooks: an HTTP handler that only connects where it may, and one POST read as little as needed.</summary>
public static class WebhookHttp
{
    public const int ExcerptBytes = 1024;
    public const string UserAgent = "Atende-Webhooks/1";

    /// <summary>
    /// The handler for the webhook <see cref="HttpClient"/>: no redirects (a receiver cannot send the POST elsewhere), no
    /// cookies, no proxy, 10 s to connect. It resolves each host itself and, unless <paramref name="allowPrivate"/>, never
    /// connects to a private address (<see cref="WebhookTargets.IsPrivate"/>): of the addresses a name resolves to, only the
    /// public ones are tried, and a name with none (now or after a DNS change: rebinding) fails with
    /// <see cref="WebhookTargetRefusedException"/>. The address checked is the address connected to, so the two cannot
    /// disagree. <paramref name="allowPrivate"/> is fixed for the handler's life: a changed setting needs a new client.
    /// </summary>
    public static HttpMessageHandler CreateHandler(bool allowPrivate) => new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        // An unread answer is not drained: the connection is closed instead.
        MaxResponseDrainSize = 0,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = (context, ct) => Connect(context.DnsEndPoint, allowPrivate, ct),
    };

    private static async ValueTask<Stream> Connect(DnsEndPoint endPoint, bool allowPrivate, CancellationToken ct)
    {
        var host = endPoint.Host.StartsWith('[') && endPoint.Host.EndsWith(']') ? endPoint.Host[1..^1] : endPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        IPAddress? refused = null;
        Exception? failure = null;
        foreach (var address in addresses)
        {
            if (!allowPrivate && WebhookTargets.IsPrivate(address))
            {
                refused ??= address;
                continue;
            }
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endPoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                failure = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        if (failure is not null)
        {
            throw failure;
        }
        if (refused is not null)
        {
            var name = host == refused.ToString() ? host : $"{host} ({refused})";
            throw new WebhookTargetRefusedException(
                $"endereço recusado: {name} é um endereço interno; webhooks só vão para endereços públicos");
        }
        throw new SocketException((int)SocketError.HostNotFound);
    }

    /// <summary>
    /// POSTs <paramref name="jsonBody"/> as application/json with <paramref name="headers"/> (webhook-id, webhook-timestamp,
    /// webhook-signature) and User-Agent Atende-Webhooks/1. Reads at most the first 1 KB of the answer, whatever its size.
    /// Never throws for what the receiver or the network does: no answer within <paramref name="timeout"/>, a refused
    /// connection or a refused target come back as <see cref="WebhookResponse.Error"/> with a null status. Only the
    /// cancellation of <paramref name="ct"/> throws. A body still arriving when the time runs out is cut where it stands:
    /// the status came, and it is the answer.
    /// </summary>
    public static async Task<WebhookResponse> Post(HttpClient client, Uri url, IReadOnlyDictionary<string, string> headers,
        string jsonBody, TimeSpan timeout, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(headers);
        var watch = Stopwatch.StartNew();
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(jsonBody)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timer.Token);
            var excerpt = await Excerpt(response, timer.Token);
            ct.ThrowIfCancellationRequested();
            return new WebhookResponse((int)response.StatusCode, excerpt, watch.Elapsed, RetryAfter(response.Headers, DateTimeOffset.UtcNow), null);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            return Failed($"tempo esgotado após {Seconds(timeout)} s");
        }
        catch (HttpRequestException e)
        {
            return Failed(Reason(e, url));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // An address HttpClient cannot send to (ftp:, relative), a header value it cannot write…
            return Failed(e.Message);
        }

        WebhookResponse Failed(string error) => new(null, "", watch.Elapsed, null, error);
    }

    /// <summary>The first 1 KB of the body as text; the rest is never read. A body that stops coming leaves what came.</summary>
    private static async Task<string> Excerpt(HttpResponseMessage response, CancellationToken ct)
    {
        var buffer = new byte[ExcerptBytes];
        var read = 0;
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            int n;
            while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), ct)) > 0)
            {
                read += n;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
            // The status already came; what the body had sent so far is the excerpt.
        }
        // A character cut at the 1 KB boundary is left out rather than shown as garbage.
        var chars = new char[read];
        var length = Encoding.UTF8.GetDecoder().GetChars(buffer, 0, read, chars, 0, flush: false);
        return new string(chars, 0, length);
    }

    /// <summary>The wait a Retry-After header asks for, in seconds or as an HTTP date (never negative).</summary>
    internal static TimeSpan? RetryAfter(HttpResponseHeaders headers, DateTimeOffset now)
    {
        var retryAfter = headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
        {
            return delta;
        }
        if (retryAfter?.Date is { } date)
        {
            return date > now ? date - now : TimeSpan.Zero;
        }
        return null;
    }

    private static string Reason(HttpRequestException e, Uri url)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is WebhookTargetRefusedException refused)
            {
                return refused.Message;
            }
            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => $"conexão recusada por {url.Authority}",
                    SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => $"servidor não encontrado: {url.IdnHost}",
                    SocketError.TimedOut => $"tempo esgotado ao conectar a {url.Authority}",
                    SocketError.NetworkUnreachable or SocketError.HostUnreachable => $"rede inalcançável para {url.Authority}",
                    _ => $"falha ao conectar a {url.Authority}: {socket.Message}",
                };
            }
        }
        return e.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => $"servidor não encontrado: {url.IdnHost}",
            HttpRequestError.SecureConnectionError => $"falha na conexão segura (TLS) com {url.Authority}: {e.InnerException?.Message ?? e.Message}",
            HttpRequestError.ResponseEnded => $"{url.Authority} encerrou a conexão sem responder",
            HttpRequestError.InvalidResponse => $"{url.Authority} deu uma resposta HTTP inválida",
            _ => e.Message,
        };
    }

    private static string Seconds(TimeSpan timeout) =>
        timeout.TotalSeconds.ToString("0.###", CultureInfo.GetCultureInfo("pt-BR"));
}
