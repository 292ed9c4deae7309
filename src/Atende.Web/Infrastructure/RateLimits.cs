using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Atende.Web.Infrastructure;

/// <summary>
/// The per-client-address limits of what answers without a login or can be abused by a signed-in customer: a fixed window of a
/// minute each, then 429. Each is read from <c>Atende:RateLimits:&lt;Name&gt;PerMinute</c> (the public quote page keeps its
/// older key <c>Atende:PublicQuote:PermitPerMinute</c>).
/// </summary>
public static class RateLimits
{
    /// <summary>The public quote page (<c>/q/{token}</c>): tokens cannot be guessed by brute force.</summary>
    public const string PublicQuote = "public-quote";
    /// <summary>Signing in (page and <c>POST /api/v1/tokens</c>), on top of the account lockout.</summary>
    public const string Login = "login";
    /// <summary>"Esqueci minha senha": nobody can flood an address with reset e-mails.</summary>
    public const string ForgotPassword = "forgot-password";
    /// <summary>Accepting an invitation or using a reset link (choosing a password).</summary>
    public const string AccountLink = "account-link";
    /// <summary>A portal user opening requests ("Novo contato").</summary>
    public const string PortalRequest = "portal-request";

    public static void AddAtendeRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            Add(o, PublicQuote, configuration.GetValue("Atende:PublicQuote:PermitPerMinute", 30));
            Add(o, Login, configuration.GetValue("Atende:RateLimits:LoginPerMinute", 30));
            Add(o, ForgotPassword, configuration.GetValue("Atende:RateLimits:ForgotPasswordPerMinute", 5));
            Add(o, AccountLink, configuration.GetValue("Atende:RateLimits:AccountLinkPerMinute", 10));
            Add(o, PortalRequest, configuration.GetValue("Atende:RateLimits:PortalRequestPerMinute", 10));
        });
    }

    /// <summary>
    /// A fixed window of <paramref name="permits"/> requests a minute per client address — per signed-in user for portal requests
    /// (customers of one company may share an address). Only POSTs count, except on the public quote page.
    /// </summary>
    /// <remarks>
    /// The partition keys differ in kind ("get" / "ip:…" / "user:…"): a policy keeps one limiter per key, so a GET sharing the
    /// key of an address (none is known on a Unix socket or in the test server) would otherwise spend, or be refused by, its window.
    /// </remarks>
    private static void Add(RateLimiterOptions o, string name, int permits) =>
        o.AddPolicy(name, context => HttpMethods.IsGet(context.Request.Method) && name != PublicQuote
            ? RateLimitPartition.GetNoLimiter("get")
            : RateLimitPartition.GetFixedWindowLimiter(Client(context, name),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1) }));

    private static string Client(HttpContext context, string name) =>
        name == PortalRequest && context.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value is { } userId
            ? "user:" + userId
            : "ip:" + context.Connection.RemoteIpAddress;
}
