using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Partners;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Identity;

public sealed class UserInput
{
    public string? Name { get; set; }
    public string? Email { get; set; }
    /// <summary>Required on create for staff (a Portal user may start without one and choose it through the invitation); on update, a non-empty value resets the password.</summary>
    public string? Password { get; set; }
    public UserRole Role { get; set; } = UserRole.Agent;
    public List<long> WorkspaceIds { get; set; } = [];
    public long? PartnerId { get; set; }
    /// <summary>Portal users: the contact of <see cref="PartnerId"/> they are (the requester of what they open); optional.</summary>
    public long? ContactId { get; set; }
    /// <summary>Portal users: "Vê todos os pedidos da empresa".</summary>
    public bool SeesCompanyRequests { get; set; }
    public bool Active { get; set; } = true;
}

/// <summary>Users and their grants; only admins manage them.</summary>
public sealed class UserService(AtendeDb db, UserManager<User> users, Caller caller)
{
    /// <summary>Users by name, a keyset page at a time.</summary>
    public async Task<Page<User>> List(string? after, int limit = 100, CancellationToken ct = default)
    {
        caller.RequireAdmin();
        var query = db.Users.AsNoTracking().Include(u => u.Workspaces).AsQueryable();
        if (Cursor.Decode(after) is { } cursor)
        {
            query = query.Where(u => string.Compare(u.Name, cursor.Key) >= 0 && (string.Compare(u.Name, cursor.Key) > 0 || u.Id > cursor.Id));
        }
        return await query.OrderBy(u => u.Name).ThenBy(u => u.Id).ToPageAsync(limit, u => new Cursor(u.Name, u.Id), ct);
    }

    /// <summary>Staff users any staff member may pick (assignee, account manager).</summary>
    public Task<List<User>> ActiveStaff(CancellationToken ct = default) =>
        db.Users.AsNoTracking().Where(u => u.Active && u.Role != UserRole.Portal).OrderBy(u => u.Name).ToListAsync(ct);

    /// <summary>A staff user's name (any staff member may see it, as in the assignee menus); null for anyone else.</summary>
    public Task<string?> StaffName(long id, CancellationToken ct = default) =>
        db.Users.Where(u => u.Id == id && u.Role != UserRole.Portal).Select(u => u.Name).FirstOrDefaultAsync(ct);

    public async Task<User> Get(long id, CancellationToken ct = default)
    {
        caller.RequireAdmin();
        return await db.Users.Include(u => u.Workspaces).FirstOrDefaultAsync(u => u.Id == id, ct)
            ?? throw new NotFoundException("Usuário não encontrado.");
    }

    public async Task<User> Create(UserInput input, CancellationToken ct = default)
    {
        caller.RequireAdmin();
        var user = new User { CreatedAt = Clock.Now() };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await Apply(user, input, isNew: true, ct);
        await tx.CommitAsync(ct);
        return user;
    }

    public async Task<User> Update(long id, int version, UserInput input, CancellationToken ct = default)
    {
        caller.RequireAdmin();
        var user = await Get(id, ct);
        Versions.Check(user.Version, version, StaleUser);
        if (user.Id == caller.UserId && (!input.Active || input.Role != UserRole.Admin))
        {
            throw new ValidationException(input.Active ? "role" : "active", "Você não pode desativar nem rebaixar a si mesmo.");
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await Apply(user, input, isNew: false, ct);
        await tx.CommitAsync(ct);
        return user;
    }

    /// <summary>Deactivates a user: they cannot log in, their sessions and tokens stop working at once; history stays.</summary>
    public async Task Deactivate(long id, CancellationToken ct = default)
    {
        caller.RequireAdmin();
        var user = await Get(id, ct);
        if (user.Id == caller.UserId)
        {
            throw new ValidationException("active", "Você não pode desativar a si mesmo.");
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        user.Active = false;
        user.Version++;
        await users.UpdateSecurityStampAsync(user);
        await RevokeTokens(user.Id, ct);
        await tx.CommitAsync(ct);
    }

    private async Task RevokeTokens(long userId, CancellationToken ct)
    {
        var now = Clock.Now();
        await db.ApiTokens.Where(t => t.UserId == userId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);
    }

    private async Task Apply(User user, UserInput input, bool isNew, CancellationToken ct)
    {
        var v = new Validation();
        var name = v.Text("name", "Nome", input.Name, 200);
        var email = v.Text("email", "E-mail", input.Email, 254);
        if (email.Length > 0 && !PartnerService.IsValidEmail(email))
        {
            v.Add("email", $"E-mail inválido: {email}.");
        }
        if (isNew && string.IsNullOrEmpty(input.Password) && input.Role != UserRole.Portal)
        {
            v.Add("password", "Senha é obrigatória.");
        }
        await PasswordRules.Check(users, user, input.Password, "password", v);
        var workspaceIds = input.WorkspaceIds.Distinct().ToList();
        if (workspaceIds.Count > 0)
        {
            var existing = await db.Workspaces.CountAsync(w => workspaceIds.Contains(w.Id), ct);
            if (existing != workspaceIds.Count)
            {
                v.Add("workspaceIds", "Domínio inexistente na lista de domínios.");
            }
        }
        if (input.Role == UserRole.Portal)
        {
            if (input.PartnerId is not { } partnerId || !await db.Partners.AnyAsync(p => p.Id == partnerId, ct))
            {
                v.Add("partnerId", "Usuário do portal precisa de uma entidade (empresa cliente) existente.");
            }
            else if (input.ContactId is { } contactId && !await db.Contacts.AnyAsync(c => c.Id == contactId && c.PartnerId == partnerId, ct))
            {
                v.Add("contactId", "O contato precisa ser um contato da entidade do usuário.");
            }
            workspaceIds.Clear();
        }
        else if (input.Role == UserRole.Agent && workspaceIds.Count == 0)
        {
            v.Add("workspaceIds", "Conceda ao menos um domínio ao atendente.");
        }
        v.ThrowIfAny();

        var wasActive = user.Active;
        var renamed = !isNew && user.Name != name;
        user.Name = name;
        user.Email = email;
        user.UserName = email;
        user.Role = input.Role;
        user.PartnerId = input.Role == UserRole.Portal ? input.PartnerId : null;
        user.ContactId = input.Role == UserRole.Portal ? input.ContactId : null;
        user.SeesCompanyRequests = input.Role == UserRole.Portal && input.SeesCompanyRequests;
        user.Active = input.Active;
        if (!isNew)
        {
            user.Version++;
        }
        var result = !isNew ? await users.UpdateAsync(user)
            : string.IsNullOrEmpty(input.Password) ? await users.CreateAsync(user)
            : await users.CreateAsync(user, input.Password);
        ThrowOnIdentityErrors(result);
        if (!isNew && !string.IsNullOrEmpty(input.Password))
        {
            ThrowOnIdentityErrors(await users.RemovePasswordAsync(user));
            ThrowOnIdentityErrors(await users.AddPasswordAsync(user, input.Password));
        }
        var grants = await db.UserWorkspaces.Where(g => g.UserId == user.Id).ToListAsync(ct);
        db.UserWorkspaces.RemoveRange(grants.Where(g => !workspaceIds.Contains(g.WorkspaceId)));
        db.UserWorkspaces.AddRange(workspaceIds.Where(id => grants.All(g => g.WorkspaceId != id)).Select(id => new UserWorkspace { UserId = user.Id, WorkspaceId = id }));
        await db.SaveChangesAsync(ct);
        if (renamed)
        {
            await Tickets.TicketService.RenameAssignee(db, user.Id, name, ct);
        }
        if (!isNew && (wasActive && !user.Active || input.Password is { Length: > 0 }))
        {
            await users.UpdateSecurityStampAsync(user);
            if (!user.Active)
            {
                await RevokeTokens(user.Id, ct);
            }
        }
    }

    private const string StaleUser = "Este usuário foi alterado por outra pessoa enquanto você editava. Recarregue e tente de novo.";

    internal static void ThrowOnIdentityErrors(IdentityResult result)
    {
        if (result.Succeeded)
        {
            return;
        }
        if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure)))
        {
            throw new StaleVersionException(StaleUser);
        }
        var v = new Validation();
        foreach (var error in result.Errors)
        {
            var field = error.Code.StartsWith("Password", StringComparison.Ordinal) ? "password"
                : error.Code.Contains("Email", StringComparison.Ordinal) || error.Code.Contains("UserName", StringComparison.Ordinal) ? "email"
                : "";
            v.Add(field, error.Description);
        }
        v.ThrowIfAny();
    }
}
