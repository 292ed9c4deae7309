using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Atende.Core.Common;
using Atende.Core.Conversations;
using Atende.Core.Data;
using Atende.Core.Identity;
using Atende.Core.Partners;
using Atende.Core.Pipelines;
using Atende.Core.Tickets;
using Atende.Core.Webhooks;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Atende.Bench;

/// <summary>
/// Adds pipelines, tags, agents and tickets (with tags, interactions and history) to a database that already holds the
/// generated partners; requesters are those partners and their contacts.
/// </summary>
public static class TicketGenerator
{
    public const string Agent2Email = "agent2@atende.local";

    /// <summary>Named staff: agents on every workspace and pipeline, authors and assignees of the tickets.</summary>
    private static readonly (string Name, string Email)[] Staff =
    [
        ("Ana Paula Ribeiro", "ana.ribeiro@atende.local"), ("Bruno Carvalho", "bruno.carvalho@atende.local"),
        ("Camila Nogueira", "camila.nogueira@atende.local"), ("Diego Martins", "diego.martins@atende.local"),
    ];

    private static readonly (string Name, string Alias)[] PipelineNames =
    [
        ("Suporte Técnico", "SUP"), ("Comercial", "COM"), ("Financeiro", "FIN"), ("Atendimentos", "ATD"), ("Cobrança", "COB"),
        ("Pós-venda", "POS"), ("Implantação", "IMP"), ("Manutenção Preventiva", "MNT"), ("Contabilidade", "CTB"), ("Departamento Pessoal", "DP"),
        ("Fiscal", "FSC"), ("Jurídico", "JUR"), ("Ouvidoria", "OUV"), ("Garantia", "GAR"), ("Logística", "LOG"), ("Compras", "CMP"),
        ("Marketing", "MKT"), ("Recursos Humanos", "RH"), ("TI Interna", "TI"), ("Projetos Especiais", "PRJ"), ("Licitações", "LIC"),
        ("Treinamentos", "TRN"), ("Qualidade", "QLD"), ("Assistência Técnica", "AST"), ("Vendas Online", "VON"), ("Parcerias", "PAR"),
    ];

    private static readonly (string Name, string Code)[] Areas =
        [("Suporte", "SUP"), ("Comercial", "COM"), ("Financeiro", "FIN"), ("Manutenção", "MNT"), ("Implantação", "IMP")];

    private static readonly (string Name, string Code)[] PipelineCities =
    [
        ("Campinas", "CPS"), ("Rio de Janeiro", "RJ"), ("Belo Horizonte", "BH"), ("Curitiba", "CWB"), ("Porto Alegre", "POA"), ("Salvador", "SSA"),
        ("Recife", "REC"), ("Brasília", "BSB"), ("Florianópolis", "FLN"), ("Goiânia", "GYN"), ("Fortaleza", "FOR"), ("Belém", "BEL"),
        ("Manaus", "MAO"), ("Vitória", "VIX"), ("São Luís", "SLZ"),
    ];

    private static readonly string[] TagNames =
    [
        "Urgente", "VIP", "Aguardando cliente", "Aguardando fornecedor", "Garantia", "Retorno", "Novo cliente", "Reclamação", "Elogio",
        "Financeiro", "Técnico N2", "Visita agendada", "Prioridade alta", "Contrato", "Orçamento enviado", "Em análise", "Escalonado",
        "Pendência fiscal", "Primeiro contato", "Recorrente",
    ];

    public sealed record Counts(long Tickets, long Tags, long Interactions, long Changes, long[] PerPipeline, string BigAlias);

    public static async Task<Counts> Run(AtendeDb db, GenerateOptions o, List<long> workspaceIds, User admin, User agent)
    {
        var isSqlite = o.Provider == BenchProvider.Sqlite;
        var step = Stopwatch.StartNew();
        var now = DateTimeOffset.UtcNow;
        var random = new Random(o.Seed + 1);

        var pipelines = await CreatePipelines(db, o, now, random);
        var staff = await CreateStaff(db, o, workspaceIds, pipelines, admin, agent);
        Console.WriteLine($"{pipelines.Count} pipelines with {pipelines.Sum(p => p.TagIds.Length)} tags, staff users and grants in {step.Elapsed.TotalSeconds:F1} s.");

        step.Restart();
        var partners = await ReadPartners(db);
        if (partners.Length == 0)
        {
            throw new InvalidOperationException("No partners to be requesters: --tickets needs --partners.");
        }
        var plan = TicketPlan.Make(o.Tickets, o.Interactions, pipelines.Count, o.BigPipeline, o.Seed + 2, now.AddYears(-3), now);
        Console.WriteLine($"Read {partners.Length:N0} partners back and planned {o.Tickets:N0} tickets in {step.Elapsed.TotalSeconds:F1} s; "
            + $"pipeline {pipelines[0].Alias} gets {plan.PerPipeline[0]:N0}, the next ones {string.Join(", ", plan.PerPipeline.Skip(1).Take(3).Select(c => c.ToString("N0", CultureInfo.InvariantCulture)))} … {plan.PerPipeline[^1]:N0}.");

        BulkIndexes? dropped = null;
        var before = await BulkIndexes.Describe(db.Database.GetDbConnection(), isSqlite);
        if (o.RebuildIndexes)
        {
            dropped = await BulkIndexes.Drop(db, isSqlite);
        }

        using ITicketWriter writer = isSqlite ? new SqliteTicketWriter(db) : new PostgresTicketWriter(db);
        var batches = Channel.CreateBounded<TicketBatch>(new BoundedChannelOptions(3) { SingleReader = true, SingleWriter = true });
        var makeTime = new Stopwatch();
        var producer = Task.Run(async () =>
        {
            try
            {
                var fake = new FakeTickets(o.Seed + 3, staff);
                var pick = new Random(o.Seed + 4);
                var numbers = new long[pipelines.Count];
                long interactionId = 0, changeId = 0;
                for (var i = 0; i < o.Tickets;)
                {
                    makeTime.Start();
                    var batch = new TicketBatch();
                    for (var k = 0; k < o.TicketBatch && i < o.Tickets; k++, i++)
                    {
                        var p = plan.Pipeline[i];
                        // Some customers open many more tickets than others: a mildly skewed pick among the partners.
                        var partner = partners[(int)(partners.Length * Math.Pow(pick.NextDouble(), 1.6))];
                        fake.Next(batch, i + 1, pipelines[p], ++numbers[p], partner, new DateTimeOffset(plan.CreatedTicks[i], TimeSpan.Zero),
                            plan.InteractionCount[i], ref interactionId, ref changeId, now);
                    }
                    makeTime.Stop();
                    await batches.Writer.WriteAsync(batch);
                }
                batches.Writer.Complete();
            }
            catch (Exception e)
            {
                batches.Writer.Complete(e);
            }
        });

        var saveTime = new Stopwatch();
        var wall = Stopwatch.StartNew();
        long tickets = 0, tags = 0, interactions = 0, changes = 0, lastReport = 0;
        await foreach (var batch in batches.Reader.ReadAllAsync())
        {
            saveTime.Start();
            await writer.Write(batch);
            saveTime.Stop();
            tickets += batch.Tickets.Count;
            tags += batch.TagCount;
            interactions += batch.Interactions.Count;
            changes += batch.Changes.Count;
            if (tickets - lastReport >= 100_000 || tickets == o.Tickets)
            {
                lastReport = tickets;
                var rowsSoFar = tickets + tags + interactions + changes;
                Console.WriteLine($"  {tickets,9:N0} tickets  {wall.Elapsed.TotalSeconds,6:F1} s  ({rowsSoFar / wall.Elapsed.TotalSeconds:N0} rows/s)");
            }
        }
        await producer;
        saveTime.Start();
        await writer.Finish();
        saveTime.Stop();
        var rows = tickets + tags + interactions + changes;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Inserted {tickets:N0} tickets, {tags:N0} ticket tags, {interactions:N0} interactions, {changes:N0} history rows ({rows:N0} rows) in {wall.Elapsed.TotalSeconds:F1} s "
            + $"({rows / wall.Elapsed.TotalSeconds:N0} rows/s); generating took {makeTime.Elapsed.TotalSeconds:F1} s (in parallel), saving {saveTime.Elapsed.TotalSeconds:F1} s."));

        // The counters new tickets continue from (TicketService.NextNumber): Last = tickets made in each pipeline.
        db.ReferenceCounters.AddRange(pipelines.Select((p, k) => new ReferenceCounter { Alias = p.Alias, Last = plan.PerPipeline[k] }));
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();

        if (dropped is not null)
        {
            step.Restart();
            Console.WriteLine("Recreating what was dropped:");
            await dropped.Restore(db);
            Console.WriteLine($"Indexes{(isSqlite ? ", FTS5 rebuild and trigger" : " and foreign keys")} recreated in {step.Elapsed.TotalSeconds:F1} s.");
            var after = await BulkIndexes.Describe(db.Database.GetDbConnection(), isSqlite);
            if (!before.SequenceEqual(after))
            {
                throw new InvalidOperationException("Verification failed: indexes/triggers differ from the migration's after the rebuild:\n  "
                    + string.Join("\n  ", before.Except(after).Select(x => "- " + x).Concat(after.Except(before).Select(x => "+ " + x))));
            }
            Console.WriteLine($"  {after.Count} index/trigger/constraint definitions identical to before the load");
        }
        return new Counts(tickets, tags, interactions, changes, plan.PerPipeline, pipelines[0].Alias);
    }

    private static async Task<List<PipelineRef>> CreatePipelines(AtendeDb db, GenerateOptions o, DateTimeOffset now, Random random)
    {
        var names = PipelineNames.ToList();
        foreach (var area in Areas)
        {
            names.AddRange(PipelineCities.Select(city => ($"{area.Name} {city.Name}", area.Code + city.Code)));
        }
        for (var n = names.Count + 1; names.Count < o.Pipelines; n++)
        {
            names.Add(($"Fluxo {n:000}", $"FL{n:000}"));
        }
        var pipelines = names.Take(o.Pipelines).Select(n =>
        {
            var tagCount = random.Next(3, 9);
            var tagNames = TagNames.OrderBy(_ => random.Next()).Take(tagCount).ToList();
            return new Pipeline
            {
                Name = n.Name,
                Alias = n.Alias,
                Description = random.Next(2) == 0 ? $"Atendimentos de {n.Name.ToLowerInvariant()}" : null,
                CreatedAt = now.AddYears(-3).AddDays(-random.Next(1, 60)),
                Version = 1,
                Tags = tagNames.Select((t, k) => new Tag { Name = t, Color = PipelineService.Palette[k % PipelineService.Palette.Length], Position = k + 1 }).ToList(),
            };
        }).ToList();
        // One at a time so ids follow the list (the big pipeline is 1).
        foreach (var pipeline in pipelines)
        {
            db.Pipelines.Add(pipeline);
            await db.SaveChangesAsync();
        }
        db.ChangeTracker.Clear();
        return pipelines.Select(p => new PipelineRef(p.Id, p.Alias, p.Tags.OrderBy(t => t.Position).Select(t => t.Id).ToArray())).ToList();
    }

    /// <summary>
    /// Grants and extra users: agent@ (workspace 1) gets the big pipeline and the next four; agent2@ three workspaces and
    /// the big pipeline plus 14 others; four named agents every workspace and pipeline. Returns the staff (authors, assignees).
    /// </summary>
    private static async Task<(long Id, string Name)[]> CreateStaff(AtendeDb db, GenerateOptions o, List<long> workspaceIds, List<PipelineRef> pipelines, User admin, User agent)
    {
        var hash = new PasswordHasher<User>().HashPassword(new User(), o.Password);
        var agent2 = Generator.NewUser("Bench Agente 2", Agent2Email, UserRole.Agent, hash);
        var staff = Staff.Select(s => Generator.NewUser(s.Name, s.Email, UserRole.Agent, hash)).ToList();
        db.Users.Add(agent2);
        db.Users.AddRange(staff);
        await db.SaveChangesAsync();

        var agentPipelines = pipelines.Take(5).Select(p => p.Id).ToList();
        var agent2Pipelines = pipelines.Take(1).Concat(pipelines.Skip(5).Take(14)).Select(p => p.Id).ToList();
        var agent2Workspaces = workspaceIds.Take(3).ToList();
        db.PipelineUsers.AddRange(agentPipelines.Select(p => new PipelineUser { PipelineId = p, UserId = agent.Id }));
        db.PipelineUsers.AddRange(agent2Pipelines.Select(p => new PipelineUser { PipelineId = p, UserId = agent2.Id }));
        db.UserWorkspaces.AddRange(agent2Workspaces.Select(w => new UserWorkspace { UserId = agent2.Id, WorkspaceId = w }));
        foreach (var user in staff)
        {
            db.UserWorkspaces.AddRange(workspaceIds.Select(w => new UserWorkspace { UserId = user.Id, WorkspaceId = w }));
            db.PipelineUsers.AddRange(pipelines.Select(p => new PipelineUser { PipelineId = p.Id, UserId = user.Id }));
        }
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();

        string Aliases(IEnumerable<long> ids) => string.Join(" ", ids.Select(id => pipelines.First(p => p.Id == id).Alias));
        Console.WriteLine($"Agents (password: --password): {Generator.AgentEmail} workspace {workspaceIds[0]}, pipelines {Aliases(agentPipelines)}; "
            + $"{Agent2Email} workspaces {string.Join(" ", agent2Workspaces)}, pipelines {Aliases(agent2Pipelines)}; "
            + $"{string.Join(", ", Staff.Select(s => s.Email))} every workspace and pipeline.");
        return [(admin.Id, admin.Name), (agent.Id, agent.Name), (agent2.Id, agent2.Name), .. staff.Select(s => (s.Id, s.Name))];
    }

    private static async Task<RequesterRef[]> ReadPartners(AtendeDb db)
    {
        var conn = db.Database.GetDbConnection();
        var contacts = new Dictionary<long, List<(long, string)>>();
        foreach (var row in await BulkIndexes.Rows(conn, "SELECT \"PartnerId\", \"Id\", \"Name\" FROM \"Contacts\" ORDER BY \"PartnerId\", \"Id\""))
        {
            var partnerId = Convert.ToInt64(row[0], CultureInfo.InvariantCulture);
            if (!contacts.TryGetValue(partnerId, out var list))
            {
                contacts[partnerId] = list = [];
            }
            list.Add((Convert.ToInt64(row[1], CultureInfo.InvariantCulture), (string)row[2]));
        }
        return (await BulkIndexes.Rows(conn, "SELECT \"Id\", \"Name\", \"WorkspaceId\", \"AccountManagerId\" FROM \"Partners\" ORDER BY \"Id\""))
            .Select(r =>
            {
                var id = Convert.ToInt64(r[0], CultureInfo.InvariantCulture);
                return new RequesterRef(id, (string)r[1], Convert.ToInt64(r[2], CultureInfo.InvariantCulture),
                    r[3] is DBNull ? null : Convert.ToInt64(r[3], CultureInfo.InvariantCulture), [.. contacts.GetValueOrDefault(id) ?? []]);
            })
            .Where(p => p.Contacts.Length > 0)
            .ToArray();
    }

    // Verification

    public static async Task Verify(AtendeDb db, bool isSqlite, Counts expected, User admin, List<long> workspaceIds)
    {
        var conn = db.Database.GetDbConnection();
        Check("tickets", await Scalar(conn, "SELECT count(*) FROM \"Tickets\""), expected.Tickets);
        Check("ticket tags", await Scalar(conn, "SELECT count(*) FROM \"TicketTags\""), expected.Tags);
        Check("interactions", await Scalar(conn, "SELECT count(*) FROM \"Interactions\""), expected.Interactions);
        Check("history rows", await Scalar(conn, "SELECT count(*) FROM \"TicketChanges\""), expected.Changes);
        Check("tickets without a \"created\" history row",
            await Scalar(conn, "SELECT count(*) FROM \"Tickets\" t WHERE NOT EXISTS (SELECT 1 FROM \"TicketChanges\" c WHERE c.\"TicketId\" = t.\"Id\" AND c.\"Field\" = 'created')"), 0);
        Check("tickets with an empty derived column or UpdatedAt < CreatedAt",
            await Scalar(conn, "SELECT count(*) FROM \"Tickets\" WHERE \"SearchText\" = '' OR \"TitleSort\" = '' OR \"RequesterSort\" = '' OR \"UpdatedAt\" < \"CreatedAt\""), 0);
        Check("tickets whose Reference is not Alias-Number",
            await Scalar(conn, "SELECT count(*) FROM \"Tickets\" t JOIN \"Pipelines\" p ON p.\"Id\" = t.\"PipelineId\" WHERE t.\"Reference\" <> p.\"Alias\" || '-' || CAST(t.\"Number\" AS TEXT)"), 0);
        Check("tickets in another workspace than their partner's",
            await Scalar(conn, "SELECT count(*) FROM \"Tickets\" t JOIN \"Partners\" p ON p.\"Id\" = t.\"PartnerId\" WHERE t.\"WorkspaceId\" <> p.\"WorkspaceId\""), 0);
        Check("ticket tags of another pipeline",
            await Scalar(conn, "SELECT count(*) FROM \"TicketTags\" x JOIN \"Tickets\" t ON t.\"Id\" = x.\"TicketId\" JOIN \"Tags\" g ON g.\"Id\" = x.\"TagId\" WHERE g.\"PipelineId\" <> t.\"PipelineId\""), 0);
        Check("interactions outside their ticket's CreatedAt..UpdatedAt",
            await Scalar(conn, "SELECT count(*) FROM \"Interactions\" i JOIN \"Tickets\" t ON t.\"Id\" = i.\"TicketId\" WHERE i.\"CreatedAt\" < t.\"CreatedAt\" OR i.\"CreatedAt\" > t.\"UpdatedAt\""), 0);
        Check("pipelines whose counter is not their ticket count and largest number",
            await Scalar(conn, """
                SELECT count(*) FROM "Pipelines" p JOIN "ReferenceCounters" r ON r."Alias" = p."Alias"
                WHERE r."Last" <> (SELECT count(*) FROM "Tickets" t WHERE t."PipelineId" = p."Id")
                   OR r."Last" <> (SELECT COALESCE(max(t."Number"), 0) FROM "Tickets" t WHERE t."PipelineId" = p."Id")
                """), 0);

        var byStatus = await BulkIndexes.Rows(conn, "SELECT \"Status\", count(*) FROM \"Tickets\" GROUP BY \"Status\" ORDER BY \"Status\"");
        var byBin = await BulkIndexes.Rows(conn, "SELECT \"Bin\", count(*) FROM \"Tickets\" GROUP BY \"Bin\" ORDER BY \"Bin\"");
        var withDue = await Scalar(conn, "SELECT count(*) FROM \"Tickets\" WHERE \"DueAt\" IS NOT NULL");
        string Pct(object count) => (100.0 * Convert.ToInt64(count, CultureInfo.InvariantCulture) / expected.Tickets).ToString("F1", CultureInfo.InvariantCulture) + " %";
        Console.WriteLine("  status: " + string.Join(", ", byStatus.Select(r => $"{TicketService.StatusName((TicketStatus)Convert.ToInt32(r[0], CultureInfo.InvariantCulture))} {Pct(r[1])}")));
        Console.WriteLine("  bins: " + string.Join(", ", byBin.Select(r => $"{(TicketBin)Convert.ToInt32(r[0], CultureInfo.InvariantCulture)} {Pct(r[1])}"))
            + $"; due date {Pct(withDue)}; {(double)expected.Tags / expected.Tickets:F2} tags and {(double)expected.Interactions / expected.Tickets:F2} interactions per ticket");

        if (isSqlite)
        {
            // TicketSearch (FTS5 trigram, external content) must find what Tickets.SearchText finds.
            foreach (var term in new[] { "impressora", "boleto", "joao", "goncalves", $"{expected.BigAlias.ToLowerInvariant()}-1234" })
            {
                var direct = await Scalar(conn, $"SELECT count(*) FROM \"Tickets\" WHERE \"SearchText\" LIKE '%{term}%'");
                var fts = await Scalar(conn, $"SELECT count(*) FROM TicketSearch WHERE TicketSearch MATCH '\"{term}\"'");
                Check($"TicketSearch MATCH '\"{term}\"' vs Tickets LIKE", fts, direct);
                Console.WriteLine($"  '{term}': {direct:N0} tickets (FTS5 TicketSearch: {fts:N0})");
            }
            await Scalar(conn, "INSERT INTO TicketSearch(TicketSearch, rank) VALUES ('integrity-check', 1); SELECT 0");
            Console.WriteLine("  FTS5 TicketSearch integrity-check against Tickets: ok");
        }

        await VerifyThroughEf(db, expected);
        await VerifyThroughService(db, expected, admin, workspaceIds);
        await VerifyNextInsert(db, expected);
    }

    /// <summary>Reads tickets back through EF and recomputes their derived columns as TicketService does.</summary>
    private static async Task VerifyThroughEf(AtendeDb db, Counts expected)
    {
        var stepSize = Math.Max(1, expected.Tickets / 500);
        var ids = Enumerable.Range(0, 500).Select(i => 1 + (i * stepSize)).Where(id => id <= expected.Tickets).ToList();
        var tickets = await db.Tickets.AsNoTracking().Include(t => t.Tags).Where(t => ids.Contains(t.Id)).ToListAsync();
        Check("tickets read back through EF", tickets.Count, ids.Count);
        var partnerIds = tickets.Select(t => t.PartnerId).Distinct().ToList();
        var partners = await db.Partners.AsNoTracking().Where(p => partnerIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id);
        var contactIds = tickets.Where(t => t.ContactId != null).Select(t => t.ContactId!.Value).ToList();
        var contacts = await db.Contacts.AsNoTracking().Where(c => contactIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id);
        var aliases = await db.Pipelines.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Alias);
        var userNames = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Name);
        var interactions = await db.Interactions.AsNoTracking().Where(i => ids.Contains(i.TicketId)).ToListAsync();
        foreach (var t in tickets)
        {
            var problems = new List<string>();
            var partner = partners[t.PartnerId];
            var requester = t.ContactId is { } c ? contacts[c].Name : partner.Name;
            if (t.ContactId is { } contactId && contacts[contactId].PartnerId != t.PartnerId) problems.Add("contact of another partner");
            if (t.RequesterName != requester || t.RequesterSort != SearchText.Normalize(requester)) problems.Add("RequesterName/RequesterSort");
            if (t.TitleSort != SearchText.Normalize(t.Title)) problems.Add("TitleSort");
            if (t.AssigneeSort != (t.AssigneeId is { } a ? SearchText.Normalize(userNames[a]) : "")) problems.Add("AssigneeSort");
            if (t.Reference != $"{aliases[t.PipelineId]}-{t.Number.ToString(CultureInfo.InvariantCulture)}") problems.Add("Reference");
            if (t.SearchText != SearchText.Build(t.Reference, t.Title, t.RequesterName, partner.Name)) problems.Add("SearchText");
            if (t.WorkspaceId != partner.WorkspaceId || t.AccountManagerId != partner.AccountManagerId) problems.Add("workspace/account manager");
            if (t.CreatedAt.Offset != TimeSpan.Zero || t.UpdatedAt < t.CreatedAt || t.CreatedAt < DateTimeOffset.UtcNow.AddYears(-3).AddDays(-1)) problems.Add("dates");
            if (t.Value < 0 || t.Value != decimal.Round(t.Value, 2)) problems.Add("value");
            if (t.Description is { } d && d != RichText.CleanLines(d)) problems.Add("description");
            if (problems.Count > 0)
            {
                throw new InvalidOperationException($"Verification failed: ticket {t.Id} read back through EF has wrong {string.Join(", ", problems)}.");
            }
        }
        foreach (var body in interactions.Select(i => i.Body).Distinct())
        {
            if (RichText.Sanitize(body) != body || RichText.IsEmpty(body))
            {
                throw new InvalidOperationException($"Verification failed: interaction body is not what the app's sanitizer stores: {body}");
            }
        }
        Console.WriteLine($"  {tickets.Count} tickets and their {interactions.Count} interactions read back through EF: derived columns, requesters, sanitized bodies ok");
    }

    /// <summary>The app's own list and search (TicketService as the admin) over the big pipeline.</summary>
    private static async Task VerifyThroughService(AtendeDb db, Counts expected, User admin, List<long> workspaceIds)
    {
        var caller = new Caller(admin.Id, admin.Name, UserRole.Admin, workspaceIds);
        var service = new TicketService(db, caller, new Atende.Core.Events.EventLog(db, new ReadsOnly(), new WebhookSubscriptions()));
        var big = await db.Pipelines.Where(p => p.Alias == expected.BigAlias).Select(p => p.Id).FirstAsync();
        foreach (var sort in new[] { "-updatedAt", "title", "-value", "dueAt" })
        {
            var page1 = await service.List(new TicketFilter(big, Sort: TicketSort.Parse(sort)), null);
            var page2 = await service.List(new TicketFilter(big, Sort: TicketSort.Parse(sort)), page1.Next);
            if (page1.Items.Count != 50 || page2.Items.Count != 50 || page1.Items.Concat(page2.Items).Select(r => r.Id).Distinct().Count() != 100
                || page1.Items.Any(r => r.PipelineId != big || r.Bin != TicketBin.Active))
            {
                throw new InvalidOperationException($"Verification failed: TicketService.List sort {sort} did not give two distinct pages of 50 active tickets of the pipeline.");
            }
        }
        // The newest ticket of the pipeline: its reference (e.g. SUP-199998) is not the prefix of another one.
        var sample = await db.Tickets.AsNoTracking().Where(t => t.PipelineId == big && t.Bin == TicketBin.Active).OrderByDescending(t => t.Id).FirstAsync();
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/Sao_Paulo");
        var word = SearchText.Normalize(sample.Title.Split(' ')[0]);
        var searches = new[]
        {
            sample.Reference.ToLowerInvariant(),
            $"{word} {SearchText.Normalize(sample.RequesterName)} {sample.Reference}",
            $"{TimeZoneInfo.ConvertTime(sample.CreatedAt, zone).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)} {sample.Reference}",
        };
        foreach (var q in searches)
        {
            var found = await service.List(new TicketFilter(big, Q: q), null);
            if (!found.Items.Any(r => r.Id == sample.Id))
            {
                throw new InvalidOperationException($"Verification failed: searching '{q}' did not find ticket {sample.Id}.");
            }
        }
        Console.WriteLine($"  TicketService.List as admin: 2 pages in 4 orders; {sample.Reference} found by '{string.Join("', '", searches)}'");
    }

    /// <summary>The app's next ticket gets a fresh id and the next number of its pipeline (both rolled back).</summary>
    private static async Task VerifyNextInsert(AtendeDb db, Counts expected)
    {
        var template = await db.Tickets.AsNoTracking().OrderBy(t => t.Id).FirstAsync();
        await using var tx = await db.Database.BeginTransactionAsync();
        var probe = new Ticket
        {
            PipelineId = template.PipelineId, WorkspaceId = template.WorkspaceId, Reference = "PROBE-1", Number = 1, Title = "probe", TitleSort = "probe",
            PartnerId = template.PartnerId, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow, CreatedById = template.CreatedById,
            RequesterName = "probe", RequesterSort = "probe", SearchText = "probe", Version = 1,
        };
        db.Tickets.Add(probe);
        await db.SaveChangesAsync();
        Check("id of the next ticket inserted by EF", probe.Id, expected.Tickets + 1);
        var interaction = new Interaction { TicketId = probe.Id, Body = "<p>probe</p>", AuthorId = template.CreatedById, CreatedAt = DateTimeOffset.UtcNow };
        db.Interactions.Add(interaction);
        db.TicketChanges.Add(new TicketChange { TicketId = probe.Id, At = DateTimeOffset.UtcNow, Field = "created" });
        await db.SaveChangesAsync();
        Check("id of the next interaction inserted by EF", interaction.Id, expected.Interactions + 1);

        // TicketService.NextNumber's statement: the big pipeline continues after its last generated number.
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.Transaction = tx.GetDbTransaction();
        cmd.CommandText = $"""
            INSERT INTO "ReferenceCounters" ("Alias", "Last") VALUES ('{expected.BigAlias}', 1)
            ON CONFLICT ("Alias") DO UPDATE SET "Last" = "ReferenceCounters"."Last" + 1
            RETURNING "Last"
            """;
        var next = Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        Check($"next number of {expected.BigAlias}", next, expected.PerPipeline[0] + 1);
        await tx.RollbackAsync();
        db.ChangeTracker.Clear();
        Console.WriteLine($"  next ticket inserted by EF gets id {probe.Id}, next interaction {interaction.Id}, next reference {expected.BigAlias}-{next} (rolled back)");
    }

    private static void Check(string what, long actual, long expected)
    {
        if (actual != expected)
        {
            throw new InvalidOperationException($"Verification failed: {what}: {actual} instead of {expected}.");
        }
    }

    private static async Task<long> Scalar(DbConnection conn, string sql)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.CommandTimeout = 0;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>The verification only reads through the service, so it raises no event and never writes a resource as event data.</summary>
    private sealed class ReadsOnly : Atende.Core.Events.IResourceJson
    {
        public string Ticket(Ticket ticket) => throw Unexpected();

        public string Interaction(long ticketId, InteractionRow interaction) => throw Unexpected();

        public string Partner(Partner partner) => throw Unexpected();

        public string Conversation(Conversation conversation, IEnumerable<ConversationAttachmentRow> attachments) => throw Unexpected();

        public string Quote(Atende.Core.Sales.Quote quote, Atende.Core.Sales.QuoteVersion version) => throw Unexpected();

        public string Purchase(Atende.Core.Sales.Purchase purchase) => throw Unexpected();

        public string PortalRequest(Ticket ticket) => throw Unexpected();

        public string ChatMessage(Atende.Core.Chat.ChatMessageRow message) => throw Unexpected();

        private static InvalidOperationException Unexpected() => new("The bench verification raised an event: it must only read.");
    }
}
