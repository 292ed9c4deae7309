using Atende.Core.Pipelines;
using Atende.Core.Settings;
using Atende.Core.Tickets;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages.Tickets;

/// <summary>A printable ticket, with or without its interactions (internal notes included, marked as such).</summary>
public sealed class PrintModel(TicketService tickets, PipelineService pipelines, SettingsService settings) : AppPage
{
    [BindProperty(SupportsGet = true)] public bool Interactions { get; set; }

    public Ticket Ticket { get; private set; } = null!;
    public string PipelineName { get; private set; } = "";
    public string CompanyName { get; private set; } = "";
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;
    public List<InteractionRow> Rows { get; private set; } = [];
    public List<string> TagNames { get; private set; } = [];

    public async Task<IActionResult> OnGet(long id, CancellationToken ct)
    {
        Ticket = await tickets.Get(id, ct);
        var pipeline = await pipelines.Get(Ticket.PipelineId, ct);
        PipelineName = pipeline.Name;
        var tagIds = Ticket.Tags.Select(t => t.TagId).ToHashSet();
        TagNames = pipeline.Tags.Where(t => tagIds.Contains(t.Id)).Select(t => t.Name).ToList();
        CompanyName = (await settings.Company(ct)).Name;
        Zone = await settings.TimeZone(ct);
        if (Interactions)
        {
            Rows = await tickets.Interactions(id, newestFirst: false, ct: ct);
        }
        return Page();
    }
}
