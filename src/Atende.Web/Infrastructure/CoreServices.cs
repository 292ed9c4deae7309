using Atende.Core.Conversations;
using Atende.Core.Demo;
using Atende.Core.Email;
using Atende.Core.Events;
using Atende.Core.Identity;
using Atende.Core.Notifications;
using Atende.Core.Partners;
using Atende.Core.Pipelines;
using Atende.Core.Settings;
using Atende.Core.Tickets;
using Atende.Core.Webhooks;
using Atende.Core.Workspaces;

namespace Atende.Web.Infrastructure;

public static class CoreServices
{
    /// <summary>
    /// The Core feature services (one per request, on the request's AtendeDb and Caller), their options from "Atende:*",
    /// and the background dispatchers (e-mail outbox, webhooks, IMAP replies), each a singleton that is also the hosted service.
    /// </summary>
    public static IServiceCollection AddAtendeCore(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton<Atende.Core.Common.AtendeMeter>();
        services.AddSingleton<CallerCache>();
        services.AddSingleton<VersionedCache>();
        services.AddScoped<TokenService>();
        services.AddScoped<UserService>();
        services.AddScoped<AccountLinkService>();
        services.AddScoped<WorkspaceService>();
        services.AddScoped<SettingsService>();
        services.AddSingleton<TimeZoneCache>();
        services.AddScoped<SetupService>();
        services.AddScoped<PartnerService>();
        services.AddScoped<PartnerSpreadsheet>();
        services.AddScoped<PartnerImport>();
        services.AddScoped<ConversationService>();
        services.AddScoped<Atende.Core.Sales.QuoteService>();
        services.AddScoped<Atende.Core.Sales.QuoteApproval>();
        services.AddScoped<Atende.Core.Sales.QuoteCsv>();
        services.AddScoped<Atende.Core.Reports.ContactDataReport>();
        services.AddScoped<Atende.Core.Reports.DashboardService>();
        services.AddScoped<Atende.Core.Reports.PrintSheets>();
        services.AddScoped<Atende.Core.Sales.PurchaseService>();
        services.AddScoped<Atende.Core.Sales.PurchaseCsv>();
        services.AddScoped<ConversationFiles>();
        services.AddScoped<PipelineService>();
        services.AddScoped<TicketService>();
        services.AddScoped<TicketFiles>();
        services.AddScoped<EventLog>();
        services.AddScoped<NotificationService>();
        services.AddScoped<Core.Portal.PortalService>();
        services.AddScoped<Core.Chat.ChatService>();
        services.AddSingleton<Core.Chat.ChatPace>();
        services.AddScoped<DemoData>();

        services.Configure<EmailOptions>(config.GetSection("Atende:Email"));
        services.AddScoped<EmailOutbox>();
        services.AddScoped<EmailSettingsService>();
        services.AddScoped<OutboxService>();
        services.AddScoped<EmailTemplateService>();
        services.AddBackgroundDispatcher<OutboxDispatcher>();

        services.Configure<WebhookOptions>(config.GetSection("Atende:Webhooks"));
        services.AddScoped<WebhookService>();
        services.AddBackgroundDispatcher<WebhookDispatcher>();

        services.Configure<InboxOptions>(config.GetSection("Atende:Inbox"));
        services.AddSingleton<InboxSignal>();
        services.AddScoped<ImapSettingsService>();
        services.AddScoped<InboundMail>();
        services.AddScoped<InboxService>();
        services.AddBackgroundDispatcher<ImapPoller>();
        return services;
    }

    /// <summary>A background service that is also injectable (to wake it up, to read its state): one instance for both.</summary>
    private static void AddBackgroundDispatcher<T>(this IServiceCollection services) where T : class, IHostedService
    {
        services.AddSingleton<T>();
        services.AddHostedService(sp => sp.GetRequiredService<T>());
    }
}
