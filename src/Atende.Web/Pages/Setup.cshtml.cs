using Atende.Core.Common;
using Atende.Core.Identity;
using Atende.Core.Settings;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages;

public sealed class SetupModel(SetupService setup, SetupState state, SignInManager<User> signIn) : AppPage, IFormPage
{
    [BindProperty]
    public SetupInput Input { get; set; } = new();

    public async Task<IActionResult> OnGet() => await state.IsDone(setup) ? Redirect("/login") : Page();

    public async Task<IActionResult> OnPost()
    {
        if (await state.IsDone(setup))
        {
            return Redirect("/login");
        }
        try
        {
            var admin = await setup.Run(Input);
            await signIn.SignInAsync(admin, isPersistent: false);
            Flash($"Bem-vindo ao Atende, {admin.Name}! Sua empresa está pronta. Comece cadastrando suas entidades.");
            return Redirect("/");
        }
        catch (ConflictException)
        {
            // Someone finished the setup meanwhile: not an error to show, the login is the next step.
            return Redirect("/login");
        }
    }

    public Task Redisplay(CancellationToken ct) => Task.CompletedTask;
}
