using Atende.Core.Sales;
using Atende.Web.Infrastructure;

namespace Atende.Web.Api;

/// <summary>A line: <c>discount</c> is the line's discount in R$; <c>discountPercent</c> is set when it was given as a percentage.</summary>
public sealed record QuoteItemDto(long? CatalogItemId, string Description, decimal Quantity, decimal UnitPrice, decimal Discount, decimal? DiscountPercent,
    decimal Total, string FiscalCode);

/// <summary>A sale's NF-e status: <c>readyAt</c> is when its data was checked complete ("pronta para emissão"); null until then.</summary>
public sealed record QuoteNfeDto(bool Ready, DateTimeOffset? ReadyAt);

/// <summary>A quote (or, approved, a sale) with one version's content: the current one unless read from <c>/versions/{n}</c> (then <c>current: false</c>).</summary>
public sealed record QuoteDto(long Id, string Number, long TicketId, long PartnerId, int Version, bool Current, QuoteState State, QuoteItemDto[] Items,
    decimal Subtotal, decimal DiscountTotal, decimal Total, string Notes, bool IssueNfe, QuoteNfeDto? Nfe, DateOnly? ValidUntil, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt, DateTimeOffset? DecidedAt);

/// <summary>
/// A line to write: a catalog item (its name and default price fill <c>description</c> and <c>unitPrice</c> when absent) or
/// free text; the discount either in R$ (<c>discount</c>) or as a percentage (<c>discountPercent</c>), not both.
/// </summary>
public sealed record QuoteItemWrite(long? CatalogItemId, string? Description, decimal? Quantity, decimal? UnitPrice, decimal? Discount, decimal? DiscountPercent,
    string? FiscalCode = null);

/// <summary>"Ver dados da NF-e" as an integration reads it: the checklist (<c>problems</c>, empty when complete) and the data.</summary>
public sealed record NfeDataDto(long QuoteId, string Number, int Version, QuoteState State, bool IssueNfe, bool Complete, DateTimeOffset? ReadyAt,
    string[] Problems, NfeCustomerDto Customer, NfeItemDto[] Items, decimal Subtotal, decimal DiscountTotal, decimal Total);

public sealed record NfeCustomerDto(long PartnerId, string TaxIdKind, string TaxId, string Name, string StateRegistration, AddressDto? Address, string Email);

public sealed record NfeItemDto(int Position, string Description, Atende.Core.Settings.CatalogItemKind? Kind, string FiscalCode, decimal Quantity,
    decimal UnitPrice, decimal Discount, decimal Total);

/// <summary>
/// POST: <c>ticketId</c> and the content; <c>state: "Approved"</c> records a sale at once (default "PendingApproval": a
/// quote). PATCH (If-Match): the content only; whatever is sent replaces the current version's value in a new version.
/// </summary>
public sealed record QuoteWrite(long? TicketId, QuoteItemWrite[]? Items, string? Notes, DateOnly? ValidUntil, bool IssueNfe = false,
    QuoteState State = QuoteState.PendingApproval) : IJsonBody<QuoteWrite>;

/// <summary>"Enviar ao cliente": <c>to</c> is the recipient; absent, the ticket requester's e-mail.</summary>
public sealed record QuoteSendWrite(string? To) : IJsonBody<QuoteSendWrite>;

/// <summary>What was sent: to whom, the public approval link, and until when it works.</summary>
public sealed record QuoteSentDto(string To, string Link, DateTimeOffset ExpiresAt);

/// <summary>Approve or reject: <c>version</c>, when sent, must be the current one (409 when it was superseded).</summary>
public sealed record QuoteDecisionWrite(int? Version) : IJsonBody<QuoteDecisionWrite>;

public sealed record QuoteListItem(long Id, string Number, long TicketId, string TicketReference, long PartnerId, string PartnerName, QuoteState State,
    int Version, decimal Subtotal, decimal DiscountTotal, decimal Total, DateOnly? ValidUntil, bool IssueNfe, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt, DateTimeOffset? DecidedAt);

public sealed record QuoteTotalsDto(int Count, decimal Total);

public static class QuotesApi
{
    public static QuoteDto ToDto(Quote q, QuoteVersion v) => new(q.Id, q.Number, q.TicketId, q.PartnerId, v.Number, v.Number == q.CurrentVersion, q.State,
        [.. v.Items.OrderBy(i => i.Position).Select(i => new QuoteItemDto(i.CatalogItemId, i.Description, i.Quantity, i.UnitPrice, i.Discount,
            i.DiscountKind == DiscountKind.Percent ? i.DiscountInput : null, i.Total, i.FiscalCode))],
        v.Subtotal, v.DiscountTotal, v.Total, v.Notes, q.IssueNfe, q.IssueNfe ? new QuoteNfeDto(q.NfeReadyAt is not null, q.NfeReadyAt) : null, v.ValidUntil,
        q.CreatedAt, q.UpdatedAt, q.DecidedAt);

    public static NfeDataDto ToDto(long quoteId, NfeData n) => new(quoteId, n.Number, n.Version, n.State, n.IssueNfe, n.Complete, n.ReadyAt, [.. n.Problems],
        new NfeCustomerDto(n.Customer.PartnerId, n.Customer.TaxIdKind, n.Customer.TaxId, n.Customer.Name, n.Customer.StateRegistration,
            AddressDto.Of(n.Customer.Address), n.Customer.Email),
        [.. n.Items.Select(i => new NfeItemDto(i.Position, i.Description, i.Kind, i.FiscalCode, i.Quantity, i.UnitPrice, i.Discount, i.Total))],
        n.Subtotal, n.DiscountTotal, n.Total);

    private static QuoteListItem ToItem(QuoteRow r) => new(r.Id, r.Number, r.TicketId, r.TicketReference, r.PartnerId, r.PartnerName, r.State, r.Version,
        r.Subtotal, r.DiscountTotal, r.Total, r.ValidUntil, r.IssueNfe, r.CreatedAt, r.UpdatedAt, r.DecidedAt);

    private static QuoteInput ToInput(QuoteWrite w) => new(w.Items?.Select(ToInput).ToList(), w.Notes, w.ValidUntil, w.IssueNfe);

    private static QuoteItemInput? ToInput(QuoteItemWrite? i) =>
        i is null ? null : LineInput(i.CatalogItemId, i.Description, i.Quantity, i.UnitPrice, i.Discount, i.DiscountPercent, i.FiscalCode);

    /// <summary>A line as the API gives it (quotes and purchases): the discount in R$ or in %, not both.</summary>
    internal static QuoteItemInput LineInput(long? catalogItemId, string? description, decimal? quantity, decimal? unitPrice, decimal? discount,
        decimal? discountPercent, string? fiscalCode = null)
    {
        if (discount is not null && discountPercent is not null)
        {
            throw new Core.Common.ValidationException("items", "Informe o desconto em R$ (discount) ou em % (discountPercent), não os dois.");
        }
        return discountPercent is { } percent
            ? new QuoteItemInput(catalogItemId, description, quantity, unitPrice, percent, DiscountKind.Percent, fiscalCode)
            : new QuoteItemInput(catalogItemId, description, quantity, unitPrice, discount, FiscalCode: fiscalCode);
    }

    private static QuoteWrite ToWrite(QuoteDetails d) => new(d.Quote.TicketId,
        [.. d.Version.Items.Select(i => new QuoteItemWrite(i.CatalogItemId, i.Description, i.Quantity, i.UnitPrice,
            i.DiscountKind == DiscountKind.Amount ? i.DiscountInput : null, i.DiscountKind == DiscountKind.Percent ? i.DiscountInput : null, i.FiscalCode))],
        d.Version.Notes, d.Version.ValidUntil, d.Quote.IssueNfe, d.Quote.State);

    private static async Task<QuoteDto> Current(QuoteService quotes, long id, HttpResponse response, CancellationToken ct)
    {
        var details = await quotes.Details(id, null, ct);
        ApiHelpers.SetETag(response, details.Quote.Revision);
        return ToDto(details.Quote, details.Version);
    }

    /// <summary>A quote version's PDF, as a download (<c>?version=N</c>; default the current one).</summary>
    public static async Task<IResult> Pdf(QuoteService quotes, long id, int? version, CancellationToken ct)
    {
        var document = await quotes.Document(id, version, ct);
        return TypedResults.File(QuotePdf.Render(document), "application/pdf", $"{document.Number}-v{document.Version}.pdf");
    }

    /// <summary>The PDF the quote page links to (session cookie, same scoping as the API).</summary>
    public static void MapDownloads(IEndpointRouteBuilder app) =>
        app.MapGet("/quotes/{id:long}/pdf", static (long id, int? version, QuoteService quotes, CancellationToken ct) => Pdf(quotes, id, version, ct))
            .RequireAuthorization(Auth.StaffPolicy).ExcludeFromDescription();

    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/quotes").RequireAuthorization(Auth.StaffPolicy).WithTags("Quotes");

        group.MapGet("/", static async (QuoteService quotes, QuoteState? state, long? pipelineId, long? partnerId, long? ticketId, DateOnly? from, DateOnly? to,
            string? after, int? limit, CancellationToken ct) =>
        {
            var page = await quotes.List(new QuoteFilter(state, pipelineId, partnerId, ticketId, from, to), after, limit ?? 50, ct);
            return TypedResults.Ok(new ItemList<QuoteListItem>([.. page.Items.Select(ToItem)], page.Next));
        });

        // What the list's filter holds in all its pages: how many and their total (current versions).
        group.MapGet("/totals", static async (QuoteService quotes, QuoteState? state, long? pipelineId, long? partnerId, long? ticketId, DateOnly? from,
            DateOnly? to, CancellationToken ct) =>
        {
            var totals = await quotes.Totals(new QuoteFilter(state, pipelineId, partnerId, ticketId, from, to), ct);
            return TypedResults.Ok(new QuoteTotalsDto(totals.Count, totals.Total));
        });

        group.MapGet("/{id:long}", static async (long id, QuoteService quotes, HttpResponse response, CancellationToken ct) =>
            TypedResults.Ok(await Current(quotes, id, response, ct)));

        group.MapPost("/", static async (QuoteWrite write, QuoteService quotes, HttpResponse response, CancellationToken ct) =>
        {
            if (write.State is not (QuoteState.PendingApproval or QuoteState.Approved))
            {
                throw new Core.Common.ValidationException("state", "Um orçamento novo fica em aprovação (PendingApproval) ou já aprovado (Approved).");
            }
            var ticketId = write.TicketId ?? throw new Core.Common.ValidationException("ticketId", "Informe o atendimento (ticketId).");
            var quote = await quotes.Create(ticketId, ToInput(write), write.State == QuoteState.Approved, ct);
            return TypedResults.Created($"/api/v1/quotes/{quote.Id}", await Current(quotes, quote.Id, response, ct));
        });

        // A new version from the current one with the fields sent laid over it.
        group.MapPatch("/{id:long}", static async (long id, MergePatch<QuoteWrite> body, QuoteService quotes, HttpContext http, CancellationToken ct) =>
        {
            var current = await quotes.Details(id, null, ct);
            var revision = ApiHelpers.RequireIfMatch(http.Request);
            var write = body.ApplyTo(ToWrite(current));
            if (write.TicketId != current.Quote.TicketId || write.State != current.Quote.State)
            {
                throw new Core.Common.ValidationException(write.TicketId != current.Quote.TicketId ? "ticketId" : "state",
                    "O atendimento e a situação não mudam por aqui: use /approve ou /reject para decidir.");
            }
            await quotes.Revise(id, revision, ToInput(write), ct);
            return TypedResults.Ok(await Current(quotes, id, http.Response, ct));
        }).WithMetadata(new IfMatchMetadata(Required: true));

        group.MapGet("/{id:long}/versions", static async (long id, QuoteService quotes, CancellationToken ct) =>
        {
            var details = await quotes.Details(id, null, ct);
            var items = new List<QuoteDto>();
            foreach (var row in details.Versions)
            {
                var version = row.Number == details.Version.Number ? details : await quotes.Details(id, row.Number, ct);
                items.Add(ToDto(version.Quote, version.Version));
            }
            return TypedResults.Ok(new ItemList<QuoteDto>([.. items], null));
        });

        group.MapGet("/{id:long}/versions/{number:int}", static async (long id, int number, QuoteService quotes, CancellationToken ct) =>
        {
            var details = await quotes.Details(id, number, ct);
            return TypedResults.Ok(ToDto(details.Quote, details.Version));
        });

        group.MapPost("/{id:long}/approve", static async (long id, QuoteDecisionWrite? body, QuoteService quotes, HttpContext http, CancellationToken ct) =>
        {
            await quotes.Get(id, ct);
            await quotes.Approve(id, ApiHelpers.RequireIfMatch(http.Request), body?.Version, ct);
            return TypedResults.Ok(await Current(quotes, id, http.Response, ct));
        }).WithMetadata(new IfMatchMetadata(Required: true));

        group.MapPost("/{id:long}/reject", static async (long id, QuoteDecisionWrite? body, QuoteService quotes, HttpContext http, CancellationToken ct) =>
        {
            await quotes.Get(id, ct);
            await quotes.Reject(id, ApiHelpers.RequireIfMatch(http.Request), body?.Version, ct);
            return TypedResults.Ok(await Current(quotes, id, http.Response, ct));
        }).WithMetadata(new IfMatchMetadata(Required: true));

        group.MapGet("/{id:long}/pdf", static (long id, int? version, QuoteService quotes, CancellationToken ct) => Pdf(quotes, id, version, ct))
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf");

        group.MapPost("/{id:long}/send", static async (long id, QuoteSendWrite? body, QuoteService quotes, HttpContext http, CancellationToken ct) =>
        {
            await quotes.Get(id, ct);
            var sent = await quotes.Send(id, ApiHelpers.RequireIfMatch(http.Request), body?.To, ct);
            return TypedResults.Ok(new QuoteSentDto(sent.To, sent.Link, sent.ExpiresAt));
        }).WithMetadata(new IfMatchMetadata(Required: true));

        // "Ver dados da NF-e": the checked data an ERP or the NFS-e integration reads, with what is missing.
        group.MapGet("/{id:long}/nfe", static async (long id, QuoteService quotes, CancellationToken ct) =>
            TypedResults.Ok(ToDto(id, await quotes.Nfe(id, ct))));

        // "Pronta para emissão": 400 naming every missing field (errors.nfe) until the data is complete.
        group.MapPost("/{id:long}/nfe/ready", static async (long id, QuoteService quotes, HttpContext http, CancellationToken ct) =>
        {
            await quotes.Get(id, ct);
            await quotes.MarkReadyForNfe(id, ApiHelpers.RequireIfMatch(http.Request), ct);
            return TypedResults.Ok(await Current(quotes, id, http.Response, ct));
        }).WithMetadata(new IfMatchMetadata(Required: true));

        // "Desmarcar": the sale is no longer ready for emission (its data is being corrected); 409 when it was not marked.
        group.MapDelete("/{id:long}/nfe/ready", static async (long id, QuoteService quotes, HttpContext http, CancellationToken ct) =>
        {
            await quotes.Get(id, ct);
            await quotes.UnmarkReadyForNfe(id, ApiHelpers.RequireIfMatch(http.Request), ct);
            return TypedResults.Ok(await Current(quotes, id, http.Response, ct));
        }).WithMetadata(new IfMatchMetadata(Required: true));

        // Sales: the approved quotes.
        api.MapGet("/sales", static async (QuoteService quotes, long? pipelineId, long? partnerId, long? ticketId, DateOnly? from, DateOnly? to, string? after,
            int? limit, CancellationToken ct) =>
        {
            var page = await quotes.List(new QuoteFilter(QuoteState.Approved, pipelineId, partnerId, ticketId, from, to), after, limit ?? 50, ct);
            return TypedResults.Ok(new ItemList<QuoteListItem>([.. page.Items.Select(ToItem)], page.Next));
        }).RequireAuthorization(Auth.StaffPolicy).WithTags("Sales");
    }
}
