using System.Security.Cryptography;
using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Identity;
using Atende.Core.Partners;
using Atende.Core.Settings;
using Atende.Core.Workspaces;
using Bogus;
using Bogus.Extensions.Brazil;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Atende.Core.Demo;

/// <summary>
/// Fills an empty database with a believable Brazilian company so a newcomer sees a living app.
/// Passwords are random and printed once to the log: no default credentials exist.
/// </summary>
public sealed class DemoData(AtendeDb db, UserManager<User> users, ILogger<DemoData> log)
{
    public async Task FillIfEmpty(int partnerCount = 60, CancellationToken ct = default)
    {
        if (await db.Users.AnyAsync(ct))
        {
            log.LogInformation("Demo data skipped: the database already has users.");
            return;
        }
        var password = "demo-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
        db.CompanyProfiles.Add(new CompanyProfile { Name = "Horizonte Contabilidade e Consultoria", Email = "atendimento@horizonte.example" });
        var saoPaulo = new Workspace { Name = "Matriz São Paulo" };
        var campinas = new Workspace { Name = "Filial Campinas" };
        db.Workspaces.AddRange(saoPaulo, campinas);
        SetupService.SeedLists(db);
        await db.SaveChangesAsync(ct);

        var admin = await CreateUser("Ana Ribeiro", "ana@horizonte.example", UserRole.Admin, password, [saoPaulo, campinas]);
        var bruno = await CreateUser("Bruno Carvalho", "bruno@horizonte.example", UserRole.Agent, password, [saoPaulo, campinas]);
        var carla = await CreateUser("Carla Mendes", "carla@horizonte.example", UserRole.Agent, password, [campinas]);

        var caller = new Caller(admin.Id, admin.Name, UserRole.Admin, [saoPaulo.Id, campinas.Id]);
        var partners = new PartnerService(db, caller);
        Randomizer.Seed = new Random(20261123);
        var faker = new Faker("pt_BR");
        for (var i = 0; i < partnerCount; i++)
        {
            var isCompany = i % 4 != 0;
            var workspace = i % 3 == 0 ? campinas : saoPaulo;
            var name = isCompany ? faker.Company.CompanyName() : faker.Name.FullName();
            var partner = await partners.Create(new PartnerInput
            {
                Name = name,
                WorkspaceId = workspace.Id,
                Code = isCompany ? faker.Company.Cnpj() : faker.Person.Cpf(),
                Customer = true,
                Supplier = i % 7 == 0,
                AccountManagerId = workspace == campinas ? carla.Id : bruno.Id,
                Notes = i % 5 == 0 ? "Cliente desde " + faker.Date.Past(8).Year + "." : "",
            }, confirmDuplicates: true, ct);
            var contactCount = isCompany ? faker.Random.Int(1, 3) : 1;
            for (var c = 0; c < contactCount; c++)
            {
                var first = faker.Name.FirstName();
                var last = faker.Name.LastName();
                var contactName = isCompany ? $"{first} {last}" : name;
                var area = faker.PickRandom("11", "19", "21", "31", "41", "48", "51", "61", "71", "81");
                var domain = isCompany ? string.Concat(SearchText.Normalize(name.Split(' ')[0]).Where(char.IsAsciiLetterOrDigit)) + ".com.br" : "gmail.com";
                var input = new ContactInput
                {
                    Name = contactName,
                    Phones =
                    [
                        new PhoneInput { Country = "BR", AreaCode = area, Number = "9" + faker.Random.Replace("####-####"), Type = PhoneType.Mobile },
                    ],
                    Emails = [$"{SearchText.Normalize(first)}.{SearchText.Normalize(last)}@{domain}".Replace(" ", "", StringComparison.Ordinal)],
                };
                if (c == 0 && isCompany)
                {
                    input.Phones.Add(new PhoneInput { Country = "BR", AreaCode = area, Number = faker.PickRandom("3", "2", "4") + faker.Random.Replace("###-####"), Type = PhoneType.Fixed });
                }
                if (faker.Random.Bool(0.4f))
                {
                    input.SocialProfiles.Add(new SocialProfileInput { Network = SocialNetwork.Instagram, Handle = "@" + SearchText.Normalize(first + last).Replace(" ", "", StringComparison.Ordinal) });
                }
                await partners.AddContact(partner.Id, input, confirmDuplicates: true, ct);
            }
        }
        log.LogWarning("Demo data created. Log in as ana@horizonte.example (admin), bruno@horizonte.example or carla@horizonte.example with the password {Password}", password);
    }

    private async Task<User> CreateUser(string name, string email, UserRole role, string password, Workspace[] workspaces)
    {
        var user = new User { Name = name, Email = email, UserName = email, Role = role, EmailConfirmed = true, CreatedAt = Clock.Now() };
        UserService.ThrowOnIdentityErrors(await users.CreateAsync(user, password));
        db.UserWorkspaces.AddRange(workspaces.Select(w => new UserWorkspace { UserId = user.Id, WorkspaceId = w.Id }));
        await db.SaveChangesAsync();
        return user;
    }
}
