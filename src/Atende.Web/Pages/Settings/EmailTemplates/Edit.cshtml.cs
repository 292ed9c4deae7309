using Atende.Core.Common;
using Atende.Core.Email;
using Atende.Core.Tickets;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Htmx;

namespace Atende.Web.Pages.Settings.EmailTemplates;

/// <summary>
/// Creates a custom template or edits any template: name, subject, body (rich text), active flag; the placeholders to click in;
/// "Pré-visualizar" (htmx fragment, or the whole page without JavaScript) with sample values or a chosen ticket's.
/// </summary>
public sealed class EditModel(EmailTemplateService templates, TicketService tickets) : AppPage, IStaleNoticePage, IActionPage
{
    [BindProperty] public EmailTemplateInput Input { get; set; } = new();

    /// <summary>The version the form was loaded from; a save based on an older one is refused.</summary>
    [BindProperty] public int Version { get; set; }

    /// <summary>The reference of a ticket whose values the preview uses (samples when blank).</summary>
    [BindProperty] public string? PreviewTicket { get; set; }

    public long? Id { get; private set; }
    public EmailTemplatePurpose Purpose { get; private set; } = EmailTemplatePurpose.Custom;
    public string StoredName { get; private set; } = "";
    public bool StandardText { get; private set; }
    public string? StaleMessage { get; set; }
    public RenderedEmail? Preview { get; private set; }
    /// <summary>Why the preview could not be made (the same errors are shown next to the fields).</summary>
    public List<string> PreviewErrors { get; private set; } = [];

    public bool IsNew => Id is null;
    public string EditUrl => IsNew ? "/settings/email-templates/new" : $"/settings/email-templates/{Id}/edit";
    public IReadOnlyList<Placeholder> Placeholders => Core.Email.Placeholders.For(Purpose);

    public async Task<IActionResult> OnGet(long? id, CancellationToken ct)
    {
        if (id is { } existing)
        {
            var template = await LoadStored(existing, ct);
            Input = new EmailTemplateInput { Name = template.Name, Subject = template.Subject, Body = template.Body, Active = template.Active };
            Version = template.Version;
        }
        return Page();
    }

    public async Task<IActionResult> OnPost(long? id, CancellationToken ct)
    {
        Id = id;
        Input.Purpose = null;
        var template = id is { } existing ? await templates.Update(existing, Version, Input, ct) : await templates.Create(Input, ct);
        Flash(IsNew ? $"Modelo \"{template.Name}\" criado." : $"Modelo \"{template.Name}\" salvo.");
        return Redirect($"/settings/email-templates#template-{template.Id}");
    }


    public async Task Redisplay(CancellationToken ct)
    {
        if (Id is { } stored)
        {
            await LoadStored(stored, ct);
        }
    }

    /// <summary>Renders what is in the form (not saved): the fragment for htmx, else the page with the preview filled.</summary>
    public async Task<IActionResult> OnPostPreview(long? id, CancellationToken ct)
    {
        if (id is { } stored)
        {
            await LoadStored(stored, ct);
        }
        // The preview shows its refusals beside the preview too (and for htmx only there), and a ticket not found on its field.
        try
        {
            long? ticketId = string.IsNullOrWhiteSpace(PreviewTicket) ? null : (await tickets.GetByReference(PreviewTicket, ct)).Id;
            Preview = await templates.Preview(Purpose, Input.Subject, Input.Body, ticketId, ct);
        }
        catch (NotFoundException)
        {
            var message = $"Nenhum atendimento com a referência {PreviewTicket!.Trim().ToUpperInvariant()}.";
            ModelState.AddModelError(nameof(PreviewTicket), message);
            PreviewErrors.Add(message);
        }
        catch (ValidationException e)
        {
            ShowErrors(e);
            PreviewErrors.AddRange(e.Errors.SelectMany(x => x.Value));
        }
        return Request.IsHtmx() ? Partial("_TemplatePreview", this) : Page();
    }

    /// <summary>"Restaurar texto padrão" of an automatic template (saved at once, after a confirmation).</summary>
    public async Task<IActionResult> OnPostRestore(long id, CancellationToken ct)
    {
        Id = id;
        var template = await templates.RestoreStandardText(id, Version, ct);
        Flash($"Texto padrão de \"{template.Name}\" restaurado.");
        return Redirect(EditUrl);
    }

    /// <summary>A refused "Restaurar texto padrão" (changed meanwhile, a custom template) comes back to the form with Core's message.</summary>
    public string? RefusedActionBack(string? handler, Exception refusal) => handler == "Restore" ? EditUrl : null;

    private async Task<EmailTemplateView> LoadStored(long id, CancellationToken ct)
    {
        Id = id;
        var template = await templates.Get(id, ct);
        Purpose = template.Purpose;
        StoredName = template.Name;
        StandardText = template.StandardText;
        return template;
    }
}
