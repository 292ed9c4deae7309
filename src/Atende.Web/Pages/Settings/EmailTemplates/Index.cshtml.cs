using Atende.Core.Common;
using Atende.Core.Email;
using Atende.Core.Settings;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages.Settings.EmailTemplates;

/// <summary>/settings/email-templates: the automatic e-mails' templates and the custom ones, with delete for the custom ones.</summary>
public sealed class IndexModel(EmailTemplateService templates, SettingsService settings) : AppPage, IActionPage
{
    [FromQuery(Name = "after")] public string? After { get; set; }

    public List<EmailTemplateView> Automatic { get; private set; } = [];

    public Page<EmailTemplateView> Custom { get; private set; } = new([], null);

    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        Zone = await settings.TimeZone(ct);
        Automatic = await templates.Automatic(ct);
        try
        {
            Custom = await templates.List(EmailTemplatePurpose.Custom, After, 50, ct);
        }
        // Not a refusal to show: a mangled "after" link opens the first page.
        catch (ValidationException)
        {
            Custom = await templates.List(EmailTemplatePurpose.Custom, null, 50, ct);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostDelete(long id, CancellationToken ct)
    {
        var template = await templates.Get(id, ct);
        await templates.Delete(id, ct);
        Flash($"Modelo \"{template.Name}\" excluído.");
        return Redirect("/settings/email-templates");
    }

    /// <summary>A refused delete (an automatic template, one deleted meanwhile) comes back to the list with Core's message.</summary>
    public string? RefusedActionBack(string? handler, Exception refusal) => handler == "Delete" ? "/settings/email-templates" : null;

    /// <summary>The row may have been deleted meanwhile: said on the list, not a 404 page.</summary>
    public bool FlashesNotFound(string? handler) => handler == "Delete";
}
