using Atende.Core.Sales;
using Atende.Core.Settings;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages.Quotes;

/// <summary>
/// A quote (or sale) with one of its versions: the current one, or an older one read-only (<c>?version=N</c>). On the current
/// version of a quote awaiting approval: Editar (a new version), Aprovar and Rejeitar, which post the revision the page
/// was read at, so a page gone stale is refused with Core's message instead of deciding over a change it never showed.
/// </summary>
public sealed class DetailsModel(QuoteService quotes, SettingsService settings) : AppPage, IActionPage
{
    public QuoteDetails Details { get; private set; } = null!;
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public Quote Quote => Details.Quote;
    public bool CanDecide => Details.IsCurrent && Quote.State == QuoteState.PendingApproval;
    public bool CanEdit => Details.IsCurrent && Quote.State is QuoteState.PendingApproval or QuoteState.Rejected;

    public async Task<IActionResult> OnGet(long id, int? version, CancellationToken ct)
    {
        Details = await quotes.Details(id, version, ct);
        Zone = await settings.TimeZone(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostApprove(long id, int revision, int version, CancellationToken ct)
    {
        var quote = await quotes.Approve(id, revision, version, ct);
        Flash($"{quote.Number} aprovado: agora é uma venda.");
        return Redirect($"/quotes/{id}");
    }

    public async Task<IActionResult> OnPostReject(long id, int revision, int version, CancellationToken ct)
    {
        var quote = await quotes.Reject(id, revision, version, ct);
        Flash($"{quote.Number} rejeitado. Editar cria uma nova versão, de novo em aprovação.");
        return Redirect($"/quotes/{id}");
    }

    /// <summary>"Enviar ao cliente": the PDF by e-mail with the public approval link, to <paramref name="to"/> or the requester.</summary>
    public async Task<IActionResult> OnPostSend(long id, int revision, string? to, CancellationToken ct)
    {
        var sent = await quotes.Send(id, revision, to, ct);
        var zone = await settings.TimeZone(ct);
        Flash($"Orçamento enviado para {sent.To} com o PDF e o link de aprovação, válido até {Fmt.Date(sent.ExpiresAt.AddTicks(-1), zone)}.");
        return Redirect($"/quotes/{id}");
    }

    /// <summary>A refused action (stale page, superseded version, already decided, no e-mail) comes back to the quote with Core's message.</summary>
    public string? RefusedActionBack(string? handler, Exception refusal) =>
        handler is "Approve" or "Reject" or "Send" ? $"/quotes/{RouteData.Values["id"]}" : null;
}
