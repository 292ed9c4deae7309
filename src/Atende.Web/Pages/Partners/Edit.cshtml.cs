using Atende.Core.Common;
using Atende.Core.Identity;
using Atende.Core.Partners;
using Atende.Core.Workspaces;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages.Partners;

public sealed class EditModel(PartnerService partners, WorkspaceService workspaces, UserService users, Caller caller) : PartnerFormPage
{
    [BindProperty] public PartnerInput Input { get; set; } = new();

    public long? Id { get; private set; }
    public List<Workspace> Workspaces { get; private set; } = [];
    public List<User> Staff { get; private set; } = [];

    public async Task<IActionResult> OnGet(long? id, CancellationToken ct)
    {
        Id = id;
        if (id is { } existing)
        {
            var p = await partners.Get(existing, ct);
            Version = p.Version;
            Input = new PartnerInput
            {
                Name = p.Name, WorkspaceId = p.WorkspaceId, Code = p.Code, Customer = p.Roles.HasFlag(PartnerRoles.Customer),
                Supplier = p.Roles.HasFlag(PartnerRoles.Supplier), AccountManagerId = p.AccountManagerId, Active = p.Active, Notes = p.Notes,
                StateRegistration = p.StateRegistration, Address = p.Address.ToInput(),
            };
        }
        else
        {
            Input.AccountManagerId = caller.UserId;
        }
        await LoadLists(ct);
        if (id is null && Workspaces.Count == 1)
        {
            Input.WorkspaceId = Workspaces[0].Id;
        }
        return Page();
    }

    public async Task<IActionResult> OnPost(long? id, string? next, CancellationToken ct)
    {
        Id = id;
        Partner? partner = null;
        if (await TrySave(async () => partner = id is { } existing
                ? await partners.Update(existing, Version, Input, ConfirmDuplicates, ct)
                : await partners.Create(Input, ConfirmDuplicates, ct)))
        {
            Flash(id is null ? $"Entidade \"{partner!.Name}\" criada." : $"Entidade \"{partner!.Name}\" atualizada.");
            return Redirect(next == "contact" ? $"/partners/{partner.Id}/contacts/new" : $"/partners/{partner.Id}");
        }
        await LoadLists(ct);
        return Page();
    }

    private async Task LoadLists(CancellationToken ct)
    {
        Workspaces = await workspaces.Visible(ct);
        Staff = await users.ActiveStaff(ct);
    }
}
