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
        await using var tx = await db.Database.BeginTransactionAsync(ct);
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
            var person = new Person("pt_BR");
            var name = isCompany ? faker.Company.CompanyName().Replace(" and ", " e ", StringComparison.Ordinal) : person.FullName;
            var partner = await partners.Create(new PartnerInput
            {
                Name = name,
                WorkspaceId = workspace.Id,
                Code = isCompany ? faker.Company.Cnpj() : person.Cpf(),
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
                var domain = isCompany ? new string(SearchText.Normalize(name.Split(' ')[0]).Where(char.IsAsciiLetterOrDigit).ToArray()) + ".com.br" : "gmail.com";
                var input = new ContactInput
                {
                    Name = contactName,
                    Phones =
                    [
                        new PhoneInput { Country = "BR", AreaCode = area, Number = "9" + faker.Random.Replace("####-####"), Type = PhoneType.Mobile },
                    ],
                    Emails = [$"{Slug(first)}.{Slug(last)}@{domain}"],
                };
                if (c == 0 && isCompany)
                {
                    input.Phones.Add(new PhoneInput { Country = "BR", AreaCode = area, Number = faker.PickRandom("3", "2", "4") + faker.Random.Replace("###-####"), Type = PhoneType.Fixed });
                }
                if (faker.Random.Bool(0.4f))
                {
                    input.SocialProfiles.Add(new SocialProfileInput { Network = SocialNetwork.Instagram, Handle = "@" + Slug(first + last) });
                }
                await partners.AddContact(partner.Id, input, confirmDuplicates: true, ct);
            }
        }
        await FillTickets(caller, faker, [bruno.Id, carla.Id], ct);
        await tx.CommitAsync(ct);
        log.LogWarning("Demo data created. Log in as ana@horizonte.example (admin), bruno@horizonte.example or carla@horizonte.example with the password {Password}", password);
    }

    /// <summary>A sales pipeline next to the default one, both with tags, and tickets with interactions in every status.</summary>
    private async Task FillTickets(Caller caller, Faker faker, long[] agents, CancellationToken ct)
    {
        var support = await db.Pipelines.Include(p => p.Tags).FirstAsync(ct);
        var sales = new Pipelines.Pipeline
        {
            Name = "Vendas", Alias = "VND", Description = "Propostas e novos contratos", CreatedAt = Clock.Now(), Version = 1,
            Tags = [new() { Name = "Prospecção", Color = "#0dcaf0", Position = 1 }, new() { Name = "Proposta", Color = "#6f42c1", Position = 2 },
                new() { Name = "Negociação", Color = "#fd7e14", Position = 3 }, new() { Name = "Fechado", Color = "#198754", Position = 4 }],
        };
        db.Pipelines.Add(sales);
        await db.SaveChangesAsync(ct);
        foreach (var pipeline in new[] { support, sales })
        {
            db.PipelineUsers.AddRange(agents.Select(a => new Pipelines.PipelineUser { PipelineId = pipeline.Id, UserId = a }));
        }
        await db.SaveChangesAsync(ct);
        var tickets = new Tickets.TicketService(db, caller);
        var partners = await db.Partners.Include(p => p.Contacts).OrderBy(p => p.Id).Take(40).ToListAsync(ct);
        var items = await db.CatalogItems.ToListAsync(ct);
        var supportTitles = new[] { "Erro ao emitir nota fiscal", "Dúvida sobre boleto", "Instalação em novo computador", "Senha bloqueada", "Relatório não abre",
            "Atualização do sistema", "Cobrança em duplicidade", "Treinamento da equipe" };
        var salesTitles = new[] { "Proposta de implantação", "Renovação da licença anual", "Consultoria tributária", "Expansão para filial", "Suporte mensal" };
        var statuses = Enum.GetValues<Tickets.TicketStatus>();
        for (var i = 0; i < partners.Count; i++)
        {
            var partner = partners[i];
            var inSales = i % 3 == 0;
            var pipeline = inSales ? sales : support;
            var ticket = await tickets.Create(pipeline.Id, new Tickets.TicketInput
            {
                Title = faker.PickRandom(inSales ? salesTitles : supportTitles),
                Description = faker.Lorem.Sentence(12),
                PartnerId = partner.Id,
                ContactId = partner.Contacts.FirstOrDefault()?.Id,
                CatalogItemId = inSales ? faker.PickRandom(items).Id : null,
                AssigneeId = agents[i % agents.Length],
                DueAt = i % 4 == 0 ? Clock.Now().AddDays(faker.Random.Int(-5, 20)) : null,
                TagIds = [pipeline.Tags[i % pipeline.Tags.Count].Id],
            }, ct);
            await tickets.AddInteraction(ticket.Id, $"<p>{faker.Lorem.Sentence(10)}</p>", isInternal: i % 5 == 0, notify: false, [], ct);
            if (i % 2 == 0)
            {
                await tickets.ChangeStatus(ticket.Id, statuses[i % statuses.Length], ct: ct);
            }
        }
    }

    private static string Slug(string text) => new(SearchText.Normalize(text).Where(char.IsAsciiLetterOrDigit).ToArray());

    private async Task<User> CreateUser(string name, string email, UserRole role, string password, Workspace[] workspaces)
    {
        var user = new User { Name = name, Email = email, UserName = email, Role = role, EmailConfirmed = true, CreatedAt = Clock.Now() };
        UserService.ThrowOnIdentityErrors(await users.CreateAsync(user, password));
        db.UserWorkspaces.AddRange(workspaces.Select(w => new UserWorkspace { UserId = user.Id, WorkspaceId = w.Id }));
        await db.SaveChangesAsync();
        return user;
    }
}
