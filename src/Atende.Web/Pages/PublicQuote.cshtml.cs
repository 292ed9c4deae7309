using Atende.Core.Common;
using Atende.Core.Sales;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Atende.Web.Pages;

/// <summary>
/// The customer's approval page (<c>/q/{token}</c>, no login, rate-limited per address): the quote's current version, and
/// "Aprovar" / "Recusar" with their name and CPF. The token is the permission (<see cref="QuoteApproval"/>).
/// </summary>
[EnableRateLimiting(RateLimit)]
public sealed class PublicQuoteModel(QuoteApproval approval) : AppPage
{
    public const string RateLimit = RateLimits.PublicQuote;

    public sealed class DecisionInput
    {
        public string? Name { get; set; }
        public string? Cpf { get; set; }
        public int Version { get; set; }
    }

    [BindProperty]
    public DecisionInput Input { get; set; } = new();

    public PublicQuote? Quote { get; private set; }

    /// <summary>Why the link does not open a quote (invalid), shown instead of it.</summary>
    public string? Problem { get; private set; }

    /// <summary>Why the decision was refused (already decided, replaced meanwhile, expired), shown above the quote.</summary>
    public string? Refusal { get; private set; }

    public async Task<IActionResult> OnGet(string token, CancellationToken ct) => await Load(token, ct);

    /// <summary>"Baixar PDF": the current version, while the link works.</summary>
    public async Task<IActionResult> OnGetPdf(string token, CancellationToken ct)
    {
        var quote = await approval.Open(token, ct);
        if (quote.Expired && quote.State == QuoteState.PendingApproval)
        {
            return await Load(token, ct);
        }
        return File(QuotePdf.Render(quote.Document), "application/pdf", $"{quote.Document.Number}-v{quote.Document.Version}.pdf");
    }

    /// <summary>
    /// The form posted without one of its buttons (a script, an assistive tool): nothing is decided; the page asks for the
    /// choice and keeps what was typed.
    /// </summary>
    public async Task<IActionResult> OnPost(string token, CancellationToken ct)
    {
        Refusal = "Nada foi registrado: escolha Aprovar ou Recusar.";
        return await Load(token, ct, keepInput: true);
    }

    public Task<IActionResult> OnPostApprove(string token, CancellationToken ct) => Decide(token, approve: true, ct);

    public Task<IActionResult> OnPostReject(string token, CancellationToken ct) => Decide(token, approve: false, ct);

    private async Task<IActionResult> Decide(string token, bool approve, CancellationToken ct)
    {
        try
        {
            Quote = await approval.Decide(token, approve, Input.Version, Input.Name, Input.Cpf, HttpContext.Connection.RemoteIpAddress?.ToString(), ct);
            return Page();
        }
        catch (ValidationException e)
        {
            ShowErrors(e);
        }
        catch (ConflictException e)
        {
            Refusal = e.Message;
        }
        return await Load(token, ct, keepInput: true);
    }

    private async Task<IActionResult> Load(string token, CancellationToken ct, bool keepInput = false)
    {
        try
        {
            Quote = await approval.Open(token, ct);
            if (!keepInput)
            {
                Input.Version = Quote.Document.Version;
            }
            return Page();
        }
        catch (NotFoundException e)
        {
            Problem = e.Message;
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
    }
}
