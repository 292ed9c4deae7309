using System.Net;
using System.Net.Sockets;
using Atende.Core.Webhooks;
using Atende.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;
using Xunit;

namespace Atende.Core.Tests.Webhooks;

/// <summary>Webhook POSTs against a real HTTP receiver on loopback.</summary>
public sealed class WebhookHttpTests : IAsyncLifetime
{
    private const string Body = """{"type":"ticket.created","data":{"id":42}}""";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private WebhookReceiver _receiver = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _receiver = await WebhookReceiver.Start(Ct);

    public ValueTask DisposeAsync() => _receiver.DisposeAsync();

    private static Task<WebhookResponse> Post(bool allowPrivate, Uri url, TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? headers = null, CancellationToken? ct = null)
    {
        var client = new HttpClient(WebhookHttp.CreateHandler(allowPrivate));
        return Send();

        async Task<WebhookResponse> Send()
        {
            using (client)
            {
                return await WebhookHttp.Post(client, url, headers ?? new Dictionary<string, string>(), Body, timeout ?? Timeout, ct ?? Ct);
            }
        }
    }

    private Uri Localhost => new UriBuilder(_receiver.Url) { Host = "localhost" }.Uri;

    [Fact]
    public async Task A_loopback_address_is_refused_when_connecting()
    {
        var response = await Post(allowPrivate: false, _receiver.Url);

        Assert.Null(response.StatusCode);
        Assert.Equal("endereço recusado: 127.0.0.1 é um endereço interno; webhooks só vão para endereços públicos", response.Error);
        Assert.Empty(_receiver.Requests);
    }

    [Fact]
    public async Task A_name_that_resolves_to_loopback_is_refused_when_connecting()
    {
        var response = await Post(allowPrivate: false, Localhost);

        Assert.Null(response.StatusCode);
        Assert.StartsWith("endereço recusado: localhost (", response.Error, StringComparison.Ordinal);
        Assert.Empty(_receiver.Requests);
    }

    [Fact]
    public async Task The_webhook_arrives_signed_with_its_headers_when_private_targets_are_allowed()
    {
        var secret = WebhookSecret.New();
        var now = DateTimeOffset.UtcNow;
        var headers = new Dictionary<string, string>
        {
            ["webhook-id"] = "msg_7",
            ["webhook-timestamp"] = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["webhook-signature"] = WebhookSignature.Sign("msg_7", now, Body, [secret]),
        };
        _receiver.Enqueue(new WebhookAnswer(Body: "recebido"));

        var response = await Post(allowPrivate: true, _receiver.Url, headers: headers);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("recebido", response.Excerpt);
        Assert.Null(response.Error);
        var received = Assert.Single(_receiver.Requests);
        Assert.Equal("POST", received.Method);
        Assert.Equal("/webhook", received.Path);
        Assert.Equal(Body, received.Body);
        Assert.Equal("application/json", received.Header("Content-Type"));
        Assert.Equal("Atende-Webhooks/1", received.Header("User-Agent"));
        Assert.Equal("msg_7", received.Header("webhook-id"));
        Assert.Null(received.Header("Cookie"));
        var asReceived = new HeaderDictionary();
        foreach (var (name, value) in received.Headers)
        {
            asReceived[name] = value;
        }
        new StandardWebhook(secret).Verify(received.Body, asReceived);
    }

    [Fact]
    public async Task A_name_that_resolves_to_loopback_is_reached_when_private_targets_are_allowed()
    {
        var response = await Post(allowPrivate: true, Localhost);

        Assert.Equal(200, response.StatusCode);
        Assert.Single(_receiver.Requests);
    }

    [Fact]
    public async Task A_redirect_is_returned_not_followed()
    {
        _receiver.Enqueue(new WebhookAnswer(302, new Dictionary<string, string> { ["Location"] = _receiver.Url + "?again" }));

        var response = await Post(allowPrivate: true, _receiver.Url);

        Assert.Equal(302, response.StatusCode);
        Assert.Null(response.Error);
        Assert.Equal("/webhook", Assert.Single(_receiver.Requests).Path);
    }

    [Fact]
    public async Task Of_a_10_MB_answer_only_the_first_kilobyte_is_read()
    {
        _receiver.Enqueue(new WebhookAnswer(BodySize: 10 * 1024 * 1024));

        var response = await Post(allowPrivate: true, _receiver.Url);

        Assert.Equal(200, response.StatusCode);
        Assert.Null(response.Error);
        Assert.Equal(new string('x', 1024), response.Excerpt);
    }

    [Fact]
    public async Task The_sender_hangs_up_after_the_first_kilobyte()
    {
        // 64 KB of a 10 MB body, then nothing: a sender that read on, or drained the rest, would wait for the timeout.
        _receiver.Enqueue(new WebhookAnswer(BodySize: 10 * 1024 * 1024, HangAfterBytes: 64 * 1024));

        var response = await Post(allowPrivate: true, _receiver.Url);

        Assert.Equal(200, response.StatusCode);
        Assert.Null(response.Error);
        Assert.Equal(new string('x', 1024), response.Excerpt);
        // The receiver's answer ends only when the sender closes the connection.
        var written = await Assert.Single(_receiver.Requests).Answered.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.InRange(written, 0, 64 * 1024);
    }

    [Fact]
    public async Task A_character_cut_at_the_kilobyte_is_left_out()
    {
        _receiver.Enqueue(new WebhookAnswer(Body: new string('x', 1023) + "ção"));

        var response = await Post(allowPrivate: true, _receiver.Url);

        Assert.Equal(new string('x', 1023), response.Excerpt);
    }

    [Fact]
    public async Task A_receiver_that_hangs_times_out()
    {
        _receiver.Enqueue(WebhookAnswer.Hang);

        var response = await Post(allowPrivate: true, _receiver.Url, timeout: TimeSpan.FromSeconds(1));

        Assert.Null(response.StatusCode);
        Assert.Equal("tempo esgotado após 1 s", response.Error);
        Assert.Single(_receiver.Requests);
    }

    [Fact]
    public async Task Cancelling_throws()
    {
        _receiver.Enqueue(WebhookAnswer.Hang);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var post = Post(allowPrivate: true, _receiver.Url, ct: cancel.Token);
        await _receiver.WaitFor(1);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => post);
    }

    [Fact]
    public async Task Retry_after_in_seconds_is_read()
    {
        _receiver.Enqueue(new WebhookAnswer(429, new Dictionary<string, string> { ["Retry-After"] = "7" }));

        var response = await Post(allowPrivate: true, _receiver.Url);

        Assert.Equal(429, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.RetryAfter);
    }

    [Fact]
    public void Retry_after_as_a_date_is_the_wait_until_then()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        response.Headers.TryAddWithoutValidation("Retry-After", "Sun, 06 Dec 2026 08:00:30 GMT");
        var now = new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromSeconds(30), WebhookHttp.RetryAfter(response.Headers, now));
        Assert.Equal(TimeSpan.Zero, WebhookHttp.RetryAfter(response.Headers, now.AddMinutes(5)));
        Assert.Null(WebhookHttp.RetryAfter(new HttpResponseMessage().Headers, now));
    }

    [Fact]
    public async Task A_refused_connection_is_an_error_not_an_exception()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var response = await Post(allowPrivate: true, new Uri($"http://127.0.0.1:{port}/webhook"));

        Assert.Null(response.StatusCode);
        Assert.Equal($"conexão recusada por 127.0.0.1:{port}", response.Error);
    }

    [Fact]
    public async Task An_address_http_cannot_send_to_is_an_error_not_an_exception()
    {
        var response = await Post(allowPrivate: true, new Uri("ftp://127.0.0.1/webhook"));

        Assert.Null(response.StatusCode);
        Assert.NotNull(response.Error);
    }
}
