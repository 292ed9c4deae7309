using Atende.Core.Common;
using Atende.Core.Pipelines;
using Atende.Core.Tickets;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages.Tickets;

/// <summary>Moves a ticket to another pipeline the user may see; its tags follow by name.</summary>
public sealed class MoveModel(TicketService tickets, PipelineService pipelines) : AppPage
{
    [BindProperty] public long? TargetPipelineId { get; set; }

    public Ticket Ticket { get; private set; } = null!;
    public List<PipelineSummary> Targets { get; private set; } = [];
    public string Context { get; private set; } = "";

    public async Task<IActionResult> OnGet(long id, CancellationToken ct)
    {
        await Load(id, ct);
        return Page();
    }

    public async Task<IActionResult> OnPost(long id, CancellationToken ct)
    {
        await Load(id, ct);
        if (TargetPipelineId is null)
        {
            ModelState.AddModelError(nameof(TargetPipelineId), "Escolha o fluxo de destino.");
            return Page();
        }
        try
        {
            var moved = await tickets.Move(id, TargetPipelineId.Value, ct);
            var target = Targets.First(t => t.Id == moved.PipelineId);
            Flash($"{moved.Reference} movido para {target.Name}.");
            return Redirect($"/tickets/{id}?from.pipelineId={moved.PipelineId}");
        }
        // Every refusal is shown on the one field, the target pipeline, whatever Core names.
        catch (Exception e) when (e is ValidationException or ConflictException)
        {
            ModelState.AddModelError(nameof(TargetPipelineId), e.Message);
            return Page();
        }
    }

    private async Task Load(long id, CancellationToken ct)
    {
        Ticket = await tickets.Get(id, ct);
        Targets = (await pipelines.List(activeOnly: true, ct: ct)).Where(p => p.Id != Ticket.PipelineId).ToList();
        Context = TicketListContext.From(Request.Query, "from.").Query("from.");
    }
}
