using Atende.Core.Data;
using Atende.Core.Identity;
using Atende.Core.Partners;
using Atende.Core.Sales;
using Atende.Core.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Reports;

/// <summary>
/// A partner or contact as a printed sheet shows it: name, document ("CNPJ" and its formatted number, or "Código" and the free
/// code), inscrição estadual, address lines, phones as people here write them ("(11) 98765-4321") and e-mails. Any part may be empty.
/// </summary>
public sealed record PrintedParty(string Name, string DocumentLabel, string Document, string StateRegistration, IReadOnlyList<string> AddressLines,
    IReadOnlyList<string> Phones, IReadOnlyList<string> Emails);

/// <summary>Everything the ticket's print shows, names resolved; <see cref="Interactions"/> is empty when printed without them.</summary>
public sealed record TicketSheet(
    Ticket Ticket,
    string Pipeline,
    string? Assignee,
    string? AccountManager,
    string? CatalogItem,
    string? Category,
    string? Subcategory,
    string? Channel,
    string? CreatedBy,
    IReadOnlyList<string> Tags,
    PrintedParty Partner,
    PrintedParty? Contact,
    IReadOnlyList<InteractionRow> Interactions);

/// <summary>Everything a quote's print shows: the quote and the version printed, its customer, the requester contact and the seller.</summary>
public sealed record QuoteSheet(QuoteDetails Details, PrintedParty Customer, PrintedParty? Contact, string? Seller, string Pipeline);

/// <summary>
/// The printable ticket and quote (<c>/tickets/{id}/print</c>, <c>/quotes/{id}/print</c>). The ticket and the quote are read
/// through their services, so the visibility rules are theirs (another workspace's id is not found; portal users are refused);
/// the names around them are then read by id.
/// </summary>
public sealed class PrintSheets(AtendeDb db, Caller caller, TicketService tickets, QuoteService quotes)
{
    public async Task<TicketSheet> Ticket(long id, bool withInteractions, CancellationToken ct = default)
    {
        var ticket = await tickets.Get(id, ct);
        var names = await db.Tickets.AsNoTracking().Where(t => t.Id == ticket.Id).Select(t => new
        {
            Pipeline = db.Pipelines.Where(p => p.Id == t.PipelineId).Select(p => p.Name).First(),
            Assignee = db.Users.Where(u => u.Id == t.AssigneeId).Select(u => u.Name).FirstOrDefault(),
            AccountManager = db.Users.Where(u => u.Id == t.AccountManagerId).Select(u => u.Name).FirstOrDefault(),
            CatalogItem = db.CatalogItems.Where(c => c.Id == t.CatalogItemId).Select(c => c.Name).FirstOrDefault(),
            Category = db.Categories.Where(c => c.Id == t.CategoryId).Select(c => c.Name).FirstOrDefault(),
            Subcategory = db.Subcategories.Where(c => c.Id == t.SubcategoryId).Select(c => c.Name).FirstOrDefault(),
            Channel = db.Channels.Where(c => c.Id == t.ChannelId).Select(c => c.Name).FirstOrDefault(),
            CreatedBy = db.Users.Where(u => u.Id == t.CreatedById).Select(u => u.Name).FirstOrDefault(),
        }).FirstAsync(ct);
        var tagIds = ticket.Tags.Select(t => t.TagId).ToList();
        var tags = await db.Tags.AsNoTracking().Where(t => tagIds.Contains(t.Id)).OrderBy(t => t.Position).ThenBy(t => t.Id).Select(t => t.Name).ToListAsync(ct);
        var interactions = withInteractions ? (await tickets.Timeline(ticket, newestFirst: false, ct)).Interactions : [];
        return new TicketSheet(ticket, names.Pipeline, names.Assignee, names.AccountManager, names.CatalogItem, names.Category, names.Subcategory,
            names.Channel, names.CreatedBy, tags, await Partner(ticket.PartnerId, ct), await Contact(ticket.ContactId, ct), interactions);
    }

    /// <summary>A quote with <paramref name="version"/> (null: the current one).</summary>
    public async Task<QuoteSheet> Quote(long id, int? version, CancellationToken ct = default)
    {
        caller.RequireStaff();
        var details = await quotes.Details(id, version, ct);
        var quote = details.Quote;
        var around = await db.Tickets.AsNoTracking().Where(t => t.Id == quote.TicketId).Select(t => new
        {
            t.ContactId,
            Pipeline = db.Pipelines.Where(p => p.Id == t.PipelineId).Select(p => p.Name).First(),
            Seller = db.Users.Where(u => u.Id == quote.CreatedById).Select(u => u.Name).FirstOrDefault(),
        }).FirstAsync(ct);
        return new QuoteSheet(details, await Partner(quote.PartnerId, ct), await Contact(around.ContactId, ct), around.Seller, around.Pipeline);
    }

    /// <summary>A partner of a ticket or quote already read through the visibility rules.</summary>
    private async Task<PrintedParty> Partner(long partnerId, CancellationToken ct)
    {
        var partner = await db.Partners.AsNoTracking().Where(p => p.Id == partnerId)
            .Select(p => new { p.Name, p.Code, p.StateRegistration, p.Address }).FirstAsync(ct);
        var (kind, normalized, error) = TaxId.Parse(partner.Code);
        var (label, document) = kind switch
        {
            TaxIdKind.Cpf when error is null => ("CPF", normalized),
            TaxIdKind.Cnpj when error is null => ("CNPJ", normalized),
            TaxIdKind.None => ("CPF/CNPJ", ""),
            _ => ("Código", partner.Code),
        };
        return new PrintedParty(partner.Name, label, document, partner.StateRegistration, partner.Address.Lines(), [], []);
    }

    /// <summary>The requester contact with its phones and e-mails in their order, or null when the ticket names none.</summary>
    private async Task<PrintedParty?> Contact(long? contactId, CancellationToken ct)
    {
        if (contactId is not { } id)
        {
            return null;
        }
        var contact = await db.Contacts.AsNoTracking().Where(c => c.Id == id).Select(c => new
        {
            c.Name,
            Phones = c.Phones.OrderBy(p => p.Position).Select(p => p.E164).ToList(),
            Emails = c.Emails.OrderBy(e => e.Position).Select(e => e.Address).ToList(),
        }).FirstOrDefaultAsync(ct);
        return contact is null ? null
            : new PrintedParty(contact.Name, "", "", "", [], [.. contact.Phones.Select(PhoneRules.DisplayNational)], contact.Emails);
    }
}
