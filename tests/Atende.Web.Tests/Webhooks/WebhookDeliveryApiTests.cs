using System.Net;
using System.Text.Json.Nodes;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;

namespace Atende.Web.Tests.Webhooks;

/// <summary>/webhooks/{id}/test, /deliveries (keyset pages, newest first) and /deliveries/{id}/retry against a loopback receiver.</summary>
public abstract class WebhookDeliveryApiTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_test_event_is_delivered_listed_newest_first_in_pages_and_sent_again_on_retry_with_the_same_webhook_id()
    {
        await using var receiver = await WebhookReceiver.Start(Ct);
        using var api = App.Api(fixture.AdminToken);
        var id = (await LoopbackWebhooks.Register(api, receiver))["id"]!.GetValue<long>();

        using var test = await api.PostAsync($"/api/v1/webhooks/{id}/test", null, Ct);
        var delivery = await TicketSteps.Json(test, HttpStatusCode.Created);
        var deliveryId = delivery["id"]!.GetValue<long>();
        Assert.Equal("webhook.test", delivery["eventType"]!.GetValue<string>());
        Assert.Contains(delivery["status"]!.GetValue<string>(), new[] { "Pending", "Sending", "Sent" });
        var received = (await receiver.WaitFor(1))[0];
        Assert.Equal(delivery["webhookId"]!.GetValue<string>(), received.Header("webhook-id"));
        Assert.Contains("\"webhook.test\"", received.Body, StringComparison.Ordinal);

        var sent = await LoopbackWebhooks.Settled(api, id, deliveryId);
        Assert.Equal("Sent", sent["status"]!.GetValue<string>());
        Assert.Equal(200, sent["lastStatusCode"]!.GetValue<int>());
        Assert.Equal(1, sent["attempts"]!.GetValue<int>());
        Assert.NotNull(sent["deliveredAt"]);

        var retried = await TicketSteps.Json(await api.PostAsync($"/api/v1/webhooks/{id}/deliveries/{deliveryId}/retry", null, Ct), HttpStatusCode.OK);
        Assert.Equal(deliveryId, retried["id"]!.GetValue<long>());
        var again = (await receiver.WaitFor(2))[1];
        Assert.Equal(received.Header("webhook-id"), again.Header("webhook-id"));
        await LoopbackWebhooks.Settled(api, id, deliveryId);

        // Two more tests: pages of two, newest first, the cursor leading to the oldest.
        var second = (await TicketSteps.Json(await api.PostAsync($"/api/v1/webhooks/{id}/test", null, Ct), HttpStatusCode.Created))["id"]!.GetValue<long>();
        var third = (await TicketSteps.Json(await api.PostAsync($"/api/v1/webhooks/{id}/test", null, Ct), HttpStatusCode.Created))["id"]!.GetValue<long>();
        var first = await TicketSteps.Json(await api.GetAsync($"/api/v1/webhooks/{id}/deliveries?limit=2", Ct), HttpStatusCode.OK);
        Assert.Equal([third, second], first["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>()));
        var next = first["next"]!.GetValue<string>();
        var last = await TicketSteps.Json(await api.GetAsync($"/api/v1/webhooks/{id}/deliveries?limit=2&after={Uri.EscapeDataString(next)}", Ct), HttpStatusCode.OK);
        Assert.Equal([deliveryId], last["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>()));
        Assert.Null(last["next"]);

        await TicketSteps.Problem(await api.PostAsync($"/api/v1/webhooks/{id}/deliveries/987654321/retry", null, Ct), HttpStatusCode.NotFound);
    }
}

public sealed class WebhookDeliveryApiTestsSqlite(LoopbackWebhooksSqliteFixture f) : WebhookDeliveryApiTests(f), IClassFixture<LoopbackWebhooksSqliteFixture>;

public sealed class WebhookDeliveryApiTestsPostgres(LoopbackWebhooksPostgresFixture f) : WebhookDeliveryApiTests(f), IClassFixture<LoopbackWebhooksPostgresFixture>;
