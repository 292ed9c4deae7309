using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Atende.Core.Data;
using Atende.Core.Webhooks;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StandardWebhooks;

namespace Atende.Web.Tests.Webhooks;

/// <summary>An app that may deliver to the loopback receiver, polls often and retries after half a second.</summary>
public abstract class WebhookFixture(string provider) : AppFixture(provider, new()
{
    ["Atende:Webhooks:AllowPrivateTargets"] = "true",
    ["Atende:Webhooks:PollSeconds"] = "0.2",
    ["Atende:Webhooks:RetrySchedule"] = "0,0.5,0.5,0.5",
    ["Atende:Webhooks:TimeoutSeconds"] = "3",
});

public sealed class WebhookSqliteFixture() : WebhookFixture("Sqlite");

public sealed class WebhookPostgresFixture() : WebhookFixture("Postgres");

/// <summary>
/// SPEC S9: events reach a real HTTP receiver on loopback, signed per Standard Webhooks (checked with the StandardWebhooks
/// package, which nobody here wrote), retried with the same webhook-id, and the receiver's answers are obeyed.
/// </summary>
public abstract class WebhookDeliveryTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Admin() => App.Api(fixture.AdminToken);

    /// <summary>An endpoint for the receiver, removed when the test ends so later tests' events don't go to a stopped receiver.</summary>
    private sealed class Endpoint(HttpClient api, long id, string secret) : IAsyncDisposable
    {
        public long Id => id;
        public string Secret => secret;

        public async ValueTask DisposeAsync()
        {
            await api.DeleteAsync($"/api/v1/webhooks/{id}", CancellationToken.None);
            api.Dispose();
        }
    }

    private async Task<Endpoint> Register(WebhookReceiver receiver, params string[] events)
    {
        var api = Admin();
        var (id, secret) = await WebhookSteps.Register(api, receiver, events);
        return new Endpoint(api, id, secret);
    }

    private async Task<(long PipelineId, long PartnerId, long ContactId)> Requester()
    {
        using var api = Admin();
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio"));
        var pipeline = await TicketSteps.Pipeline(api);
        var (partnerId, contactId) = await TicketSteps.Partner(api, workspaceId, TicketSteps.Unique("Cliente"), "Maria Souza");
        return (pipeline["id"]!.GetValue<long>(), partnerId, contactId);
    }

    private static JsonObject BodyOf(ReceivedWebhook request) => JsonNode.Parse(request.Body)!.AsObject();

    private async Task<JsonObject> Get(string url)
    {
        using var api = Admin();
        return await TicketSteps.Json(await api.GetAsync(url, Ct), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Ticket_events_arrive_signed_with_the_resource_as_its_GET_answers()
    {
        await using var receiver = await WebhookReceiver.Start(Ct);
        await using var endpoint = await Register(receiver, "ticket.created", "ticket.status_changed", "ticket.interaction_added");
        var (pipelineId, partnerId, contactId) = await Requester();
        using var api = Admin();

        var ticket = await TicketSteps.Ticket(api, pipelineId, partnerId, contactId, "Impressora não liga");
        var id = ticket["id"]!.GetValue<long>();
        await TicketSteps.Json(await api.PostAsJsonAsync($"/api/v1/tickets/{id}/interactions", new { body = "<p>Liguei para o cliente.</p>" }, Ct), HttpStatusCode.Created);
        await TicketSteps.Json(await api.PostAsJsonAsync($"/api/v1/tickets/{id}/status", new { status = "Analyzing" }, Ct), HttpStatusCode.OK);

        var requests = await receiver.WaitFor(3);
        var verifier = new StandardWebhook(endpoint.Secret);
        foreach (var request in requests)
        {
            verifier.Verify(request.Body, WebhookSteps.HeadersOf(request));
            Assert.StartsWith("msg_", request.Header("webhook-id"));
            Assert.Equal("application/json", request.Header("content-type"));
        }
        Assert.Equal(3, requests.Select(r => r.Header("webhook-id")).Distinct().Count());
        var byType = requests.ToDictionary(r => BodyOf(r)["type"]!.GetValue<string>(), BodyOf);
        Assert.Equal(["ticket.created", "ticket.interaction_added", "ticket.status_changed"], byType.Keys.Order());

        // The last ticket event carries the ticket exactly as GET answers it now; the interaction as the timeline lists it.
        Assert.True(JsonNode.DeepEquals(await Get($"/api/v1/tickets/{id}"), byType["ticket.status_changed"]["data"]),
            byType["ticket.status_changed"]["data"]!.ToJsonString());
        Assert.Equal("Open", byType["ticket.created"]["data"]!["status"]!.GetValue<string>());
        var timeline = (await Get($"/api/v1/tickets/{id}/interactions"))["items"]!.AsArray();
        Assert.True(JsonNode.DeepEquals(timeline[0], byType["ticket.interaction_added"]["data"]), byType["ticket.interaction_added"]["data"]!.ToJsonString());
        Assert.Equal(id, byType["ticket.interaction_added"]["data"]!["ticketId"]!.GetValue<long>());
        Assert.True(DateTimeOffset.TryParse(byType["ticket.created"]["timestamp"]!.GetValue<string>(), out _));

        // A change it did not subscribe to (a partner edit) sends nothing more.
        await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/partners", new { name = TicketSteps.Unique("Outro"), workspaceId = (await Get($"/api/v1/partners/{partnerId}"))["workspaceId"]!.GetValue<long>() }, Ct), HttpStatusCode.Created);
        await Delivered(endpoint.Id, 3);
        Assert.Equal(3, receiver.Requests.Count);
    }

    [Fact]
    public async Task Quote_events_arrive_signed_with_the_quote_as_its_GET_answers()
    {
        await using var receiver = await WebhookReceiver.Start(Ct);
        await using var endpoint = await Register(receiver, "quote.created", "quote.sent", "quote.approved", "quote.rejected");
        var (pipelineId, partnerId, contactId) = await Requester();
        using var api = Admin();
        // Sending needs SMTP settings and the Atende's public address (for the approval link); the contact needs an e-mail.
        await TicketSteps.Json(await api.PutAsJsonAsync("/api/v1/settings/smtp", new { host = "127.0.0.1", port = 1, security = "None", fromName = "Vendas", fromAddress = "vendas@empresa.test" }, Ct), HttpStatusCode.OK);
        var company = await Get("/api/v1/settings/company");
        await TicketSteps.Json(await api.PutAsJsonAsync("/api/v1/settings/company", new { name = company["name"]!.GetValue<string>(), timeZone = "America/Sao_Paulo", publicUrl = "https://atende.empresa.test" }, Ct), HttpStatusCode.OK);
        var contact = await Get($"/api/v1/partners/{partnerId}/contacts/{contactId}");
        await TicketSteps.Json(await TicketSteps.Patch(api, $"/api/v1/partners/{partnerId}/contacts/{contactId}", new { emails = new[] { "maria@cliente.test" } }, $"\"{contact["version"]}\""), HttpStatusCode.OK);
        var ticketId = (await TicketSteps.Ticket(api, pipelineId, partnerId, contactId, "Orçamento de reforma"))["id"]!.GetValue<long>();
        var items = new[] { new { description = "Reforma da fachada", quantity = 1, unitPrice = 4500 } };
        var approvedId = (await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/quotes", new { ticketId, items }, Ct), HttpStatusCode.Created))["id"]!.GetValue<long>();
        var rejectedId = (await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/quotes", new { ticketId, items }, Ct), HttpStatusCode.Created))["id"]!.GetValue<long>();
        async Task Act(string url)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(new { }) };
            request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
            await TicketSteps.Json(await api.SendAsync(request, Ct), HttpStatusCode.OK);
        }
        await Act($"/api/v1/quotes/{approvedId}/send");
        await Act($"/api/v1/quotes/{approvedId}/approve");
        await Act($"/api/v1/quotes/{rejectedId}/reject");

        var requests = await receiver.WaitFor(5);
        foreach (var request in requests)
        {
            WebhookSteps.Verify(endpoint.Secret, request);
        }
        var events = requests.Select(BodyOf).ToList();
        Assert.Equal(["quote.approved", "quote.created", "quote.created", "quote.rejected", "quote.sent"], events.Select(e => e["type"]!.GetValue<string>()).Order());
        // The decision's event carries the quote exactly as GET answers it now.
        var approved = events.Single(e => e["type"]!.GetValue<string>() == "quote.approved")["data"]!;
        Assert.True(JsonNode.DeepEquals(await Get($"/api/v1/quotes/{approvedId}"), approved), approved.ToJsonString());
        Assert.Equal("PendingApproval", events.Single(e => e["type"]!.GetValue<string>() == "quote.sent")["data"]!["state"]!.GetValue<string>());
        Assert.Equal(rejectedId, events.Single(e => e["type"]!.GetValue<string>() == "quote.rejected")["data"]!["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_failure_is_retried_with_the_same_webhook_id_and_Retry_After_is_honoured()
    {
        await using var receiver = await WebhookReceiver.Start(Ct);
        receiver.Enqueue(new WebhookAnswer(500, Body: "erro interno"),
            new WebhookAnswer(429, new Dictionary<string, string> { ["Retry-After"] = "3" }),
            WebhookAnswer.Ok);
        await using var endpoint = await Register(receiver, "partner.created");
        using var api = Admin();
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio"));
        await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/partners", new { name = TicketSteps.Unique("Cliente"), workspaceId }, Ct), HttpStatusCode.Created);

        var requests = await receiver.WaitFor(3);
        Assert.Single(requests.Select(r => r.Header("webhook-id")).Distinct());
        Assert.Single(requests.Select(r => BodyOf(r).ToJsonString()).Distinct());
        // The schedule says half a second; the receiver asked for three.
        var waited = long.Parse(requests[2].Header("webhook-timestamp")!) - long.Parse(requests[1].Header("webhook-timestamp")!);
        Assert.True(waited >= 2, $"the retry after 429 + Retry-After: 3 came {waited} s later");

        var log = await Delivered(endpoint.Id, 1);
        var row = log[0]!;
        Assert.Equal(3, row["attempts"]!.GetValue<int>());
        Assert.Equal(200, row["lastStatusCode"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_receiver_that_keeps_failing_gets_each_event_until_the_schedule_ends_then_it_is_given_up()
    {
        await using var receiver = await WebhookReceiver.Start(Ct);
        receiver.DefaultAnswer = new WebhookAnswer(503, Body: new string('x', 5000));
        await using var endpoint = await Register(receiver, "partner.created");
        using var api = Admin();
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio"));
        await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/partners", new { name = TicketSteps.Unique("Cliente"), workspaceId }, Ct), HttpStatusCode.Created);

        await receiver.WaitFor(4);
        var row = (await WaitForDelivery(endpoint.Id, d => d["status"]!.GetValue<string>() == "Dead"))!;
        Assert.Equal(4, row["attempts"]!.GetValue<int>());
        Assert.Equal(503, row["lastStatusCode"]!.GetValue<int>());
        Assert.Equal(1024, row["lastResponse"]!.GetValue<string>().Length);
        Assert.Contains("Desistiu após 4 tentativas", row["lastError"]!.GetValue<string>());
        await Task.Delay(1500, Ct);
        Assert.Equal(4, receiver.Requests.Count);

        // Reenviar: once more, with the same webhook-id.
        await TicketSteps.Json(await api.PostAsync($"/api/v1/webhooks/{endpoint.Id}/deliveries/{row["id"]}/retry", null, Ct), HttpStatusCode.OK);
        receiver.DefaultAnswer = WebhookAnswer.Ok;
        var again = await receiver.WaitFor(5);
        Assert.Equal(again[0].Header("webhook-id"), again[4].Header("webhook-id"));
        await Delivered(endpoint.Id, 1);
    }

    [Fact]
    public async Task Gone_turns_the_endpoint_off_and_tells_the_admins()
    {
        await using var receiver = await WebhookReceiver.Start(Ct);
        receiver.DefaultAnswer = new WebhookAnswer(410);
        await using var endpoint = await Register(receiver, "partner.created");
        using var api = Admin();
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio"));
        await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/partners", new { name = TicketSteps.Unique("Cliente"), workspaceId }, Ct), HttpStatusCode.Created);
        await receiver.WaitFor(1);

        var row = await WaitForDelivery(endpoint.Id, d => d["status"]!.GetValue<string>() == "Dead");
        Assert.Equal(410, row!["lastStatusCode"]!.GetValue<int>());
        var state = await Get($"/api/v1/webhooks/{endpoint.Id}");
        Assert.False(state["active"]!.GetValue<bool>());
        Assert.Contains("410", state["disabledReason"]!.GetValue<string>());
        var notices = await Get("/api/v1/notifications");
        Assert.Contains(notices["items"]!.AsArray(), n => n!["text"]!.GetValue<string>().Contains(receiver.Url.ToString(), StringComparison.Ordinal));

        // Off: the next event is not even queued for it.
        await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/partners", new { name = TicketSteps.Unique("Cliente"), workspaceId }, Ct), HttpStatusCode.Created);
        await Task.Delay(1000, Ct);
        Assert.Single((await Get($"/api/v1/webhooks/{endpoint.Id}/deliveries"))["items"]!.AsArray());
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task Five_days_of_failures_without_a_success_turn_the_endpoint_off()
    {
        await using var receiver = await WebhookReceiver.Start(Ct);
        receiver.DefaultAnswer = new WebhookAnswer(500);
        await using var endpoint = await Register(receiver, "partner.created");
        // It has been failing since six days ago (every earlier delivery failed); one more failure is the last straw.
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
            var since = DateTimeOffset.UtcNow.AddDays(-6);
            await db.WebhookEndpoints.Where(e => e.Id == endpoint.Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.FailingSince, since), Ct);
        }
        using var api = Admin();
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio"));
        await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/partners", new { name = TicketSteps.Unique("Cliente"), workspaceId }, Ct), HttpStatusCode.Created);
        await receiver.WaitFor(1);

        JsonObject state = [];
        for (var i = 0; i < 100 && (state.Count == 0 || state["active"]!.GetValue<bool>()); i++)
        {
            await Task.Delay(100, Ct);
            state = await Get($"/api/v1/webhooks/{endpoint.Id}");
        }
        Assert.False(state["active"]!.GetValue<bool>());
        Assert.Contains("5 dias", state["disabledReason"]!.GetValue<string>());
        var notices = await Get("/api/v1/notifications");
        Assert.Contains(notices["items"]!.AsArray(), n => n!["text"]!.GetValue<string>().Contains("5 dias", StringComparison.Ordinal)
            && n["text"]!.GetValue<string>().Contains(receiver.Url.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_redirect_is_a_failure_and_is_never_followed()
    {
        await using var receiver = await WebhookReceiver.Start(Ct);
        receiver.DefaultAnswer = new WebhookAnswer(302, new Dictionary<string, string> { ["Location"] = new Uri(receiver.Url, "/elsewhere").ToString() });
        await using var endpoint = await Register(receiver, "partner.created");
        using var api = Admin();
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio"));
        await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/partners", new { name = TicketSteps.Unique("Cliente"), workspaceId }, Ct), HttpStatusCode.Created);

        var row = await WaitForDelivery(endpoint.Id, d => d["status"]!.GetValue<string>() == "Dead");
        Assert.Equal(302, row!["lastStatusCode"]!.GetValue<int>());
        Assert.Contains("redirecionamentos não são seguidos", row["lastError"]!.GetValue<string>());
        Assert.All(receiver.Requests, r => Assert.Equal("/webhook", r.Path));
    }

    [Fact]
    public async Task During_a_secret_rotation_both_secrets_sign()
    {
        await using var receiver = await WebhookReceiver.Start(Ct);
        await using var endpoint = await Register(receiver);
        using var api = Admin();
        var rotated = await TicketSteps.Json(await api.PostAsync($"/api/v1/webhooks/{endpoint.Id}/rotate-secret", null, Ct), HttpStatusCode.OK);
        var newSecret = rotated["secret"]!.GetValue<string>();
        Assert.NotEqual(endpoint.Secret, newSecret);

        await TicketSteps.Json(await api.PostAsync($"/api/v1/webhooks/{endpoint.Id}/test", null, Ct), HttpStatusCode.Created);
        var request = (await receiver.WaitFor(1))[0];
        Assert.Equal("webhook.test", BodyOf(request)["type"]!.GetValue<string>());
        var signatures = request.Header("webhook-signature")!.Split(' ');
        Assert.Equal(2, signatures.Length);
        // The package reads the first signature of the header only: check each against its own secret.
        new StandardWebhook(newSecret).Verify(request.Body, WebhookSteps.HeadersOf(request, signatures[0]));
        new StandardWebhook(endpoint.Secret).Verify(request.Body, WebhookSteps.HeadersOf(request, signatures[1]));
        Assert.Throws<StandardWebhooks.Diagnostics.WebhookVerificationException>(() => new StandardWebhook(endpoint.Secret).Verify(request.Body, WebhookSteps.HeadersOf(request, signatures[0])));
    }

    [Fact]
    public async Task A_host_that_now_resolves_to_a_private_address_is_refused_when_sending_by_default()
    {
        // An app with the default settings; the endpoint row is written as if its name had resolved to a public address when
        // registered and to loopback now (DNS rebinding): the dispatcher checks the address it connects to.
        await using var app = await TestApp.Start(fixture.Provider, new() { ["Atende:Webhooks:PollSeconds"] = "0.2", ["Atende:Webhooks:RetrySchedule"] = "0" });
        var token = await app.Setup();
        await using var receiver = await WebhookReceiver.Start(Ct);
        using var api = app.Api(token);
        var refused = await TicketSteps.Problem(await api.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url.ToString(), events = Array.Empty<string>(), description = "", active = true }, Ct),
            HttpStatusCode.BadRequest);
        Assert.True(refused["errors"]!.AsObject().ContainsKey("url"), refused.ToJsonString());
        var created = await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://example.com/hook", events = Array.Empty<string>(), description = "", active = true }, Ct),
            HttpStatusCode.Created);
        var id = created["id"]!.GetValue<long>();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
            var localhost = new UriBuilder(receiver.Url) { Host = "localhost" }.Uri.ToString();
            await db.WebhookEndpoints.Where(e => e.Id == id).ExecuteUpdateAsync(s => s.SetProperty(e => e.Url, localhost), Ct);
        }
        await TicketSteps.Json(await api.PostAsync($"/api/v1/webhooks/{id}/test", null, Ct), HttpStatusCode.Created);

        JsonObject? row = null;
        for (var i = 0; i < 100 && row?["status"]!.GetValue<string>() != "Dead"; i++)
        {
            await Task.Delay(100, Ct);
            row = (await TicketSteps.Json(await api.GetAsync($"/api/v1/webhooks/{id}/deliveries", Ct), HttpStatusCode.OK))["items"]![0]!.AsObject();
        }
        Assert.Equal("Dead", row!["status"]!.GetValue<string>());
        Assert.Contains("endereço interno", row["lastError"]!.GetValue<string>());
        Assert.Null(row["lastStatusCode"]?.GetValue<int?>());
        Assert.Empty(receiver.Requests);
    }

    /// <summary>Waits until the endpoint's log holds <paramref name="count"/> delivered rows and returns the log.</summary>
    private async Task<JsonArray> Delivered(long endpointId, int count)
    {
        JsonArray items = [];
        for (var i = 0; i < 100; i++)
        {
            items = (await Get($"/api/v1/webhooks/{endpointId}/deliveries"))["items"]!.AsArray();
            if (items.Count(d => d!["status"]!.GetValue<string>() == "Sent") >= count)
            {
                return items;
            }
            await Task.Delay(100, Ct);
        }
        Assert.Fail($"expected {count} delivered, the log says {items.ToJsonString()}");
        return items;
    }

    private async Task<JsonObject?> WaitForDelivery(long endpointId, Func<JsonObject, bool> done)
    {
        JsonObject? row = null;
        for (var i = 0; i < 150; i++)
        {
            var items = (await Get($"/api/v1/webhooks/{endpointId}/deliveries"))["items"]!.AsArray();
            row = items.Count > 0 ? items[0]!.AsObject() : null;
            if (row is not null && done(row))
            {
                return row;
            }
            await Task.Delay(100, Ct);
        }
        Assert.Fail($"the delivery did not get there: {row?.ToJsonString()}");
        return row;
    }
}

public sealed class WebhookDeliveryTestsSqlite(WebhookSqliteFixture f) : WebhookDeliveryTests(f), IClassFixture<WebhookSqliteFixture>;

public sealed class WebhookDeliveryTestsPostgres(WebhookPostgresFixture f) : WebhookDeliveryTests(f), IClassFixture<WebhookPostgresFixture>;
