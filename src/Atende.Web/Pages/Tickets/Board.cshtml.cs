using Atende.Core.Common;
using Atende.Core.Pipelines;
using Atende.Core.Settings;
using Atende.Core.Tickets;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Htmx;

namespace Atende.Web.Pages.Tickets;

/// <summary>The board: one column per tag of the pipeline; moving a card between columns swaps those tags.</summary>
public sealed class BoardModel(TicketService tickets, PipelineService pipelines, SettingsService settings) : AppPage, IActionPage
{
    public const int CardsPerColumn = 50;

    [BindProperty(SupportsGet = true)] public long? PipelineId { get; set; }

    public Pipeline? Pipeline { get; private set; }
    public List<PipelineSummary> Pipelines { get; private set; } = [];
    public List<(Tag Tag, Page<TicketRow> Cards)> Columns { get; } = [];
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;
    public DateTimeOffset Now { get; } = Clock.Now();

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        Pipelines = await pipelines.List(ct: ct);
        var id = PipelineId ?? Pipelines.FirstOrDefault(p => p.Active)?.Id;
        if (id is null)
        {
            return Redirect("/tickets");
        }
        Pipeline = await pipelines.Get(id.Value, ct);
        Zone = await settings.TimeZone(ct);
        var cards = await tickets.Board(Pipeline.Id, Pipeline.Tags.Select(t => t.Id).ToList(), CardsPerColumn, ct);
        Columns.AddRange(Pipeline.Tags.Select(tag => (tag, cards[tag.Id])));
        return Page();
    }

    /// <summary>A card moved from one column to another: the ticket loses the first tag and gets the second.</summary>
    public async Task<IActionResult> OnPostMove(long id, long? fromTagId, long toTagId, CancellationToken ct)
    {
        var ticket = await tickets.Get(id, ct);
        var tagIds = ticket.Tags.Select(t => t.TagId).Where(t => t != fromTagId).Append(toTagId).Distinct().ToList();
        await tickets.SetTags(id, tagIds, ct);
        if (Request.IsHtmx())
        {
            return new JsonResult(new { ok = true });
        }
        Flash($"{ticket.Reference} movido.");
        return Redirect($"/tickets/board?pipelineId={PipelineId}");
    }

    /// <summary>A refused move goes back to the board with Core's message.</summary>
    public string? RefusedActionBack(string? handler, Exception refusal) => handler == "Move" ? $"/tickets/board?pipelineId={PipelineId}" : null;

    /// <summary>A card dragged with JavaScript: the script puts the card back and shows the error.</summary>
    public Task<IActionResult?> RefusedHtmx(string? handler, string message, CancellationToken ct) =>
        Task.FromResult<IActionResult?>(BadRequest(new { error = message }));
}
