using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;

namespace Atende.Web.Tests.Webhooks;

/// <summary>An app that may deliver to loopback (<c>Atende:Webhooks:AllowPrivateTargets</c>), so a <see cref="WebhookReceiver"/> can stand in for a customer.</summary>
public sealed class LoopbackWebhooksSqliteFixture() : AppFixture("Sqlite", LoopbackWebhooks.Settings);

public sealed class LoopbackWebhooksPostgresFixture() : AppFixture("Postgres", LoopbackWebhooks.Settings);

public static class LoopbackWebhooks
{
    public static Dictionary<string, string> Settings => new() { ["Atende:Webhooks:AllowPrivateTargets"] = "true" };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Registers <paramref name="receiver"/> through the API; returns the endpoint with its secret.</summary>
    public static async Task<JsonObject> Register(HttpClient api, WebhookReceiver receiver, string description = "") =>
        await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url.ToString(), description }, Ct), HttpStatusCode.Created);

    /// <summary>Reads the delivery until the dispatcher has finished with it (Sent or Dead); 30 s bound a broken test, not a timing.</summary>
    public static async Task<JsonObject> Settled(HttpClient api, long endpointId, long deliveryId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var delivery = await TicketSteps.Json(await api.GetAsync($"/api/v1/webhooks/{endpointId}/deliveries/{deliveryId}", Ct), HttpStatusCode.OK);
            if (delivery["status"]!.GetValue<string>() is "Sent" or "Dead")
            {
                return delivery;
            }
            await Task.Delay(100, timeout.Token);
        }
    }
}
