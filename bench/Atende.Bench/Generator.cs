using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Atende.Core.Conversations;
using Atende.Core.Data;
using Atende.Core.Identity;
using Atende.Core.Partners;
using Atende.Core.Settings;
using Atende.Core.Workspaces;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Atende.Bench;

/// <summary>Fills an empty Atende database (real migrations) with users, workspaces and partners, fast.</summary>
public static class Generator
{
    public const string AdminEmail = "bench@atende.local";
    public const string AgentEmail = "agent@atende.local";

    private static readonly string[] WorkspaceNames =
    [
        "Matriz São Paulo", "Filial Campinas", "Filial Rio de Janeiro", "Filial Belo Horizonte", "Filial Curitiba",
        "Filial Porto Alegre", "Filial Salvador", "Filial Recife", "Filial Brasília", "Filial Florianópolis",
        "Filial Goiânia", "Filial Fortaleza", "Filial Belém", "Filial Manaus", "Filial Vitória", "Filial São Luís",
    ];

    public static async Task Run(GenerateOptions o)
    {
        var total = Stopwatch.StartNew();
        var isSqlite = o.Provider == BenchProvider.Sqlite;
        var builder = new DbContextOptionsBuilder<AtendeDb>();
        if (isSqlite)
        {
            builder.UseSqlite(o.Connection, x => x.MigrationsAssembly("Atende.Migrations.Sqlite"));
        }
        else
        {
            builder.UseNpgsql(o.Connection, x => x.MigrationsAssembly("Atende.Migrations.Postgres"));
        }
        await using var db = new AtendeDb(builder.Options);
        Console.WriteLine($"Provider {o.Provider}, {o.Partners:N0} partners, about {o.Conversations:N0} conversations, {o.Sellers} sellers, {o.Workspaces} workspaces, batch {o.BatchSize}, seed {o.Seed}"
            + (o.Tickets > 0 ? $"; {o.Tickets:N0} tickets ({o.BigPipeline:N0} in the first pipeline), {o.Interactions:N0} interactions, {o.Pipelines} pipelines, ticket batch {o.TicketBatch}, indexes {(o.RebuildIndexes ? "rebuilt after the load" : "kept during the load")}." : "."));

        var step = Stopwatch.StartNew();
        if (isSqlite)
        {
            PrepareSqliteFile(o);
        }
        else if (o.Reset)
        {
            await db.Database.EnsureDeletedAsync();
        }
        await db.Database.MigrateAsync();
        Console.WriteLine($"Migrations applied in {step.Elapsed.TotalSeconds:F1} s.");

        if (await db.Users.AnyAsync() || await db.Workspaces.AnyAsync() || await db.Partners.AnyAsync() || await db.CompanyProfiles.AnyAsync())
        {
            throw new InvalidOperationException("The database is not empty: use an empty database or pass --reset.");
        }

        // One connection for the whole run: the SQLite pragmas below are per connection.
        await db.Database.OpenConnectionAsync();
        if (isSqlite)
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=NORMAL;");
            // Random-order index inserts (phones, e-mails, names) thrash the default 2 MB page cache.
            await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size=-262144;");
        }
        db.ChangeTracker.AutoDetectChangesEnabled = false;

        step.Restart();
        var company = await CreateCompany(db, o);
        Console.WriteLine($"Company, {company.WorkspaceIds.Count} workspaces, users {AdminEmail} (admin), {AgentEmail} (agent, workspace {company.WorkspaceIds[0]}) "
            + $"and {o.Sellers} sellers (seller001@atende.local…), channels and opportunity types in {step.Elapsed.TotalSeconds:F1} s.");

        var counts = await InsertPartners(db, o, company);

        TicketGenerator.Counts? ticketCounts = null;
        if (o.Tickets > 0)
        {
            step.Restart();
            ticketCounts = await TicketGenerator.Run(db, o, company.WorkspaceIds, company.Admin, company.Agent);
            Console.WriteLine($"Tickets done in {step.Elapsed.TotalSeconds:F1} s.");
        }

        step.Restart();
        // Statistics, as the running app keeps them (PRAGMA optimize on SQLite, autovacuum on PostgreSQL), so runs are
        // repeatable; VACUUM also sets the visibility map the agenda's index-only scans rely on.
        if (o.Analyze)
        {
            await db.Database.ExecuteSqlRawAsync(isSqlite ? "ANALYZE; PRAGMA optimize;" : "VACUUM (ANALYZE);");
        }
        if (isSqlite)
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
        }
        Console.WriteLine($"{(o.Analyze ? isSqlite ? "ANALYZE, " : "VACUUM (ANALYZE)" : "no statistics")}{(isSqlite ? "WAL checkpoint" : "")} in {step.Elapsed.TotalSeconds:F1} s.");

        step.Restart();
        await Verify(db, isSqlite, counts);
        if (ticketCounts is not null)
        {
            await TicketGenerator.Verify(db, isSqlite, ticketCounts, company.Admin, company.WorkspaceIds);
        }
        Console.WriteLine($"Verified in {step.Elapsed.TotalSeconds:F1} s.");
        Console.WriteLine($"Total {total.Elapsed.TotalSeconds:F1} s.");
    }

    private static void PrepareSqliteFile(GenerateOptions o)
    {
        var file = new SqliteConnectionStringBuilder(o.Connection).DataSource;
        if (string.IsNullOrEmpty(file) || file == ":memory:")
        {
            throw new InvalidOperationException("SQLite needs a file: --connection \"Data Source=/path/atende.db\".");
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(file));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        if (o.Reset)
        {
            SqliteConnection.ClearAllPools();
            foreach (var path in new[] { file, file + "-wal", file + "-shm" })
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>What the partners and conversations refer to.</summary>
    private sealed record Company(List<long> WorkspaceIds, User Admin, User Agent, List<long> ChannelIds, List<long> TypeIds, Dictionary<long, long[]> SellersByWorkspace);

    private static async Task<Company> CreateCompany(AtendeDb db, GenerateOptions o)
    {
        db.CompanyProfiles.Add(new CompanyProfile { Name = "Bench Comércio e Serviços Ltda.", Email = "contato@atende.local" });
        // The same lists the setup wizard seeds.
        db.Channels.AddRange(new[] { "WhatsApp", "Telefone", "E-mail", "Presencial", "Videochamada", "Portal" }.Select(n => new Atende.Core.Settings.Channel { Name = n }));
        db.OpportunityTypes.AddRange(new[] { "Venda", "Cobrança", "Reativação", "Pós-venda", "Suporte" }.Select(n => new OpportunityType { Name = n }));
        var workspaces = Enumerable.Range(0, o.Workspaces)
            .Select(i => new Workspace { Name = i < WorkspaceNames.Length ? WorkspaceNames[i] : $"Filial {i + 1:00}" })
            .ToList();
        // One at a time, so workspace 1 is the first one (ids follow the insertion order).
        foreach (var workspace in workspaces)
        {
            db.Workspaces.Add(workspace);
            await db.SaveChangesAsync();
        }

        // One password hash (salted) shared by every bench user: hashing is deliberately slow, and 100 of them add up.
        var hash = new PasswordHasher<User>().HashPassword(new User(), o.Password);
        var admin = NewUser("Bench Admin", AdminEmail, UserRole.Admin, hash);
        var agent = NewUser("Bench Agente", AgentEmail, UserRole.Agent, hash);
        var sellers = Enumerable.Range(1, o.Sellers).Select(i => NewUser($"Vendedor {i:000}", $"seller{i:000}@atende.local", UserRole.Agent, hash)).ToList();
        db.Users.AddRange([admin, agent, .. sellers]);
        await db.SaveChangesAsync();
        db.UserWorkspaces.AddRange(workspaces.Select(w => new UserWorkspace { UserId = admin.Id, WorkspaceId = w.Id }));
        db.UserWorkspaces.Add(new UserWorkspace { UserId = agent.Id, WorkspaceId = workspaces[0].Id });
        // Seller i works in workspace i mod W; the bench agent sells in workspace 1 too.
        var sellersByWorkspace = workspaces.ToDictionary(w => w.Id, _ => new List<long>());
        sellersByWorkspace[workspaces[0].Id].Add(agent.Id);
        for (var i = 0; i < sellers.Count; i++)
        {
            var workspace = workspaces[i % workspaces.Count];
            db.UserWorkspaces.Add(new UserWorkspace { UserId = sellers[i].Id, WorkspaceId = workspace.Id });
            sellersByWorkspace[workspace.Id].Add(sellers[i].Id);
        }
        await db.SaveChangesAsync();
        var channelIds = await db.Channels.OrderBy(c => c.Id).Where(c => c.Name != "Portal").Select(c => c.Id).ToListAsync();
        var typeIds = await db.OpportunityTypes.OrderBy(c => c.Id).Select(c => c.Id).ToListAsync();
        db.ChangeTracker.Clear();
        return new Company(workspaces.Select(w => w.Id).ToList(), admin, agent, channelIds, typeIds,
            sellersByWorkspace.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()));
    }

    /// <summary>A user the app can log in with: Identity's password hash, normalized names, a security stamp.</summary>
    internal static User NewUser(string name, string email, UserRole role, string passwordHash) => new()
    {
        Name = name,
        UserName = email,
        NormalizedUserName = email.ToUpperInvariant(),
        Email = email,
        NormalizedEmail = email.ToUpperInvariant(),
        EmailConfirmed = true,
        SecurityStamp = Guid.NewGuid().ToString(),
        ConcurrencyStamp = Guid.NewGuid().ToString(),
        LockoutEnabled = true,
        Role = role,
        Active = true,
        CreatedAt = DateTimeOffset.UtcNow,
        PasswordHash = passwordHash,
    };

    private sealed record Counts(long Partners, long Contacts, long Phones, long Emails, long Conversations);

    private static async Task<Counts> InsertPartners(AtendeDb db, GenerateOptions o, Company company)
    {
        var workspaceIds = company.WorkspaceIds;
        var adminId = company.Admin.Id;
        var agentId = company.Agent.Id;
        var isSqlite = o.Provider == BenchProvider.Sqlite;
        IBatchWriter writer = o.Method == InsertMethod.Ef
            ? new EfWriter(db, transactionPerBatch: isSqlite)
            : isSqlite ? new SqliteWriter(db) : new PostgresCopyWriter(db);
        Console.WriteLine($"Inserting with {writer.GetType().Name}.");

        // A producer task makes the next batches while this one is saved (bounded, so memory stays flat).
        var batches = System.Threading.Channels.Channel.CreateBounded<List<PartnerGraph>>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var makeTime = new Stopwatch();
        long contacts = 0, phones = 0, emails = 0, conversations = 0;
        var producer = Task.Run(async () =>
        {
            try
            {
                var ids = new IdSequence();
                var fake = new FakePartners(o.Seed);
                var fakeConversations = new FakeConversations(o.Seed, company.ChannelIds, company.TypeIds, company.SellersByWorkspace);
                var perPartner = (double)o.Conversations / o.Partners;
                var pick = new Random(o.Seed);
                var now = DateTimeOffset.UtcNow;
                for (var made = 0; made < o.Partners;)
                {
                    makeTime.Start();
                    var batch = new List<PartnerGraph>(o.BatchSize);
                    for (var i = 0; i < o.BatchSize && made < o.Partners; i++, made++)
                    {
                        var workspaceId = workspaceIds[pick.Next(workspaceIds.Count)];
                        long? manager = pick.Next(10) switch
                        {
                            < 4 when workspaceId == workspaceIds[0] => agentId,
                            < 3 => adminId,
                            _ => null,
                        };
                        var partner = fake.Next(workspaceId, manager, now);
                        if (writer.NeedsIds)
                        {
                            ids.Assign(partner);
                        }
                        contacts += partner.Contacts.Count;
                        phones += partner.Contacts.Sum(c => c.Phones.Count);
                        emails += partner.Contacts.Sum(c => c.Emails.Count);
                        var partnerConversations = fakeConversations.For(partner, perPartner, now, adminId);
                        conversations += partnerConversations.Count;
                        batch.Add(new PartnerGraph(partner, partnerConversations));
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
        var done = 0;
        var lastReport = 0;
        await foreach (var batch in batches.Reader.ReadAllAsync())
        {
            saveTime.Start();
            await writer.Write(batch);
            saveTime.Stop();
            done += batch.Count;
            if (done - lastReport >= 10_000 || done == o.Partners)
            {
                lastReport = done;
                Console.WriteLine($"  {done,9:N0} partners  {wall.Elapsed.TotalSeconds,6:F1} s  ({done / wall.Elapsed.TotalSeconds:N0} partners/s)");
            }
        }
        await producer;
        saveTime.Start();
        await writer.Finish();
        saveTime.Stop();
        (writer as IDisposable)?.Dispose();
        var rows = o.Partners + contacts + phones + emails + conversations;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Inserted {o.Partners:N0} partners, {contacts:N0} contacts, {phones:N0} phones, {emails:N0} e-mails, {conversations:N0} conversations ({rows:N0} rows) in {wall.Elapsed.TotalSeconds:F1} s "
            + $"({rows / wall.Elapsed.TotalSeconds:N0} rows/s); generating took {makeTime.Elapsed.TotalSeconds:F1} s (in parallel), saving {saveTime.Elapsed.TotalSeconds:F1} s."));
        return new Counts(o.Partners, contacts, phones, emails, conversations);
    }

    private static async Task Verify(AtendeDb db, bool isSqlite, Counts expected)
    {
        var conn = db.Database.GetDbConnection();
        Check("partners", await Scalar(conn, "SELECT count(*) FROM \"Partners\""), expected.Partners);
        Check("contacts", await Scalar(conn, "SELECT count(*) FROM \"Contacts\""), expected.Contacts);
        Check("phones", await Scalar(conn, "SELECT count(*) FROM \"ContactPhones\""), expected.Phones);
        Check("e-mails", await Scalar(conn, "SELECT count(*) FROM \"ContactEmails\""), expected.Emails);
        var bad = await Scalar(conn, "SELECT count(*) FROM \"Partners\" WHERE \"SearchText\" = '' OR \"SortName\" = '' OR \"Version\" <> 1");
        Check("partners without SearchText/SortName or with Version <> 1", bad, 0);
        Check("conversations", await Scalar(conn, "SELECT count(*) FROM \"Conversations\""), expected.Conversations);
        // Denormalized columns, as ConversationService keeps them: the partner's workspace and its latest conversation date.
        Check("conversations in another workspace or with another name than their partner", await Scalar(conn,
            "SELECT count(*) FROM \"Conversations\" c JOIN \"Partners\" p ON p.\"Id\" = c.\"PartnerId\" WHERE c.\"WorkspaceId\" <> p.\"WorkspaceId\" OR c.\"PartnerName\" <> p.\"Name\""), 0);
        var distinct = isSqlite ? "IS NOT" : "IS DISTINCT FROM";
        Check("partners whose LastConversationAt is not their latest conversation", await Scalar(conn,
            $"SELECT count(*) FROM \"Partners\" p WHERE p.\"LastConversationAt\" {distinct} (SELECT max(c.\"At\") FROM \"Conversations\" c WHERE c.\"PartnerId\" = p.\"Id\")"), 0);

        foreach (var term in new[] { "joao", "silva", "acucar", "98765" })
        {
            var direct = await Scalar(conn, $"SELECT count(*) FROM \"Partners\" WHERE \"SearchText\" LIKE '%{term}%'");
            if (isSqlite)
            {
                // The FTS5 trigram table is fed by triggers on Partners: it must find exactly the same rows.
                var fts = await Scalar(conn, $"SELECT count(*) FROM PartnerSearch WHERE SearchText LIKE '%{term}%'");
                Check($"PartnerSearch LIKE '%{term}%' vs Partners", fts, direct);
                Console.WriteLine($"  '{term}': {direct:N0} partners (FTS5 PartnerSearch: {fts:N0})");
            }
            else
            {
                Console.WriteLine($"  '{term}': {direct:N0} partners");
            }
        }
        if (isSqlite)
        {
            await Scalar(conn, "INSERT INTO PartnerSearch(PartnerSearch, rank) VALUES ('integrity-check', 1); SELECT 0");
            Console.WriteLine("  FTS5 integrity-check against Partners: ok");
        }
        await VerifyThroughEf(db, expected.Partners);
        var sample = await Text(conn, "SELECT \"Name\" || ' | ' || \"Code\" FROM \"Partners\" WHERE \"Code\" <> '' ORDER BY \"Id\" LIMIT 3");
        Console.WriteLine("  sample: " + string.Join("; ", sample));
    }

    /// <summary>
    /// Reads partners back through EF (so column mapping, converters and ids are checked end to end), recomputes their
    /// derived columns as the app would, and checks that the app's next insert gets a fresh id.
    /// </summary>
    private static async Task VerifyThroughEf(AtendeDb db, long partnerCount)
    {
        var step = Math.Max(1, partnerCount / 500);
        var sampleIds = Enumerable.Range(0, 500).Select(i => 1 + (i * step)).Where(id => id <= partnerCount).ToList();
        var partners = await db.Partners.AsNoTracking().AsSplitQuery()
            .Where(p => sampleIds.Contains(p.Id))
            .Include(p => p.Contacts.OrderBy(c => c.Id)).ThenInclude(c => c.Phones.OrderBy(x => x.Position))
            .Include(p => p.Contacts).ThenInclude(c => c.Emails.OrderBy(x => x.Position))
            .Include(p => p.Contacts).ThenInclude(c => c.SocialProfiles)
            .ToListAsync();
        Check("partners read back through EF", partners.Count, sampleIds.Count);
        var now = DateTimeOffset.UtcNow;
        foreach (var p in partners)
        {
            var problems = new List<string>();
            if (p.SearchText != PartnerService.BuildSearchText(p)) problems.Add("SearchText");
            if (p.SortName != SearchText.Normalize(p.Name)) problems.Add("SortName");
            if (p.CodeKey != TaxId.DuplicateKey(p.Code)) problems.Add("CodeKey");
            if (p.Version != 1 || p.Contacts.Any(c => c.Version != 1)) problems.Add("Version");
            if (p.CreatedAt.Offset != TimeSpan.Zero || p.CreatedAt > now || p.CreatedAt < now.AddYears(-6) || p.UpdatedAt < p.CreatedAt) problems.Add("dates");
            if (p.Contacts.Count is < 1 or > 3 || p.Contacts.Any(c => c.Phones.Count == 0 || c.Emails.Count == 0)) problems.Add("contacts");
            if (p.Contacts.SelectMany(c => c.Phones).Any(x => !IsValidPhone(x))) problems.Add("phones");
            if (problems.Count > 0)
            {
                throw new InvalidOperationException($"Verification failed: partner {p.Id} read back through EF has wrong {string.Join(", ", problems)}.");
            }
        }
        Console.WriteLine($"  {partners.Count} partners read back through EF: derived columns, dates, phones ok");

        // The app's next partner must get a fresh id (explicit ids must not leave the identity behind).
        await using var tx = await db.Database.BeginTransactionAsync();
        var probe = new Partner { WorkspaceId = partners[0].WorkspaceId, Name = "probe", SortName = "probe", SearchText = "probe", CreatedAt = now, UpdatedAt = now, Version = 1 };
        db.Partners.Add(probe);
        await db.SaveChangesAsync();
        Check("id of the next partner inserted by EF", probe.Id, partnerCount + 1);
        await tx.RollbackAsync();
        db.ChangeTracker.Clear();
        Console.WriteLine($"  next partner inserted by EF gets id {probe.Id} (rolled back)");
    }

    private static bool IsValidPhone(ContactPhone phone)
    {
        var (country, area, number) = PhoneRules.Split(phone.E164);
        return country == "BR" && PhoneRules.Normalize(country, area, number, phone.Type).E164 == phone.E164;
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
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task<List<string>> Text(DbConnection conn, string sql)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        var list = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add(reader.GetString(0));
        }
        return list;
    }
}
