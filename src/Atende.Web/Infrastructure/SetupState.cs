using Atende.Core.Settings;

namespace Atende.Web.Infrastructure;

/// <summary>Remembers once setup is done; until then, every page request goes to /setup.</summary>
public sealed class SetupState
{
    private volatile bool _done;

    public async Task<bool> IsDone(SetupService setup)
    {
        if (!_done)
        {
            _done = await setup.IsDone();
        }
        return _done;
    }

    private static readonly string[] AlwaysOpen = ["/setup", "/api", "/lib", "/css", "/js", "/healthz", "/metrics", "/openapi", "/scalar", "/Error", "/favicon.ico"];

    public static async Task RedirectUntilDone(HttpContext context, Func<Task> next)
    {
        var path = context.Request.Path;
        if (!AlwaysOpen.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)))
        {
            var state = context.RequestServices.GetRequiredService<SetupState>();
            if (!await state.IsDone(context.RequestServices.GetRequiredService<SetupService>()))
            {
                context.Response.Redirect("/setup");
                return;
            }
        }
        await next();
    }
}

public static class SecurityHeaders
{
    public static Task Add(HttpContext context, Func<Task> next)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        if (!context.Request.Path.StartsWithSegments("/scalar"))
        {
            // font-src data:: FullCalendar's script injects its icon font as a data: URL @font-face, and Chromium fetches a
            // data: font as soon as the rule exists, used or not (the agenda draws its chevrons with Bootstrap Icons), so
            // without it every agenda load logged a CSP violation. A font cannot run script; fonts from other sites stay refused.
            headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; font-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";
        }
        return next();
    }
}
