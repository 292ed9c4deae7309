using Atende.Core.Queue;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Atende.Core.Common;
using Atende.Core.Conversations;
using Atende.Core.Data;
using Atende.Core.Email;
using Atende.Core.Files;
using Atende.Core.Identity;
using Atende.Core.Partners;
using Atende.Core.Pipelines;
using Atende.Core.Settings;
using Atende.Core.Tickets;
using Atende.Core.Workspaces;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Atende.Core.Demo;

/// <summary>
/// Fills an empty database with an accounting office (escritório de contabilidade) and its last 90 days: clients, their
/// requests and proposals with notes and e-mails, conversations on the agenda. Partners, contacts, tickets and conversations are
/// created through the real services (so they pass the same rules as real data) and then dated in the story's past (the services
/// date things "now"); a ticket's later steps are written as its service writes them (see TicketTelling). The same seed tells the
/// same story relative to today.
/// Passwords are random and printed once to the log: no default credentials exist.
/// </summary>
public sealed partial class DemoData(AtendeDb db, UserManager<User> users, Events.EventLog events, FileService files, ILogger<DemoData> log)
{
    private const int Seed = 20261123;
    private const string CompanyName = "Horizonte Contabilidade e Consultoria";
    private const int DayStart = 8 * 60;
    private const int DayEnd = 18 * 60;

    /// <summary>Which statuses each demo tag allows (the demo's rule, kept by every ticket it makes; tags not listed allow any).</summary>
    public static readonly IReadOnlyDictionary<string, TicketStatus[]> TagStatuses = new Dictionary<string, TicketStatus[]>
    {
        ["Triagem"] = [TicketStatus.Open],
        ["Aguardando cliente"] = [TicketStatus.Waiting],
        ["Em execução"] = [TicketStatus.Analyzing, TicketStatus.Reopened],
        ["Conferência"] = [TicketStatus.Analyzing],
        ["Concluído"] = [TicketStatus.Done],
        ["Urgente"] = [TicketStatus.Open, TicketStatus.Analyzing, TicketStatus.Waiting, TicketStatus.Reopened],
        ["Prospecção"] = [TicketStatus.Open],
        ["Proposta enviada"] = [TicketStatus.Waiting],
        ["Negociação"] = [TicketStatus.Analyzing],
        ["Fechado"] = [TicketStatus.Done],
        ["Perdido"] = [TicketStatus.Rejected, TicketStatus.Canceled],
    };

    private readonly Random random = new(Seed);

    private AtendeDb Db => db;
    private TimeZoneInfo zone = TimeZoneInfo.Utc;
    /// <summary>When the fill started: every date of the story is before it, every date a service wrote is at or after it.</summary>
    private DateTimeOffset started;
    /// <summary>The last office minute up to now: the story's events end there.</summary>
    private DateTimeOffset latest;

    public async Task FillIfEmpty(CancellationToken ct = default)
    {
        if (await db.Users.AnyAsync(ct))
        {
            log.LogInformation("Demo data skipped: the database already has users.");
            return;
        }
        var watch = Stopwatch.StartNew();
        var password = "demo-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
        started = Clock.Now();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.CompanyProfiles.Add(new CompanyProfile
        {
            Name = CompanyName, Email = "atendimento@horizonte.example", TaxId = "11.222.333/0001-81", Phone = "(11) 3456-7890",
            Address = new PostalAddress
            {
                PostalCode = "01310-100", Street = "Av. Paulista", Number = "1000", Complement = "Conj. 12", District = "Bela Vista", City = "São Paulo", State = "SP",
            },
        });
        var saoPaulo = new Workspace { Name = "Matriz São Paulo" };
        var campinas = new Workspace { Name = "Filial Campinas" };
        db.Workspaces.AddRange(saoPaulo, campinas);
        SetupService.SeedLists(db);
        ForAnAccountingOffice();
        await db.SaveChangesAsync(ct);
        zone = await new SettingsService(db, new Caller(0, "", UserRole.Admin, [])).TimeZone(ct);
        latest = LastOfficeMinute(started.AddMinutes(-1));

        var ana = await CreateUser("Ana Ribeiro", "ana@horizonte.example", UserRole.Admin, password, [saoPaulo, campinas]);
        var bruno = await CreateUser("Bruno Carvalho", "bruno@horizonte.example", UserRole.Agent, password, [saoPaulo, campinas]);
        var carla = await CreateUser("Carla Mendes", "carla@horizonte.example", UserRole.Agent, password, [campinas]);
        var team = new Team(ana, bruno, carla);

        var caller = new Caller(ana.Id, ana.Name, UserRole.Admin, [saoPaulo.Id, campinas.Id]);
        var partners = new PartnerService(db, caller, events);
        var clients = await AddPartners(partners, saoPaulo, campinas, team, ct);
        var tickets = new TicketService(db, caller, events);
        await AddTemplates(new EmailTemplateService(db, caller, tickets, new PublicLinks("http://localhost")), ct);
        var ticketsByPartner = await AddTickets(tickets, clients, team, ct);
        await AddConversations(new ConversationService(db, caller, partners, new SettingsService(db, caller), events), clients, ticketsByPartner, team, ct);
        await AddSales(team, ct);
        var portalEmail = await AddPortal(clients, caller, password, ct);
        await tx.CommitAsync(ct);
        log.LogWarning("Demo data created in {Seconds:0.0} s. Log in as ana@horizonte.example (admin), bruno@horizonte.example or carla@horizonte.example, or in the customer portal as {Portal}, with the password {Password}",
            watch.Elapsed.TotalSeconds, portalEmail, password);
    }

    /// <summary>
    /// The customer portal: requests go to the service pipeline; the first client's first contact is a portal user who sees the
    /// company's requests, has opened two through the portal, got a public reply on one of them and chatted about it.
    /// </summary>
    private async Task<string> AddPortal(List<Client> clients, Caller staff, string password, CancellationToken ct)
    {
        var company = await db.CompanyProfiles.SingleAsync(ct);
        company.PortalPipelineId = await db.Pipelines.Where(p => p.Alias == "ATC").Select(p => p.Id).SingleAsync(ct);
        var client = clients.First(c => !c.AgendaOnly && c.Contacts.Count > 0);
        var (contactId, name, email) = client.Contacts[0];
        var user = new User
        {
            Name = name, Email = email, UserName = email, Role = UserRole.Portal, PartnerId = client.Id, ContactId = contactId, SeesCompanyRequests = true,
            EmailConfirmed = true, CreatedAt = started.AddDays(-30),
        };
        UserService.ThrowOnIdentityErrors(await users.CreateAsync(user, password));
        var customer = new Caller(user.Id, user.Name, UserRole.Portal, [], client.Id) { SeesCompanyRequests = true, ContactId = contactId };
        var portal = new Portal.PortalService(db, customer, new TicketService(db, customer, events), files);
        var options = await portal.FormOptions(ct);
        var fiscal = options.Categories.First(c => c.Name == "Fiscal");
        var phone = options.Phone.Length > 0 ? options.Phone : "(11) 98765-4321";
        var first = await portal.Create(new Portal.PortalRequestInput
        {
            CategoryId = fiscal.Id, SubcategoryId = fiscal.Subcategories.First(s => s.Name == "Nota fiscal").Id, ContactName = name, Phone = phone, Email = email,
            Subject = "Nota fiscal de serviço recusada pela prefeitura",
            Message = "Bom dia! A nota fiscal que emitimos ontem para o cliente Mercado Bom Preço voltou recusada com o erro E160 (código de serviço).\n\nPodem verificar qual código devemos usar? Segue o print da tela.",
        }, [], ct);
        var dp = options.Categories.First(c => c.Name == "Departamento pessoal");
        var second = await portal.Create(new Portal.PortalRequestInput
        {
            CategoryId = dp.Id, SubcategoryId = dp.Subcategories.First(s => s.Name == "Férias").Id, ContactName = name, Phone = phone, Email = email,
            Message = "Precisamos programar as férias de dois funcionários para janeiro. Quais documentos vocês precisam e até quando?",
        }, [], ct);
        // Opened earlier on the last office day, like every demo ticket (not at whatever hour the demo is made).
        var dayStart = At(ZoneTime.ToLocal(latest, zone).Date, DayStart);
        foreach (var (ticket, share) in new[] { (first, 3), (second, 2) })
        {
            ticket.CreatedAt = dayStart + (latest - dayStart) / share;
            Stamp(ticket, ticket.CreatedAt, user.Id);
        }
        // The staff triaged both (every open demo ticket has its stage tag), noted something internal on the second and
        // answered the first.
        var team = new TicketService(db, staff, events);
        var triage = await db.Tags.Where(t => t.PipelineId == company.PortalPipelineId && t.Name == "Triagem").Select(t => t.Id).SingleAsync(ct);
        await team.AddTag(first.Id, triage, ct);
        await team.AddTag(second.Id, triage, ct);
        await team.AddInteraction(second.Id, "<p>Conferir o saldo de férias dos dois antes de responder (o portal não mostra esta nota).</p>",
            isInternal: true, notify: false, [], ct);
        await team.AddInteraction(first.Id,
            "<p>Bom dia! O código correto para esse serviço é o 17.19 da lista da LC 116. Já corrigimos o cadastro do serviço; pode emitir a nota de novo.</p>",
            isInternal: false, notify: false, [], ct);
        // And a short chat on the first (SMTP is not configured in the demo, so nobody is e-mailed).
        using var pace = new Chat.ChatPace();
        var teamChat = new Chat.ChatService(db, staff, events, pace);
        var customerChat = new Chat.ChatService(db, customer, events, pace);
        await teamChat.Post(first.Id, $"Olá, {name.Split(' ')[0]}! Vi seu pedido da nota recusada. Conseguiu emitir de novo com o código 17.19?", ct);
        await customerChat.Post(first.Id, "Consegui sim, a prefeitura aceitou agora. Obrigado!", ct);
        await teamChat.Post(first.Id, "Ótimo! Qualquer coisa, é só chamar por aqui.", ct);
        return email;
    }

    private sealed record Team(User Ana, User Bruno, User Carla)
    {
        public string NameOf(long id) => id == Ana.Id ? Ana.Name : id == Bruno.Id ? Bruno.Name : Carla.Name;
    }

    /// <summary>A client as created: what its tickets and e-mails need. A client <paramref name="AgendaOnly"/> has conversations but no tickets.</summary>
    private sealed record Client(long Id, DemoPartner Data, long ManagerId, List<(long Id, string Name, string Email)> Contacts, bool AgendaOnly);

    /// <summary>The setup's lists, made to fit an accounting office: its services, classifications and the service pipeline.</summary>
    private void ForAnAccountingOffice()
    {
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.Entity is Category or Subcategory or CatalogItem or Tag).ToList())
        {
            entry.State = EntityState.Detached;
        }
        // Fiscal codes for the NF-e: services by the LC 116 list (17.19 accounting, 17.01 consulting), the token by its NCM.
        db.CatalogItems.AddRange(
            new CatalogItem { Name = "Honorários mensais — Simples Nacional", Kind = CatalogItemKind.Service, DefaultPrice = 890m, FiscalCode = "17.19" },
            new CatalogItem { Name = "Honorários mensais — Lucro Presumido", Kind = CatalogItemKind.Service, DefaultPrice = 2350m, FiscalCode = "17.19" },
            new CatalogItem { Name = "Abertura de empresa", Kind = CatalogItemKind.Service, DefaultPrice = 1450m, FiscalCode = "17.19" },
            new CatalogItem { Name = "Alteração contratual", Kind = CatalogItemKind.Service, DefaultPrice = 850m, FiscalCode = "17.19" },
            new CatalogItem { Name = "Declaração de IRPF", Kind = CatalogItemKind.Service, DefaultPrice = 480m, FiscalCode = "17.19" },
            new CatalogItem { Name = "Planejamento tributário", Kind = CatalogItemKind.Service, DefaultPrice = 4200m, FiscalCode = "17.01" },
            new CatalogItem { Name = "Rescisão trabalhista", Kind = CatalogItemKind.Service, DefaultPrice = 180m, FiscalCode = "17.19" },
            new CatalogItem { Name = "Consultoria (hora)", Kind = CatalogItemKind.Service, DefaultPrice = 280m, FiscalCode = "17.01" },
            new CatalogItem { Name = DemoStory.Certificate, Kind = CatalogItemKind.Product, DefaultPrice = 290m, FiscalCode = "85235200" });
        db.Categories.AddRange(
            NewCategory("Fiscal", "Apuração de impostos", "Nota fiscal", "Parcelamento"),
            NewCategory("Departamento pessoal", "Folha de pagamento", "Admissão", "Rescisão", "Férias"),
            NewCategory("Contábil", "Balancete", "Conciliação bancária", "Imposto de renda"),
            NewCategory("Societário", "Abertura", "Alteração contratual", "Certidões"),
            NewCategory("Comercial", "Proposta", "Contrato", "Cancelamento"));
        var service = db.Pipelines.Local.Single();
        service.Name = "Atendimento Contábil";
        service.Alias = "ATC";
        service.Description = "Pedidos e obrigações dos clientes do escritório";
        service.Tags =
        [
            new() { Name = "Triagem", Color = "#0d6efd", Position = 1 }, new() { Name = "Aguardando cliente", Color = "#b35c00", Position = 2 },
            new() { Name = "Em execução", Color = "#6f42c1", Position = 3 }, new() { Name = "Conferência", Color = "#0b7285", Position = 4 },
            new() { Name = "Concluído", Color = "#198754", Position = 5 }, new() { Name = "Urgente", Color = "#dc3545", Position = 6 },
        ];
        db.Pipelines.Add(new Pipeline
        {
            Name = "Comercial", Alias = "COM", Description = "Propostas para novos clientes e serviços avulsos", CreatedAt = Clock.Now(), Version = 1,
            Tags =
            [
                new() { Name = "Prospecção", Color = "#0d6efd", Position = 1 }, new() { Name = "Proposta enviada", Color = "#6f42c1", Position = 2 },
                new() { Name = "Negociação", Color = "#b35c00", Position = 3 }, new() { Name = "Fechado", Color = "#198754", Position = 4 },
                new() { Name = "Perdido", Color = "#6c757d", Position = 5 },
            ],
        });
    }

    private static Category NewCategory(string name, params string[] subs) =>
        new() { Name = name, Subcategories = subs.Select(s => new Subcategory { Name = s }).ToList() };

    // Partners

    private async Task<List<Client>> AddPartners(PartnerService partners, Workspace saoPaulo, Workspace campinas, Team team, CancellationToken ct)
    {
        var clients = new List<Client>();
        foreach (var (data, index) in DemoStory.Partners.Select((p, i) => (p, i)))
        {
            var workspace = data.Campinas ? campinas : saoPaulo;
            var managerId = data.Campinas ? team.Carla.Id : random.Next(4) == 0 ? team.Ana.Id : team.Bruno.Id;
            var lead = data.Kind is DemoKind.CompanyLead or DemoKind.PersonLead;
            var since = OfficeTime(started.AddDays(-(lead ? random.Next(95, 200) : random.Next(120, 2500))));
            var partner = await partners.Create(new PartnerInput
            {
                Name = data.Name,
                WorkspaceId = workspace.Id,
                Code = data.Kind is DemoKind.Person or DemoKind.PersonLead ? NewCpf() : NewCnpj(),
                Customer = data.Kind != DemoKind.Supplier,
                Supplier = data.Kind == DemoKind.Supplier,
                AccountManagerId = data.Kind == DemoKind.Supplier ? team.Ana.Id : managerId,
                Notes = data.Kind is DemoKind.Supplier || lead ? data.Note : $"{data.Note} Cliente desde {ZoneTime.ToLocal(since, zone).Year}.",
                Address = DemoAddress(index, data.Campinas),
                StateRegistration = data.Kind is DemoKind.Person or DemoKind.PersonLead ? "" : index % 4 == 0 ? "ISENTO" : $"{110 + index}.{index * 37 % 1000:D3}.{index * 53 % 1000:D3}.{index * 71 % 1000:D3}",
            }, confirmDuplicates: true, ct);
            var areaCode = data.Campinas ? "19" : "11";
            var domain = data.Kind is DemoKind.Person or DemoKind.PersonLead ? "email.example" : Slug(data.Name) + ".example";
            var contacts = new List<(long, string, string)>();
            for (var i = 0; i < data.Contacts.Length; i++)
            {
                var name = data.Contacts[i];
                var parts = SearchText.Normalize(name).Split(' ');
                var email = $"{Slug(parts[0])}.{Slug(parts[^1])}@{domain}";
                var input = new ContactInput
                {
                    Name = name,
                    Phones = [new PhoneInput { Country = "BR", AreaCode = areaCode, Number = $"9{random.Next(6, 10)}{random.Next(100, 1000)}-{random.Next(0, 10000):0000}", Type = PhoneType.Mobile }],
                    Emails = [email],
                };
                if (i == 0 && data.Kind is DemoKind.Company or DemoKind.CompanyLead or DemoKind.Supplier)
                {
                    input.Phones.Add(new PhoneInput { Country = "BR", AreaCode = areaCode, Number = $"3{random.Next(100, 1000)}-{random.Next(0, 10000):0000}", Type = PhoneType.Fixed });
                }
                if (data.Kind == DemoKind.Mei && i == 0)
                {
                    input.SocialProfiles.Add(new SocialProfileInput { Network = SocialNetwork.Instagram, Handle = "@" + Slug(data.Name) });
                }
                var contact = await partners.AddContact(partner.Id, input, confirmDuplicates: true, ct);
                contact.CreatedAt = contact.UpdatedAt = since;
                contacts.Add((contact.Id, name, email));
            }
            partner.CreatedAt = partner.UpdatedAt = since;
            if (data.Kind != DemoKind.Supplier)
            {
                clients.Add(new Client(partner.Id, data, partner.AccountManagerId!.Value, contacts, AgendaOnly: clients.Count % 10 == 9));
            }
        }
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return clients;
    }

    /// <summary>A valid CPF: nine random digits and the check digits TaxId accepts.</summary>
    private static readonly (string Street, string District, string PostalCode)[] SaoPauloStreets =
    [
        ("Rua Augusta", "Consolação", "01305-000"), ("Av. Paulista", "Bela Vista", "01310-100"), ("Rua Vergueiro", "Liberdade", "01504-001"),
        ("Rua dos Pinheiros", "Pinheiros", "05422-001"), ("Av. Santo Amaro", "Vila Nova Conceição", "04505-000"),
    ];

    private static readonly (string Street, string District, string PostalCode)[] CampinasStreets =
    [
        ("Av. Francisco Glicério", "Centro", "13012-100"), ("Rua Barão de Jaguara", "Centro", "13015-001"), ("Av. Júlio de Mesquita", "Cambuí", "13025-060"),
    ];

    /// <summary>A street of the partner's city, from its place in the story (not from the random source, which the rest of the story follows).</summary>
    private static AddressInput DemoAddress(int index, bool campinas)
    {
        var streets = campinas ? CampinasStreets : SaoPauloStreets;
        var (street, district, postalCode) = streets[index % streets.Length];
        return new AddressInput
        {
            PostalCode = postalCode, Street = street, Number = (10 + index * 37 % 1900).ToString(CultureInfo.InvariantCulture),
            Complement = index % 3 == 0 ? $"Sala {index + 1}" : "", District = district, City = campinas ? "Campinas" : "São Paulo", State = "SP",
        };
    }

    private string NewCpf() => WithCheckDigits(string.Concat(Enumerable.Range(0, 9).Select(_ => random.Next(10))), TaxId.IsValidCpf);

    /// <summary>A valid CNPJ of a head office (0001).</summary>
    private string NewCnpj() => WithCheckDigits(string.Concat(Enumerable.Range(0, 8).Select(_ => random.Next(10))) + "0001", TaxId.IsValidCnpj);

    private static string WithCheckDigits(string body, Func<string, bool> valid) =>
        Enumerable.Range(0, 100).Select(d => body + d.ToString("00", CultureInfo.InvariantCulture)).First(valid);

    private static string Slug(string text)
    {
        string[] skip = ["ltda", "de", "da", "do", "das", "dos", "e", "em", "me", "mei"];
        var words = SearchText.Normalize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !skip.Contains(w)).ToList();
        return new string(string.Concat(words.Count > 2 ? words[^2..] : words).Where(char.IsAsciiLetterOrDigit).ToArray());
    }

    // Tickets

    /// <summary>Where a ticket's story ends.</summary>
    private enum Ending { Open, Waiting, Working, Done, Reopened, Canceled, Lost }

    /// <summary>Tickets on every office day of the last 90, oldest first, each telling its story up to today. Returns the ticket ids by partner.</summary>
    private async Task<Dictionary<long, List<(long Id, DateTimeOffset Created)>>> AddTickets(TicketService tickets, List<Client> clients, Team team, CancellationToken ct)
    {
        var pipelines = await db.Pipelines.Include(p => p.Tags).ToListAsync(ct);
        db.PipelineUsers.AddRange(pipelines.SelectMany(p => new[] { team.Bruno.Id, team.Carla.Id }.Select(u => new PipelineUser { PipelineId = p.Id, UserId = u })));
        await db.SaveChangesAsync(ct);
        var tagsByName = pipelines.SelectMany(p => p.Tags).ToDictionary(t => t.Name); // the demo's tag names are distinct
        var tags = tagsByName.ToDictionary(t => t.Key, t => t.Value.Id);
        var pipelineOf = pipelines.ToDictionary(p => p.Alias, p => p.Id);
        var items = await db.CatalogItems.ToDictionaryAsync(i => i.Name, i => i.Id, ct);
        var categories = await db.Categories.Include(c => c.Subcategories).ToListAsync(ct);
        var channels = await db.Channels.ToDictionaryAsync(c => c.Name, c => c.Id, ct);
        var templates = new Dictionary<EmailTemplatePurpose, EmailTemplate>
        {
            [EmailTemplatePurpose.StatusChanged] = await EmailTemplateService.ForEmail(db, EmailTemplatePurpose.StatusChanged, ct),
            [EmailTemplatePurpose.Interaction] = await EmailTemplateService.ForEmail(db, EmailTemplatePurpose.Interaction, ct),
        };
        db.ChangeTracker.Clear();

        var byPartner = new Dictionary<long, List<(long Id, DateTimeOffset Created)>>();
        var creations = OfficeDays(89).SelectMany(day => Enumerable.Range(0, random.Next(1, 3)).Select(_ => At(day, random.Next(DayStart, DayEnd - 30))))
            .Where(t => t < latest.AddMinutes(-30)).Order().ToList();
        for (var n = 0; n < creations.Count; n++)
        {
            var created = creations[n];
            var sales = random.Next(4) == 0;
            TicketStory story;
            List<Client> candidates;
            do
            {
                story = Pick(sales ? DemoStory.Sales : DemoStory.Service);
                candidates = clients.Where(c => !c.AgendaOnly && story.For.Contains(c.Data.Kind)).ToList();
            }
            while (candidates.Count == 0);
            var client = Pick(candidates);
            var contact = Pick(client.Contacts);
            var assignee = sales ? (client.Data.Campinas ? team.Carla.Id : random.Next(3) == 0 ? team.Bruno.Id : team.Ana.Id)
                : client.Data.Campinas ? (random.Next(4) == 0 ? team.Bruno.Id : team.Carla.Id) : client.ManagerId;
            var ending = ChooseEnding(sales, OfficeMinutes(created, latest) / (DayEnd - DayStart));
            var words = Words(created, contact.Name);
            var category = categories.First(c => c.Name == story.Category);
            decimal? value = story.MaxValue > 0 && (!sales || ending != Ending.Open || random.Next(3) > 0) ? Amount(story.MinValue, story.MaxValue) : null;
            if (value is { } v)
            {
                words["valor"] = v.ToString("N2", CultureInfo.GetCultureInfo("pt-BR"));
            }
            else
            {
                words["valor"] = Amount(180, 2400).ToString("N2", CultureInfo.GetCultureInfo("pt-BR"));
            }
            var due = sales
                ? random.Next(2) == 0 ? EndOfDay(AddOfficeMinutes(created, random.Next(10, 20) * (DayEnd - DayStart))) : (DateTimeOffset?)null
                : random.Next(5) > 0 ? EndOfDay(AddOfficeMinutes(created, random.Next(2, 9) * (DayEnd - DayStart))) : null;
            var startTags = new List<long> { tags[sales ? "Prospecção" : "Triagem"] };
            if (!sales && random.Next(8) == 0)
            {
                startTags.Add(tags["Urgente"]);
            }
            var ticket = await tickets.Create(pipelineOf[sales ? "COM" : "ATC"], new TicketInput
            {
                Title = Fill(Pick(story.Titles), words),
                Description = Fill(story.Description, words),
                PartnerId = client.Id,
                ContactId = contact.Id,
                CatalogItemId = story.CatalogItem is { } item ? items[item] : null,
                Value = value ?? 0m,
                AssigneeId = assignee,
                CategoryId = category.Id,
                SubcategoryId = category.Subcategories.First(s => s.Name == story.Subcategory).Id,
                ChannelId = channels[Pick("WhatsApp", "E-mail", "Telefone", "WhatsApp", "Portal")],
                DueAt = due,
                TagIds = startTags,
            }, ct);
            ticket.CreatedAt = created;
            var author = assignee;
            Stamp(ticket, created, author);
            byPartner.TryAdd(client.Id, []);
            byPartner[client.Id].Add((ticket.Id, created));

            var telling = new TicketTelling(this, ticket, team, contact, client.Data.Name, tagsByName, words, templates);
            var steps = Steps(story, ending, sales);
            var span = OfficeMinutes(created, latest);
            var wanted = ending switch
            {
                Ending.Open or Ending.Waiting or Ending.Working => span * (0.3 + random.NextDouble() * 0.7),
                _ => (sales ? random.Next(3, 25) : random.Next(1, 10)) * (DayEnd - DayStart) * (0.4 + random.NextDouble()),
            };
            var length = Math.Min(span, wanted);
            var first = Math.Min(random.Next(5, 60), length * 0.2);
            var offsets = steps.Skip(1).Select(_ => first + random.NextDouble() * Math.Max(0, length - first)).Order().Prepend(first).ToList();
            var last = created;
            for (var i = 0; i < steps.Count; i++)
            {
                var at = AddOfficeMinutes(created, offsets[i]);
                if (at <= last)
                {
                    at = last.AddMinutes(2);
                }
                if (at > latest)
                {
                    at = latest;
                }
                author = steps[i].ByAna ? team.Ana.Id : assignee;
                telling.Do(steps[i], at, author);
                last = at;
            }
            if (TicketService.IsClosed(ticket.Status) && ticket.DueAt > last)
            {
                ticket.DueAt = EndOfDay(last) <= started ? EndOfDay(last) : last;
            }
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
        await ShowEveryDueDate(ct);
        return byPartner;
    }

    /// <summary>
    /// Makes sure the list shows each kind of due date among open tickets: one overdue, one due today, one upcoming
    /// (the story usually has them all; a run early on a Monday may not).
    /// </summary>
    private async Task ShowEveryDueDate(CancellationToken ct)
    {
        var closed = new[] { TicketStatus.Done, TicketStatus.Canceled, TicketStatus.Rejected };
        var open = (await db.Tickets.Where(t => !closed.Contains(t.Status)).ToListAsync(ct)).OrderByDescending(t => t.CreatedAt).ToList();
        var todayEnd = EndOfDay(started);
        var todayStart = At(ZoneTime.ToLocal(started, zone).Date, 0);
        if (!open.Any(t => t.DueAt >= todayStart && t.DueAt <= todayEnd))
        {
            open[0].DueAt = todayEnd;
        }
        if (!open.Any(t => t.DueAt > todayEnd))
        {
            open.First(t => !(t.DueAt >= todayStart && t.DueAt <= todayEnd)).DueAt = AddOfficeMinutes(todayEnd, 3 * (DayEnd - DayStart));
        }
        if (!open.Any(t => t.DueAt < todayStart))
        {
            var oldest = open[^1];
            oldest.DueAt = EndOfDay(AddOfficeMinutes(oldest.CreatedAt, DayEnd - DayStart));
        }
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    private Ending ChooseEnding(bool sales, double ageInDays)
    {
        var r = random.NextDouble();
        if (sales)
        {
            return ageInDays >= 25
                ? r < 0.45 ? Ending.Done : r < 0.85 ? Ending.Lost : r < 0.95 ? Ending.Working : Ending.Waiting
                : r < 0.25 ? Ending.Open : r < 0.55 ? Ending.Waiting : r < 0.8 ? Ending.Working : r < 0.92 ? Ending.Done : Ending.Lost;
        }
        return ageInDays >= 15
            ? r < 0.85 ? Ending.Done : r < 0.9 ? Ending.Canceled : r < 0.92 ? Ending.Reopened : r < 0.95 ? Ending.Working : Ending.Waiting
            : ageInDays >= 4
                ? r < 0.55 ? Ending.Done : r < 0.75 ? Ending.Waiting : r < 0.95 ? Ending.Working : r < 0.97 ? Ending.Reopened : Ending.Canceled
                : r < 0.3 ? Ending.Open : r < 0.6 ? Ending.Waiting : r < 0.9 ? Ending.Working : Ending.Done;
    }

    /// <summary>One step of a ticket's story: a note, and/or a move to a status with its tags.</summary>
    private sealed record Step(string? Note, bool Internal, bool Notify, TicketStatus? Status, string[] Tags, bool ByAna = false);

    private List<Step> Steps(TicketStory story, Ending ending, bool sales)
    {
        // How the request came in is the office's own record (internal); what is said to the client is public.
        var steps = new List<Step> { new(Pick(story.Opening), !sales || random.Next(2) == 0, false, null, []) };
        if (ending == Ending.Canceled)
        {
            steps.Add(new(Pick(DemoStory.Canceling), false, false, TicketStatus.Canceled, []));
            return steps;
        }
        if (ending == Ending.Open)
        {
            return steps;
        }
        var asks = sales || ending == Ending.Waiting || random.Next(10) < 7;
        if (asks)
        {
            steps.Add(new(Pick(story.Request), false, true, TicketStatus.Waiting, [sales ? "Proposta enviada" : "Aguardando cliente"]));
            if (ending == Ending.Waiting)
            {
                if (random.Next(3) == 0)
                {
                    steps.Add(new(Pick(DemoStory.Asides), true, false, null, []));
                }
                return steps;
            }
            steps.Add(new(Pick(story.Reply), false, false, TicketStatus.Analyzing, [sales ? "Negociação" : "Em execução"]));
        }
        else
        {
            steps.Add(new(null, false, false, TicketStatus.Analyzing, [sales ? "Negociação" : "Em execução"]));
        }
        steps.Add(new(Pick(story.Working), true, false, null, []));
        if (!sales && random.Next(2) == 0)
        {
            steps.Add(new("Conferido. Pode enviar ao cliente.", true, false, null, ["Conferência"], ByAna: true));
        }
        if (random.Next(4) == 0)
        {
            steps.Add(new(Pick(DemoStory.Asides), true, false, null, []));
        }
        switch (ending)
        {
            case Ending.Done:
                steps.Add(new(Pick(story.Closing), false, random.Next(2) == 0, TicketStatus.Done, [sales ? "Fechado" : "Concluído"]));
                break;
            case Ending.Reopened:
                steps.Add(new(Pick(story.Closing), false, false, TicketStatus.Done, ["Concluído"]));
                steps.Add(new(Pick(DemoStory.Reopening), false, false, TicketStatus.Reopened, ["Em execução"]));
                break;
            case Ending.Lost:
                steps.Add(new(Pick(story.Lost), false, false, random.Next(3) == 0 ? TicketStatus.Canceled : TicketStatus.Rejected, ["Perdido"]));
                break;
        }
        return steps;
    }

    /// <summary>
    /// Writes a ticket's steps at the story's time: its notes, status and tag changes with their history rows as TicketService
    /// writes them (sanitized HTML, display values), and the e-mails the app sends for them. Written in memory and saved once per
    /// ticket: through the service each step is a save of its own, and the demo takes seconds instead of tens of seconds.
    /// </summary>
    private sealed class TicketTelling(DemoData demo, Ticket ticket, Team team, (long Id, string Name, string Email) contact,
        string partnerName, Dictionary<string, Tag> tags, Dictionary<string, string> words, Dictionary<EmailTemplatePurpose, EmailTemplate> templates)
    {
        public void Do(Step step, DateTimeOffset at, long author)
        {
            string? html = null;
            if (step.Note is { } note)
            {
                html = RichText.Sanitize(Fill(note, words));
                demo.Db.Interactions.Add(new Interaction
                {
                    TicketId = ticket.Id, Body = html, Internal = step.Internal, Notify = step.Notify, AuthorId = author, CreatedAt = at,
                });
            }
            if (step.Status is { } status && status != ticket.Status)
            {
                Change(at, author, "status", TicketService.StatusName(ticket.Status), TicketService.StatusName(status), ticket.Status.ToString(), status.ToString());
                ticket.Status = status;
            }
            if (step.Status is not null || step.Tags.Length > 0)
            {
                // The stage tags of the step replace the others; "Urgente" stays while the ticket is open.
                var urgent = tags["Urgente"];
                var wanted = step.Tags.Select(name => tags[name]).ToList();
                if (!TicketService.IsClosed(ticket.Status) && ticket.Tags.Any(t => t.TagId == urgent.Id))
                {
                    wanted.Add(urgent);
                }
                var current = tags.Values.Where(t => ticket.Tags.Any(x => x.TagId == t.Id)).ToList();
                if (!current.Select(t => t.Id).Order().SequenceEqual(wanted.Select(t => t.Id).Order()))
                {
                    Change(at, author, "tags", Names(current), Names(wanted), Ids(current), Ids(wanted));
                    ticket.Tags.RemoveAll(x => wanted.All(t => t.Id != x.TagId));
                    ticket.Tags.AddRange(wanted.Where(t => current.All(c => c.Id != t.Id)).Select(t => new TicketTag { TicketId = ticket.Id, TagId = t.Id }));
                }
            }
            ticket.UpdatedAt = at;
            if (step.Notify && html is not null)
            {
                Email(EmailTemplatePurpose.Interaction, at, author, html);
            }
            if (step.Status is not null)
            {
                Email(EmailTemplatePurpose.StatusChanged, at.AddMinutes(1) <= demo.latest ? at.AddMinutes(1) : at, author, null);
            }
        }

        /// <summary>A history row, and the ticket marked as edited (TicketService.Touch).</summary>
        private void Change(DateTimeOffset at, long author, string field, string? oldValue, string? newValue, string? oldCode, string? newCode)
        {
            demo.Db.TicketChanges.Add(new TicketChange
            {
                TicketId = ticket.Id, At = at, UserId = author, Field = field, OldValue = oldValue, NewValue = newValue, OldCode = oldCode, NewCode = newCode,
            });
            ticket.EditedAt = at;
            ticket.EditedById = author;
            ticket.Edited = true;
            ticket.Version++;
        }

        private static string? Names(List<Tag> tags) => tags.Count == 0 ? null : string.Join(", ", tags.OrderBy(t => t.Position).Select(t => t.Name));

        /// <summary>The machine value of a tags history row, as TicketService writes it: the ids, ascending.</summary>
        private static string? Ids(List<Tag> tags) =>
            tags.Count == 0 ? null : string.Join(",", tags.Select(t => t.Id).Order().Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        /// <summary>The e-mail the app writes for this step when the company e-mail is set, already sent (nothing is ever sent from the demo).</summary>
        private void Email(EmailTemplatePurpose purpose, DateTimeOffset at, long author, string? interactionHtml)
        {
            var template = templates[purpose];
            var values = new TemplateValues(contact.Name, partnerName, ticket.Reference, ticket.Title, TicketService.StatusName(ticket.Status),
                ticket.AssigneeId is { } a ? team.NameOf(a) : "", "", CompanyName, team.NameOf(author), interactionHtml);
            var rendered = Placeholders.Render(template.Subject, template.Body, values);
            var email = new EmailOutbox(demo.Db).Enqueue(new EmailDraft([contact.Email], rendered.Subject, rendered.Html, rendered.Text, ticket.Id));
            email.Status = LeaseStatus.Sent;
            email.Attempts = 1;
            email.CreatedAt = email.NextAttemptAt = at;
            var sent = at.AddSeconds(demo.random.Next(3, 40));
            email.SentAt = sent < demo.started ? sent : at;
        }
    }

    /// <summary>Dates what TicketService.Create just wrote (the "created" history row, the ticket's last change) at the story's time.</summary>
    private void Stamp(Ticket ticket, DateTimeOffset at, long userId)
    {
        foreach (var change in db.ChangeTracker.Entries<TicketChange>().Select(e => e.Entity).Where(c => c.TicketId == ticket.Id && c.At >= started))
        {
            change.At = at;
            change.UserId = userId;
        }
        ticket.UpdatedAt = ticket.EditedAt = at;
    }

    private Dictionary<string, string> Words(DateTimeOffset created, string contactName)
    {
        var local = ZoneTime.ToLocal(created, zone);
        var month = local.AddMonths(-1);
        return new Dictionary<string, string>
        {
            ["mes"] = DemoStory.Months[month.Month - 1],
            ["mesano"] = $"{DemoStory.Months[month.Month - 1]}/{month.Year}",
            ["mes_seguinte"] = DemoStory.Months[local.Month - 1],
            ["contato"] = contactName.Split(' ')[0],
            ["func"] = Pick(DemoStory.EmployeeFirstNames) + " " + Pick(DemoStory.EmployeeLastNames),
            ["nf"] = random.Next(180, 4800).ToString(CultureInfo.InvariantCulture),
            ["ramo"] = Pick(DemoStory.Businesses),
            ["n"] = random.Next(6, 40).ToString(CultureInfo.InvariantCulture),
        };
    }

    private static string Fill(string text, Dictionary<string, string> words)
    {
        foreach (var (key, value) in words)
        {
            text = text.Replace("{" + key + "}", value, StringComparison.Ordinal);
        }
        return text;
    }

    /// <summary>An amount in the range, in tens of reais, a quarter of them with cents.</summary>
    private decimal Amount(decimal min, decimal max)
    {
        var tens = Math.Round((min + (max - min) * (decimal)random.NextDouble()) / 10m) * 10m;
        return random.Next(4) == 0 ? tens - 10m + Pick(0.5m, 0.9m, 7.35m, 4.8m) : tens;
    }

    private T Pick<T>(params IReadOnlyList<T> options) => options[random.Next(options.Count)];

    // Office time: Monday to Friday, 8:00 to 18:00 in the company's time zone.

    private DateTimeOffset At(DateTime day, int minuteOfDay) => ZoneTime.FromLocal(day.Date.AddMinutes(minuteOfDay), zone);

    /// <summary>A moment in office hours on the office day of <paramref name="instant"/> (or the one before).</summary>
    private DateTimeOffset OfficeTime(DateTimeOffset instant)
    {
        var day = ZoneTime.ToLocal(instant, zone).Date;
        while (!IsOfficeDay(day))
        {
            day = day.AddDays(-1);
        }
        return At(day, random.Next(DayStart, DayEnd));
    }

    private DateTimeOffset EndOfDay(DateTimeOffset instant) => At(ZoneTime.ToLocal(instant, zone).Date, DayEnd);

    private static bool IsOfficeDay(DateTime day) => day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>The office days from <paramref name="daysBack"/> days ago to the day of <see cref="latest"/>.</summary>
    private IEnumerable<DateTime> OfficeDays(int daysBack)
    {
        var last = ZoneTime.ToLocal(latest, zone).Date;
        var today = ZoneTime.ToLocal(started, zone).Date;
        for (var day = today.AddDays(-daysBack); day <= last; day = day.AddDays(1))
        {
            if (IsOfficeDay(day))
            {
                yield return day;
            }
        }
    }

    /// <summary>The last instant at or before <paramref name="now"/> that falls in office hours.</summary>
    private DateTimeOffset LastOfficeMinute(DateTimeOffset now)
    {
        var local = ZoneTime.ToLocal(now, zone).DateTime;
        var minute = local.Hour * 60 + local.Minute;
        if (IsOfficeDay(local) && minute >= DayStart && minute < DayEnd)
        {
            return now;
        }
        var day = minute >= DayEnd ? local.Date : local.Date.AddDays(-1);
        while (!IsOfficeDay(day))
        {
            day = day.AddDays(-1);
        }
        return At(day, DayEnd);
    }

    /// <summary><paramref name="minutes"/> of office time after <paramref name="from"/>.</summary>
    private DateTimeOffset AddOfficeMinutes(DateTimeOffset from, double minutes)
    {
        var local = ZoneTime.ToLocal(from, zone).DateTime;
        var day = local.Date;
        var minute = local.TimeOfDay.TotalMinutes;
        while (true)
        {
            if (!IsOfficeDay(day) || minute >= DayEnd)
            {
                day = day.AddDays(1);
                minute = DayStart;
                continue;
            }
            minute = Math.Max(minute, DayStart);
            if (minutes <= DayEnd - minute)
            {
                return ZoneTime.FromLocal(day.AddMinutes(Math.Round(minute + minutes)), zone);
            }
            minutes -= DayEnd - minute;
            minute = DayEnd;
        }
    }

    /// <summary>Office minutes between two instants (0 when <paramref name="to"/> is not after <paramref name="from"/>).</summary>
    private double OfficeMinutes(DateTimeOffset from, DateTimeOffset to)
    {
        double total = 0;
        var a = ZoneTime.ToLocal(from, zone).DateTime;
        var b = ZoneTime.ToLocal(to, zone).DateTime;
        for (var day = a.Date; day <= b.Date; day = day.AddDays(1))
        {
            if (!IsOfficeDay(day))
            {
                continue;
            }
            var start = day == a.Date ? Math.Max(DayStart, a.TimeOfDay.TotalMinutes) : DayStart;
            var end = day == b.Date ? Math.Min(DayEnd, b.TimeOfDay.TotalMinutes) : DayEnd;
            total += Math.Max(0, end - start);
        }
        return total;
    }

    /// <summary>Templates the team inserts into interactions ("Inserir modelo").</summary>
    private static async Task AddTemplates(EmailTemplateService templates, CancellationToken ct)
    {
        (string Name, string Subject, string Body)[] custom =
        [
            ("Pedido de documentos do mês", "Documentos de {{parceiro.nome}} para o fechamento",
                "<p>Olá, {{contato.nome}}.</p><p>Para fecharmos o mês, precisamos de:</p>"
                + "<ul><li>extratos de todas as contas bancárias e aplicações;</li><li>notas fiscais de entrada;</li>"
                + "<li>relatório das vendas no cartão.</li></ul><p>Pode enviar respondendo a este e-mail.</p><p>{{usuario.nome}} — {{empresa.nome}}</p>"),
            ("Envio de guias", "Guias de impostos — {{parceiro.nome}}",
                "<p>Olá, {{contato.nome}}.</p><p>Seguem em anexo as guias referentes ao atendimento <strong>{{atendimento.referencia}}</strong>. "
                + "Confira os vencimentos e, qualquer dúvida, é só responder a este e-mail.</p><p>Atenciosamente,<br>{{usuario.nome}} — {{empresa.nome}}</p>"),
            ("Atendimento concluído", "{{atendimento.titulo}} concluído",
                "<p>Olá, {{contato.nome}}.</p><p>Concluímos o atendimento {{atendimento.referencia}}. Se precisar de algo mais, estamos à disposição.</p>"
                + "<p>Obrigado pela confiança,<br>{{empresa.nome}}</p>"),
        ];
        foreach (var (name, subject, body) in custom)
        {
            await templates.Create(new EmailTemplateInput { Name = name, Subject = subject, Body = body }, ct);
        }
    }

    // Agenda

    /// <summary>Conversations of the last 90 days (most concluded, some about a ticket) and some scheduled for the next two weeks.</summary>
    private async Task AddConversations(ConversationService conversations, List<Client> clients, Dictionary<long, List<(long Id, DateTimeOffset Created)>> ticketsByPartner, Team team,
        CancellationToken ct)
    {
        var channels = await db.Channels.Where(c => c.Name != "Portal").ToDictionaryAsync(c => c.Name, c => c.Id, ct);
        var types = await db.OpportunityTypes.ToDictionaryAsync(t => t.Name, t => t.Id, ct);
        var today = ZoneTime.ToLocal(started, zone).Date;
        var futureDays = Enumerable.Range(1, 14).Select(d => today.AddDays(d)).Where(IsOfficeDay).ToList();
        var pastDays = OfficeDays(89).ToList();
        foreach (var client in clients)
        {
            // Ana, the partner who signs in first, meets many clients herself: her agenda (the page's default) is a full one.
            var seller = random.Next(5) < (client.Data.Campinas ? 1 : 2) ? team.Ana.Id : client.Data.Campinas ? team.Carla.Id : client.ManagerId;
            ticketsByPartner.TryGetValue(client.Id, out var ticketIds);
            for (var i = random.Next(client.AgendaOnly ? 1 : 0, 3); i > 0; i--)
            {
                var at = At(Pick(pastDays), Pick(9, 10, 11, 14, 15, 16) * 60 + Pick(0, 0, 30));
                if (at < latest)
                {
                    await Add(client, seller, at, concluded: random.Next(10) > 0, ticketIds);
                }
            }
            if (random.Next(100) < 55)
            {
                var day = Pick(futureDays);
                var at = At(day, Pick(9, 10, 11, 14, 15, 16, 17) * 60 + Pick(0, 0, 30));
                await Add(client, seller, at, concluded: false, null);
            }
        }
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();

        async Task Add(Client client, long seller, DateTimeOffset at, bool concluded, List<(long Id, DateTimeOffset Created)>? ticketIds)
        {
            var earlier = ticketIds?.Where(t => t.Created < at).Select(t => t.Id).ToList() ?? [];
            var lead = client.Data.Kind is DemoKind.CompanyLead or DemoKind.PersonLead;
            var topic = Pick(DemoStory.Conversations.Where(c => !lead || c.Type == "Venda").ToList());
            var channel = topic.Type == "Cobrança" ? Pick("Telefone", "WhatsApp") : Pick("Telefone", "Presencial", "Videochamada", "WhatsApp", "E-mail");
            var conversation = await conversations.Create(new ConversationInput
            {
                PartnerId = client.Id, ChannelId = channels[channel], OpportunityTypeId = types[topic.Type], Subject = topic.Subject,
                Description = topic.Description, SellerId = seller, At = at,
                TicketId = earlier.Count > 0 && topic.Type == "Suporte" ? Pick(earlier) : (long?)null,
            }, concluded, ct);
            var written = at < started ? at.AddMinutes(random.Next(20, 90)) : started.AddDays(-random.Next(1, 10));
            conversation.CreatedAt = conversation.UpdatedAt = written < started ? written : at;
            conversation.CreatedById = seller;
            conversation.UpdatedById = seller;
            if (concluded)
            {
                conversation.ConcludedAt = conversation.CreatedAt;
            }
        }
    }

    private async Task<User> CreateUser(string name, string email, UserRole role, string password, Workspace[] workspaces)
    {
        var user = new User { Name = name, Email = email, UserName = email, Role = role, EmailConfirmed = true, CreatedAt = started.AddDays(-400) };
        UserService.ThrowOnIdentityErrors(await users.CreateAsync(user, password));
        db.UserWorkspaces.AddRange(workspaces.Select(w => new UserWorkspace { UserId = user.Id, WorkspaceId = w.Id }));
        await db.SaveChangesAsync();
        return user;
    }
}
