using System.Security.Claims;
using System.Text.Encodings.Web;
using Atende.Core.Data;
using Atende.Core.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Htmx;

namespace Atende.Web.Infrastructure;

public static class Auth
{
    public const string Bearer = "Bearer";
    public const string Smart = "Smart";
    public const string StaffPolicy = "Staff";
    public const string AdminPolicy = "Admin";
    /// <summary>The customer portal (pages under /portal and /api/v1/portal): Portal users only; staff have their own screens.</summary>
    public const string PortalPolicy = "Portal";

    public static void AddAtendeAuth(this IServiceCollection services)
    {
        services.AddIdentityCore<User>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 4;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddErrorDescriber<PtBrIdentityErrors>()
            .AddClaimsPrincipalFactory<ClaimsFactory>()
            .AddEntityFrameworkStores<AtendeDb>()
            .AddSignInManager();

        services.AddAuthentication(Smart)
            .AddPolicyScheme(Smart, Smart, o => o.ForwardDefaultSelector = SelectScheme)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(Bearer, null)
            .AddCookie(IdentityConstants.ApplicationScheme, o =>
            {
                o.Cookie.Name = "atende.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/login";
                o.LogoutPath = "/logout";
                o.AccessDeniedPath = "/acesso-negado";
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                o.SlidingExpiration = true;
                o.Events.OnRedirectToLogin = ctx => ApiAware(ctx, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = ctx => ApiAware(ctx, StatusCodes.Status403Forbidden);
            });
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(StaffPolicy, p => p.RequireRole(nameof(UserRole.Admin), nameof(UserRole.Agent)))
            .AddPolicy(AdminPolicy, p => p.RequireRole(nameof(UserRole.Admin)))
            .AddPolicy(PortalPolicy, p => p.RequireRole(nameof(UserRole.Portal)));

        services.AddScoped(sp => sp.GetRequiredService<IHttpContextAccessor>().HttpContext?.Items[typeof(Caller)] as Caller
            ?? throw new InvalidOperationException("No authenticated caller for this request."));
    }

    /// <summary>API calls carrying a bearer token use it; the API accepts the session cookie only for reading.</summary>
    private static string SelectScheme(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Bearer;
        }
        var isApi = context.Request.Path.StartsWithSegments("/api");
        if (isApi && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            return Bearer;
        }
        return IdentityConstants.ApplicationScheme;
    }

    private static Task ApiAware(RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api") || ctx.Request.IsHtmx())
        {
            ctx.Response.StatusCode = status;
            if (ctx.Request.IsHtmx() && status == StatusCodes.Status401Unauthorized)
            {
                ctx.Response.Headers["HX-Redirect"] = ctx.RedirectUri;
            }
            return Task.CompletedTask;
        }
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Every 401 of the API names the scheme a client should use (RFC 9110 §11.6.1), whichever part answered it: the
    /// bearer handler, the cookie scheme a GET without a token falls to, or an endpoint refusing credentials.
    /// </summary>
    public static Task ChallengeBearer(HttpContext context, Func<Task> next)
    {
        context.Response.OnStarting(() =>
        {
            if (context.Response.StatusCode == StatusCodes.Status401Unauthorized && !context.Response.Headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.WWWAuthenticate))
            {
                context.Response.Headers.WWWAuthenticate = Bearer;
            }
            return Task.CompletedTask;
        });
        return next();
    }

    public static ClaimsPrincipal PrincipalFor(Caller caller, string scheme) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, caller.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Name, caller.Name),
            new Claim(ClaimTypes.Role, caller.Role.ToString()),
        ], scheme));

    /// <summary>
    /// Loads the caller of an authenticated request (role and workspace grants) for the Core services, through
    /// <see cref="CallerCache"/> (a bearer token's caller came with the token). A session cookie is re-checked at the same
    /// time: a deactivated user or a changed security stamp ends it at the next request, on every node.
    /// </summary>
    public static async Task LoadCaller(HttpContext context, Func<Task> next)
    {
        if (context.User.Identity?.IsAuthenticated == true && !context.Items.ContainsKey(typeof(Caller))
            && long.TryParse(context.User.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            var db = context.RequestServices.GetRequiredService<AtendeDb>();
            var isSession = context.User.Identity.AuthenticationType == IdentityConstants.ApplicationScheme;
            var caller = isSession
                ? await context.RequestServices.GetRequiredService<CallerCache>().Session(db, userId,
                    context.User.FindFirstValue("AspNet.Identity.SecurityStamp") ?? "", context.RequestAborted)
                : await CallerFactory.Load(db, userId, ct: context.RequestAborted);
            if (caller is null)
            {
                context.User = new ClaimsPrincipal(new ClaimsIdentity());
                if (isSession)
                {
                    await context.SignOutAsync(IdentityConstants.ApplicationScheme);
                }
            }
            else
            {
                context.Items[typeof(Caller)] = caller;
                SyncRole(context.User, caller.Role);
            }
        }
        await next();
    }

    /// <summary>The role in a session cookie was read at login: replace it with the current one, so a role change applies at once.</summary>
    private static void SyncRole(ClaimsPrincipal principal, UserRole role)
    {
        if (principal.Identity is not ClaimsIdentity identity || principal.IsInRole(role.ToString()))
        {
            return;
        }
        foreach (var claim in identity.FindAll(identity.RoleClaimType).ToList())
        {
            identity.RemoveClaim(claim);
        }
        identity.AddClaim(new Claim(identity.RoleClaimType, role.ToString()));
    }
}

/// <summary>Authenticates "Authorization: Bearer atd_…" personal API tokens.</summary>
public sealed class BearerTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, TokenService tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        var caller = await tokens.Authenticate(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (caller is null)
        {
            return AuthenticateResult.Fail("Invalid or revoked token.");
        }
        Context.Items[typeof(Caller)] = caller;
        return AuthenticateResult.Success(new AuthenticationTicket(Auth.PrincipalFor(caller, Scheme.Name), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        // RFC 6750 §3.1: a token that was sent but is unknown, revoked or expired is "invalid_token".
        Response.Headers.WWWAuthenticate = Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? "Bearer error=\"invalid_token\""
            : "Bearer";
        return Task.CompletedTask;
    }
}
