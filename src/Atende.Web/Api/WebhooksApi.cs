using Atende.Core.Queue;
using Atende.Core.Webhooks;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Atende.Web.Api;

/// <summary>An endpoint as GET answers it; the secret is never part of it.</summary>
public sealed record WebhookDto(long Id, string Url, string Description, IReadOnlyList<string> Events, bool Active, string? DisabledReason,
    DateTimeOffset? FailingSince, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version, bool RotatingSecret)
{
    public static WebhookDto From(WebhookView w) => new(w.Id, w.Url, w.Description, w.Events, w.Active, w.DisabledReason, w.FailingSince,
        w.CreatedAt, w.UpdatedAt, w.Version, w.RotatingSecret);
}

/// <summary>The answer of POST /webhooks and of rotate-secret: the endpoint and its new signing secret, shown only here.</summary>
public sealed record WebhookWithSecretDto(long Id, string Url, string Description, IReadOnlyList<string> Events, bool Active, string? DisabledReason,
    DateTimeOffset? FailingSince, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version, bool RotatingSecret, string Secret)
{
    public static WebhookWithSecretDto From(WebhookView w, string secret) => new(w.Id, w.Url, w.Description, w.Events, w.Active, w.DisabledReason,
        w.FailingSince, w.CreatedAt, w.UpdatedAt, w.Version, w.RotatingSecret, secret);
}

/// <summary>POST /webhooks: <see cref="Events"/> empty or omitted means every event.</summary>
public sealed record WebhookWrite(string? Url, string? Description = null, IReadOnlyList<string>? Events = null, bool Active = true) : IJsonBody<WebhookWrite>
{
    public WebhookInput ToInput() => new(Url, Description, Events, Active);
}

/// <summary>PATCH /webhooks/{id}: the fields sent replace the stored ones, the ones omitted stay; <c>events: []</c> means every event.</summary>
public sealed record WebhookPatch(string? Url = null, string? Description = null, IReadOnlyList<string>? Events = null, bool? Active = null) : IJsonBody<WebhookPatch>
{
    public WebhookInput Over(WebhookView current) =>
        new(Url ?? current.Url, Description ?? current.Description, Events ?? current.Events, Active ?? current.Active);
}

/// <summary>One delivery of the endpoint's log; <see cref="WebhookId"/> is the <c>webhook-id</c> header the receiver got.</summary>
public sealed record WebhookDeliveryDto(long Id, long EventId, string EventType, string WebhookId, LeaseStatus Status, int Attempts, int? LastStatusCode,
    int? LastDurationMs, string? LastResponse, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? LastAttemptAt, DateTimeOffset? NextAttemptAt,
    DateTimeOffset? DeliveredAt)
{
    public static WebhookDeliveryDto From(DeliveryRow d) => new(d.Id, d.EventId, d.EventType, d.WebhookId, d.Status, d.Attempts, d.LastStatusCode,
        d.LastDurationMs, d.LastResponse, d.LastError, d.CreatedAt, d.LastAttemptAt,
        d.Status is LeaseStatus.Pending or LeaseStatus.Sending ? d.NextAttemptAt : null, d.DeliveredAt);
}

public sealed record WebhookList(IReadOnlyList<WebhookDto> Items, string? Next);

public sealed record WebhookDeliveryList(IReadOnlyList<WebhookDeliveryDto> Items, string? Next);

/// <summary>Webhooks (admins only): endpoints, their secrets, test events and the delivery log.</summary>
public static class WebhooksApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/webhooks").RequireAuthorization(Auth.AdminPolicy).WithTags("Webhooks");

        // Few endpoints per company: one page, always the whole list.
        group.MapGet("/", static async (WebhookService webhooks, CancellationToken ct) =>
            TypedResults.Ok(new WebhookList((await webhooks.List(ct)).Select(WebhookDto.From).ToList(), null)));

        group.MapGet("/{id:long}", static async (long id, WebhookService webhooks, HttpResponse response, CancellationToken ct) =>
            Found(await webhooks.Get(id, ct), response));

        group.MapPost("/", static async (WebhookWrite body, WebhookService webhooks, HttpResponse response, CancellationToken ct) =>
        {
            var (endpoint, secret) = await webhooks.Create(body.ToInput(), ct);
            ApiHelpers.SetETag(response, endpoint.Version);
            return TypedResults.Created($"/api/v1/webhooks/{endpoint.Id}", WebhookWithSecretDto.From(endpoint, secret));
        });

        group.MapPatch("/{id:long}", static async (long id, WebhookPatch body, WebhookService webhooks, HttpContext http, CancellationToken ct) =>
        {
            var version = ApiHelpers.RequireIfMatch(http.Request);
            var current = await webhooks.Get(id, ct);
            return Found(await webhooks.Update(id, version, body.Over(current), ct), http.Response);
        });

        group.MapDelete("/{id:long}", static async (long id, WebhookService webhooks, CancellationToken ct) =>
        {
            await webhooks.Delete(id, ct);
            return TypedResults.NoContent();
        });

        group.MapPost("/{id:long}/rotate-secret", static async (long id, WebhookService webhooks, HttpResponse response, CancellationToken ct) =>
        {
            var (endpoint, secret) = await webhooks.RotateSecret(id, ct);
            ApiHelpers.SetETag(response, endpoint.Version);
            return TypedResults.Ok(WebhookWithSecretDto.From(endpoint, secret));
        });

        group.MapPost("/{id:long}/test", static async (long id, WebhookService webhooks, CancellationToken ct) =>
        {
            var delivery = await webhooks.SendTest(id, ct);
            return TypedResults.Created($"/api/v1/webhooks/{id}/deliveries/{delivery.Id}", WebhookDeliveryDto.From(delivery));
        });

        group.MapGet("/{id:long}/deliveries", static async (long id, string? after, int? limit, WebhookService webhooks, CancellationToken ct) =>
        {
            var page = await webhooks.Deliveries(id, after, limit ?? 50, ct);
            return TypedResults.Ok(new WebhookDeliveryList(page.Items.Select(WebhookDeliveryDto.From).ToList(), page.Next));
        });

        group.MapGet("/{id:long}/deliveries/{deliveryId:long}", static async (long id, long deliveryId, WebhookService webhooks, CancellationToken ct) =>
            TypedResults.Ok(WebhookDeliveryDto.From(await webhooks.Delivery(id, deliveryId, ct))));

        group.MapPost("/{id:long}/deliveries/{deliveryId:long}/retry", static async (long id, long deliveryId, WebhookService webhooks, CancellationToken ct) =>
            TypedResults.Ok(WebhookDeliveryDto.From(await webhooks.Retry(id, deliveryId, ct))));
    }

    private static Ok<WebhookDto> Found(WebhookView endpoint, HttpResponse response)
    {
        ApiHelpers.SetETag(response, endpoint.Version);
        return TypedResults.Ok(WebhookDto.From(endpoint));
    }
}
