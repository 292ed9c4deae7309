using Atende.Core.Common;
using Atende.Core.Queue;
using Atende.Core.Settings;
using Atende.Core.Webhooks;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages.Settings.Webhooks;

/// <summary>
/// /settings/webhooks/{id}: the endpoint, its new secret once after a create or rotation, "Enviar evento de teste", "Gerar novo
/// segredo", "Excluir", and its delivery log (newest first, "Mais antigas" pages back) with "Reenviar".
/// </summary>
public sealed class DetailsModel(WebhookService webhooks, SettingsService settings) : AppPage, IActionPage
{
    [FromQuery(Name = "after")] public string? After { get; set; }

    public WebhookView Endpoint { get; private set; } = null!;

    public Page<DeliveryRow> Deliveries { get; private set; } = new([], null);

    /// <summary>The signing secret just made, shown this once.</summary>
    public string? NewSecret { get; private set; }

    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public async Task<IActionResult> OnGet(long id, CancellationToken ct)
    {
        Zone = await settings.TimeZone(ct);
        Endpoint = await webhooks.Get(id, ct);
        NewSecret = WebhookSecretBox.Take(TempData, id);
        try
        {
            Deliveries = await webhooks.Deliveries(id, After, 50, ct);
        }
        // Not a refusal to show: a mangled "after" link opens the newest deliveries.
        catch (ValidationException)
        {
            // A mangled "after" link: show the newest.
            Deliveries = await webhooks.Deliveries(id, null, 50, ct);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostTest(long id, CancellationToken ct)
    {
        await webhooks.SendTest(id, ct);
        Flash("Evento de teste enviado. O resultado aparece no registro de entregas abaixo.");
        return Redirect($"/settings/webhooks/{id}#deliveries");
    }

    public async Task<IActionResult> OnPostRotate(long id, CancellationToken ct)
    {
        var (_, secret) = await webhooks.RotateSecret(id, ct);
        WebhookSecretBox.Keep(TempData, id, secret);
        Flash("Novo segredo gerado. O anterior continua assinando os envios por 24 horas.");
        return Redirect($"/settings/webhooks/{id}");
    }

    public async Task<IActionResult> OnPostDelete(long id, CancellationToken ct)
    {
        var endpoint = await webhooks.Get(id, ct);
        await webhooks.Delete(id, ct);
        Flash($"Webhook {endpoint.Url} excluído.");
        return Redirect("/settings/webhooks");
    }

    public async Task<IActionResult> OnPostRetry(long id, long deliveryId, CancellationToken ct)
    {
        await webhooks.Retry(id, deliveryId, ct);
        Flash("Entrega colocada de novo na fila.");
        return Redirect($"/settings/webhooks/{id}#deliveries");
    }

    /// <summary>A refused "Reenviar" comes back to the delivery log with Core's message.</summary>
    public string? RefusedActionBack(string? handler, Exception refusal) => handler == "Retry" ? $"/settings/webhooks/{RouteData.Values["id"]}#deliveries" : null;

    /// <summary>The row may have been deleted meanwhile: said on the list, not a 404 page.</summary>
    public bool FlashesNotFound(string? handler) => handler == "Retry";

    public static string StatusLabel(LeaseStatus status) => status switch
    {
        LeaseStatus.Pending => "Na fila",
        LeaseStatus.Sending => "Enviando",
        LeaseStatus.Sent => "Entregue",
        _ => "Falhou",
    };

    public static string StatusBadge(LeaseStatus status) => status switch
    {
        LeaseStatus.Sent => "text-bg-success",
        LeaseStatus.Dead => "text-bg-danger",
        _ => "text-bg-warning",
    };
}
