using Atende.Core.Queue;
using Atende.Core.Common;
using Atende.Core.Email;
using Atende.Core.Settings;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages.Settings;

/// <summary>/settings/outbox: the e-mails waiting, sent and failed, with "Reenviar" for the failed ones.</summary>
public sealed class OutboxModel(OutboxService outbox, SettingsService settings) : AppPage, IActionPage
{
    [FromQuery(Name = "status")] public LeaseStatus? Status { get; set; }

    [FromQuery(Name = "ticket")] public string? Ticket { get; set; }

    [FromQuery(Name = "after")] public string? After { get; set; }

    public Page<OutboxRow> Results { get; private set; } = new([], null);

    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public string? TicketNotFound { get; private set; }

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        Zone = await settings.TimeZone(ct);
        long? ticketId = null;
        if (!string.IsNullOrWhiteSpace(Ticket))
        {
            ticketId = await outbox.TicketIdByReference(Ticket, ct);
            if (ticketId is null)
            {
                TicketNotFound = $"Nenhum atendimento com a referência {Ticket.Trim().ToUpperInvariant()}.";
                return Page();
            }
        }
        Results = await outbox.List(Status, ticketId, After, 50, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRetry(long id, CancellationToken ct)
    {
        await outbox.Retry(id, ct);
        Flash("E-mail colocado de novo na fila de envio.");
        return Redirect(Link("Dead", Ticket, null));
    }

    /// <summary>A refused "Reenviar" comes back to the failed tab; a list the filters cannot show (a mangled cursor), to the whole list.</summary>
    public string? RefusedActionBack(string? handler, Exception refusal) =>
        handler == "Retry" ? Link("Dead", Ticket, null) : refusal is ValidationException ? "/settings/outbox" : null;

    /// <summary>The row may have been deleted meanwhile: said on the list, not a 404 page.</summary>
    public bool FlashesNotFound(string? handler) => handler == "Retry";

    /// <summary>The page's address with a status tab, a ticket filter and a cursor.</summary>
    public static string Link(string? status, string? ticket, string? after)
    {
        var query = new List<string>();
        if (!string.IsNullOrEmpty(status))
        {
            query.Add("status=" + status);
        }
        if (!string.IsNullOrWhiteSpace(ticket))
        {
            query.Add("ticket=" + Uri.EscapeDataString(ticket.Trim()));
        }
        if (!string.IsNullOrEmpty(after))
        {
            query.Add("after=" + Uri.EscapeDataString(after));
        }
        return "/settings/outbox" + (query.Count == 0 ? "" : "?" + string.Join('&', query));
    }

    public static string StatusLabel(LeaseStatus status) => status switch
    {
        LeaseStatus.Pending => "Aguardando",
        LeaseStatus.Sending => "Enviando",
        LeaseStatus.Sent => "Enviado",
        _ => "Falhou",
    };

    public static string StatusBadge(LeaseStatus status) => status switch
    {
        LeaseStatus.Sent => "text-bg-success",
        LeaseStatus.Dead => "text-bg-danger",
        _ => "text-bg-warning",
    };
}
