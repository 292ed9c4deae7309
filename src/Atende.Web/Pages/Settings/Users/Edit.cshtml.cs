using Atende.Core.Common;
using Atende.Core.Identity;
using Atende.Core.Workspaces;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Atende.Web.Pages.Settings.Users;

public sealed class EditModel(UserService users, WorkspaceService workspaces, Atende.Core.Data.AtendeDb db, Caller caller, SignInManager<User> signIn,
    AccountLinkService accountLinks, Atende.Core.Settings.SettingsService settings) : AppPage, IFormPage, IActionPage
{
    /// <summary>How many partners the Portal user's company select offers.</summary>
    public const int MaxPartners = 500;

    public sealed record PartnerOption(long Id, string Name, string Code, bool Active);

    [BindProperty] public UserInput Input { get; set; } = new();
    /// <summary>The version of the user the form showed: a change made meanwhile by another admin is refused, not overwritten.</summary>
    [BindProperty] public int Version { get; set; } = Versions.Any;

    public long? Id { get; private set; }
    /// <summary>The stored name and active flag (the form may hold edited values).</summary>
    public string StoredName { get; private set; } = "";
    public bool StoredActive { get; private set; }
    /// <summary>The stored role, and for a Portal user whether they chose a password and when the last invitation went out.</summary>
    public UserRole StoredRole { get; private set; }
    public bool StoredHasPassword { get; private set; }
    public DateTimeOffset? LastInvite { get; private set; }
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;
    public bool IsSelf => Id == caller.UserId;
    public List<Workspace> Workspaces { get; private set; } = [];
    public List<PartnerOption> Partners { get; private set; } = [];
    public bool PartnersTruncated { get; private set; }

    public async Task<IActionResult> OnGet(long? id, CancellationToken ct)
    {
        Id = id;
        if (id is { } existing)
        {
            var user = await LoadStored(existing, ct);
            Version = user.Version;
            Input = new UserInput
            {
                Name = user.Name, Email = user.Email, Role = user.Role, WorkspaceIds = user.Workspaces.Select(w => w.WorkspaceId).ToList(),
                PartnerId = user.PartnerId, ContactId = user.ContactId, SeesCompanyRequests = user.SeesCompanyRequests, Active = user.Active,
            };
        }
        await LoadLists(ct);
        if (id is null && Workspaces.Count == 1)
        {
            Input.WorkspaceIds = [Workspaces[0].Id];
        }
        return Page();
    }

    public async Task<IActionResult> OnPost(long? id, CancellationToken ct)
    {
        Id = id;
        if (ModelState.IsValid)
        {
            var user = id is { } existing ? await users.Update(existing, Version, Input, ct) : await users.Create(Input, ct);
            if (user.Id == caller.UserId && !string.IsNullOrEmpty(Input.Password))
            {
                // A new password ends every session of the user: keep the admin's own session going.
                await signIn.RefreshSignInAsync(user);
            }
            Flash(id is null ? $"Usuário \"{user.Name}\" criado." : $"Usuário \"{user.Name}\" atualizado.");
            return Redirect("/settings/users");
        }
        await Redisplay(ct);
        return Page();
    }

    /// <summary>"Reenviar convite": a new 48-hour invitation to a Portal user (older unused ones end).</summary>
    public async Task<IActionResult> OnPostInvite(long id, CancellationToken ct)
    {
        var sent = await accountLinks.InviteUser(caller, id, ct);
        var user = await users.Get(sent.UserId, ct);
        Flash($"Convite enviado para {user.Email}. O link vale por 48 horas.");
        return Redirect($"/settings/users/{id}/edit");
    }

    /// <summary>A refused invitation (no SMTP, inactive user) comes back to this page with Core's message.</summary>
    public string? RefusedActionBack(string? handler, Exception refusal) =>
        handler == "Invite" ? $"/settings/users/{RouteData.Values["id"]}/edit" : null;

    public async Task Redisplay(CancellationToken ct)
    {
        if (Id is { } stored)
        {
            await LoadStored(stored, ct);
        }
        await LoadLists(ct);
    }

    private async Task<User> LoadStored(long id, CancellationToken ct)
    {
        var user = await users.Get(id, ct);
        StoredName = user.Name;
        StoredActive = user.Active;
        StoredRole = user.Role;
        StoredHasPassword = user.PasswordHash is not null;
        LastInvite = user.Role == UserRole.Portal ? await accountLinks.LastInvite(user.Id, ct) : null;
        Zone = await settings.TimeZone(ct);
        return user;
    }

    private async Task LoadLists(CancellationToken ct)
    {
        Workspaces = await workspaces.Visible(ct);
        Partners = await Visibility.Partners(db, caller).AsNoTracking()
            .Where(p => p.Active)
            .OrderBy(p => p.SortName).ThenBy(p => p.Id)
            .Take(MaxPartners + 1)
            .Select(p => new PartnerOption(p.Id, p.Name, p.Code, p.Active))
            .ToListAsync(ct);
        PartnersTruncated = Partners.Count > MaxPartners;
        if (PartnersTruncated)
        {
            Partners.RemoveAt(MaxPartners);
        }
        // The user's current company stays selectable even when inactive or beyond the first ones.
        if (Input.PartnerId is { } partnerId && Partners.All(p => p.Id != partnerId))
        {
            var current = await Visibility.Partners(db, caller).AsNoTracking().Where(p => p.Id == partnerId)
                .Select(p => new PartnerOption(p.Id, p.Name, p.Code, p.Active)).FirstOrDefaultAsync(ct);
            if (current is not null)
            {
                Partners.Insert(0, current);
            }
        }
    }
}
