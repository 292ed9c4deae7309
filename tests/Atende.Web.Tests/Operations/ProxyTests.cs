using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Dom;
using Atende.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Atende.Web.Tests.Operations;

/// <summary>
/// Gives a test-server request the socket address a real connection would have (the test server has none): the address in
/// <c>X-Test-Peer</c>, set in front of the app's pipeline, so the app's forwarded-headers handling sees a known or unknown peer.
/// </summary>
internal sealed class PeerAddress : IStartupFilter
{
    public const string Header = "X-Test-Peer";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Headers.TryGetValue(Header, out var peer))
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(peer.ToString());
                context.Request.Headers.Remove(Header);
            }
            return nextMiddleware();
        });
        next(app);
    };

    public static void Add(IServiceCollection services) => services.AddTransient<IStartupFilter, PeerAddress>();
}

/// <summary>An app whose only known proxy is 10.0.0.1, with two sign-ins a minute per client address.</summary>
public sealed class ProxyFixture() : AppFixtureWith(new()
{
    ["Atende:Proxy:KnownProxies"] = ProxyTests.KnownProxy,
    ["Atende:RateLimits:LoginPerMinute"] = "2",
    ["AllowedHosts"] = "localhost;atende.example",
});

/// <summary><see cref="AppFixture"/> on SQLite with settings and <see cref="PeerAddress"/>.</summary>
public abstract class AppFixtureWith(Dictionary<string, string> settings) : IAsyncLifetime
{
    public TestApp App { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        App = await TestApp.Start("Sqlite", settings, PeerAddress.Add);
        await App.Setup();
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// Behind a reverse proxy: X-Forwarded-Proto/For are believed from a known proxy only (Atende:Proxy:KnownProxies), so the
/// cookies are Secure when the user's connection is https, and the per-address rate limits count the user's address; the same
/// headers from anyone else change nothing. HSTS only when configured, only over https.
/// </summary>
public sealed class ProxyTests(ProxyFixture fixture) : IClassFixture<ProxyFixture>
{
    public const string KnownProxy = "10.0.0.1";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpRequestMessage Request(HttpMethod method, string url, string peer, string? forwardedProto, string? forwardedFor, string? host = null)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add(PeerAddress.Header, peer);
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        if (host is not null)
        {
            request.Headers.Host = host;
        }
        return request;
    }

    /// <summary>Signs in through the login form as a browser behind <paramref name="peer"/> would; returns every Set-Cookie seen.</summary>
    private async Task<List<string>> SignIn(string peer, string forwardedProto, string forwardedFor)
    {
        using var client = fixture.App.Api();
        var page = await client.SendAsync(Request(HttpMethod.Get, "/login", peer, forwardedProto, forwardedFor), Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var cookies = page.Headers.GetValues("Set-Cookie").ToList();
        var form = (await HtmlClient.Parse(page)).QuerySelector("form") as IHtmlFormElement;
        var fields = form!.Elements.OfType<IHtmlInputElement>().Where(i => !string.IsNullOrEmpty(i.Name) && i.Type is not ("submit" or "checkbox"))
            .ToDictionary(i => i.Name!, i => i.Value);
        fields["Input.Email"] = TestApp.AdminEmail;
        fields["Input.Password"] = TestApp.Password;
        var post = Request(HttpMethod.Post, "/login", peer, forwardedProto, forwardedFor);
        post.Content = new FormUrlEncodedContent(fields);
        post.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => c.Split(';')[0])));
        var signedIn = await client.SendAsync(post, Ct);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        cookies.AddRange(signedIn.Headers.GetValues("Set-Cookie"));
        Assert.Contains(cookies, c => c.StartsWith("atende.auth=", StringComparison.Ordinal));
        return cookies;
    }

    private static bool Secure(string setCookie) =>
        setCookie.Split(';').Skip(1).Any(a => a.Trim().Equals("secure", StringComparison.OrdinalIgnoreCase));

    [Fact]
    public async Task Https_forwarded_by_a_known_proxy_makes_every_cookie_secure()
    {
        var cookies = await SignIn(KnownProxy, "https", "203.0.113.10");
        Assert.True(Secure(cookies.Single(c => c.StartsWith("atende.auth=", StringComparison.Ordinal))), string.Join('\n', cookies));
        Assert.All(cookies, c => Assert.True(Secure(c), c));
    }

    [Fact]
    public async Task The_same_headers_from_an_unknown_address_are_ignored()
    {
        var cookies = await SignIn("10.9.9.9", "https", "203.0.113.11");
        Assert.All(cookies, c => Assert.False(Secure(c), c));

        // And plain http from the known proxy is plain http.
        Assert.All(await SignIn(KnownProxy, "http", "203.0.113.12"), c => Assert.False(Secure(c), c));
    }

    private async Task<List<HttpStatusCode>> FailedSignIns(string peer, params string[] forwardedFor)
    {
        using var client = fixture.App.Api();
        var answers = new List<HttpStatusCode>();
        foreach (var address in forwardedFor)
        {
            var request = Request(HttpMethod.Post, "/api/v1/tokens", peer, "https", address);
            request.Content = JsonContent.Create(new { email = "ninguem@test.com.br", password = "senha-errada-123" });
            answers.Add((await client.SendAsync(request, Ct)).StatusCode);
        }
        return answers;
    }

    [Fact]
    public async Task Rate_limits_count_the_forwarded_client_only_behind_a_known_proxy()
    {
        // Unknown peer: X-Forwarded-For is ignored, the socket address is the key, and changing the header buys nothing.
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests],
            await FailedSignIns("10.9.9.8", "198.51.100.1", "198.51.100.2", "198.51.100.3"));

        // Known proxy: each client behind it has its own window...
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 4),
            await FailedSignIns(KnownProxy, "198.51.100.11", "198.51.100.12", "198.51.100.13", "198.51.100.14"));
        // ...and one client is still limited.
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests],
            await FailedSignIns(KnownProxy, "198.51.100.20", "198.51.100.20", "198.51.100.20"));
    }

    private static async Task<string?> Hsts(TestApp app, string peer, string? forwardedProto)
    {
        using var client = app.Api();
        var response = await client.SendAsync(Request(HttpMethod.Get, "/healthz", peer, forwardedProto, "203.0.113.30", "atende.example"), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.TryGetValues("Strict-Transport-Security", out var values) ? string.Join(",", values) : null;
    }

    [Fact]
    public async Task Hsts_is_sent_only_when_configured_and_only_over_https()
    {
        Assert.Null(await Hsts(fixture.App, KnownProxy, "https"));

        await using var app = await TestApp.Start("Sqlite", new()
        {
            ["Atende:Proxy:KnownProxies"] = KnownProxy,
            ["Atende:Hsts:Enabled"] = "true",
            ["Atende:Hsts:MaxAgeDays"] = "180",
            ["AllowedHosts"] = "localhost;atende.example",
        }, PeerAddress.Add);
        Assert.Equal("max-age=15552000", await Hsts(app, KnownProxy, "https"));
        Assert.Null(await Hsts(app, KnownProxy, null));
        Assert.Null(await Hsts(app, "10.9.9.7", "https"));
    }
}
