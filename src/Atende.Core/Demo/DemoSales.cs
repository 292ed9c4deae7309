using Atende.Core.Common;
using Atende.Core.Email;
using Atende.Core.Identity;
using Atende.Core.Sales;
using Atende.Core.Settings;
using Atende.Core.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Demo;

public sealed partial class DemoData
{
    /// <summary>What the office pays a supplier for a certificate it sells with a company opening.</summary>
    private const decimal CertificateCost = 139.90m;

    /// <summary>
    /// Quotes and sales on the proposals (pipeline Comercial) whose story sent one, told by where the ticket ended: a
    /// proposal awaiting the customer is a quote awaiting approval (revised into a second version when it went on to
    /// negotiation), a closed one an approved sale (most to be invoiced, the latest complete one checked ready for the
    /// NF-e), a lost one a rejected quote. Then a few purchases from the office's suppliers for the sales that need them.
    /// Everything goes through <see cref="QuoteService"/> and <see cref="PurchaseService"/> acting as the ticket's assignee
    /// (numbers, money, history lines and events as real use writes them) and is then dated at the story's time, as the
    /// tickets are (<see cref="StampQuote"/>, <see cref="StampPurchase"/>).
    /// </summary>
    private async Task AddSales(Team team, CancellationToken ct)
    {
        var comercial = await db.Pipelines.Where(p => p.Alias == "COM").Select(p => p.Id).FirstAsync(ct);
        var tickets = await db.Tickets.AsNoTracking().Where(t => t.PipelineId == comercial).OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).ToListAsync(ct);
        var ids = tickets.Select(t => t.Id).ToList();
        var statusChanges = (await db.TicketChanges.AsNoTracking().Where(c => c.Field == "status" && ids.Contains(c.TicketId)).ToListAsync(ct))
            .OrderBy(c => c.At).ThenBy(c => c.Id).ToLookup(c => c.TicketId);
        var catalog = await db.CatalogItems.AsNoTracking().ToListAsync(ct);
        var today = DateOnly.FromDateTime(ZoneTime.ToLocal(started, zone).DateTime);
        var quoteServices = new Dictionary<long, QuoteService>();
        var sales = new List<Sale>();
        var pending = new List<(Ticket Ticket, long QuoteId, DateTimeOffset Created, int Versions)>();

        // In the order the proposals were sent, so the numbers follow the dates.
        var proposals = tickets.Where(t => t.Status is not (TicketStatus.Open or TicketStatus.Reopened))
            .Select(t => (Ticket: t, Sent: statusChanges[t.Id].FirstOrDefault(c => c.NewCode == nameof(TicketStatus.Waiting))?.At))
            .Where(p => p.Sent is not null).OrderBy(p => p.Sent).ToList();
        // The latest closed sale is always to be invoiced, so the story has a sale ready for the NF-e whatever the draw.
        var latestClosed = proposals.LastOrDefault(p => p.Ticket.Status == TicketStatus.Done).Ticket;
        foreach (var (ticket, sent) in proposals)
        {
            var changes = statusChanges[ticket.Id].ToList();
            var sentAt = sent!.Value;
            var quotes = await QuotesAs(ticket.AssigneeId ?? team.Ana.Id);
            var created = Later(ticket.CreatedAt.AddMinutes(1), sentAt.AddMinutes(-random.Next(5, 40)));
            var createdDay = DateOnly.FromDateTime(ZoneTime.ToLocal(created, zone).DateTime);
            var decided = ticket.Status is TicketStatus.Done or TicketStatus.Rejected or TicketStatus.Canceled;
            // The service refuses a validity in the past: a decided quote is written valid from today and dated back after.
            var validity = createdDay.AddDays(30) >= today ? createdDay.AddDays(30) : decided ? today.AddDays(30) : today.AddDays(random.Next(5, 15));
            var lines = Lines(ticket, catalog);
            var issueNfe = ticket.Status == TicketStatus.Done && (random.Next(4) > 0 || ticket == latestClosed);
            var notes = Pick(DemoStory.QuoteNotes);
            var quote = await quotes.Create(ticket.Id, new QuoteInput(lines, notes, validity, issueNfe), ct: ct);
            var versions = new List<DateTimeOffset> { created };
            var negotiated = changes.FirstOrDefault(c => c.NewCode == nameof(TicketStatus.Analyzing) && c.At > sentAt)?.At;
            if (negotiated is { } negotiatedAt && (ticket.Status == TicketStatus.Analyzing || random.Next(3) == 0))
            {
                await quotes.Revise(quote.Id, null, new QuoteInput(Negotiated(lines), notes + "\n" + DemoStory.NegotiatedNote, validity, issueNfe), ct);
                versions.Add(negotiatedAt);
            }
            var last = changes[^1].At;
            switch (ticket.Status)
            {
                case TicketStatus.Done:
                    // The customer approves during the work the sale opened; the ticket closes later.
                    var approved = AddOfficeMinutes(versions[^1], OfficeMinutes(versions[^1], last) * (0.2 + random.NextDouble() * 0.3));
                    approved = approved < last ? approved : last;
                    await quotes.Approve(quote.Id, null, ct: ct);
                    await StampQuote(quote.Id, versions, approved, createdDay.AddDays(30), ct);
                    sales.Add(new Sale(ticket, quote.Id, lines, issueNfe, approved, last));
                    break;
                case TicketStatus.Rejected or TicketStatus.Canceled:
                    await quotes.Reject(quote.Id, null, ct: ct);
                    await StampQuote(quote.Id, versions, last, createdDay.AddDays(30), ct);
                    break;
                default:
                    await StampQuote(quote.Id, versions, null, null, ct);
                    pending.Add((ticket, quote.Id, created, versions.Count));
                    break;
            }
        }

        // A quote awaiting approval with two versions, even when no proposal of the story is in negotiation today.
        if (pending.Count > 0 && pending.All(p => p.Versions == 1))
        {
            var (ticket, quoteId, created, _) = pending[^1];
            var quotes = await QuotesAs(ticket.AssigneeId ?? team.Ana.Id);
            var current = await quotes.Details(quoteId, null, ct);
            var revised = Negotiated([.. current.Version.Items.OrderBy(i => i.Position).Select(i => new QuoteItemInput(i.CatalogItemId, i.Description, i.Quantity, i.UnitPrice))]);
            await quotes.Revise(quoteId, null, new QuoteInput(revised, current.Version.Notes + "\n" + DemoStory.NegotiatedNote, current.Quote.ValidUntil, current.Quote.IssueNfe), ct);
            var at = Later(created, ticket.UpdatedAt);
            await StampQuote(quoteId, [created, at], null, null, ct);
        }

        // The latest sale to be invoiced whose data is complete is checked and marked ready for the NF-e when its ticket closed.
        foreach (var sale in sales.Where(s => s.IssueNfe).OrderByDescending(s => s.Done))
        {
            var quotes = await QuotesAs(sale.Ticket.AssigneeId ?? team.Ana.Id);
            if ((await quotes.Nfe(sale.QuoteId, ct)).Complete)
            {
                await quotes.MarkReadyForNfe(sale.QuoteId, null, ct);
                await StampReady(sale.QuoteId, sale.Done, ct);
                break;
            }
        }

        await AddPurchases(team, sales, ct);

        async Task<QuoteService> QuotesAs(long userId)
        {
            if (!quoteServices.TryGetValue(userId, out var service))
            {
                var caller = await CallerFactory.Load(db, userId, ct: ct) ?? throw new InvalidOperationException($"Demo user {userId} not found.");
                var settings = new SettingsService(db, caller);
                service = new QuoteService(db, caller, settings, events, new EmailOutbox(db), files, new PublicLinks("http://localhost"));
                quoteServices[userId] = service;
            }
            return service;
        }
    }

    /// <summary>An approved sale of the story: its ticket, lines, when the customer approved and when the ticket closed.</summary>
    private sealed record Sale(Ticket Ticket, long QuoteId, List<QuoteItemInput?> Lines, bool IssueNfe, DateTimeOffset Approved, DateTimeOffset Done);

    /// <summary>
    /// The lines of a proposal: the ticket's catalog item at the ticket's value (a free-text line with its service code for
    /// the stories without one), a certificate with a company opening, extra consulting hours with a tax planning; now and
    /// then a discount.
    /// </summary>
    private List<QuoteItemInput?> Lines(Ticket ticket, List<CatalogItem> catalog)
    {
        CatalogItem Item(string name) => catalog.First(c => c.Name == name);
        decimal? price = ticket.Value > 0 ? ticket.Value : null;
        var lines = new List<QuoteItemInput?>();
        if (ticket.CatalogItemId is { } itemId)
        {
            var discount = random.Next(4) == 0 ? Pick(5m, 10m) : (decimal?)null;
            var item = catalog.First(c => c.Id == itemId);
            QuoteItemInput? extra = null;
            if (item.Name == "Abertura de empresa")
            {
                var certificate = Item(DemoStory.Certificate);
                extra = new QuoteItemInput(certificate.Id, null, 1, certificate.DefaultPrice);
            }
            else if (item.Name == "Planejamento tributário" && random.Next(2) == 0)
            {
                var hour = Item("Consultoria (hora)");
                extra = new QuoteItemInput(hour.Id, "Reunião de apresentação aos sócios (horas)", random.Next(2, 5), hour.DefaultPrice);
            }
            // The ticket's value is the whole proposal: the extra line comes out of the main one when it fits.
            var extraTotal = extra is null ? 0 : QuoteMath.Gross(extra.Quantity!.Value, extra.UnitPrice!.Value);
            var main = price is { } p && p - extraTotal > 0 ? p - extraTotal : price;
            lines.Add(new QuoteItemInput(itemId, null, 1, main, discount, DiscountKind.Percent));
            if (extra is not null)
            {
                lines.Add(extra);
            }
        }
        else
        {
            var description = DemoStory.FreeTextProposals.FirstOrDefault(p => ticket.Title.StartsWith(p.TitleStart, StringComparison.Ordinal)).Description
                ?? "Assessoria contábil";
            lines.Add(new QuoteItemInput(null, description, 1, price ?? Amount(450, 1200), null, DiscountKind.Amount, "17.19"));
        }
        return lines;
    }

    /// <summary>The same lines after negotiating: 10% off the first one, instead of the discount it had.</summary>
    private static List<QuoteItemInput?> Negotiated(List<QuoteItemInput?> lines) =>
        [.. lines.Select((l, i) => i == 0 ? l! with { Discount = 10m, DiscountKind = DiscountKind.Percent } : l)];

    /// <summary>
    /// Purchases from the office's suppliers for its sales: the certificate of each company opened (from the certifier, at
    /// cost), the payroll module for each outsourced payroll and, for the first clients who changed offices, a licence of
    /// the accounting system; at least one in any story.
    /// Bought after the customer approved, before the ticket closed.
    /// </summary>
    private async Task AddPurchases(Team team, List<Sale> sales, CancellationToken ct)
    {
        var caller = await CallerFactory.Load(db, team.Ana.Id, ct: ct) ?? throw new InvalidOperationException("Demo admin not found.");
        var purchases = new PurchaseService(db, caller, new SettingsService(db, caller), events);
        var suppliers = await db.Partners.AsNoTracking().Where(p => DemoStory.Suppliers.Contains(p.Name)).ToDictionaryAsync(p => p.Name, p => p.Id, ct);
        var certificate = await db.CatalogItems.AsNoTracking().Where(c => c.Name == DemoStory.Certificate).Select(c => c.Id).FirstAsync(ct);
        var planned = new List<(long TicketId, PurchaseInput Input, DateTimeOffset At)>();
        foreach (var sale in sales)
        {
            PurchaseInput? input = null;
            if (sale.Lines.Any(l => l!.CatalogItemId == certificate))
            {
                input = new PurchaseInput(suppliers[DemoStory.Suppliers[1]], [new QuoteItemInput(certificate, null, 1, CertificateCost)],
                    "Emissão com validação por videoconferência; o token vai direto para o cliente.");
            }
            else if (sale.Ticket.Title.StartsWith("Terceirização da folha", StringComparison.Ordinal))
            {
                input = new PurchaseInput(suppliers[DemoStory.Suppliers[0]],
                    [new QuoteItemInput(null, "Módulo de folha e eSocial — 1 CNPJ adicional (12 meses)", 12, 49.90m)],
                    "Licença do módulo de folha para o novo cliente; cobrança no boleto do sistema.");
            }
            else if ((sale.Ticket.Title.StartsWith("Contabilidade mensal", StringComparison.Ordinal) && planned.Count < 3) || (planned.Count == 0 && sale == sales[^1]))
            {
                input = SystemLicence(suppliers[DemoStory.Suppliers[0]]);
            }
            if (input is not null)
            {
                var at = AddOfficeMinutes(sale.Approved, OfficeMinutes(sale.Approved, sale.Done) * (0.3 + random.NextDouble() * 0.4));
                planned.Add((sale.Ticket.Id, input, at < sale.Done ? at : sale.Done));
            }
        }
        // In the order they were bought, so the numbers follow the dates.
        foreach (var (ticketId, input, at) in planned.OrderBy(p => p.At))
        {
            var purchase = await purchases.Create(ticketId, input, ct);
            await StampPurchase(purchase.Id, at, ct);
        }
    }

    private static PurchaseInput SystemLicence(long supplierId) => new(supplierId,
    [
        new QuoteItemInput(null, "Licença adicional do sistema contábil — 1 CNPJ (12 meses)", 12, 35m),
        new QuoteItemInput(null, "Importação dos saldos e do plano de contas do escritório anterior", 1, 180m, 10m, DiscountKind.Percent),
    ], "Cobrança no boleto do sistema, junto da mensalidade do escritório.");

    /// <summary>
    /// Dates a quote the service just wrote at the story's time: its versions, its history lines (created, each edit, the
    /// decision), its decision and, for a decided one, its validity. The money, numbers and states stay as the service wrote them.
    /// </summary>
    private async Task StampQuote(long quoteId, List<DateTimeOffset> versions, DateTimeOffset? decided, DateOnly? validUntil, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var quote = await db.Quotes.FirstAsync(q => q.Id == quoteId, ct);
        var written = await db.QuoteVersions.Where(v => v.QuoteId == quoteId).OrderBy(v => v.Number).ToListAsync(ct);
        var history = await db.TicketChanges.Where(c => c.TicketId == quote.TicketId && c.Field == "quote" && c.NewCode == quote.Number)
            .OrderBy(c => c.Id).ToListAsync(ct);
        var times = decided is { } d ? [.. versions, d] : versions;
        if (written.Count != versions.Count || history.Count != times.Count)
        {
            throw new InvalidOperationException($"{quote.Number}: {written.Count} versions and {history.Count} history lines, not {versions.Count} and {times.Count}.");
        }
        for (var i = 0; i < written.Count; i++)
        {
            written[i].CreatedAt = versions[i];
            written[i].ValidUntil = validUntil ?? written[i].ValidUntil;
        }
        for (var i = 0; i < history.Count; i++)
        {
            history[i].At = times[i];
        }
        quote.CreatedAt = versions[0];
        quote.UpdatedAt = times[^1];
        quote.DecidedAt = decided;
        quote.ValidUntil = validUntil ?? quote.ValidUntil;
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    /// <summary>Dates the "pronta para emissão" check (and its history line) when the sale's ticket closed.</summary>
    private async Task StampReady(long quoteId, DateTimeOffset at, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var quote = await db.Quotes.FirstAsync(q => q.Id == quoteId, ct);
        var line = await db.TicketChanges.Where(c => c.TicketId == quote.TicketId && c.Field == "quote" && c.NewCode == quote.Number && c.At >= started)
            .SingleAsync(ct);
        quote.NfeReadyAt = quote.UpdatedAt = line.At = at;
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    /// <summary>Dates a purchase the service just wrote (and its history line) at the story's time.</summary>
    private async Task StampPurchase(long purchaseId, DateTimeOffset at, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var purchase = await db.Purchases.FirstAsync(p => p.Id == purchaseId, ct);
        var line = await db.TicketChanges.Where(c => c.TicketId == purchase.TicketId && c.Field == "purchase" && c.NewCode == purchase.Number && c.At >= started)
            .SingleAsync(ct);
        purchase.CreatedAt = line.At = at;
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
