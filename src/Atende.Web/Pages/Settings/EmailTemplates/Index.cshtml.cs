using Atende.Core.Common;
using Atende.Core.Email;
using Atende.Core.Settings;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages.Settings.EmailTemplates;

/// <summary>/settings/email-templates: the automatic e-mails' templates and the custom ones, with delete for the custom ones.</summary>
public sealed class IndexModel(EmailTemplateService templates, SettingsService settings) : AppPage
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
        catch (ValidationException)
        {
            // A mangled "after" link: show the first page.
            Custom = await templates.List(EmailTemplatePurpose.Custom, null, 50, ct);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostDelete(long id, CancellationToken ct)
    {
        try
        {
            var template = await templates.Get(id, ct);
            await templates.Delete(id, ct);
            Flash($"Modelo \"{template.Name}\" excluído.");
        }
        catch (Exception e) when (e is ConflictException or NotFoundException)
        {
            FlashError(e.Message);
        }
        return Redirect("/settings/email-templates");
    }
}
