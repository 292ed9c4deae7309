using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;

namespace Atende.Web.Tests.Webhooks;

/// <summary>What the webhook tests do through the API and at the receiver, on an in-process app or an app process alike.</summary>
public static class WebhookSteps
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Registers an endpoint for the receiver; returns its id and its secret (shown only in this answer).</summary>
    public static async Task<(long Id, string Secret)> Register(HttpClient api, WebhookReceiver receiver, params string[] events)
    {
        var created = await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/webhooks",
            new { url = receiver.Url.ToString(), events, description = "Receptor de teste", active = true }, Ct), HttpStatusCode.Created);
        return (created["id"]!.GetValue<long>(), created["secret"]!.GetValue<string>());
    }

    /// <summary>The endpoint's whole delivery log, every page of it.</summary>
    public static async Task<List<JsonObject>> Deliveries(HttpClient api, long endpointId)
    {
        var rows = new List<JsonObject>();
        string? after = null;
        do
        {
            var url = $"/api/v1/webhooks/{endpointId}/deliveries?limit=100" + (after is null ? "" : "&after=" + Uri.EscapeDataString(after));
            var page = await TicketSteps.Json(await api.GetAsync(url, Ct), HttpStatusCode.OK);
            rows.AddRange(page["items"]!.AsArray().Select(r => r!.AsObject()));
            after = page["next"]?.GetValue<string>();
        }
        while (after is not null);
        return rows;
    }

    /// <summary>The three Standard Webhooks headers of a request as the StandardWebhooks package reads them.</summary>
    public static HeaderDictionary HeadersOf(ReceivedWebhook request, string? signature = null) => new()
    {
        ["webhook-id"] = request.Header("webhook-id"),
        ["webhook-timestamp"] = request.Header("webhook-timestamp"),
        ["webhook-signature"] = signature ?? request.Header("webhook-signature"),
    };

    /// <summary>
    /// Checks a request with the StandardWebhooks package (signature, and a timestamp within its five minutes of now: verify
    /// soon after arrival); throws its WebhookVerificationException when it does not verify.
    /// </summary>
    public static void Verify(string secret, ReceivedWebhook request) => new StandardWebhook(secret).Verify(request.Body, HeadersOf(request));

    public static string WebhookId(this ReceivedWebhook request) => request.Header("webhook-id") ?? "";
}
