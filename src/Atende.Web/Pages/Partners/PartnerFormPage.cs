using Atende.Core.Common;
using Atende.Core.Partners;
using Atende.Web.Infrastructure;

namespace Atende.Web.Pages.Partners;

/// <summary>Partner and contact forms: the version the user edited, duplicate warnings and stale saves.</summary>
public abstract class PartnerFormPage : AppPage
{
    [Microsoft.AspNetCore.Mvc.BindProperty] public int Version { get; set; }
    [Microsoft.AspNetCore.Mvc.BindProperty] public bool ConfirmDuplicates { get; set; }

    public IReadOnlyList<DuplicateWarning> Duplicates { get; private set; } = [];
    public bool Stale { get; private set; }

    /// <summary>Runs a save; a refusal (bad input, possible duplicate, stale version) is shown on the form and returns false.</summary>
    protected async Task<bool> TrySave(Func<Task> save)
    {
        try
        {
            await save();
            return true;
        }
        // Kept: the duplicates are listed with a "Salvar mesmo assim" confirmation, and a stale save marks the form for its reload link.
        catch (ValidationException e)
        {
            ShowErrors(e);
        }
        catch (DuplicateException e)
        {
            Duplicates = e.Warnings;
        }
        catch (StaleVersionException e)
        {
            Stale = true;
            ModelState.AddModelError("", e.Message);
        }
        return false;
    }
}
