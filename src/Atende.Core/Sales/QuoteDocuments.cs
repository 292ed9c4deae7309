using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Partners;
using Atende.Core.Settings;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Sales;

/// <summary>The input of a quote's PDF and public page, read for a quote and version the caller was already allowed to see.</summary>
internal static class QuoteDocuments
{
    public static async Task<QuoteDocument> Build(AtendeDb db, Quote quote, QuoteVersion version, TimeZoneInfo zone, string? approvalUrl, CancellationToken ct)
    {
        var company = await db.CompanyProfiles.AsNoTracking().FirstOrDefaultAsync(ct) ?? new CompanyProfile();
        var partner = await db.Partners.AsNoTracking().Where(p => p.Id == quote.PartnerId)
            .Select(p => new { p.Name, p.Code, p.StateRegistration, p.Address }).FirstAsync(ct);
        var email = await CustomerEmail(db, quote.TicketId, ct) ?? "";
        var taxId = TaxId.Parse(partner.Code) is { Kind: TaxIdKind.Cpf or TaxIdKind.Cnpj, Error: null } parsed ? parsed.Normalized : "";
        return new QuoteDocument(
            quote.State == QuoteState.Approved ? "Venda" : "Orçamento", quote.Number, version.Number, version.Number != quote.CurrentVersion,
            QuoteService.StateName(quote.State), DateOnly.FromDateTime(ZoneTime.ToLocal(version.CreatedAt, zone).DateTime), version.ValidUntil,
            new QuoteParty(company.Name, company.TaxId, "", company.Address.Lines(), company.Email ?? "", company.Phone),
            new QuoteParty(partner.Name, taxId, partner.StateRegistration, partner.Address.Lines(), email, ""),
            [.. version.Items.OrderBy(i => i.Position).Select(i => new QuoteDocumentLine(i.Position, i.Description, i.Quantity, i.UnitPrice, i.Discount, i.Total))],
            version.Subtotal, version.DiscountTotal, version.Total, version.Notes, approvalUrl);
    }

    /// <summary>Where the customer reads the quote: the ticket requester's first e-mail, else none.</summary>
    public static Task<string?> CustomerEmail(AtendeDb db, long ticketId, CancellationToken ct) =>
        db.Tickets.Where(t => t.Id == ticketId && t.ContactId != null)
            .SelectMany(t => db.ContactEmails.Where(e => e.ContactId == t.ContactId).OrderBy(e => e.Position).Select(e => e.Address).Take(1))
            .FirstOrDefaultAsync(ct);
}
