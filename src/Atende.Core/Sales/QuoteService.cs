using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Email;
using Atende.Core.Events;
using Atende.Core.Files;
using Atende.Core.Identity;
using Atende.Core.Partners;
using Atende.Core.Settings;
using Atende.Core.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Sales;

/// <summary>
/// Quotes and sales (SPEC S6): written from a ticket, revised into new versions, approved (a sale) or rejected. Every read
/// goes through <see cref="Visibility.Quotes"/>: a caller sees the quotes of the tickets they see, nothing else.
/// </summary>
public sealed class QuoteService(AtendeDb db, Caller caller, SettingsService settings, EventLog events, EmailOutbox outbox, FileService files,
    PublicLinks links)
{
    /// <summary>How long a link sent for a quote without a validity date works.</summary>
    public static readonly TimeSpan LinkLifetimeWithoutValidity = TimeSpan.FromDays(30);

    public const int MaxItems = 200;
    public const int MaxDescriptionLength = 500;
    public const int MaxNotesLength = 5000;
    public const decimal MaxQuantity = 1_000_000m;
    public const decimal MaxUnitPrice = 1_000_000_000m;
    /// <summary>How far ahead a validity date may be: a typo such as 2962 is refused, not kept.</summary>
    public const int MaxValidityYears = 5;

    private const string NotFound = "Orçamento não encontrado.";

    private IQueryable<Quote> Visible() => Visibility.Quotes(db, caller);

    public async Task<Quote> Get(long id, CancellationToken ct = default) =>
        await Visible().AsNoTracking().FirstOrDefaultAsync(q => q.Id == id, ct) ?? throw new NotFoundException(NotFound);

    /// <summary>A quote with <paramref name="version"/> (null: the current one) and its items, for its page, the API and the PDF.</summary>
    public async Task<QuoteDetails> Details(long id, int? version = null, CancellationToken ct = default)
    {
        var found = await Visible().AsNoTracking().Where(q => q.Id == id)
            .Select(q => new
            {
                Quote = q,
                Ticket = db.Tickets.Where(t => t.Id == q.TicketId).Select(t => new { t.Reference, t.Title }).First(),
                Partner = db.Partners.Where(p => p.Id == q.PartnerId).Select(p => p.Name).First(),
            })
            .FirstOrDefaultAsync(ct) ?? throw new NotFoundException(NotFound);
        var number = version ?? found.Quote.CurrentVersion;
        var versions = await db.QuoteVersions.AsNoTracking().Where(v => v.QuoteId == id).OrderByDescending(v => v.Number)
            .Select(v => new QuoteVersionRow(v.Number, v.CreatedAt, db.Users.Where(u => u.Id == v.CreatedById).Select(u => u.Name).FirstOrDefault(), v.Total))
            .ToListAsync(ct);
        var shown = await db.QuoteVersions.AsNoTracking().Include(v => v.Items.OrderBy(i => i.Position))
            .FirstOrDefaultAsync(v => v.QuoteId == id && v.Number == number, ct) ?? throw new NotFoundException($"O orçamento {found.Quote.Number} não tem a versão {number}.");
        return new QuoteDetails(found.Quote, found.Ticket.Reference, found.Ticket.Title, found.Partner, shown, versions);
    }

    /// <summary>
    /// "Nova venda" on a ticket: version 1, awaiting approval (a quote) or, with <paramref name="approve"/>, approved at once
    /// (a sale). The customer is the ticket's partner.
    /// </summary>
    public async Task<Quote> Create(long ticketId, QuoteInput input, bool approve = false, CancellationToken ct = default)
    {
        caller.RequireStaff();
        var ticket = await Visibility.Tickets(db, caller).AsNoTracking().FirstOrDefaultAsync(t => t.Id == ticketId, ct)
            ?? throw new NotFoundException("Atendimento não encontrado.");
        if (ticket.Bin == TicketBin.Trash)
        {
            throw new ConflictException($"O atendimento {ticket.Reference} está na lixeira: restaure-o antes de criar uma venda.");
        }
        var zone = await settings.TimeZone(ct);
        var now = Clock.Now();
        var version = await NewVersion(input, 1, now, zone, ct);
        await using var tx = await UnitOfWork.Begin(db.Database, ct);
        var year = ZoneTime.ToLocal(now, zone).Year;
        var sequence = await ReferenceCounters.Next(db, $"ORC-{year}", ct);
        var quote = new Quote
        {
            Number = string.Create(CultureInfo.InvariantCulture, $"ORC-{year}-{sequence:0000}"), TicketId = ticket.Id, PartnerId = ticket.PartnerId,
            PipelineId = ticket.PipelineId, WorkspaceId = ticket.WorkspaceId,
            State = QuoteState.PendingApproval, IssueNfe = input.IssueNfe, CreatedAt = now, CreatedById = caller.UserId, UpdatedAt = now,
        };
        Follow(quote, version);
        db.Quotes.Add(quote);
        await db.SaveChangesAsync(ct);
        version.QuoteId = quote.Id;
        db.QuoteVersions.Add(version);
        Changed(quote, null, $"{quote.Number} criado: {Describe(quote)}");
        await Raise(EventTypes.QuoteCreated, ticket, quote, version, ct);
        await db.SaveChangesAsync(ct);
        if (approve)
        {
            await Decide(quote, version, ticket, QuoteState.Approved, now, ct);
        }
        await tx.Commit(ct);
        return quote;
    }

    /// <summary>
    /// Edits a quote: writes version N+1 from <paramref name="input"/>; the earlier ones stay, obsolete. A rejected quote
    /// is awaiting approval again; an approved (a sale) or canceled one is not edited (409).
    /// </summary>
    public async Task<Quote> Revise(long id, int? revision, QuoteInput input, CancellationToken ct = default)
    {
        caller.RequireStaff();
        var zone = await settings.TimeZone(ct);
        await using var tx = await UnitOfWork.Begin(db.Database, ct);
        var quote = await Tracked(id, ct);
        if (quote.State is QuoteState.Approved or QuoteState.Canceled)
        {
            throw new ConflictException(quote.State == QuoteState.Approved
                ? $"{quote.Number} já foi aprovado e virou venda: não pode mais ser editado."
                : $"{quote.Number} foi cancelado e não pode mais ser editado.");
        }
        RequireRevision(quote, revision);
        var now = Clock.Now();
        var version = await NewVersion(input, quote.CurrentVersion + 1, now, zone, ct);
        version.QuoteId = quote.Id;
        var old = Describe(quote);
        quote.State = QuoteState.PendingApproval;
        quote.DecidedAt = null;
        quote.DecidedById = null;
        quote.DecidedVersion = null;
        quote.IssueNfe = input.IssueNfe;
        Follow(quote, version);
        Touch(quote, now);
        db.QuoteVersions.Add(version);
        Changed(quote, old, $"{quote.Number} editado: {Describe(quote)}");
        await Save(ct);
        await tx.Commit(ct);
        return quote;
    }

    /// <summary>Approves the current version: the quote becomes a sale. <paramref name="version"/>, when given, must be the current one.</summary>
    public Task<Quote> Approve(long id, int? revision, int? version = null, CancellationToken ct = default) =>
        DecideById(id, revision, version, QuoteState.Approved, ct);

    /// <summary>Rejects the current version (the customer declined); editing it later makes a new version awaiting approval.</summary>
    public Task<Quote> Reject(long id, int? revision, int? version = null, CancellationToken ct = default) =>
        DecideById(id, revision, version, QuoteState.Rejected, ct);

    private async Task<Quote> DecideById(long id, int? revision, int? version, QuoteState state, CancellationToken ct)
    {
        caller.RequireStaff();
        await using var tx = await UnitOfWork.Begin(db.Database, ct);
        var quote = await Tracked(id, ct);
        if (version is { } asked && asked != quote.CurrentVersion)
        {
            throw new ConflictException($"A versão {asked} de {quote.Number} foi substituída pela versão {quote.CurrentVersion}: só a versão atual pode ser "
                + (state == QuoteState.Approved ? "aprovada." : "rejeitada."));
        }
        if (quote.State != QuoteState.PendingApproval)
        {
            throw new ConflictException($"{quote.Number} não está em aprovação: já foi {StateName(quote.State).ToLowerInvariant()}.");
        }
        RequireRevision(quote, revision);
        var current = await db.QuoteVersions.AsNoTracking().Include(v => v.Items.OrderBy(i => i.Position))
            .FirstAsync(v => v.QuoteId == quote.Id && v.Number == quote.CurrentVersion, ct);
        var ticket = await db.Tickets.AsNoTracking().FirstAsync(t => t.Id == quote.TicketId, ct);
        await Decide(quote, current, ticket, state, Clock.Now(), ct);
        await tx.Commit(ct);
        return quote;
    }

    private async Task Decide(Quote quote, QuoteVersion current, Ticket ticket, QuoteState state, DateTimeOffset now, CancellationToken ct)
    {
        var old = Describe(quote);
        quote.State = state;
        quote.DecidedAt = now;
        quote.DecidedById = caller.UserId;
        quote.DecidedVersion = quote.CurrentVersion;
        Touch(quote, now);
        Changed(quote, old, $"{quote.Number} {(state == QuoteState.Approved ? "aprovado (venda)" : "rejeitado")}: {Describe(quote)}");
        await Save(ct);
        await Raise(state == QuoteState.Approved ? EventTypes.QuoteApproved : EventTypes.QuoteRejected, ticket, quote, current, ct);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The PDF's input for <paramref name="version"/> (null: the current one) of a quote the caller may see.</summary>
    public async Task<QuoteDocument> Document(long id, int? version = null, CancellationToken ct = default)
    {
        var details = await Details(id, version, ct);
        return await QuoteDocuments.Build(db, details.Quote, details.Version, await settings.TimeZone(ct), null, ct);
    }

    /// <summary>
    /// "Enviar ao cliente": e-mails the current version's PDF through the outbox with a public approval link
    /// (<c>/q/{token}</c>, valid until the end of the validity date) to <paramref name="to"/> or, when empty, the
    /// ticket requester's e-mail. Only a quote awaiting approval is sent.
    /// </summary>
    public async Task<QuoteSent> Send(long id, int? revision, string? to, CancellationToken ct = default)
    {
        caller.RequireStaff();
        var details = await Details(id, null, ct);
        var quote = details.Quote;
        if (quote.State != QuoteState.PendingApproval)
        {
            throw new ConflictException($"Só um orçamento em aprovação é enviado ao cliente: {quote.Number} já foi {StateName(quote.State).ToLowerInvariant()}.");
        }
        RequireRevision(quote, revision);
        var smtp = await db.SmtpSettings.AsNoTracking().Select(s => new { s.Host, s.FromAddress }).FirstOrDefaultAsync(ct);
        if (string.IsNullOrEmpty(smtp?.Host) || string.IsNullOrEmpty(smtp.FromAddress))
        {
            throw new ConflictException("Não foi possível enviar: " + (string.IsNullOrEmpty(smtp?.Host) ? TicketEmails.SmtpMissing : TicketEmails.SenderMissing));
        }
        var recipient = string.IsNullOrWhiteSpace(to) ? await QuoteDocuments.CustomerEmail(db, quote.TicketId, ct) : to.Trim();
        if (string.IsNullOrEmpty(recipient))
        {
            throw new ValidationException("to", "O solicitante do atendimento não tem e-mail: informe para quem enviar.");
        }
        var company = await db.CompanyProfiles.AsNoTracking().FirstOrDefaultAsync(ct);
        var token = Base64UrlToken();
        var url = links.Quote(token, company?.PublicUrl)
            ?? throw new ConflictException("Não foi possível enviar: defina o endereço público do Atende (Configurações → Empresa) para o link de aprovação.");
        var zone = await settings.TimeZone(ct);
        var now = Clock.Now();
        var expires = quote.ValidUntil is { } validUntil
            ? ZoneTime.FromLocal(validUntil.AddDays(1).ToDateTime(TimeOnly.MinValue), zone)
            : now + LinkLifetimeWithoutValidity;
        var document = await QuoteDocuments.Build(db, quote, details.Version, zone, url, ct);
        var pdf = QuotePdf.Render(document);
        await using var tx = await UnitOfWork.Begin(db.Database, ct);
        var stored = await files.Save($"{quote.Number}-v{quote.CurrentVersion}.pdf", new MemoryStream(pdf), ct);
        db.QuoteLinks.Add(new QuoteLink
        {
            QuoteId = quote.Id, TokenHash = TokenHash(token), Version = quote.CurrentVersion, SentTo = recipient, CreatedAt = now, CreatedById = caller.UserId,
            ExpiresAt = expires,
        });
        var companyName = company?.Name ?? "";
        var validity = quote.ValidUntil is { } until ? $", válido até {until.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)}" : "";
        var summary = $"{document.Title} {quote.Number} (versão {quote.CurrentVersion}) de {companyName}, no valor de {QuoteMath.Brl(quote.Total)}{validity}.";
        outbox.Enqueue(new EmailDraft([recipient], $"{document.Title} {quote.Number} — {companyName}",
            $"<p>Olá,</p><p>{WebUtility.HtmlEncode(summary)}</p><p>O PDF segue anexo. Para ver e aprovar (ou recusar) o orçamento, acesse:<br>"
            + $"<a href=\"{WebUtility.HtmlEncode(url)}\">{WebUtility.HtmlEncode(url)}</a></p><p>Atenciosamente,<br>{WebUtility.HtmlEncode(caller.Name)}<br>{WebUtility.HtmlEncode(companyName)}</p>",
            $"Olá,\n\n{summary}\n\nO PDF segue anexo. Para ver e aprovar (ou recusar) o orçamento, acesse:\n{url}\n\nAtenciosamente,\n{caller.Name}\n{companyName}\n",
            quote.TicketId, [stored.Id]));
        db.TicketChanges.Add(new TicketChange
        {
            TicketId = quote.TicketId, At = now, UserId = caller.UserId, Field = "quote", NewValue = $"{quote.Number} versão {quote.CurrentVersion} enviado a {recipient}",
            NewCode = quote.Number,
        });
        var ticket = await db.Tickets.AsNoTracking().FirstAsync(t => t.Id == quote.TicketId, ct);
        await Raise(EventTypes.QuoteSent, ticket, quote, details.Version, ct);
        await db.SaveChangesAsync(ct);
        await tx.Commit(ct);
        return new QuoteSent(recipient, url, expires);
    }

    /// <summary>A new public link's token: 256 random bits, URL-safe.</summary>
    private static string Base64UrlToken() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>What is stored of a token: its SHA-256 in lower-case hex.</summary>
    public static string TokenHash(string token) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));

    /// <summary>"Ver dados da NF-e" of a quote or sale the caller may see: the data and the checklist of what is missing.</summary>
    public async Task<NfeData> Nfe(long id, CancellationToken ct = default)
    {
        var details = await Details(id, null, ct);
        var quote = details.Quote;
        var partner = await db.Partners.AsNoTracking().FirstAsync(p => p.Id == quote.PartnerId, ct);
        var email = await QuoteDocuments.CustomerEmail(db, quote.TicketId, ct) ?? "";
        var catalogIds = details.Version.Items.Where(i => i.CatalogItemId is not null).Select(i => i.CatalogItemId!.Value).ToList();
        var kinds = await db.CatalogItems.AsNoTracking().Where(c => catalogIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Kind, ct);
        var (kind, taxId, taxError) = TaxId.Parse(partner.Code);
        var problems = new List<string>();
        if (kind is not (TaxIdKind.Cpf or TaxIdKind.Cnpj))
        {
            problems.Add("Falta o CPF/CNPJ do cliente (campo Código do cadastro).");
        }
        else if (taxError is not null)
        {
            problems.Add($"CPF/CNPJ do cliente inválido: {taxId}.");
        }
        if (kind == TaxIdKind.Cnpj && partner.StateRegistration.Length == 0)
        {
            problems.Add("Falta a inscrição estadual do cliente (ou ISENTO).");
        }
        problems.AddRange(partner.Address.MissingForComplete().Select(field => $"Falta {FieldName(field)} do cliente."));
        if (email.Length == 0)
        {
            problems.Add("Falta o e-mail do cliente (o contato solicitante do atendimento não tem e-mail).");
        }
        var items = details.Version.Items.OrderBy(i => i.Position).Select(i => new NfeItem(i.Position, i.Description,
            i.CatalogItemId is { } c && kinds.TryGetValue(c, out var k) ? k : null, i.FiscalCode, i.Quantity, i.UnitPrice, i.Discount, i.Total)).ToList();
        foreach (var item in items)
        {
            if (item.FiscalCode.Length == 0)
            {
                problems.Add(item.Kind switch
                {
                    CatalogItemKind.Product => $"Falta o NCM do item {item.Position} ({item.Description}).",
                    CatalogItemKind.Service => $"Falta o código de serviço do item {item.Position} ({item.Description}).",
                    _ => $"Falta o NCM (produto) ou o código de serviço do item {item.Position} ({item.Description}).",
                });
            }
            else if (item.Kind is { } itemKind ? FiscalCode.Parse(item.FiscalCode, itemKind).Error is not null : !FiscalCode.IsValid(item.FiscalCode))
            {
                problems.Add($"{(item.Kind == CatalogItemKind.Product ? "NCM" : "Código fiscal")} do item {item.Position} inválido: {item.FiscalCode}.");
            }
        }
        if (details.Version.Total <= 0)
        {
            problems.Add("O total da venda é zero.");
        }
        var customer = new NfeCustomer(partner.Id, kind switch { TaxIdKind.Cpf => "CPF", TaxIdKind.Cnpj => "CNPJ", _ => "" },
            kind is TaxIdKind.Cpf or TaxIdKind.Cnpj ? taxId : "", partner.Name, partner.StateRegistration, partner.Address, email);
        return new NfeData(quote.Number, quote.CurrentVersion, quote.State, quote.IssueNfe, quote.NfeReadyAt, problems, customer, items,
            details.Version.Subtotal, details.Version.DiscountTotal, details.Version.Total);
    }

    private static string FieldName(string field) => field switch
    {
        "CEP" => "o CEP",
        "Logradouro" => "o logradouro",
        "Número" => "o número do endereço",
        "Bairro" => "o bairro",
        "Cidade" => "a cidade",
        "UF" => "a UF",
        _ => field,
    };

    /// <summary>
    /// "Pronta para emissão": an approved sale with "emitir NF-e" whose data is complete; otherwise refused with every
    /// problem of the checklist named (field "nfe").
    /// </summary>
    public async Task<Quote> MarkReadyForNfe(long id, int? revision, CancellationToken ct = default)
    {
        caller.RequireStaff();
        var nfe = await Nfe(id, ct);
        await using var tx = await UnitOfWork.Begin(db.Database, ct);
        var quote = await Tracked(id, ct);
        if (quote.State != QuoteState.Approved)
        {
            throw new ConflictException($"Só uma venda aprovada vai para emissão: {quote.Number} está {StateName(quote.State).ToLowerInvariant()}.");
        }
        if (!quote.IssueNfe)
        {
            throw new ConflictException($"{quote.Number} não está marcada para emitir NF-e.");
        }
        if (quote.NfeReadyAt is not null)
        {
            return quote;
        }
        RequireRevision(quote, revision);
        if (!nfe.Complete)
        {
            throw new ValidationException(new Dictionary<string, string[]> { ["nfe"] = [.. nfe.Problems] });
        }
        var now = Clock.Now();
        quote.NfeReadyAt = now;
        Touch(quote, now);
        db.TicketChanges.Add(new TicketChange
        {
            TicketId = quote.TicketId, At = now, UserId = caller.UserId, Field = "quote", NewValue = $"{quote.Number}: dados da NF-e conferidos, pronta para emissão",
            NewCode = quote.Number,
        });
        await Save(ct);
        await tx.Commit(ct);
        return quote;
    }

    /// <summary>
    /// "Desmarcar" a sale's "pronta para emissão" (its data must be corrected first): the mark is cleared and the ticket's
    /// history says so. 409 when the sale is not marked.
    /// </summary>
    public async Task<Quote> UnmarkReadyForNfe(long id, int? revision, CancellationToken ct = default)
    {
        caller.RequireStaff();
        await using var tx = await UnitOfWork.Begin(db.Database, ct);
        var quote = await Tracked(id, ct);
        if (quote.NfeReadyAt is null)
        {
            throw new ConflictException($"{quote.Number} não está marcada como pronta para emissão.");
        }
        RequireRevision(quote, revision);
        var now = Clock.Now();
        quote.NfeReadyAt = null;
        Touch(quote, now);
        db.TicketChanges.Add(new TicketChange
        {
            TicketId = quote.TicketId, At = now, UserId = caller.UserId, Field = "quote", OldValue = $"{quote.Number}: pronta para emissão",
            NewValue = $"{quote.Number}: desmarcada como pronta para emissão (dados da NF-e a corrigir)", NewCode = quote.Number,
        });
        await Save(ct);
        await tx.Commit(ct);
        return quote;
    }

    /// <summary>Quotes of the filter, newest first, by keyset (id).</summary>
    public async Task<Page<QuoteRow>> List(QuoteFilter filter, string? after, int limit = 50, CancellationToken ct = default) =>
        await (await Filtered(filter, ct)).AsNoTracking().NewestFirst(q => q.Id, after)
            .Select(q => new QuoteRow(q.Id, q.Number, q.TicketId, db.Tickets.Where(t => t.Id == q.TicketId).Select(t => t.Reference).First(), q.PartnerId,
                db.Partners.Where(p => p.Id == q.PartnerId).Select(p => p.Name).First(), q.State, q.CurrentVersion, q.Subtotal, q.DiscountTotal, q.Total,
                q.ValidUntil, q.IssueNfe, q.CreatedAt, q.UpdatedAt, q.DecidedAt))
            .ToPageAsync(limit, r => Cursor.ForId(r.Id), ct);

    /// <summary>
    /// How many quotes the filter holds in all its pages and their current total. Without a partner or ticket, the kept
    /// <see cref="QuoteTotal"/> rows answer: all-time rows for no period (the pipeline header, the unfiltered Vendas and
    /// Orçamentos), the whole months inside a period plus the quotes of its partial edges otherwise.
    /// </summary>
    public async Task<QuoteTotals> Totals(QuoteFilter filter, CancellationToken ct = default)
    {
        if (filter is not { PartnerId: null, TicketId: null })
        {
            return await Sum(await Filtered(filter, ct), ct);
        }
        var kept = Visibility.QuoteTotals(db, caller);
        if (filter.State is { } state)
        {
            kept = kept.Where(t => t.State == state);
        }
        if (filter.PipelineId is { } pipelineId)
        {
            kept = kept.Where(t => t.PipelineId == pipelineId);
        }
        if (filter is { From: null, To: null })
        {
            return await Sum(kept.Where(t => t.Month == QuoteTotal.AllTime), ct);
        }
        var (start, end) = ZoneTime.Days(filter.From, filter.To, await settings.TimeZone(ct));
        var firstWhole = start is { } s ? QuoteTotal.FirstWholeMonth(s) : null;
        var afterWhole = end is { } e ? QuoteTotal.MonthStart(e) : (DateTimeOffset?)null;
        if ((start is not null && firstWhole is null) || firstWhole >= afterWhole)
        {
            return await Sum(await Filtered(filter, ct), ct);
        }
        var months = kept.Where(t => t.Month != QuoteTotal.AllTime);
        if (firstWhole is { } first)
        {
            var month = QuoteTotal.MonthOf(first);
            months = months.Where(t => t.Month >= month);
        }
        if (afterWhole is { } after)
        {
            var month = QuoteTotal.MonthOf(after);
            months = months.Where(t => t.Month < month);
        }
        var totals = await Sum(months, ct);
        var quotes = Filtered(filter with { From = null, To = null });
        if (start is { } edgeStart && firstWhole is { } edgeEnd && edgeStart < edgeEnd)
        {
            totals = totals.Add(await Sum(quotes.Where(q => q.CreatedAt >= edgeStart && q.CreatedAt < edgeEnd), ct));
        }
        if (afterWhole is { } lastStart && end is { } lastEnd && lastStart < lastEnd)
        {
            totals = totals.Add(await Sum(quotes.Where(q => q.CreatedAt >= lastStart && q.CreatedAt < lastEnd), ct));
        }
        return totals;
    }

    private static async Task<QuoteTotals> Sum(IQueryable<Quote> quotes, CancellationToken ct)
    {
        var sum = await quotes.GroupBy(_ => 1).Select(g => new { Count = g.Count(), Total = g.Sum(q => q.Total) }).FirstOrDefaultAsync(ct);
        return new QuoteTotals(sum?.Count ?? 0, sum?.Total ?? 0);
    }

    private static async Task<QuoteTotals> Sum(IQueryable<QuoteTotal> kept, CancellationToken ct)
    {
        var sum = await kept.GroupBy(_ => 1).Select(g => new { Count = g.Sum(t => t.Count), Total = g.Sum(t => t.Total) }).FirstOrDefaultAsync(ct);
        return new QuoteTotals(sum?.Count ?? 0, sum?.Total ?? 0);
    }

    /// <summary>The filter's quotes the caller sees, its period included.</summary>
    private async Task<IQueryable<Quote>> Filtered(QuoteFilter filter, CancellationToken ct)
    {
        var query = Filtered(filter with { From = null, To = null });
        if (filter.From is not null || filter.To is not null)
        {
            var (start, end) = ZoneTime.Days(filter.From, filter.To, await settings.TimeZone(ct));
            if (start is { } s)
            {
                query = query.Where(q => q.CreatedAt >= s);
            }
            if (end is { } e)
            {
                query = query.Where(q => q.CreatedAt < e);
            }
        }
        return query;
    }

    /// <summary>The filter's quotes the caller sees, but for its period.</summary>
    private IQueryable<Quote> Filtered(QuoteFilter filter)
    {
        var query = Visible();
        if (filter.State is { } state)
        {
            query = query.Where(q => q.State == state);
        }
        if (filter.TicketId is { } ticketId)
        {
            query = query.Where(q => q.TicketId == ticketId);
        }
        if (filter.PartnerId is { } partnerId)
        {
            query = query.Where(q => q.PartnerId == partnerId);
        }
        if (filter.PipelineId is { } pipelineId)
        {
            query = query.Where(q => q.PipelineId == pipelineId);
        }
        return query;
    }

    /// <summary>The pipeline header's "aguardando aprovação" and "a receber": the quotes of the pipeline awaiting approval that the caller sees.</summary>
    public Task<QuoteTotals> Receivable(long pipelineId, CancellationToken ct = default) =>
        Totals(new QuoteFilter(QuoteState.PendingApproval, pipelineId), ct);

    /// <summary>
    /// Keeps a ticket's quotes in its pipeline and workspace after the ticket moved (call inside the move's transaction):
    /// who may see them follows the ticket.
    /// </summary>
    internal static Task FollowTicket(AtendeDb db, long ticketId, long pipelineId, long workspaceId, CancellationToken ct) =>
        db.Quotes.Where(q => q.TicketId == ticketId && (q.PipelineId != pipelineId || q.WorkspaceId != workspaceId))
            .ExecuteUpdateAsync(s => s.SetProperty(q => q.PipelineId, pipelineId).SetProperty(q => q.WorkspaceId, workspaceId), ct);

    /// <summary>Moves the quotes of a partner's tickets to the partner's new workspace (call inside the change's transaction, after the tickets).</summary>
    internal static Task FollowPartner(AtendeDb db, long partnerId, long workspaceId, CancellationToken ct) =>
        db.Quotes.Where(q => q.WorkspaceId != workspaceId && db.Tickets.Any(t => t.Id == q.TicketId && t.PartnerId == partnerId))
            .ExecuteUpdateAsync(s => s.SetProperty(q => q.WorkspaceId, workspaceId), ct);

    /// <summary>The quote, tracked, inside the caller's transaction.</summary>
    private async Task<Quote> Tracked(long id, CancellationToken ct) =>
        await Visible().FirstOrDefaultAsync(q => q.Id == id, ct) ?? throw new NotFoundException(NotFound);

    /// <summary>The revision the caller read (If-Match) must still be the quote's (checked after the state, so a decided quote answers 409).</summary>
    private static void RequireRevision(Quote quote, int? revision)
    {
        if (revision is { } r && r != quote.Revision)
        {
            throw new StaleVersionException($"{quote.Number} foi alterado por outra pessoa enquanto você o via. Recarregue para ver a versão atual.");
        }
    }

    private async Task Save(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConflictException("Este orçamento acabou de ser alterado por outra pessoa (editado, aprovado ou rejeitado). Recarregue para ver como ficou.");
        }
    }

    private static void Follow(Quote quote, QuoteVersion version)
    {
        quote.CurrentVersion = version.Number;
        quote.ValidUntil = version.ValidUntil;
        quote.Subtotal = version.Subtotal;
        quote.DiscountTotal = version.DiscountTotal;
        quote.Total = version.Total;
    }

    internal static void Touch(Quote quote, DateTimeOffset now)
    {
        quote.UpdatedAt = now;
        quote.Revision++;
    }

    /// <summary>Validates the input and computes the version's lines and totals (<see cref="QuoteMath"/>); nothing is written.</summary>
    private async Task<QuoteVersion> NewVersion(QuoteInput input, int number, DateTimeOffset now, TimeZoneInfo zone, CancellationToken ct)
    {
        var v = new Validation();
        var items = input.Items ?? [];
        if (items.Count == 0)
        {
            v.Add("items", "Inclua pelo menos um item.");
        }
        else if (items.Count > MaxItems)
        {
            v.Add("items", $"Um orçamento pode ter no máximo {MaxItems} itens (este tem {items.Count}).");
            v.ThrowIfAny();
        }
        var lines = (await SaleLines.Read(db, v, items, ct)).Select(line => new QuoteItem
        {
            Position = line.Position, CatalogItemId = line.CatalogItemId, Description = line.Description, FiscalCode = line.FiscalCode, Quantity = line.Quantity,
            UnitPrice = line.UnitPrice, DiscountKind = line.DiscountKind, DiscountInput = line.DiscountInput, Discount = line.Discount, Total = line.Total,
        }).ToList();
        var notes = RichText.CleanLines(input.Notes);
        if (notes.Length > MaxNotesLength)
        {
            v.Add("notes", $"Observações podem ter no máximo {MaxNotesLength} caracteres.");
        }
        if (input.ValidUntil is { } validUntil)
        {
            var today = DateOnly.FromDateTime(ZoneTime.ToLocal(now, zone).DateTime);
            if (validUntil < today)
            {
                v.Add("validUntil", "A validade não pode ser uma data passada.");
            }
            else if (validUntil > today.AddYears(MaxValidityYears))
            {
                v.Add("validUntil", $"A validade pode ser de no máximo {MaxValidityYears} anos a partir de hoje.");
            }
        }
        v.ThrowIfAny();
        var (subtotal, discount, total) = QuoteMath.Totals(lines);
        return new QuoteVersion
        {
            Number = number, CreatedAt = now, CreatedById = caller.UserId, ValidUntil = input.ValidUntil, Notes = notes, Items = lines,
            Subtotal = subtotal, DiscountTotal = discount, Total = total,
        };
    }

    public static string StateName(QuoteState state) => state switch
    {
        QuoteState.PendingApproval => "Em aprovação",
        QuoteState.Approved => "Aprovado",
        QuoteState.Rejected => "Rejeitado",
        _ => "Cancelado",
    };

    internal static string Describe(Quote quote) => $"versão {quote.CurrentVersion}, {QuoteMath.Brl(quote.Total)}, {StateName(quote.State).ToLowerInvariant()}";

    /// <summary>The ticket's Histórico line for a change of one of its quotes.</summary>
    private void Changed(Quote quote, string? old, string now) =>
        db.TicketChanges.Add(new TicketChange
        {
            TicketId = quote.TicketId, At = quote.UpdatedAt, UserId = caller.UserId, Field = "quote", OldValue = old, NewValue = now,
            NewCode = quote.Number,
        });

    private Task Raise(string type, Ticket ticket, Quote quote, QuoteVersion version, CancellationToken ct) =>
        events.Raise(type, EventSubject.Of(ticket), events.Json.Quote(quote, version), caller.UserId, ct);
}
