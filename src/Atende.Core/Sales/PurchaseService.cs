using System.Globalization;
using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Events;
using Atende.Core.Identity;
using Atende.Core.Partners;
using Atende.Core.Settings;
using Atende.Core.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Sales;

/// <summary>
/// Purchases (Compras, SPEC S6): written from a ticket, from a supplier partner, with lines priced like a quote's. Every read
/// goes through <see cref="Visibility.Purchases"/>: a caller sees the purchases of the tickets they see, nothing else.
/// </summary>
public sealed class PurchaseService(AtendeDb db, Caller caller, SettingsService settings, EventLog events)
{
    public const int MaxItems = QuoteService.MaxItems;
    public const int MaxNotesLength = QuoteService.MaxNotesLength;

    private const string NotFound = "Compra não encontrada.";

    private IQueryable<Purchase> Visible() => Visibility.Purchases(db, caller);

    /// <summary>A purchase with its lines, for its page, the API and the event.</summary>
    public async Task<PurchaseDetails> Details(long id, CancellationToken ct = default)
    {
        var found = await Visible().AsNoTracking().Where(p => p.Id == id)
            .Select(p => new
            {
                Purchase = p,
                Ticket = db.Tickets.Where(t => t.Id == p.TicketId).Select(t => new { t.Reference, t.Title }).First(),
                Supplier = db.Partners.Where(s => s.Id == p.SupplierId).Select(s => s.Name).First(),
                CreatedBy = db.Users.Where(u => u.Id == p.CreatedById).Select(u => u.Name).FirstOrDefault(),
                CanceledBy = db.Users.Where(u => u.Id == p.CanceledById).Select(u => u.Name).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct) ?? throw new NotFoundException(NotFound);
        found.Purchase.Items = await db.PurchaseItems.AsNoTracking().Where(i => i.PurchaseId == id).OrderBy(i => i.Position).ToListAsync(ct);
        return new PurchaseDetails(found.Purchase, found.Ticket.Reference, found.Ticket.Title, found.Supplier, found.CreatedBy, found.CanceledBy);
    }

    /// <summary>
    /// "Nova compra" on a ticket: the supplier must be an active partner the caller sees with the Supplier role; the lines are
    /// checked and priced like a quote's. Writes the purchase, the ticket's history line and <c>purchase.created</c> in one commit.
    /// </summary>
    public async Task<Purchase> Create(long ticketId, PurchaseInput input, CancellationToken ct = default)
    {
        caller.RequireStaff();
        var ticket = await Visibility.Tickets(db, caller).AsNoTracking().FirstOrDefaultAsync(t => t.Id == ticketId, ct)
            ?? throw new NotFoundException("Atendimento não encontrado.");
        if (ticket.Bin == TicketBin.Trash)
        {
            throw new ConflictException($"O atendimento {ticket.Reference} está na lixeira: restaure-o antes de registrar uma compra.");
        }
        var v = new Validation();
        var supplier = await Supplier(v, input.SupplierId, ct);
        var items = input.Items ?? [];
        if (items.Count == 0)
        {
            v.Add("items", "Inclua pelo menos um item.");
        }
        else if (items.Count > MaxItems)
        {
            v.Add("items", $"Uma compra pode ter no máximo {MaxItems} itens (esta tem {items.Count}).");
            v.ThrowIfAny();
        }
        var lines = await SaleLines.Read(db, v, items, ct);
        var notes = RichText.CleanLines(input.Notes);
        if (notes.Length > MaxNotesLength)
        {
            v.Add("notes", $"Observações podem ter no máximo {MaxNotesLength} caracteres.");
        }
        v.ThrowIfAny();

        var zone = await settings.TimeZone(ct);
        var now = Clock.Now();
        var purchase = new Purchase
        {
            TicketId = ticket.Id, SupplierId = supplier!.Id, PipelineId = ticket.PipelineId, WorkspaceId = ticket.WorkspaceId, Notes = notes,
            CreatedAt = now, CreatedById = caller.UserId,
            Items = [.. lines.Select(l => new PurchaseItem
            {
                Position = l.Position, CatalogItemId = l.CatalogItemId, Description = l.Description, Quantity = l.Quantity, UnitPrice = l.UnitPrice,
                DiscountKind = l.DiscountKind, DiscountInput = l.DiscountInput, Discount = l.Discount, Total = l.Total,
            })],
        };
        (purchase.Subtotal, purchase.DiscountTotal, purchase.Total) = QuoteMath.Totals(purchase.Items);

        await using var tx = await UnitOfWork.Begin(db.Database, ct);
        var year = ZoneTime.ToLocal(now, zone).Year;
        var sequence = await ReferenceCounters.Next(db, $"CMP-{year}", ct);
        purchase.Number = string.Create(CultureInfo.InvariantCulture, $"CMP-{year}-{sequence:0000}");
        db.Purchases.Add(purchase);
        db.TicketChanges.Add(new TicketChange
        {
            TicketId = ticket.Id, At = now, UserId = caller.UserId, Field = "purchase",
            NewValue = $"{purchase.Number} registrada: {supplier.Name}, {QuoteMath.Brl(purchase.Total)}", NewCode = purchase.Number,
        });
        await db.SaveChangesAsync(ct);
        await events.Raise(EventTypes.PurchaseCreated, EventSubject.Of(ticket), events.Json.Purchase(purchase), caller.UserId, ct);
        await db.SaveChangesAsync(ct);
        await tx.Commit(ct);
        return purchase;
    }

    /// <summary>
    /// "Cancelar compra": the purchase stays, marked canceled, out of the totals; the ticket's history says so. Canceling
    /// twice is a 409 (two people at once: one wins, the other is told).
    /// </summary>
    public async Task<Purchase> Cancel(long id, CancellationToken ct = default)
    {
        caller.RequireStaff();
        var purchase = await Visible().AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct) ?? throw new NotFoundException(NotFound);
        var zone = await settings.TimeZone(ct);
        var now = Clock.Now();
        await using var tx = await UnitOfWork.Begin(db.Database, ct);
        var userId = caller.UserId;
        var changed = await db.Purchases.Where(p => p.Id == id && p.CanceledAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.CanceledAt, now).SetProperty(p => p.CanceledById, userId), ct);
        if (changed == 0)
        {
            var at = await db.Purchases.Where(p => p.Id == id).Select(p => p.CanceledAt).FirstAsync(ct);
            throw new ConflictException($"A compra {purchase.Number} já foi cancelada em {ZoneTime.ToLocal(at!.Value, zone).ToString("dd/MM/yyyy 'às' HH:mm", CultureInfo.InvariantCulture)}.");
        }
        var supplier = await db.Partners.Where(p => p.Id == purchase.SupplierId).Select(p => p.Name).FirstAsync(ct);
        db.TicketChanges.Add(new TicketChange
        {
            TicketId = purchase.TicketId, At = now, UserId = userId, Field = "purchase",
            OldValue = $"{purchase.Number} registrada: {supplier}, {QuoteMath.Brl(purchase.Total)}", NewValue = $"{purchase.Number} cancelada",
            NewCode = purchase.Number,
        });
        await db.SaveChangesAsync(ct);
        await tx.Commit(ct);
        purchase.CanceledAt = now;
        purchase.CanceledById = userId;
        return purchase;
    }

    /// <summary>The supplier of a new purchase, or null with the refusal on <c>supplierId</c>.</summary>
    private async Task<Partner?> Supplier(Validation v, long? supplierId, CancellationToken ct)
    {
        if (supplierId is not { } id)
        {
            v.Add("supplierId", "Escolha o fornecedor.");
            return null;
        }
        var supplier = await Visibility.Partners(db, caller).AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (supplier is null)
        {
            v.Add("supplierId", "Fornecedor não encontrado.");
        }
        else if (!supplier.Roles.HasFlag(PartnerRoles.Supplier))
        {
            v.Add("supplierId", $"{supplier.Name} não é fornecedor: marque o papel Fornecedor no cadastro.");
        }
        else if (!supplier.Active)
        {
            v.Add("supplierId", $"{supplier.Name} está desativado: reative o cadastro ou escolha outro fornecedor.");
        }
        else
        {
            return supplier;
        }
        return null;
    }

    /// <summary>Purchases of the filter, newest first, by keyset (id).</summary>
    public async Task<Page<PurchaseRow>> List(PurchaseFilter filter, string? after, int limit = 50, CancellationToken ct = default) =>
        await (await Filtered(filter, ct)).AsNoTracking().NewestFirst(p => p.Id, after)
            .Select(p => new PurchaseRow(p.Id, p.Number, p.TicketId, db.Tickets.Where(t => t.Id == p.TicketId).Select(t => t.Reference).First(), p.SupplierId,
                db.Partners.Where(s => s.Id == p.SupplierId).Select(s => s.Name).First(), p.PipelineId, p.Subtotal, p.DiscountTotal, p.Total, p.CreatedAt,
                p.CanceledAt))
            .ToPageAsync(limit, r => Cursor.ForId(r.Id), ct);

    /// <summary>How many purchases the filter holds in all its pages and their total, canceled ones left out.</summary>
    public async Task<PurchaseTotals> Totals(PurchaseFilter filter, CancellationToken ct = default)
    {
        var totals = await (await Filtered(filter, ct)).Where(p => p.CanceledAt == null).GroupBy(_ => 1).Select(g => new { Count = g.Count(), Total = g.Sum(p => p.Total) }).FirstOrDefaultAsync(ct);
        return new PurchaseTotals(totals?.Count ?? 0, totals?.Total ?? 0);
    }

    private async Task<IQueryable<Purchase>> Filtered(PurchaseFilter filter, CancellationToken ct)
    {
        var query = Visible();
        if (filter.TicketId is { } ticketId)
        {
            query = query.Where(p => p.TicketId == ticketId);
        }
        if (filter.SupplierId is { } supplierId)
        {
            query = query.Where(p => p.SupplierId == supplierId);
        }
        if (filter.PipelineId is { } pipelineId)
        {
            query = query.Where(p => p.PipelineId == pipelineId);
        }
        if (filter.From is not null || filter.To is not null)
        {
            var (start, end) = ZoneTime.Days(filter.From, filter.To, await settings.TimeZone(ct));
            if (start is { } s)
            {
                query = query.Where(p => p.CreatedAt >= s);
            }
            if (end is { } e)
            {
                query = query.Where(p => p.CreatedAt < e);
            }
        }
        return query;
    }

    /// <summary>
    /// Suppliers the caller sees whose name or code holds <paramref name="q"/>, by name: the active ones for the form's
    /// choice, all of them for the list's filter.
    /// </summary>
    public async Task<List<(long Id, string Name)>> Suppliers(string? q, bool activeOnly = true, int limit = 200, CancellationToken ct = default)
    {
        caller.RequireStaff();
        var query = Visibility.Partners(db, caller).AsNoTracking().Where(p => (p.Roles & PartnerRoles.Supplier) == PartnerRoles.Supplier);
        if (activeOnly)
        {
            query = query.Where(p => p.Active);
        }
        foreach (var word in SearchText.Normalize(q).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            query = query.Where(p => p.SearchText.Contains(word));
        }
        var rows = await query.OrderBy(p => p.SortName).ThenBy(p => p.Id).Take(limit).Select(p => new { p.Id, p.Name }).ToListAsync(ct);
        return [.. rows.Select(r => (r.Id, r.Name))];
    }

    /// <summary>
    /// Keeps a ticket's purchases in its pipeline and workspace after the ticket moved (call inside the move's transaction):
    /// who may see them follows the ticket.
    /// </summary>
    internal static Task FollowTicket(AtendeDb db, long ticketId, long pipelineId, long workspaceId, CancellationToken ct) =>
        db.Purchases.Where(p => p.TicketId == ticketId && (p.PipelineId != pipelineId || p.WorkspaceId != workspaceId))
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.PipelineId, pipelineId).SetProperty(p => p.WorkspaceId, workspaceId), ct);

    /// <summary>Moves the purchases of a partner's tickets to the partner's new workspace (call inside the change's transaction, after the tickets).</summary>
    internal static Task FollowPartner(AtendeDb db, long partnerId, long workspaceId, CancellationToken ct) =>
        db.Purchases.Where(p => p.WorkspaceId != workspaceId && db.Tickets.Any(t => t.Id == p.TicketId && t.PartnerId == partnerId))
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.WorkspaceId, workspaceId), ct);
}
