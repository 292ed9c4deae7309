using Atende.Core.Common;
using Atende.Core.Identity;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Atende.Web.Pages.Account;

/// <summary>"Esqueci minha senha": anyone asks for a reset link; the answer never tells whether the address has an account.</summary>
[EnableRateLimiting(RateLimits.ForgotPassword)]
public sealed class ForgotPasswordModel(AccountLinkService accountLinks) : AppPage
{
    public const string SentMessage = "Se houver uma conta com este e-mail, enviamos um link para você escolher uma nova senha. O link vale por 1 hora; confira também a caixa de spam.";

    [BindProperty]
    public string? Email { get; set; }

    /// <summary>The request was taken: the page shows <see cref="SentMessage"/> instead of the form.</summary>
    public bool Sent { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPost(CancellationToken ct)
    {
        try
        {
            await accountLinks.ForgotPassword(Email, ct);
        }
        catch (ValidationException e)
        {
            foreach (var message in e.Errors.Values.SelectMany(m => m))
            {
                ModelState.AddModelError(nameof(Email), message);
            }
            return Page();
        }
        Sent = true;
        return Page();
    }
}
