using System.Security.Cryptography;
using Atende.Core.Common;
using Atende.Core.Conversations;
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
        var created = new List<(long Id, long SellerId)>();
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
            created.Add((partner.Id, partner.AccountManagerId!.Value));
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
        var tickets = await FillTickets(caller, faker, [bruno.Id, carla.Id], ct);
        await AddTemplates(new Email.EmailTemplateService(db, caller, tickets, new Tickets.PublicLinks("http://localhost")), ct);
        await AddConversations(new ConversationService(db, caller, partners, new SettingsService(db, caller)), created, admin.Id, faker, ct);
        await tx.CommitAsync(ct);
        log.LogWarning("Demo data created. Log in as ana@horizonte.example (admin), bruno@horizonte.example or carla@horizonte.example with the password {Password}", password);
    }

    /// <summary>A sales pipeline next to the default one, both with tags, and tickets with interactions in every status.</summary>
    private async Task<Tickets.TicketService> FillTickets(Caller caller, Faker faker, long[] agents, CancellationToken ct)
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
        return tickets;
    }

    /// <summary>Templates the team inserts into interactions ("Inserir modelo").</summary>
    private static async Task AddTemplates(Email.EmailTemplateService templates, CancellationToken ct)
    {
        (string Name, string Subject, string Body)[] custom =
        [
            ("Envio de boleto", "Boleto de {{parceiro.nome}}",
                "<p>Olá, {{contato.nome}}.</p><p>Segue em anexo o boleto referente ao atendimento <strong>{{atendimento.referencia}}</strong>. "
                + "Qualquer dúvida, é só responder a este e-mail.</p><p>Atenciosamente,<br>{{usuario.nome}} — {{empresa.nome}}</p>"),
            ("Pedido de documentos", "Documentos para {{atendimento.titulo}}",
                "<p>Olá, {{contato.nome}}.</p><p>Para darmos andamento a <em>{{atendimento.titulo}}</em>, precisamos de:</p>"
                + "<ul><li>contrato social atualizado;</li><li>comprovante de endereço da empresa;</li><li>documento do responsável legal.</li></ul>"
                + "<p>Pode enviar respondendo a este e-mail.</p><p>{{usuario.nome}}</p>"),
            ("Atendimento concluído", "{{atendimento.titulo}} concluído",
                "<p>Olá, {{contato.nome}}.</p><p>Concluímos o atendimento {{atendimento.referencia}}. Se precisar de algo mais, estamos à disposição.</p>"
                + "<p>Obrigado pela confiança,<br>{{empresa.nome}}</p>"),
        ];
        foreach (var (name, subject, body) in custom)
        {
            await templates.Create(new Email.EmailTemplateInput { Name = name, Subject = subject, Body = body }, ct);
        }
    }

    private static readonly (string Type, string Subject, string Description)[] Topics =
    [
        ("Venda", "Proposta de consultoria tributária", "Apresentei a proposta para revisão do regime tributário. Pediram uma simulação com o faturamento dos últimos doze meses."),
        ("Venda", "Retorno sobre o orçamento de implantação", "O diretor financeiro leu o orçamento e quer fechar se a implantação começar ainda este mês."),
        ("Venda", "Negociar prazo de pagamento", "Cliente aceita o valor, mas pede pagamento em três parcelas. Ficou de confirmar com o sócio."),
        ("Cobrança", "Mensalidade em aberto", "Lembrei da mensalidade vencida; prometeram o pagamento até sexta-feira e pediram a segunda via do boleto."),
        ("Cobrança", "Acordo de parcelamento", "Combinamos quitar o saldo em duas vezes. Enviar o termo de acordo por e-mail para assinatura."),
        ("Reativação", "Convite para retomar o contrato", "Ex-cliente sem movimento há oito meses. Mostrei o novo pacote de folha de pagamento; ficou interessado."),
        ("Reativação", "Oferta de retorno com desconto", "Ofereci 15% nos três primeiros meses para voltar. Pediu para ligar de novo depois do fechamento do mês."),
        ("Pós-venda", "Acompanhamento do primeiro mês", "Tudo certo com a implantação; a equipe ainda tem dúvidas no lançamento de notas de serviço."),
        ("Pós-venda", "Pesquisa de satisfação", "Nota 9. Elogiaram a rapidez nas respostas; sugeriram um relatório mensal mais resumido."),
        ("Suporte", "Dúvida sobre nota fiscal de serviço", "Não sabiam qual código de serviço usar na NFS-e. Expliquei e enviei o passo a passo."),
        ("Suporte", "Envio das guias do mês", "Confirmei o recebimento das guias de impostos e as datas de vencimento de cada uma."),
    ];

    /// <summary>Past conversations (most concluded) and some scheduled for the coming days, so the agenda has a life.</summary>
    private async Task AddConversations(ConversationService conversations, List<(long Id, long SellerId)> partners, long adminId, Faker faker, CancellationToken ct)
    {
        var channels = await db.Channels.Where(c => c.Name != "Portal").Select(c => c.Id).ToListAsync(ct);
        var types = await db.OpportunityTypes.ToDictionaryAsync(t => t.Name, t => t.Id, ct);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/Sao_Paulo");
        var today = ZoneTime.ToLocal(Clock.Now(), zone).Date;
        DateTimeOffset WorkingTime(int dayOffset)
        {
            var date = today.AddDays(dayOffset);
            while (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                date = date.AddDays(dayOffset < 0 ? -1 : 1);
            }
            return ZoneTime.FromLocal(date.AddHours(faker.Random.Int(8, 17)).AddMinutes(faker.PickRandom(0, 15, 30, 45)), zone);
        }
        async Task Add(long partnerId, long sellerId, DateTimeOffset at, bool conclude)
        {
            var topic = faker.PickRandom(Topics);
            await conversations.Create(new ConversationInput
            {
                PartnerId = partnerId, ChannelId = faker.PickRandom(channels), OpportunityTypeId = types[topic.Type], Subject = topic.Subject,
                Description = topic.Description, SellerId = sellerId, At = at,
            }, conclude, ct);
        }
        foreach (var (partnerId, sellerId) in partners)
        {
            var seller = faker.Random.Bool(0.15f) ? adminId : sellerId;
            for (var i = faker.Random.Int(0, 3); i > 0; i--)
            {
                var at = WorkingTime(-faker.Random.Int(1, 60));
                await Add(partnerId, seller, at, conclude: faker.Random.Bool(0.9f));
            }
            if (faker.Random.Bool(0.45f))
            {
                await Add(partnerId, seller, WorkingTime(faker.Random.Int(0, 12)), conclude: false);
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
