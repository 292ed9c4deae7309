using System.ComponentModel.DataAnnotations;
using ValidationException = Atende.Core.Common.ValidationException;
using Atende.Core.Identity;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Atende.Web.Pages.Account;

/// <summary>
/// The page of an e-mailed account link: "Defina sua senha" (an invitation) or "Nova senha" (a reset). On success the user is
/// signed in and sent to the portal (Portal users) or the start page (staff).
/// </summary>
[EnableRateLimiting(RateLimits.AccountLink)]
public sealed class SetPasswordModel(AccountLinkService accountLinks, SignInManager<User> signIn) : AppPage
{
    public sealed class PasswordInput
    {
        [Display(Name = "Senha")]
        public string? Password { get; set; }
        [Display(Name = "Confirme a senha")]
        public string? Confirmation { get; set; }
    }

    [BindProperty]
    public PasswordInput Input { get; set; } = new();

    public AccountLinkState State { get; private set; } = null!;

    public bool IsInvite => State.Purpose == AccountLinkPurpose.Invite;

    public async Task<IActionResult> OnGet(string token, CancellationToken ct)
    {
        State = await accountLinks.Check(token, ct);
        return Page();
    }

    public async Task<IActionResult> OnPost(string token, CancellationToken ct)
    {
        State = await accountLinks.Check(token, ct);
        if (!State.Valid)
        {
            return Page();
        }
        if (string.IsNullOrEmpty(Input.Password))
        {
            ModelState.AddModelError("Input.Password", "Informe a senha.");
        }
        else if (Input.Password != Input.Confirmation)
        {
            ModelState.AddModelError("Input.Confirmation", "A confirmação não é igual à senha.");
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        User user;
        try
        {
            user = await accountLinks.Redeem(token, Input.Password, ct);
        }
        catch (ValidationException e)
        {
            foreach (var (field, messages) in e.Errors)
            {
                foreach (var message in messages)
                {
                    ModelState.AddModelError(field == "password" ? "Input.Password" : "", message);
                }
            }
            State = await accountLinks.Check(token, ct);
            return Page();
        }
        await signIn.SignInAsync(user, isPersistent: false);
        Flash(IsInvite ? "Senha definida. Bem-vindo(a)!" : "Senha alterada. Suas outras sessões foram encerradas.");
        return LocalRedirect(user.Role == UserRole.Portal ? "/portal" : "/");
    }
}
