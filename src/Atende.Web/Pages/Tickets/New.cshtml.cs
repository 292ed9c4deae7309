using Atende.Core.Common;
using Atende.Core.Identity;
using Atende.Core.Partners;
using Atende.Core.Pipelines;
using Atende.Core.Settings;
using Atende.Core.Tickets;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Htmx;

namespace Atende.Web.Pages.Tickets;

/// <summary>New ticket: first the requester (searched among the caller's partners), then the form.</summary>
public sealed class NewModel(TicketService tickets, PipelineService pipelines, PartnerService partners, SettingsService settings) : AppPage
{
    [BindProperty(SupportsGet = true)] public long PipelineId { get; set; }
    [BindProperty(SupportsGet = true)] public long? PartnerId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty] public TicketForm Input { get; set; } = new();

    public Pipeline Pipeline { get; private set; } = null!;
    public TicketFormOptions? Options { get; private set; }
    public Page<PartnerRow> Partners { get; private set; } = new([], null);
    public PartnerChoices Choices => new(Partners, $"/tickets/new?pipelineId={PipelineId}&partnerId=");

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        Pipeline = await pipelines.Get(PipelineId, ct);
        if (!Pipeline.Active)
        {
            FlashError($"O fluxo \"{Pipeline.Name}\" está inativo e não aceita novos atendimentos.");
            return Redirect($"/tickets?pipelineId={PipelineId}");
        }
        if (PartnerId is null)
        {
            Partners = await partners.List(new PartnerFilter(Q, null, null, true), null, 20, ct);
            return Request.IsHtmx() ? Partial("_PartnerChoices", Choices) : Page();
        }
        Options = await TicketFormOptions.Load(tickets, pipelines, settings, partners, PipelineId, PartnerId.Value, ct);
        var partner = await partners.Get(PartnerId.Value, ct);
        Input = new TicketForm { PartnerId = partner.Id, AccountManagerId = partner.AccountManagerId, ContactId = partner.Contacts.Count == 1 ? partner.Contacts[0].Id : null };
        return Page();
    }

    public async Task<IActionResult> OnPost(CancellationToken ct)
    {
        Pipeline = await pipelines.Get(PipelineId, ct);
        PartnerId = Input.PartnerId;
        if (PartnerId is null)
        {
            return Redirect($"/tickets/new?pipelineId={PipelineId}");
        }
        Options = await TicketFormOptions.Load(tickets, pipelines, settings, partners, PipelineId, PartnerId.Value, ct);
        try
        {
            var ticket = await tickets.Create(PipelineId, Input.ToInput(await settings.TimeZone(ct)), ct);
            Flash($"Atendimento {ticket.Reference} criado.");
            return Redirect($"/tickets/{ticket.Id}?from.pipelineId={PipelineId}");
        }
        // The ticket form renames Core's fields (Input.Readable) before showing them.
        catch (ValidationException e)
        {
            ShowErrors(Input.Readable(e));
            return Page();
        }
    }
}
