using Atende.Core.Common;
using Atende.Core.Identity;
using Atende.Core.Settings;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages.Account;

/// <summary>The signed-in user's personal API tokens.</summary>
public sealed class TokensModel(TokenService tokens, SettingsService settings, Caller caller) : AppPage, IFormPage
{
    public sealed class TokenForm
    {
        public string? Name { get; set; }
    }

    [BindProperty] public TokenForm Input { get; set; } = new();

    public List<ApiToken> Tokens { get; private set; } = [];
    public TimeZoneInfo? Zone { get; private set; }
    /// <summary>The secret of the token just created: shown in this one response and never again.</summary>
    public string? NewSecret { get; private set; }
    public ApiToken? NewToken { get; private set; }

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        await Load(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostCreate(CancellationToken ct)
    {
        (NewToken, NewSecret) = await tokens.Create(caller.UserId, Input.Name, ct);
        Input = new TokenForm();
        ModelState.Clear();
        // The secret must not stay in any cache.
        Response.Headers.CacheControl = "no-store";
        await Load(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevoke(long id, CancellationToken ct)
    {
        var token = (await tokens.ListOf(caller.UserId, ct)).FirstOrDefault(t => t.Id == id) ?? throw new NotFoundException("Token não encontrado.");
        await tokens.Revoke(caller.UserId, id, ct);
        Flash($"Token \"{token.Name}\" revogado. Programas que o usavam deixaram de ter acesso.");
        return Redirect("/account/tokens");
    }

    public Task Redisplay(CancellationToken ct) => Load(ct);

    private async Task Load(CancellationToken ct)
    {
        Tokens = await tokens.ListOf(caller.UserId, ct);
        Zone = await settings.TimeZone(ct);
    }
}
