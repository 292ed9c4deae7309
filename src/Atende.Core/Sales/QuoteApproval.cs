using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Events;
using Atende.Core.Partners;
using Atende.Core.Settings;
using Atende.Core.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Sales;

/// <summary>
/// What the public page shows for a link: the quote's current version, and whether the link's own version was replaced.
/// Times are in the company's time zone.
/// </summary>
public sealed record PublicQuote(QuoteDocument Document, QuoteState State, int LinkVersion, DateTimeOffset ExpiresAt, bool Expired,
    DateTimeOffset? DecidedAt, string? DecidedByName, int? DecidedVersion)
{
    /// <summary>The e-mail carried a version that an edit has since replaced.</summary>
    public bool Superseded => LinkVersion != Document.Version;
}

/// <summary>
/// The customer's side of "Enviar ao cliente": <c>/q/{token}</c> without a login. A token opens only its own quote, only
/// until it expires; the customer sees the current version and approves or rejects it with their name and CPF, recorded
/// with the time, the address and the version. No <see cref="Identity.Caller"/> here: the token is the permission.
/// </summary>
public sealed class QuoteApproval(AtendeDb db, EventLog events, TimeZoneCache zones)
{
    public const int MaxNameLength = 200;
    private const string Invalid = "Link inválido: confira se copiou o endereço inteiro do e-mail.";

    public async Task<PublicQuote> Open(string token, CancellationToken ct = default)
    {
        var (link, quote) = await Find(token, tracked: false, ct);
        return await View(link, quote, ct);
    }

    /// <summary>
    /// The customer approves (<paramref name="approve"/>) or rejects the version they saw (<paramref name="version"/>);
    /// refused with a clear 409 when it is no longer current, already decided, or the link expired.
    /// </summary>
    public async Task<PublicQuote> Decide(string token, bool approve, int version, string? name, string? cpf, string? ip, CancellationToken ct = default)
    {
        var v = new Validation();
        var cleanName = v.Text("name", "Seu nome", name, MaxNameLength);
        var (kind, normalized, error) = TaxId.Parse(cpf);
        if (kind == TaxIdKind.None)
        {
            v.Add("cpf", "Informe seu CPF.");
        }
        else if (kind != TaxIdKind.Cpf)
        {
            v.Add("cpf", "Informe um CPF (11 dígitos), como 529.982.247-25.");
        }
        else if (error is not null)
        {
            v.Add("cpf", error);
        }
        v.ThrowIfAny();
        await using var tx = await UnitOfWork.Begin(db.Database, ct);
        var (link, quote) = await Find(token, tracked: true, ct);
        var now = Clock.Now();
        if (link.ExpiresAt <= now)
        {
            throw new ConflictException("Este link expirou. Peça um novo link a quem enviou o orçamento.");
        }
        if (quote.State != QuoteState.PendingApproval)
        {
            throw new ConflictException($"Este orçamento já foi {QuoteService.StateName(quote.State).ToLowerInvariant()}: nada mais a decidir por aqui.");
        }
        if (version != quote.CurrentVersion)
        {
            throw new ConflictException($"O orçamento foi atualizado para a versão {quote.CurrentVersion} enquanto você o via: confira a nova versão antes de decidir.");
        }
        var old = QuoteService.Describe(quote);
        quote.State = approve ? QuoteState.Approved : QuoteState.Rejected;
        quote.DecidedAt = now;
        quote.DecidedById = null;
        quote.DecidedVersion = version;
        quote.DecidedByName = cleanName;
        quote.DecidedByCpf = normalized;
        quote.DecidedFromIp = ip is { Length: > 45 } ? ip[..45] : ip;
        QuoteService.Touch(quote, now);
        db.TicketChanges.Add(new TicketChange
        {
            TicketId = quote.TicketId, At = now, Field = "quote", OldValue = old,
            NewValue = $"{quote.Number} {(approve ? "aprovado (venda)" : "recusado")} pelo cliente {cleanName} (CPF {normalized}) pelo link: {QuoteService.Describe(quote)}",
            NewCode = quote.Number,
        });
        var current = await db.QuoteVersions.AsNoTracking().Include(x => x.Items.OrderBy(i => i.Position))
            .FirstAsync(x => x.QuoteId == quote.Id && x.Number == quote.CurrentVersion, ct);
        var ticket = await db.Tickets.AsNoTracking().FirstAsync(t => t.Id == quote.TicketId, ct);
        await events.Raise(approve ? EventTypes.QuoteApproved : EventTypes.QuoteRejected, EventSubject.Of(ticket), events.Json.Quote(quote, current), null, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConflictException("Este orçamento acabou de ser alterado. Recarregue a página para ver como ficou.");
        }
        await tx.Commit(ct);
        return await View(link, quote, ct);
    }

    private async Task<(QuoteLink Link, Quote Quote)> Find(string token, bool tracked, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            throw new NotFoundException(Invalid);
        }
        var hash = QuoteService.TokenHash(token);
        var link = await db.QuoteLinks.AsNoTracking().FirstOrDefaultAsync(l => l.TokenHash == hash, ct) ?? throw new NotFoundException(Invalid);
        var quotes = tracked ? db.Quotes : db.Quotes.AsNoTracking();
        return (link, await quotes.FirstAsync(q => q.Id == link.QuoteId, ct));
    }

    private async Task<PublicQuote> View(QuoteLink link, Quote quote, CancellationToken ct)
    {
        var version = await db.QuoteVersions.AsNoTracking().Include(x => x.Items.OrderBy(i => i.Position))
            .FirstAsync(x => x.QuoteId == quote.Id && x.Number == quote.CurrentVersion, ct);
        var zone = await SettingsService.CompanyZone(db, zones, ct);
        var document = await QuoteDocuments.Build(db, quote, version, zone, null, ct);
        return new PublicQuote(document, quote.State, link.Version, ZoneTime.ToLocal(link.ExpiresAt, zone), link.ExpiresAt <= Clock.Now(),
            quote.DecidedAt is { } at ? ZoneTime.ToLocal(at, zone) : null, quote.DecidedByName, quote.DecidedVersion);
    }
}
