using System.Diagnostics;
using Atende.Core.Data;
using Atende.Core.Sales;
using Microsoft.EntityFrameworkCore;

namespace Atende.Bench;

/// <summary>
/// Adds quotes to a database the generator filled with tickets (S6 bench, bench/README.md "Quotes"): <c>count</c> quotes on
/// random tickets, numbered ORC-2026-NNNNNN, each with one version of 1–3 lines; about 40 % awaiting approval, 45 % approved,
/// 15 % rejected, created over the last year. Written through AtendeDb (the app's own mapping: cents, ticks, enums as
/// text) in batches, the counter row left at the last number used so the app goes on from there.
/// </summary>
public static class QuoteGenerator
{
    public static async Task Run(BenchProvider provider, string connection, int count, int seed = 42)
    {
        var builder = new DbContextOptionsBuilder<AtendeDb>();
        if (provider == BenchProvider.Sqlite)
        {
            builder.UseSqlite(connection, x => x.MigrationsAssembly("Atende.Migrations.Sqlite"));
        }
        else
        {
            builder.UseNpgsql(connection, x => x.MigrationsAssembly("Atende.Migrations.Postgres"));
        }
        await using var db = new AtendeDb(builder.Options);
        await db.Database.MigrateAsync();
        var watch = Stopwatch.StartNew();
        var maxTicket = await db.Tickets.MaxAsync(t => t.Id);
        var adminId = await db.Users.OrderBy(u => u.Id).Select(u => u.Id).FirstAsync();
        var start = await db.Quotes.CountAsync();
        var next = await db.ReferenceCounters.Where(c => c.Alias == "ORC-2026").Select(c => c.Last).FirstOrDefaultAsync();
        var random = new Random(seed);
        var now = DateTimeOffset.UtcNow;
        string[] services = ["Manutenção preventiva", "Visita técnica", "Instalação", "Consultoria mensal", "Troca de peças", "Treinamento da equipe"];
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        const int batch = 2000;
        for (var done = 0; done < count; done += batch)
        {
            var size = Math.Min(batch, count - done);
            var ids = Enumerable.Range(0, size).Select(_ => (long)random.NextInt64(1, maxTicket + 1)).Distinct().ToList();
            var tickets = await db.Tickets.AsNoTracking().Where(t => ids.Contains(t.Id))
                .Select(t => new { t.Id, t.PartnerId, t.PipelineId, t.WorkspaceId }).ToListAsync();
            await using var tx = await db.Database.BeginTransactionAsync();
            var quotes = new List<(Quote Quote, QuoteVersion Version)>();
            foreach (var t in tickets)
            {
                var created = now.AddMinutes(-random.Next(0, 365 * 24 * 60));
                var lines = Enumerable.Range(1, random.Next(1, 4)).Select(p =>
                {
                    var quantity = random.Next(1, 10);
                    var price = random.Next(50, 5000);
                    return new QuoteItem { Position = p, Description = services[random.Next(services.Length)], Quantity = quantity, UnitPrice = price, Total = quantity * price };
                }).ToList();
                var (subtotal, discount, total) = QuoteMath.Totals(lines);
                var roll = random.Next(100);
                var state = roll < 40 ? QuoteState.PendingApproval : roll < 85 ? QuoteState.Approved : QuoteState.Rejected;
                var number = ++next;
                var quote = new Quote
                {
                    Number = $"ORC-2026-{number:000000}", TicketId = t.Id, PartnerId = t.PartnerId, PipelineId = t.PipelineId, WorkspaceId = t.WorkspaceId,
                    State = state, CurrentVersion = 1, CreatedAt = created, CreatedById = adminId, UpdatedAt = created, Subtotal = subtotal,
                    DiscountTotal = discount, Total = total, DecidedAt = state == QuoteState.PendingApproval ? null : created.AddDays(2),
                };
                quotes.Add((quote, new QuoteVersion { Number = 1, CreatedAt = created, CreatedById = adminId, Subtotal = subtotal, DiscountTotal = discount, Total = total, Items = lines }));
            }
            db.Quotes.AddRange(quotes.Select(q => q.Quote));
            await db.SaveChangesAsync();
            foreach (var (quote, version) in quotes)
            {
                version.QuoteId = quote.Id;
            }
            db.QuoteVersions.AddRange(quotes.Select(q => q.Version));
            await db.SaveChangesAsync();
            await tx.CommitAsync();
            db.ChangeTracker.Clear();
            // Distinct tickets per batch: a batch may hold fewer quotes than asked; the loop counts batches, not rows.
            count += size - quotes.Count;
        }
        var last = await db.Quotes.CountAsync();
        await db.Database.ExecuteSqlRawAsync("""DELETE FROM "ReferenceCounters" WHERE "Alias" = 'ORC-2026'""");
        db.ReferenceCounters.Add(new Atende.Core.Pipelines.ReferenceCounter { Alias = "ORC-2026", Last = next });
        await db.SaveChangesAsync();
        Console.WriteLine($"{last - start:N0} quotes added in {watch.Elapsed.TotalSeconds:F1} s ({last:N0} in all).");
    }
}
