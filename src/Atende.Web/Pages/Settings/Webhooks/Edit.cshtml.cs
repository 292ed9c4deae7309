using Atende.Core.Common;
using Atende.Core.Events;
using Atende.Core.Webhooks;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages.Settings.Webhooks;

/// <summary>What the webhook form posts: "Todos os eventos" ticked means every event, whatever else is ticked.</summary>
public sealed class WebhookForm
{
    public string? Url { get; set; }
    public string? Description { get; set; }
    public bool AllEvents { get; set; } = true;
    public List<string> Events { get; set; } = [];
    public bool Active { get; set; } = true;

    public WebhookInput ToInput() => new(Url, Description, AllEvents ? [] : Events, Active);
}

/// <summary>/settings/webhooks/new and /settings/webhooks/{id}/edit: URL, description, the events to send and the active flag.</summary>
public sealed class EditModel(WebhookService webhooks) : AppPage, IStaleNoticePage
{
    public const string NoEventMessage = "Marque \"Todos os eventos\" ou ao menos um evento.";

    [BindProperty] public WebhookForm Input { get; set; } = new();

    /// <summary>The version the form was loaded from; a save based on an older one is refused.</summary>
    [BindProperty] public int Version { get; set; }

    public long? Id { get; private set; }
    public string StoredUrl { get; private set; } = "";
    public string? StaleMessage { get; set; }

    public bool IsNew => Id is null;
    public string EditUrl => IsNew ? "/settings/webhooks/new" : $"/settings/webhooks/{Id}/edit";

    public List<FormError> Errors => FormErrors.InOrder(ModelState,
        [("Input.Url", "Input_Url"), ("Input.Description", "Input_Description"), ("Input.Events", "Input_AllEvents")]);

    /// <summary>Autofocus for a field: the first invalid one after a refused save, else <paramref name="otherwise"/>.</summary>
    public bool Autofocus(string fieldId, bool otherwise = false) =>
        Errors.FirstOrDefault(e => e.FieldId is not null)?.FieldId is { } first ? first == fieldId : otherwise;

    public async Task<IActionResult> OnGet(long? id, CancellationToken ct)
    {
        if (id is { } existing)
        {
            var endpoint = await Load(existing, ct);
            Input = new WebhookForm
            {
                Url = endpoint.Url, Description = endpoint.Description, AllEvents = endpoint.Events.Count == 0, Events = [.. endpoint.Events],
                Active = endpoint.Active,
            };
            Version = endpoint.Version;
        }
        return Page();
    }

    public async Task<IActionResult> OnPost(long? id, CancellationToken ct)
    {
        Id = id;
        if (!Input.AllEvents && Input.Events.Count == 0)
        {
            throw new ValidationException("events", NoEventMessage);
        }
        if (id is { } existing)
        {
            var endpoint = await webhooks.Update(existing, Version, Input.ToInput(), ct);
            Flash("Webhook salvo.");
            return Redirect($"/settings/webhooks/{endpoint.Id}");
        }
        var (created, secret) = await webhooks.Create(Input.ToInput(), ct);
        Flash("Webhook criado.");
        WebhookSecretBox.Keep(TempData, created.Id, secret);
        return Redirect($"/settings/webhooks/{created.Id}");
    }


    public async Task Redisplay(CancellationToken ct)
    {
        if (Id is { } stored)
        {
            await Load(stored, ct);
        }
    }

    public static IReadOnlyList<(string Type, string Label)> Subscribable => EventTypes.Subscribable;

    private async Task<WebhookView> Load(long id, CancellationToken ct)
    {
        Id = id;
        var endpoint = await webhooks.Get(id, ct);
        StoredUrl = endpoint.Url;
        return endpoint;
    }
}
