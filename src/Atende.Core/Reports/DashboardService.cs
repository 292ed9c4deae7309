using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Identity;
using Atende.Core.Sales;
using Atende.Core.Settings;
using Atende.Core.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Reports;

/// <summary>A pipeline's open tickets on the dashboard, and how they split.</summary>
public sealed record PipelineFigures(long PipelineId, string Name, string Alias, int Open, int Overdue, int DueToday, int Mine,
    IReadOnlyList<StatusCount> ByStatus, IReadOnlyList<AssigneeCount> ByAssignee);

public sealed record StatusCount(TicketStatus Status, int Count);

/// <summary>Open tickets of one assignee (null: nobody assigned).</summary>
public sealed record AssigneeCount(long? AssigneeId, string Name, int Count);

/// <summary>Approved sales created in one month of the company's calendar.</summary>
public sealed record MonthSales(DateOnly Month, int Count, decimal Total);

/// <summary>Conversations of one seller dated in the current month (company calendar), concluded or not.</summary>
public sealed record SellerConversations(long SellerId, string Name, int Count);

/// <summary>One of the caller's conversations of today.</summary>
public sealed record TodayConversation(long Id, DateTimeOffset At, string Subject, long PartnerId, string PartnerName, bool Concluded);

/// <summary>The caller's own agenda of today: the first <see cref="DashboardService.TodayShown"/> conversations by time, and how many there are.</summary>
public sealed record TodayAgenda(int Count, IReadOnlyList<TodayConversation> First);

/// <summary>What <c>Início</c> shows a staff member: only what they see, as the lists each figure links to count it.</summary>
public sealed record Dashboard(IReadOnlyList<PipelineFigures> Pipelines, QuoteTotals Awaiting, IReadOnlyList<MonthSales> Sales, DateOnly Today,
    IReadOnlyList<SellerConversations> ConversationsThisMonth, TodayAgenda Agenda);

/// <summary>
/// The dashboard's figures. Every ticket figure is the count of a ticket list filter (<see cref="TicketFilter"/> with
/// <see cref="TicketFilter.Open"/>, <see cref="TicketFilter.Due"/>, <see cref="TicketFilter.AssigneeId"/>) and is read with
/// the same conditions (<see cref="TicketConditions"/>) and visibility: the open tickets per status and assignee from the
/// counts the database keeps (<see cref="TicketCount"/>), the due ones from the partial index of open tickets by due date,
/// in two statements whatever the number of pipelines; quotes come from the kept totals (<see cref="QuoteService.Totals"/>),
/// as the sales lists count them.
/// </summary>
public sealed class DashboardService(AtendeDb db, Caller caller, QuoteService quotes, SettingsService settings)
{
    /// <summary>Assignees shown per pipeline (the rest are in the pipeline's list).</summary>
    public const int TopAssignees = 8;

    /// <summary>Sellers shown with their conversations of the month (the rest are on the agenda).</summary>
    public const int TopSellers = 10;

    /// <summary>Conversations of today listed on the dashboard (the rest are on the agenda).</summary>
    public const int TodayShown = 8;

    public async Task<Dashboard> Build(CancellationToken ct = default)
    {
        caller.RequireStaff();
        var zone = await settings.TimeZone(ct);
        var now = Clock.Now();
        var today = DateOnly.FromDateTime(ZoneTime.ToLocal(now, zone).Date);
        var pipelines = await Visibility.Pipelines(db, caller).AsNoTracking().OrderBy(p => p.Name)
            .Select(p => new { p.Id, p.Name, p.Alias }).ToListAsync(ct);
        // The open tickets per pipeline, status and assignee from the kept counts (a few rows whatever the number of tickets);
        // the due figures from the partial index of the open tickets by due date (OpenDueIndex), which holds what they read.
        var counted = await Visibility.TicketCounts(db, caller).AsNoTracking()
            .Where(c => c.Count > 0 && c.Status != TicketStatus.Done && c.Status != TicketStatus.Canceled && c.Status != TicketStatus.Rejected)
            .GroupBy(c => new { c.PipelineId, c.Status, c.AssigneeKey })
            .Select(g => new { g.Key.PipelineId, g.Key.Status, g.Key.AssigneeKey, Count = g.Sum(c => c.Count) }).ToListAsync(ct);
        var groups = counted.Select(g => new { g.PipelineId, g.Status, AssigneeId = g.AssigneeKey == TicketCount.Nobody ? (long?)null : g.AssigneeKey, g.Count }).ToList();
        var open = Visibility.Tickets(db, caller, useGrantsIndex: true).AsNoTracking().Where(t => t.Bin == TicketBin.Active).Where(TicketConditions.Open);
        var (_, overdueBefore) = TicketConditions.Range(TicketDue.Overdue, now, zone);
        var (todayFrom, todayBefore) = TicketConditions.Range(TicketDue.Today, now, zone);
        var due = await open.Where(t => t.DueAt < todayBefore).GroupBy(t => t.PipelineId)
            .Select(g => new
            {
                PipelineId = g.Key,
                Overdue = g.Count(t => t.DueAt < overdueBefore),
                Today = g.Count(t => t.DueAt >= todayFrom && t.DueAt < todayBefore),
            }).ToDictionaryAsync(d => d.PipelineId, ct);
        var assigneeIds = groups.Where(g => g.AssigneeId is not null).Select(g => g.AssigneeId!.Value).Distinct().ToList();
        var names = await db.Users.Where(u => assigneeIds.Contains(u.Id)).Select(u => new { u.Id, u.Name }).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        var figures = new List<PipelineFigures>();
        foreach (var p in pipelines)
        {
            var mine = groups.Where(g => g.PipelineId == p.Id).ToList();
            var byStatus = mine.GroupBy(g => g.Status).Select(g => new StatusCount(g.Key, g.Sum(x => x.Count)))
                .OrderBy(s => s.Status).ToList();
            var byAssignee = mine.GroupBy(g => g.AssigneeId)
                .Select(g => new AssigneeCount(g.Key, g.Key is { } id ? names.GetValueOrDefault(id, "?") : "Sem responsável", g.Sum(x => x.Count)))
                .OrderByDescending(a => a.Count).ThenBy(a => a.Name, StringComparer.CurrentCulture).Take(TopAssignees).ToList();
            var d = due.GetValueOrDefault(p.Id);
            figures.Add(new PipelineFigures(p.Id, p.Name, p.Alias, mine.Sum(g => g.Count), d?.Overdue ?? 0, d?.Today ?? 0,
                mine.Where(g => g.AssigneeId == caller.UserId).Sum(g => g.Count), byStatus, byAssignee));
        }
        var awaiting = await quotes.Totals(new QuoteFilter(QuoteState.PendingApproval), ct);
        var sales = new List<MonthSales>();
        var first = new DateOnly(today.Year, today.Month, 1).AddMonths(-11);
        for (var month = first; month <= today; month = month.AddMonths(1))
        {
            var totals = await quotes.Totals(new QuoteFilter(QuoteState.Approved, From: month, To: month.AddMonths(1).AddDays(-1)), ct);
            sales.Add(new MonthSales(month, totals.Count, totals.Total));
        }
        return new Dashboard(figures, awaiting, sales, today, await ConversationsThisMonth(today, zone, ct), await Agenda(now, zone, ct));
    }

    /// <summary>
    /// Per seller, the conversations the caller sees dated in the current month: what the agenda's month list shows for that
    /// seller (<c>/agenda?seller=…&amp;view=listMonth</c>), read from the (At, SellerId) or (WorkspaceId, At, SellerId) index alone.
    /// </summary>
    private async Task<List<SellerConversations>> ConversationsThisMonth(DateOnly today, TimeZoneInfo zone, CancellationToken ct)
    {
        var first = new DateTime(today.Year, today.Month, 1);
        var from = ZoneTime.FromLocal(first, zone);
        var before = ZoneTime.FromLocal(first.AddMonths(1), zone);
        var counts = await Visibility.Conversations(db, caller).Where(c => c.At >= from && c.At < before)
            .GroupBy(c => c.SellerId).Select(g => new { SellerId = g.Key, Count = g.Count() }).ToListAsync(ct);
        var ids = counts.Select(c => c.SellerId).ToList();
        var names = await db.Users.Where(u => ids.Contains(u.Id)).Select(u => new { u.Id, u.Name }).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        return counts.Select(c => new SellerConversations(c.SellerId, names.GetValueOrDefault(c.SellerId, "?"), c.Count))
            .OrderByDescending(c => c.Count).ThenBy(c => c.Name, StringComparer.CurrentCulture).ToList();
    }

    /// <summary>The caller's conversations of today (company calendar), as their agenda's day list shows them.</summary>
    private async Task<TodayAgenda> Agenda(DateTimeOffset now, TimeZoneInfo zone, CancellationToken ct)
    {
        var (from, before) = TicketConditions.Range(TicketDue.Today, now, zone);
        var sellerId = caller.UserId;
        var mine = Visibility.Conversations(db, caller, useWorkspaceIndex: false).Where(c => c.SellerId == sellerId && c.At >= from && c.At < before);
        var first = await mine.OrderBy(c => c.At).ThenBy(c => c.Id).Take(TodayShown)
            .Select(c => new TodayConversation(c.Id, c.At, c.Subject, c.PartnerId, c.PartnerName, c.Concluded)).ToListAsync(ct);
        return new TodayAgenda(first.Count < TodayShown ? first.Count : await mine.CountAsync(ct), first);
    }
}
