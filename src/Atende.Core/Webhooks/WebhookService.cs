using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Events;
using Atende.Core.Identity;
using Atende.Core.Queue;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Atende.Core.Webhooks;

/// <summary>What an admin sets on an endpoint; <see cref="Events"/> empty or null means every event.</summary>
public sealed record WebhookInput(string? Url, string? Description, IReadOnlyList<string>? Events, bool Active = true);

/// <summary>An endpoint as the settings page and the API show it (never its secret).</summary>
public sealed record WebhookView(long Id, string Url, string Description, IReadOnlyList<string> Events, bool Active, string? DisabledReason,
    DateTimeOffset? FailingSince, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version, bool RotatingSecret);

/// <summary>One event for one endpoint, as its delivery log shows it.</summary>
public sealed record DeliveryRow(long Id, long EventId, string EventType, string WebhookId, LeaseStatus Status, int Attempts, int? LastStatusCode,
    int? LastDurationMs, string? LastResponse, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? LastAttemptAt, DateTimeOffset NextAttemptAt,
    DateTimeOffset? DeliveredAt);

/// <summary>Configurações → Webhooks (admins only): endpoints, their secrets, test events and the delivery log.</summary>
public sealed class WebhookService(AtendeDb db, Caller caller, IDataProtectionProvider protection, IOptions<WebhookOptions> options, EventLog events,
    WebhookSignal signal, WebhookSubscriptions subscriptions)
{
    public const int MaxUrlLength = 2000;
    public const int MaxDescriptionLength = 500;
    /// <summary>How long the old secret keeps signing after a rotation, so receivers can switch without losing events.</summary>
    public static readonly TimeSpan RotationOverlap = TimeSpan.FromHours(24);
    private const string SecretPurpose = "Atende.Webhooks.Secret";

    public async Task<List<WebhookView>> List(CancellationToken ct = default)
    {
        caller.RequireAdmin();
        return (await db.WebhookEndpoints.AsNoTracking().OrderBy(e => e.Id).ToListAsync(ct)).Select(View).ToList();
    }

    public async Task<WebhookView> Get(long id, CancellationToken ct = default) => View(await Find(id, ct));

    /// <summary>Registers an endpoint; the answer holds its secret, the only time it is shown.</summary>
    public async Task<(WebhookView Endpoint, string Secret)> Create(WebhookInput input, CancellationToken ct = default)
    {
        caller.RequireAdmin();
        var now = Clock.Now();
        var endpoint = new WebhookEndpoint { CreatedAt = now, UpdatedAt = now };
        Apply(endpoint, input);
        var secret = WebhookSecret.New();
        endpoint.ProtectedSecret = Protector.Protect(secret);
        db.WebhookEndpoints.Add(endpoint);
        await db.SaveChangesAsync(ct);
        subscriptions.Changed();
        return (View(endpoint), secret);
    }

    /// <summary>Changes an endpoint at the version read; turning it on again clears why the system had turned it off.</summary>
    public async Task<WebhookView> Update(long id, int version, WebhookInput input, CancellationToken ct = default)
    {
        var endpoint = await Find(id, ct);
        CheckVersion(endpoint, version);
        var wasActive = endpoint.Active;
        Apply(endpoint, input);
        if (endpoint.Active && !wasActive)
        {
            endpoint.DisabledReason = null;
            endpoint.FailingSince = null;
        }
        await Save(endpoint, ct);
        return View(endpoint);
    }

    /// <summary>Removes an endpoint and its delivery log.</summary>
    public async Task Delete(long id, CancellationToken ct = default)
    {
        var endpoint = await Find(id, ct);
        db.WebhookEndpoints.Remove(endpoint);
        await db.SaveChangesAsync(ct);
        subscriptions.Changed();
    }

    /// <summary>A new secret, shown once; the old one keeps signing beside it for <see cref="RotationOverlap"/>.</summary>
    public async Task<(WebhookView Endpoint, string Secret)> RotateSecret(long id, CancellationToken ct = default)
    {
        var endpoint = await Find(id, ct);
        var secret = WebhookSecret.New();
        endpoint.ProtectedPreviousSecret = endpoint.ProtectedSecret;
        endpoint.PreviousSecretUntil = Clock.Now() + RotationOverlap;
        endpoint.ProtectedSecret = Protector.Protect(secret);
        await Save(endpoint, ct);
        return (View(endpoint), secret);
    }

    /// <summary>"Enviar evento de teste": a <c>webhook.test</c> event for this endpoint only, sent at once (even while inactive).</summary>
    public async Task<DeliveryRow> SendTest(long id, CancellationToken ct = default)
    {
        var endpoint = await Find(id, ct);
        var raised = events.RaiseTest(endpoint, caller.UserId);
        await db.SaveChangesAsync(ct);
        signal.Wake();
        var deliveryId = await db.WebhookDeliveries.Where(d => d.EventId == raised.Id).Select(d => d.Id).FirstAsync(ct);
        return await Delivery(id, deliveryId, ct);
    }

    /// <summary>The endpoint's delivery log, newest first.</summary>
    public async Task<Page<DeliveryRow>> Deliveries(long id, string? after, int limit = 50, CancellationToken ct = default)
    {
        await Find(id, ct);
        return await Rows(db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == id).NewestFirst(d => d.Id, after))
            .ToPageAsync(limit, r => Cursor.ForId(r.Id), ct);
    }

    public async Task<DeliveryRow> Delivery(long id, long deliveryId, CancellationToken ct = default)
    {
        await Find(id, ct);
        return await Rows(db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == id && d.Id == deliveryId)).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException("Entrega não encontrada.");
    }

    /// <summary>"Reenviar": a delivery given up, or already delivered, goes out again now with the same webhook-id.</summary>
    public async Task<DeliveryRow> Retry(long id, long deliveryId, CancellationToken ct = default)
    {
        var row = await Delivery(id, deliveryId, ct);
        if (row.Status is LeaseStatus.Pending or LeaseStatus.Sending)
        {
            throw new ConflictException("Esta entrega ainda está na fila; ela será tentada de novo automaticamente.");
        }
        if (!await WebhookDispatcher.Queue.Retry(db, deliveryId, evenIfSent: true, ct))
        {
            throw new ConflictException("Esta entrega mudou de situação enquanto você a reenviava. Recarregue a página.");
        }
        signal.Wake();
        return await Delivery(id, deliveryId, ct);
    }

    /// <summary>The secrets that sign a delivery now: the current one, and the previous one during a rotation.</summary>
    public static List<string> SigningSecrets(WebhookEndpoint endpoint, IDataProtectionProvider protection, DateTimeOffset now)
    {
        var protector = protection.CreateProtector(SecretPurpose);
        var secrets = new List<string> { protector.Unprotect(endpoint.ProtectedSecret) };
        if (endpoint.ProtectedPreviousSecret is { } previous && endpoint.PreviousSecretUntil > now)
        {
            secrets.Add(protector.Unprotect(previous));
        }
        return secrets;
    }

    private IDataProtector Protector => protection.CreateProtector(SecretPurpose);

    private async Task<WebhookEndpoint> Find(long id, CancellationToken ct)
    {
        caller.RequireAdmin();
        return await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == id, ct) ?? throw new NotFoundException("Webhook não encontrado.");
    }

    private void Apply(WebhookEndpoint endpoint, WebhookInput input)
    {
        var v = new Validation();
        var url = SearchText.Clean(input.Url);
        if (WebhookTargets.Problem(url, options.Value.AllowPrivateTargets) is { } problem)
        {
            v.Add("url", problem);
        }
        var description = v.Text("description", "Descrição", input.Description, MaxDescriptionLength, required: false);
        var wanted = (input.Events ?? []).Select(e => SearchText.Clean(e)).Where(e => e.Length > 0).Distinct().ToList();
        var unknown = wanted.Where(e => !EventTypes.IsSubscribable(e)).ToList();
        if (unknown.Count > 0)
        {
            v.Add("events", $"Evento desconhecido: {string.Join(", ", unknown)}. Os eventos são: {string.Join(", ", EventTypes.Subscribable.Select(s => s.Type))}.");
        }
        v.ThrowIfAny();
        endpoint.Url = url;
        endpoint.Description = description;
        // Every event, in the list's order; "all of them ticked" is the same as none.
        endpoint.Events = wanted.Count == EventTypes.Subscribable.Count ? "" : string.Join(",", EventTypes.Subscribable.Select(s => s.Type).Where(wanted.Contains));
        endpoint.Active = input.Active;
    }

    private static void CheckVersion(WebhookEndpoint endpoint, int version) =>
        Versions.Check(endpoint.Version, version, "Este webhook foi alterado por outra pessoa. Recarregue para ver a versão atual.");

    private async Task Save(WebhookEndpoint endpoint, CancellationToken ct)
    {
        endpoint.UpdatedAt = Clock.Now();
        endpoint.Version++;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new StaleVersionException("Este webhook foi alterado por outra pessoa. Recarregue para ver a versão atual.");
        }
        subscriptions.Changed();
    }

    private static WebhookView View(WebhookEndpoint e) => new(e.Id, e.Url, e.Description,
        e.Events.Length == 0 ? [] : e.Events.Split(','), e.Active, e.DisabledReason, e.FailingSince, e.CreatedAt, e.UpdatedAt, e.Version,
        e.ProtectedPreviousSecret is not null && e.PreviousSecretUntil > Clock.Now());

    private static IQueryable<DeliveryRow> Rows(IQueryable<WebhookDelivery> deliveries) =>
        deliveries.Select(d => new DeliveryRow(d.Id, d.EventId, d.Event!.Type, d.Event.MessageId, d.Status, d.Attempts, d.LastStatusCode, d.LastDurationMs,
            d.LastResponse, d.LastError, d.CreatedAt, d.LastAttemptAt, d.NextAttemptAt, d.DeliveredAt));
}
