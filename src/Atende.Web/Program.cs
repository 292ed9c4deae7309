using System.Globalization;
using System.Text.Json.Serialization;
using Atende.Core.Demo;
using Atende.Core.Tickets;
using Atende.Web.Api;
using Atende.Web.Infrastructure;
using Atende.Web.Live;
using Microsoft.AspNetCore.Localization;
using Scalar.AspNetCore;

// "--demo", "--migrate-only" and the backup/restore commands are not configuration (Infrastructure/StartArgs.cs).
var (start, usageError) = StartArgs.Parse(args);
if (start is null)
{
    await Console.Error.WriteLineAsync(usageError);
    return 2;
}
var builder = WebApplication.CreateBuilder(start.Rest);
var dataPath = Path.GetFullPath(builder.Configuration["Atende:DataPath"] ?? Path.Combine(builder.Environment.ContentRootPath, "data"));
var demo = start.Demo || builder.Configuration.GetValue("Atende:Demo", false);
if (start.Command is not null)
{
    return await Backup.Run(start, builder.Configuration, dataPath);
}

builder.Services.AddAtendeDb(builder.Configuration, dataPath);
builder.Services.AddHostedService<SqliteStatistics>();
builder.Services.AddHttpContextAccessor();
builder.Services.AddAtendeDataProtection(builder.Configuration, dataPath);
builder.Services.AddAtendeProxy(builder.Configuration);
builder.Services.AddAtendeAuth();
builder.Services.AddAtendeFiles(builder.Configuration, dataPath);
builder.Services.AddAtendeCore(builder.Configuration);
builder.Services.AddSingleton<Atende.Core.Events.IResourceJson, Atende.Web.Api.ResourceJson>();
// Links in e-mails: Atende:PublicUrl, else the address saved in Configurações → Empresa, else the request's scheme and host,
// but only when AllowedHosts lists that host (with "*" any Host header gets through, and a forged one must not reach an e-mail).
var allowedHosts = (builder.Configuration["AllowedHosts"] ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
List<Microsoft.Extensions.Primitives.StringSegment> trustedHosts = allowedHosts.Contains("*") ? [] : [.. allowedHosts.Select(h => new Microsoft.Extensions.Primitives.StringSegment(h))];
builder.Services.AddScoped(sp =>
{
    var configured = builder.Configuration["Atende:PublicUrl"];
    if (!string.IsNullOrWhiteSpace(configured))
    {
        return new PublicLinks(configured, configured: true);
    }
    var request = sp.GetRequiredService<IHttpContextAccessor>().HttpContext?.Request;
    return request is not null && trustedHosts.Count > 0 && HostString.MatchesAny(request.Host.Host, trustedHosts)
        ? new PublicLinks($"{request.Scheme}://{request.Host}{request.PathBase}")
        : new PublicLinks(null);
});
builder.Services.AddSingleton<SetupState>();
// The pages that answer without a login (the public quote, sign-in, password links) and portal requests: limited per
// client address (Infrastructure/RateLimits.cs).
builder.Services.AddAtendeRateLimits(builder.Configuration);
builder.Services.AddAtendeLive(builder.Configuration);
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ApiErrors>();
// A body or parameter that can't be read is thrown to ApiErrors, which names the field (e.g. "status") in the 400.
builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.Converters.Add(new ApiEnumConverter());
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
    o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
    o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
    // Strict as the OpenAPI document says: a number is a JSON number (not "12"), and a key appears once.
    o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
    o.SerializerOptions.AllowDuplicateProperties = false;
});
builder.Services.AddOpenApi(OpenApiContract.Configure);
// Pages write pt-BR text as it is (UTF-8), not as character references (&#xE7;): lighter pages (the ticket list).
builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
    o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
builder.Services.AddRazorPages(o =>
{
    o.Conventions.ConfigureFilter(new CorePageErrors());
    // ConfigureFilter covers the root folder only: the portal's area gets the same filter.
    o.Conventions.AddAreaFolderApplicationModelConvention("Portal", "/", model => model.Filters.Add(new CorePageErrors()));
    o.Conventions.AllowAnonymousToPage("/Setup");
    o.Conventions.AllowAnonymousToPage("/Login");
    o.Conventions.AllowAnonymousToPage("/Account/ForgotPassword");
    o.Conventions.AllowAnonymousToPage("/Account/SetPassword");
    o.Conventions.AllowAnonymousToPage("/Error");
    o.Conventions.AllowAnonymousToPage("/PublicQuote");
    o.Conventions.AuthorizeFolder("/Settings", Auth.AdminPolicy);
    o.Conventions.AuthorizeFolder("/Partners", Auth.StaffPolicy);
    o.Conventions.AuthorizeFolder("/Conversations", Auth.StaffPolicy);
    o.Conventions.AuthorizeFolder("/Agenda", Auth.StaffPolicy);
    o.Conventions.AuthorizeFolder("/Tickets", Auth.StaffPolicy);
    o.Conventions.AuthorizeFolder("/Notifications", Auth.StaffPolicy);
    o.Conventions.AuthorizeFolder("/Quotes", Auth.StaffPolicy);
    o.Conventions.AuthorizeFolder("/Sales", Auth.StaffPolicy);
    o.Conventions.AuthorizeFolder("/Purchases", Auth.StaffPolicy);
    o.Conventions.AuthorizeFolder("/Pipelines", Auth.StaffPolicy);
    o.Conventions.AuthorizeAreaFolder("Portal", "/", Auth.PortalPolicy);
    o.Conventions.AddAreaPageRoute("Portal", "/Index", "/portal");
    o.Conventions.AddPageRoute("/Partners/Edit", "/partners/{id:long}/edit");
    o.Conventions.AddPageRoute("/Partners/Contact", "/partners/{id:long}/contacts/{contactId:long}/edit");
    o.Conventions.AddPageRoute("/Conversations/Edit", "/conversations/{id:long}");
    o.Conventions.AddPageRoute("/Quotes/Edit", "/quotes/{id:long}/edit");
    o.Conventions.AddPageRoute("/Settings/Users/Edit", "/settings/users/{id:long}/edit");
    o.Conventions.AddPageRoute("/Settings/Pipelines/Edit", "/settings/pipelines/{id:long}/edit");
    o.Conventions.AddPageRoute("/Settings/EmailTemplates/Edit", "/settings/email-templates/{id:long}/edit");
    o.Conventions.AddPageRoute("/Settings/Webhooks/Edit", "/settings/webhooks/{id:long}/edit");
});
builder.Services.AddAntiforgery(o => o.HeaderName = "RequestVerificationToken");
// JSON console logs in Production, /healthz and /healthz/ready, OpenTelemetry metrics at /metrics (Infrastructure/Observability.cs).
builder.AddAtendeObservability();

var app = builder.Build();
if (start.MigrateOnly)
{
    return await Database.MigrateOnly(app);
}
await app.PrepareDatabase();
// A key ring that cannot be read stops the start here, not at the first sign-in (Infrastructure/KeyRing.cs).
if (await KeyRing.Check(app) is { } keyRingProblem)
{
    await Console.Error.WriteLineAsync($"Atende cannot start: {keyRingProblem}");
    return 1;
}
if (demo)
{
    await using var scope = app.Services.CreateAsyncScope();
    await scope.ServiceProvider.GetRequiredService<DemoData>().FillIfEmpty();
}

// First: behind a known proxy, everything below sees the client's scheme and address (Infrastructure/Proxy.cs).
app.UseAtendeProxy();
var ptBr = new CultureInfo("pt-BR");
app.UseRequestLocalization(new RequestLocalizationOptions
{
    DefaultRequestCulture = new RequestCulture(ptBr),
    SupportedCultures = [ptBr, new CultureInfo("en")],
    SupportedUICultures = [ptBr, new CultureInfo("en")],
});
// The API answers RFC 9457 problem details; pages answer the friendly error page.
app.UseWhen(ctx => ctx.Request.Path.StartsWithSegments("/api"), api =>
{
    api.UseExceptionHandler(new ExceptionHandlerOptions { SuppressDiagnosticsCallback = ApiErrors.IsExpected });
    api.UseStatusCodePages();
    api.Use(Auth.ChallengeBearer);
});
app.UseWhen(ctx => !ctx.Request.Path.StartsWithSegments("/api"), pages =>
{
    pages.UseExceptionHandler(new ExceptionHandlerOptions
    {
        ExceptionHandlingPath = "/Error",
        StatusCodeSelector = ex => ApiErrors.ToProblem(ex)?.Status ?? 500,
        SuppressDiagnosticsCallback = ApiErrors.IsExpected,
    });
    pages.UseStatusCodePagesWithReExecute("/Error", "?code={0}");
});
app.Use(SecurityHeaders.Add);
app.UseStaticFiles();
app.UseRouting();
app.Use(SetupState.RedirectUntilDone);
app.UseAuthentication();
app.Use(Auth.LoadCaller);
app.Use(LiveServices.ReleaseDatabase);
// After authentication: portal requests are limited per user.
app.UseRateLimiter();
app.Use(FileUploads.AllowUploads);
app.UseAuthorization();

app.MapAtendeObservability();
app.MapOpenApi().AllowAnonymous();
app.MapScalarApiReference().AllowAnonymous();
app.MapRazorPages();
app.MapHub<LiveHub>("/hubs/live");
var api = app.MapGroup("/api/v1").RequireEnumNames();
SetupApi.Map(api);
TokensApi.Map(api);
WorkspacesApi.Map(api);
UsersApi.Map(api);
AccountApi.Map(api);
SettingsApi.Map(api);
PartnersApi.Map(api);
PartnersApi.MapDownloads(app);
ConversationsApi.Map(api);
QuotesApi.Map(api);
QuotesApi.MapDownloads(app);
PurchasesApi.Map(api);
ConversationsApi.MapDownloads(app);
PipelinesApi.Map(api);
TicketsApi.Map(api);
TicketsApi.MapDownloads(app);
NotificationsApi.Map(api);
PortalApi.Map(api);
ChatApi.Map(api);
ReportsApi.Map(api);
PortalApi.MapDownloads(app);
EmailApi.Map(api);
InboxApi.Map(api);
EmailTemplatesApi.Map(api);
WebhooksApi.Map(api);

await app.RunAsync();
return 0;

public partial class Program;
