using System.Globalization;
using System.Text.Json.Serialization;
using Atende.Core.Conversations;
using Atende.Core.Email;
using Atende.Core.Identity;
using Atende.Core.Demo;
using Atende.Core.Partners;
using Atende.Core.Pipelines;
using Atende.Core.Tickets;
using Atende.Core.Settings;
using Atende.Core.Workspaces;
using Atende.Web.Api;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Localization;
using Scalar.AspNetCore;

// "--demo" is a switch, not configuration: left in args, the command-line provider would take the next
// argument as its value ("--demo --urls http://…" would lose the --urls).
var demoSwitch = args.Contains("--demo");
var builder = WebApplication.CreateBuilder(args.Where(a => a != "--demo").ToArray());
var dataPath = Path.GetFullPath(builder.Configuration["Atende:DataPath"] ?? Path.Combine(builder.Environment.ContentRootPath, "data"));
var demo = demoSwitch || builder.Configuration.GetValue("Atende:Demo", false);

builder.Services.AddAtendeDb(builder.Configuration, dataPath);
builder.Services.AddHostedService<SqliteStatistics>();
builder.Services.AddHttpContextAccessor();
builder.Services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataPath, "keys"))).SetApplicationName("Atende");
builder.Services.AddAtendeAuth();
builder.Services.AddAtendeFiles(builder.Configuration, dataPath);
builder.Services.AddScoped<TokenService>();
builder.Services.AddScoped<UserService>();
builder.Services.AddScoped<WorkspaceService>();
builder.Services.AddScoped<SettingsService>();
builder.Services.AddSingleton<TimeZoneCache>();
builder.Services.AddScoped<SetupService>();
builder.Services.AddScoped<PartnerService>();
builder.Services.AddScoped<PartnerCsv>();
builder.Services.AddScoped<ConversationService>();
builder.Services.AddScoped<ConversationFiles>();
builder.Services.AddScoped<PipelineService>();
builder.Services.AddScoped<TicketService>();
builder.Services.AddSingleton<Atende.Core.Events.IResourceJson, Atende.Web.Api.ResourceJson>();
builder.Services.AddScoped<Atende.Core.Events.EventLog>();
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
builder.Services.AddScoped<TicketFiles>();
builder.Services.AddScoped<Atende.Core.Notifications.NotificationService>();
builder.Services.AddScoped<DemoData>();
builder.Services.Configure<EmailOptions>(builder.Configuration.GetSection("Atende:Email"));
builder.Services.AddScoped<EmailOutbox>();
builder.Services.AddScoped<EmailSettingsService>();
builder.Services.AddScoped<OutboxService>();
builder.Services.AddScoped<EmailTemplateService>();
builder.Services.AddSingleton<OutboxDispatcher>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
builder.Services.Configure<InboxOptions>(builder.Configuration.GetSection("Atende:Inbox"));
builder.Services.Configure<Atende.Core.Webhooks.WebhookOptions>(builder.Configuration.GetSection("Atende:Webhooks"));
builder.Services.AddScoped<Atende.Core.Webhooks.WebhookService>();
builder.Services.AddSingleton<Atende.Core.Webhooks.WebhookDispatcher>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<Atende.Core.Webhooks.WebhookDispatcher>());
builder.Services.AddSingleton<InboxSignal>();
builder.Services.AddScoped<ImapSettingsService>();
builder.Services.AddScoped<InboundMail>();
builder.Services.AddScoped<InboxService>();
builder.Services.AddSingleton<ImapPoller>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<ImapPoller>());
builder.Services.AddSingleton<SetupState>();
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
});
builder.Services.AddOpenApi(o => o.AddSchemaTransformer(ApiEnumConverter.DescribeInOpenApi));
builder.Services.AddRazorPages(o =>
{
    o.Conventions.ConfigureFilter(new CorePageErrors());
    o.Conventions.AllowAnonymousToPage("/Setup");
    o.Conventions.AllowAnonymousToPage("/Login");
    o.Conventions.AllowAnonymousToPage("/Error");
    o.Conventions.AuthorizeFolder("/Settings", Auth.AdminPolicy);
    o.Conventions.AuthorizeFolder("/Partners", Auth.StaffPolicy);
    o.Conventions.AuthorizeFolder("/Conversations", Auth.StaffPolicy);
    o.Conventions.AuthorizeFolder("/Agenda", Auth.StaffPolicy);
    o.Conventions.AuthorizeFolder("/Tickets", Auth.StaffPolicy);
    o.Conventions.AuthorizeFolder("/Notifications", Auth.StaffPolicy);
    o.Conventions.AuthorizeFolder("/Pipelines", Auth.StaffPolicy);
    o.Conventions.AddPageRoute("/Partners/Edit", "/partners/{id:long}/edit");
    o.Conventions.AddPageRoute("/Partners/Contact", "/partners/{id:long}/contacts/{contactId:long}/edit");
    o.Conventions.AddPageRoute("/Conversations/Edit", "/conversations/{id:long}");
    o.Conventions.AddPageRoute("/Settings/Users/Edit", "/settings/users/{id:long}/edit");
    o.Conventions.AddPageRoute("/Settings/Pipelines/Edit", "/settings/pipelines/{id:long}/edit");
    o.Conventions.AddPageRoute("/Settings/EmailTemplates/Edit", "/settings/email-templates/{id:long}/edit");
    o.Conventions.AddPageRoute("/Settings/Webhooks/Edit", "/settings/webhooks/{id:long}/edit");
});
builder.Services.AddAntiforgery(o => o.HeaderName = "RequestVerificationToken");
builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");

var app = builder.Build();
await app.PrepareDatabase();
if (demo)
{
    await using var scope = app.Services.CreateAsyncScope();
    await scope.ServiceProvider.GetRequiredService<DemoData>().FillIfEmpty();
}

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
app.Use(FileUploads.AllowUploads);
app.UseAuthorization();

app.MapHealthChecks("/healthz").AllowAnonymous();
app.MapOpenApi().AllowAnonymous();
app.MapScalarApiReference().AllowAnonymous();
app.MapRazorPages();
var api = app.MapGroup("/api/v1").RequireEnumNames();
SetupApi.Map(api);
TokensApi.Map(api);
WorkspacesApi.Map(api);
UsersApi.Map(api);
SettingsApi.Map(api);
PartnersApi.Map(api);
PartnersApi.MapDownloads(app);
ConversationsApi.Map(api);
ConversationsApi.MapDownloads(app);
PipelinesApi.Map(api);
TicketsApi.Map(api);
TicketsApi.MapDownloads(app);
NotificationsApi.Map(api);
EmailApi.Map(api);
InboxApi.Map(api);
EmailTemplatesApi.Map(api);
WebhooksApi.Map(api);

await app.RunAsync();

public partial class Program;
