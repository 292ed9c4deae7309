using Atende.Core.Common;
using Atende.Core.Pipelines;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages.Settings.Pipelines;

/// <summary>The admin's list of pipelines (fluxos): counts, activate/deactivate, delete.</summary>
public sealed class IndexModel(PipelineService pipelines) : AppPage, IActionPage
{
    public List<PipelineSummary> Pipelines { get; private set; } = [];

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        Pipelines = await pipelines.List(withCounts: true, ct: ct);
        return Page();
    }

    /// <summary>Activates or deactivates a pipeline (from this list or from its form), keeping everything else as stored.</summary>
    public async Task<IActionResult> OnPostSetActive(long id, bool active, CancellationToken ct)
    {
        var pipeline = await pipelines.Get(id, ct);
        var input = new PipelineInput
        {
            Name = pipeline.Name, Alias = pipeline.Alias, Description = pipeline.Description, Active = active,
            AuthorizedUserIds = pipeline.Users.Select(u => u.UserId).ToList(),
        };
        await pipelines.Update(id, pipeline.Version, input, ct);
        Flash(active
            ? $"Fluxo \"{pipeline.Name}\" ativado: volta a aceitar novos atendimentos."
            : $"Fluxo \"{pipeline.Name}\" desativado: não aceita novos atendimentos; os existentes continuam acessíveis.");
        return Redirect("/settings/pipelines");
    }

    /// <summary>Deletes an empty pipeline; one that still holds tickets is refused with their count.</summary>
    public async Task<IActionResult> OnPostDelete(long id, CancellationToken ct)
    {
        var pipeline = await pipelines.Get(id, ct);
        await pipelines.Delete(id, ct);
        Flash($"Fluxo \"{pipeline.Name}\" excluído.");
        return Redirect("/settings/pipelines");
    }

    /// <summary>A refused activation or delete comes back to the list with Core's message.</summary>
    public string? RefusedActionBack(string? handler, Exception refusal) => handler is null ? null : "/settings/pipelines";
}
