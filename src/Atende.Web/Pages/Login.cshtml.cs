using System.ComponentModel.DataAnnotations;
using Atende.Core.Identity;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Atende.Web.Pages;

/// <summary>Sign-in; its POST is rate-limited per client address (<see cref="RateLimits.Login"/>), on top of the account lockout.</summary>
[EnableRateLimiting(RateLimits.Login)]
public sealed class LoginModel(SignInManager<User> signIn, UserManager<User> users) : AppPage
{
    public sealed class LoginInput
    {
        [Display(Name = "E-mail")]
        public string? Email { get; set; }
        [Display(Name = "Senha")]
        public string? Password { get; set; }
        public bool RememberMe { get; set; }
    }

    [BindProperty]
    public LoginInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? LocalRedirect(SafeReturnUrl()) : Page();

    public async Task<IActionResult> OnPost()
    {
        var email = Input.Email?.Trim() ?? "";
        var user = email.Length == 0 ? null : await users.FindByEmailAsync(email);
        if (user is null || string.IsNullOrEmpty(Input.Password))
        {
            ModelState.AddModelError("", "E-mail ou senha incorretos.");
            return Page();
        }
        // A deactivated account is named as such only to someone who knows its password; the check
        // counts towards the lockout like any other attempt.
        var result = user.Active
            ? await signIn.PasswordSignInAsync(user, Input.Password, Input.RememberMe, lockoutOnFailure: true)
            : await signIn.CheckPasswordSignInAsync(user, Input.Password, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            ModelState.AddModelError("", "Conta bloqueada por excesso de tentativas. Tente de novo em 15 minutos ou peça ao administrador.");
            return Page();
        }
        if (!result.Succeeded)
        {
            ModelState.AddModelError("", "E-mail ou senha incorretos.");
            return Page();
        }
        if (!user.Active)
        {
            ModelState.AddModelError("", "Esta conta está desativada. Peça a um administrador para reativá-la.");
            return Page();
        }
        return LocalRedirect(SafeReturnUrl());
    }

    private string SafeReturnUrl() => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/";
}
