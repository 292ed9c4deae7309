using Atende.Core.Common;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Atende.Web.Infrastructure;

/// <summary>Base of the app's pages: shows Core validation errors next to their fields and flashes messages.</summary>
public abstract class AppPage : PageModel
{
    /// <summary>Copies a validation error into ModelState; <paramref name="prefix"/> maps API field names to form names.</summary>
    protected void ShowErrors(ValidationException e, string prefix = "Input")
    {
        foreach (var (field, messages) in e.Errors)
        {
            var key = field.Length == 0 ? "" : prefix + "." + CorePageErrors.FieldName(field);
            foreach (var message in messages)
            {
                ModelState.AddModelError(key, message);
            }
        }
    }

    protected void Flash(string message) => TempData["Flash"] = message;

    /// <summary>An error message shown once on the next page (also what <see cref="CorePageErrors"/> flashes for a refused action).</summary>
    protected internal void FlashError(string message) => TempData["FlashError"] = message;

    /// <summary>What became of the e-mail an action caused, shown apart from the action's own message.</summary>
    protected void FlashEmail(Atende.Core.Tickets.EmailOutcome? email)
    {
        if (email is not null)
        {
            TempData["FlashEmail"] = email.Message;
            TempData["FlashEmailQueued"] = email.IsQueued;
            if (email.Block is { } block)
            {
                var fix = EmailFix.For(block, HttpContext.RequestServices.GetRequiredService<Atende.Core.Identity.Caller>().IsAdmin);
                TempData["FlashEmailFix"] = fix.Text;
                TempData["FlashEmailFixUrl"] = fix.Url;
            }
        }
    }
}
