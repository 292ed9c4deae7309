using Atende.Core.Queue;
using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Demo;
using Atende.Core.Email;
using Atende.Core.Identity;
using Atende.Core.Partners;
using Atende.Core.Sales;
using Atende.Core.Tickets;
using Atende.Web.Tests.Infrastructure;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Atende.Web.Tests.Identity;

/// <summary>An app on an empty database filled by the demo (the same DemoData that <c>--demo</c> runs).</summary>
public abstract class DemoFixture(string provider) : AppFixture(provider)
{
    protected override async Task<string> Prepare(TestApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoData>().FillIfEmpty();
        return "";
    }
}

public sealed class DemoSqliteFixture() : DemoFixture("Sqlite");

public sealed class DemoPostgresFixture() : DemoFixture("Postgres");

/// <summary>The demo tells a believable story of an accounting office over the last 90 days.</summary>
public abstract class DemoDataTests(DemoFixture fixture)
{
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("America/Sao_Paulo");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<T> Read<T>(Func<AtendeDb, Task<T>> read)
    {
        await using var scope = fixture.App.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<AtendeDb>());
    }

    private Task<List<Ticket>> Tickets() => Read(db => db.Tickets.AsNoTracking().Include(t => t.Tags).ToListAsync(Ct));

    private Task<Dictionary<string, long>> Pipelines() => Read(db => db.Pipelines.ToDictionaryAsync(p => p.Alias, p => p.Id, Ct));

    private Task<Dictionary<long, string>> TagNames() => Read(db => db.Tags.ToDictionaryAsync(t => t.Id, t => t.Name, Ct));

    [Fact]
    public async Task Tickets_were_opened_on_at_least_60_days_of_the_last_90_in_office_hours_and_changed_after()
    {
        var tickets = await Tickets();
        var now = Clock.Now();
        Assert.InRange(tickets.Count, 64, 200);
        Assert.All(tickets, t => Assert.InRange(t.CreatedAt, now.AddDays(-90), now));
        var local = tickets.Select(t => TimeZoneInfo.ConvertTime(t.CreatedAt, Zone)).ToList();
        Assert.True(local.Select(l => l.Date).Distinct().Count() >= 60, $"Tickets created on {local.Select(l => l.Date).Distinct().Count()} days only.");
        Assert.All(local, l => Assert.InRange(l.TimeOfDay, TimeSpan.FromHours(8), TimeSpan.FromHours(18)));
        Assert.DoesNotContain(local, l => l.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday);
        Assert.All(tickets, t => Assert.True(t.UpdatedAt > t.CreatedAt, $"{t.Reference} was never changed after {t.CreatedAt}."));
        Assert.All(tickets, t => Assert.True(t.UpdatedAt <= now));
    }

    [Fact]
    public async Task Notes_are_written_for_the_story_after_the_ticket_was_opened_in_order_by_the_team()
    {
        var tickets = (await Tickets()).ToDictionary(t => t.Id);
        var interactions = await Read(db => db.Interactions.AsNoTracking().OrderBy(i => i.Id).ToListAsync(Ct));
        var users = await Read(db => db.Users.Select(u => u.Id).ToListAsync(Ct));
        var texts = interactions.Select(i => i.Body).Concat(tickets.Values.Select(t => t.Title + " " + t.Description)).ToList();
        Assert.DoesNotContain(texts, t => t.Contains("lorem", StringComparison.OrdinalIgnoreCase) || t.Contains("ipsum", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(texts, t => t.Contains('{', StringComparison.Ordinal));
        Assert.All(interactions, i => Assert.True(i.CreatedAt > tickets[i.TicketId].CreatedAt, $"A note of {tickets[i.TicketId].Reference} is older than the ticket."));
        Assert.All(interactions, i => Assert.True(i.CreatedAt <= tickets[i.TicketId].UpdatedAt));
        Assert.All(interactions.GroupBy(i => i.TicketId), g => Assert.Equal(g.Select(i => i.CreatedAt).Order(), g.Select(i => i.CreatedAt)));
        Assert.All(interactions, i => Assert.Contains(i.AuthorId!.Value, users));
        Assert.Contains(interactions, i => i.Internal);
        Assert.Contains(interactions, i => !i.Internal);
        Assert.True(interactions.Select(i => i.Body).Distinct().Count() > interactions.Count / 2, "Too many notes read the same.");
        Assert.True(tickets.Values.Select(t => t.Title).Distinct().Count() > tickets.Count / 3, "Too many tickets have the same title.");
    }

    [Fact]
    public async Task Proposals_carry_values_and_some_service_tickets_too()
    {
        var tickets = await Tickets();
        var pipelines = await Pipelines();
        var sales = tickets.Where(t => t.PipelineId == pipelines["COM"]).ToList();
        Assert.True(sales.Count >= 15, $"Only {sales.Count} sales tickets.");
        Assert.True(sales.Count(t => t.Value > 0) >= sales.Count * 0.7, $"{sales.Count(t => t.Value > 0)} of {sales.Count} sales tickets have a value.");
        Assert.All(sales.Where(t => t.Value > 0), t => Assert.InRange(t.Value, 300m, 5000m));
        Assert.Contains(sales, t => t.Value != decimal.Truncate(t.Value));
        Assert.Contains(tickets, t => t.PipelineId == pipelines["ATC"] && t.Value > 0);
    }

    [Fact]
    public async Task Partners_have_valid_codes_phones_and_example_addresses()
    {
        var partners = await Read(db => db.Partners.AsNoTracking()
            .Include(p => p.Contacts).ThenInclude(c => c.Phones).Include(p => p.Contacts).ThenInclude(c => c.Emails).ToListAsync(Ct));
        Assert.Equal(60, partners.Count);
        Assert.All(partners, p =>
        {
            var (kind, _, error) = TaxId.Parse(p.Code);
            Assert.Null(error);
            Assert.Contains(kind, new[] { TaxIdKind.Cpf, TaxIdKind.Cnpj });
        });
        Assert.Equal(partners.Count, partners.Select(p => p.CodeKey).Distinct().Count());
        Assert.Contains(partners, p => TaxId.Parse(p.Code).Kind == TaxIdKind.Cpf);
        var phones = partners.SelectMany(p => p.Contacts).SelectMany(c => c.Phones).ToList();
        Assert.NotEmpty(phones);
        Assert.All(phones, phone =>
        {
            var (country, area, number) = PhoneRules.Split(phone.E164);
            Assert.Equal((phone.E164, (string?)null), PhoneRules.Normalize(country, area, number, phone.Type));
        });
        Assert.Contains(phones, p => p.Type == PhoneType.Fixed);
        var emails = partners.SelectMany(p => p.Contacts).SelectMany(c => c.Emails).Select(e => e.Address).ToList();
        Assert.All(partners, p => Assert.NotEmpty(p.Contacts));
        Assert.All(emails, e => Assert.EndsWith(".example", e, StringComparison.Ordinal));
        Assert.All(emails, e => Assert.True(PartnerService.IsValidEmail(e), e));
    }

    /// <summary>
    /// The rule: a stage tag allows only its statuses (<see cref="DemoData.TagStatuses"/>: "Concluído"/"Fechado" only Finalizado,
    /// "Aguardando cliente"/"Proposta enviada" only Aguardando, "Perdido" only Cancelado or Rejeitado, …); a Finalizado ticket
    /// carries its pipeline's done tag, a lost proposal "Perdido", and an open one exactly one stage tag.
    /// </summary>
    [Fact]
    public async Task No_ticket_status_contradicts_its_tags()
    {
        var tickets = await Tickets();
        var names = await TagNames();
        var pipelines = await Pipelines();
        Assert.Equal(names.Values.Order(), DemoData.TagStatuses.Keys.Order());
        Assert.All(new[] { TicketStatus.Open, TicketStatus.Analyzing, TicketStatus.Waiting, TicketStatus.Done }, s => Assert.Contains(tickets, t => t.Status == s));
        Assert.Contains(tickets, t => t.Status is TicketStatus.Canceled or TicketStatus.Rejected);
        foreach (var ticket in tickets)
        {
            var tags = ticket.Tags.Select(t => names[t.TagId]).ToList();
            foreach (var tag in tags)
            {
                Assert.True(DemoData.TagStatuses[tag].Contains(ticket.Status), $"{ticket.Reference} is {ticket.Status} with the tag {tag}.");
            }
            var sales = ticket.PipelineId == pipelines["COM"];
            if (ticket.Status == TicketStatus.Done)
            {
                Assert.Contains(sales ? "Fechado" : "Concluído", tags);
            }
            if (sales && ticket.Status is TicketStatus.Canceled or TicketStatus.Rejected)
            {
                Assert.Contains("Perdido", tags);
            }
            if (!TicketService.IsClosed(ticket.Status))
            {
                Assert.Single(tags, t => t != "Urgente");
            }
        }
    }

    [Fact]
    public async Task History_follows_the_status_changes()
    {
        var tickets = (await Tickets()).ToDictionary(t => t.Id);
        var changes = await Read(db => db.TicketChanges.AsNoTracking().OrderBy(c => c.Id).ToListAsync(Ct));
        Assert.All(tickets.Values, t => Assert.Single(changes, c => c.TicketId == t.Id && c.Field == "created"));
        Assert.All(changes, c => Assert.InRange(c.At, tickets[c.TicketId].CreatedAt, tickets[c.TicketId].UpdatedAt));
        foreach (var ticket in tickets.Values)
        {
            var last = changes.LastOrDefault(c => c.TicketId == ticket.Id && c.Field == "status");
            Assert.Equal(TicketService.StatusName(ticket.Status), last?.NewValue ?? TicketService.StatusName(TicketStatus.Open));
        }
    }

    [Fact]
    public async Task Due_dates_include_overdue_today_and_upcoming_and_closed_tickets_are_not_due_in_the_future()
    {
        var tickets = await Tickets();
        var now = Clock.Now();
        var today = ZoneTime.ToLocal(now, Zone).Date;
        var open = tickets.Where(t => !TicketService.IsClosed(t.Status) && t.DueAt is not null).ToList();
        Assert.Contains(open, t => ZoneTime.ToLocal(t.DueAt!.Value, Zone).Date < today);
        Assert.Contains(open, t => ZoneTime.ToLocal(t.DueAt!.Value, Zone).Date == today);
        Assert.Contains(open, t => ZoneTime.ToLocal(t.DueAt!.Value, Zone).Date > today);
        Assert.All(tickets.Where(t => TicketService.IsClosed(t.Status) && t.DueAt is not null), t => Assert.True(t.DueAt <= now, $"{t.Reference} is closed and due {t.DueAt}."));
        Assert.All(tickets.Where(t => t.DueAt is not null), t => Assert.True(t.DueAt > t.CreatedAt));
    }

    [Fact]
    public async Task E_mails_were_sent_in_the_story_and_the_ticket_timeline_shows_them_but_nothing_waits_to_be_sent()
    {
        var emails = await Read(db => db.OutboxEmails.AsNoTracking().ToListAsync(Ct));
        Assert.NotEmpty(emails);
        Assert.All(emails, e => Assert.Equal(LeaseStatus.Sent, e.Status));
        Assert.All(emails, e => Assert.True(e.SentAt >= e.CreatedAt && e.SentAt <= Clock.Now()));
        Assert.All(emails, e => Assert.EndsWith(".example", e.To, StringComparison.Ordinal));
        Assert.Contains(emails, e => e.Subject.Contains("situação: Aguardando", StringComparison.Ordinal));
        Assert.False(await Read(db => db.SmtpSettings.AnyAsync(s => s.Host != "", Ct)), "The demo must not configure SMTP.");

        var ticket = await Read(db => db.Tickets.Where(t => db.OutboxEmails.Any(e => e.TicketId == t.Id)).OrderBy(t => t.Id).FirstAsync(Ct));
        var sent = emails.Where(e => e.TicketId == ticket.Id).OrderBy(e => e.Id).First();
        await using (var scope = fixture.App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
            var ana = await users.FindByEmailAsync("ana@horizonte.example");
            Assert.True((await users.RemovePasswordAsync(ana!)).Succeeded);
            Assert.True((await users.AddPasswordAsync(ana!, TestApp.Password)).Succeeded);
        }
        using var browser = await fixture.App.LoggedIn("ana@horizonte.example");
        var page = await browser.GetPage($"/tickets/{ticket.Id}");
        var entry = page.QuerySelectorAll(".timeline-email").FirstOrDefault(e => e.TextContent.Contains(sent.Subject, StringComparison.Ordinal));
        Assert.NotNull(entry);
        Assert.Contains("E-mail para " + sent.To, entry.TextContent, StringComparison.Ordinal);
        Assert.Contains("Enviado", entry.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_agenda_holds_past_and_coming_conversations()
    {
        var conversations = await Read(db => db.Conversations.AsNoTracking().ToListAsync(Ct));
        var ticketPartners = await Read(db => db.Tickets.Select(t => t.PartnerId).Distinct().ToListAsync(Ct));
        var now = Clock.Now();
        Assert.All(conversations, c => Assert.InRange(c.At, now.AddDays(-91), now.AddDays(15)));
        Assert.Contains(conversations, c => c.At < now && c.Concluded);
        Assert.Contains(conversations, c => c.At > now && !c.Concluded);
        Assert.DoesNotContain(conversations, c => c.At > now && c.Concluded);
        Assert.Contains(conversations, c => c.TicketId is not null);
        Assert.Contains(conversations, c => !ticketPartners.Contains(c.PartnerId));
        Assert.All(conversations, c => Assert.True(c.CreatedAt <= now));
        Assert.Contains(conversations, c => c.Subject == "Revisão do planejamento tributário 2027");
    }

    /// <summary>
    /// The proposals' story carries its quotes: awaiting approval (one in a second version), approved sales (some to be
    /// invoiced, one checked ready with a complete NF-e checklist), a rejected one, and purchases from the suppliers; all
    /// numbered, priced by the services, dated in the story after their ticket opened, and shown on the ticket list's header,
    /// the Vendas and Compras lists.
    /// </summary>
    [Fact]
    public async Task Proposals_have_quotes_sales_and_purchases_and_the_ready_sale_has_complete_nfe_data()
    {
        var quotes = await Read(db => db.Quotes.AsNoTracking().OrderBy(q => q.Id).ToListAsync(Ct));
        var versions = await Read(db => db.QuoteVersions.AsNoTracking().Include(v => v.Items).ToListAsync(Ct));
        var purchases = await Read(db => db.Purchases.AsNoTracking().Include(p => p.Items).ToListAsync(Ct));
        var tickets = (await Tickets()).ToDictionary(t => t.Id);
        var pipelines = await Pipelines();
        var suppliers = await Read(db => db.Partners.Where(p => (p.Roles & PartnerRoles.Supplier) == PartnerRoles.Supplier).Select(p => p.Id).ToListAsync(Ct));
        var now = Clock.Now();

        var pending = quotes.Where(q => q.State == QuoteState.PendingApproval).ToList();
        var sales = quotes.Where(q => q.State == QuoteState.Approved).ToList();
        Assert.True(pending.Count >= 2, $"{pending.Count} quotes awaiting approval.");
        Assert.Contains(pending, q => q.CurrentVersion == 2);
        Assert.True(sales.Count >= 3, $"{sales.Count} sales.");
        Assert.Contains(sales, q => q.IssueNfe);
        Assert.Contains(quotes, q => q.State == QuoteState.Rejected);
        var ready = Assert.Single(quotes, q => q.NfeReadyAt is not null);
        Assert.Equal(QuoteState.Approved, ready.State);
        Assert.Equal(quotes.Count, quotes.Select(q => q.Number).Distinct().Count());
        Assert.All(quotes, q => Assert.Matches(@"^ORC-\d{4}-\d{4}$", q.Number));
        foreach (var quote in quotes)
        {
            var ticket = tickets[quote.TicketId];
            Assert.Equal(pipelines["COM"], quote.PipelineId);
            Assert.Equal(ticket.PartnerId, quote.PartnerId);
            Assert.InRange(quote.CreatedAt, ticket.CreatedAt, ticket.UpdatedAt);
            Assert.True(quote.UpdatedAt <= now && quote.DecidedAt is null == (quote.State == QuoteState.PendingApproval), quote.Number);
            var current = versions.Single(v => v.QuoteId == quote.Id && v.Number == quote.CurrentVersion);
            Assert.Equal((current.Subtotal, current.DiscountTotal, current.Total), (quote.Subtotal, quote.DiscountTotal, quote.Total));
            Assert.Equal(current.Items.Sum(i => i.Total), quote.Total);
            Assert.True(quote.Total > 0, quote.Number);
        }
        Assert.All(versions.SelectMany(v => v.Items), i => Assert.True(FiscalCode.IsValid(i.FiscalCode), $"{i.Description}: '{i.FiscalCode}'"));

        Assert.NotEmpty(purchases);
        Assert.All(purchases, p =>
        {
            Assert.Contains(p.SupplierId, suppliers);
            Assert.Matches(@"^CMP-\d{4}-\d{4}$", p.Number);
            Assert.InRange(p.CreatedAt, tickets[p.TicketId].CreatedAt, tickets[p.TicketId].UpdatedAt);
            Assert.Equal(p.Items.Sum(i => i.Total), p.Total);
        });
        var catalog = await Read(db => db.CatalogItems.AsNoTracking().ToListAsync(Ct));
        Assert.All(catalog, c => Assert.Null(FiscalCode.Parse(c.FiscalCode, c.Kind).Error));
        Assert.All(catalog, c => Assert.NotEqual("", c.FiscalCode));

        await using (var scope = fixture.App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
            var ana = await users.FindByEmailAsync("ana@horizonte.example");
            Assert.True((await users.RemovePasswordAsync(ana!)).Succeeded);
            Assert.True((await users.AddPasswordAsync(ana!, TestApp.Password)).Succeeded);
        }
        using var api = fixture.App.Api(await fixture.App.Token("ana@horizonte.example", TestApp.Password));
        var nfe = await (await api.GetAsync($"/api/v1/quotes/{ready.Id}/nfe", Ct)).Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.True(nfe!["complete"]!.GetValue<bool>(), nfe.ToJsonString());
        Assert.Empty(nfe["problems"]!.AsArray());
        Assert.NotNull(nfe["readyAt"]);

        using var browser = await fixture.App.LoggedIn("ana@horizonte.example");
        var header = (await browser.GetPage($"/tickets?pipelineId={pipelines["COM"]}")).QuerySelector(".pipeline-receivable")!.TextContent;
        var receivable = pending.Sum(q => q.Total).ToString("N2", System.Globalization.CultureInfo.GetCultureInfo("pt-BR"));
        Assert.Contains($"{pending.Count} orçamentos aguardando aprovação", header, StringComparison.Ordinal);
        Assert.Contains($"A receber: R$ {receivable}", header, StringComparison.Ordinal);
        var salesPage = await browser.GetPage("/sales");
        Assert.Contains($"{sales.Count} ", salesPage.QuerySelector("#sales-totals")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(salesPage.QuerySelectorAll("a"), a => a.TextContent.Contains(ready.Number, StringComparison.Ordinal));
        var purchasesPage = await browser.GetPage("/purchases");
        Assert.Equal(purchases.Count, purchasesPage.QuerySelectorAll("#results tbody tr").Length);
    }
}

// One fill at a time: the fill is timed, and two at once on this machine's cores would time each other.
[Collection("Demo fill")]
public sealed class DemoDataTestsSqlite(DemoSqliteFixture f) : DemoDataTests(f), IClassFixture<DemoSqliteFixture>;

[Collection("Demo fill")]
public sealed class DemoDataTestsPostgres(DemoPostgresFixture f) : DemoDataTests(f), IClassFixture<DemoPostgresFixture>;
