using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Identity;
using Atende.Core.Workspaces;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Settings;

public sealed class SetupInput
{
    public string? CompanyName { get; set; }
    public string? AdminName { get; set; }
    public string? AdminEmail { get; set; }
    public string? AdminPassword { get; set; }
}

/// <summary>First run: the company, its first admin and sensible pt-BR defaults. Refused once any user exists.</summary>
public sealed class SetupService(AtendeDb db, UserManager<User> users)
{
    public Task<bool> IsDone(CancellationToken ct = default) => db.Users.AnyAsync(ct);

    public async Task<User> Run(SetupInput input, CancellationToken ct = default)
    {
        var v = new Validation();
        var company = v.Text("companyName", "Nome da empresa", input.CompanyName, 200);
        var name = v.Text("adminName", "Seu nome", input.AdminName, 200);
        var email = v.Text("adminEmail", "E-mail", input.AdminEmail, 254);
        if (email.Length > 0 && !Partners.PartnerService.IsValidEmail(email))
        {
            v.Add("adminEmail", $"E-mail inválido: {email}.");
        }
        if (string.IsNullOrEmpty(input.AdminPassword))
        {
            v.Add("adminPassword", "Senha é obrigatória.");
        }
        await PasswordRules.Check(users, new User { Name = name, Email = email, UserName = email }, input.AdminPassword, "adminPassword", v);
        v.ThrowIfAny();

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await IsDone(ct))
        {
            throw new ConflictException("A configuração inicial já foi feita.");
        }
        // The single company row is the lock: a concurrent setup fails on its primary key.
        db.CompanyProfiles.Add(new CompanyProfile { Name = company });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw new ConflictException("A configuração inicial já foi feita.");
        }
        var workspace = new Workspace { Name = "Matriz" };
        db.Workspaces.Add(workspace);
        SeedLists(db);
        await db.SaveChangesAsync(ct);

        var admin = new User { Name = name, Email = email, UserName = email, Role = UserRole.Admin, CreatedAt = Clock.Now(), EmailConfirmed = true };
        var result = await users.CreateAsync(admin, input.AdminPassword!);
        if (!result.Succeeded)
        {
            var errors = new Validation();
            foreach (var error in result.Errors)
            {
                errors.Add(error.Code.StartsWith("Password", StringComparison.Ordinal) ? "adminPassword" : "adminEmail", error.Description);
            }
            errors.ThrowIfAny();
        }
        db.UserWorkspaces.Add(new UserWorkspace { UserId = admin.Id, WorkspaceId = workspace.Id });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return admin;
    }

    internal static void SeedLists(AtendeDb db)
    {
        db.Channels.AddRange(new[] { "WhatsApp", "Telefone", "E-mail", "Presencial", "Videochamada", "Portal" }.Select(n => new Channel { Name = n }));
        db.OpportunityTypes.AddRange(new[] { "Venda", "Cobrança", "Reativação", "Pós-venda", "Suporte" }.Select(n => new OpportunityType { Name = n }));
        db.Categories.AddRange(
            Category("Suporte técnico", "Dúvida", "Erro no sistema", "Instalação"),
            Category("Financeiro", "Boleto", "Nota fiscal", "Cobrança"),
            Category("Comercial", "Orçamento", "Contrato", "Cancelamento"));
        db.CatalogItems.AddRange(
            new CatalogItem { Name = "Consultoria (hora)", Kind = CatalogItemKind.Service, DefaultPrice = 250m },
            new CatalogItem { Name = "Implantação", Kind = CatalogItemKind.Service, DefaultPrice = 1500m },
            new CatalogItem { Name = "Suporte mensal", Kind = CatalogItemKind.Service, DefaultPrice = 390m },
            new CatalogItem { Name = "Licença anual", Kind = CatalogItemKind.Product, DefaultPrice = 2400m });
        db.Pipelines.Add(new Pipelines.Pipeline
        {
            Name = "Atendimentos", Alias = "ATD", Description = "Pedidos e dúvidas dos clientes", CreatedAt = Clock.Now(), Version = 1,
            Tags = [new() { Name = "Novo", Color = "#0d6efd", Position = 1 }, new() { Name = "Em andamento", Color = "#fd7e14", Position = 2 },
                new() { Name = "Resolvido", Color = "#198754", Position = 3 }],
        });
    }

    private static Category Category(string name, params string[] subs) =>
        new() { Name = name, Subcategories = subs.Select(s => new Subcategory { Name = s }).ToList() };
}
