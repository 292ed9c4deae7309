using Atende.Core.Common;
using Atende.Core.Email;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages.Settings;

/// <summary>/settings/email: the company's SMTP server and the test e-mail.</summary>
public sealed class EmailModel(EmailSettingsService settings) : AppPage, IFormPage
{
    [BindProperty] public SmtpInput Input { get; set; } = new();

    [BindProperty] public string? TestTo { get; set; }

    public bool PasswordSet { get; private set; }

    public bool Configured { get; private set; }

    public TestEmailResult? TestResult { get; private set; }

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        var s = await settings.Get(ct);
        Input = new SmtpInput { Host = s.Host, Port = s.Port, Security = s.Security, UserName = s.UserName, FromName = s.FromName, FromAddress = s.FromAddress };
        PasswordSet = s.PasswordSet;
        Configured = s.Configured;
        return Page();
    }

    public async Task<IActionResult> OnPost(CancellationToken ct)
    {
        await settings.Update(Input, ct);
        Flash("Configurações de e-mail salvas.");
        return Redirect("/settings/email");
    }

    /// <summary>The test e-mail's address is the "Test" form's field; everything else the SMTP form's.</summary>
    public string ErrorPrefix(string? handler) => handler == "Test" ? "Test" : "Input";

    public async Task Redisplay(CancellationToken ct)
    {
        var s = await settings.Get(ct);
        PasswordSet = s.PasswordSet && !Input.ClearPassword;
        Configured = s.Configured;
        Input.Password = null;
    }

    public async Task<IActionResult> OnPostTest(CancellationToken ct)
    {
        await OnGet(ct);
        TestResult = await settings.SendTest(TestTo, ct);
        return Page();
    }
}
