using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Atende.Web.Infrastructure;

/// <summary>
/// Running behind a reverse proxy (nginx, Caddy, a load balancer) that ends TLS. The proxy's <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c> are believed only when the connection comes from a known proxy: <c>Atende:Proxy:KnownProxies</c>
/// (addresses) and <c>Atende:Proxy:KnownNetworks</c> (CIDR ranges), each a list (<c>;</c> or <c>,</c> separated, or a
/// configuration array). Without either, loopback only, as ASP.NET Core does; setting either replaces that default. From any other
/// address the headers are ignored, so the scheme (secure cookies, HSTS) and the client address (rate limits, logs) stay those of
/// the socket. <c>X-Forwarded-Host</c> is never read: the Host header is checked against <c>AllowedHosts</c> as it comes.
/// HSTS (<c>Atende:Hsts:Enabled</c>, off by default; <c>MaxAgeDays</c> 365, <c>IncludeSubDomains</c> false) is sent on https
/// responses only, and never to localhost.
/// </summary>
public static class Proxy
{
    public static void AddAtendeProxy(this IServiceCollection services, IConfiguration config)
    {
        // Read now, so a wrong value stops the start instead of the first request.
        var proxies = List(config, "Atende:Proxy:KnownProxies").Select(p => IPAddress.TryParse(p, out var address)
            ? address
            : throw new InvalidOperationException($"Atende:Proxy:KnownProxies: '{p}' is not an IP address.")).ToList();
        var networks = List(config, "Atende:Proxy:KnownNetworks").Select(n => System.Net.IPNetwork.TryParse(n, out var range)
            ? range
            : throw new InvalidOperationException($"Atende:Proxy:KnownNetworks: '{n}' is not a network such as 10.0.0.0/8.")).ToList();
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            if (proxies.Count > 0 || networks.Count > 0)
            {
                o.KnownProxies.Clear();
                o.KnownIPNetworks.Clear();
                proxies.ForEach(o.KnownProxies.Add);
                networks.ForEach(o.KnownIPNetworks.Add);
            }
        });
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(config.GetValue("Atende:Hsts:MaxAgeDays", 365));
            o.IncludeSubDomains = config.GetValue("Atende:Hsts:IncludeSubDomains", false);
        });
        // The anti-forgery and TempData cookies follow the request's scheme, like the sign-in cookie (Auth.cs).
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.Configure<Microsoft.AspNetCore.Mvc.CookieTempDataProviderOptions>(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
    }

    /// <summary>First in the pipeline: everything after it sees the client's scheme and address.</summary>
    public static void UseAtendeProxy(this WebApplication app)
    {
        app.UseForwardedHeaders();
        if (app.Configuration.GetValue("Atende:Hsts:Enabled", false))
        {
            app.UseHsts();
        }
    }

    internal static string[] List(IConfiguration config, string key)
    {
        var section = config.GetSection(key);
        var values = section.GetChildren().Any() ? section.GetChildren().Select(c => c.Value ?? "") : (section.Value ?? "").Split([';', ',']);
        return [.. values.Select(v => v.Trim()).Where(v => v.Length > 0)];
    }
}
