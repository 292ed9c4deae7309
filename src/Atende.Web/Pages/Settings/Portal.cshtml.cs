using Atende.Core.Pipelines;
using Atende.Core.Settings;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages.Settings;

/// <summary>Configurações → Portal do cliente: where portal requests go, what the form asks, who may reopen.</summary>
public sealed class PortalModel(SettingsService settings, PipelineService pipelines) : AppPage, IFormPage
{
    public sealed class PortalInput
    {
        public long? PipelineId { get; set; }
        public PortalForm Form { get; set; } = PortalForm.Subcategory;
        public PortalReopen Reopen { get; set; } = PortalReopen.Requester;
    }

    [BindProperty] public PortalInput Input { get; set; } = new();

    public List<PipelineSummary> Pipelines { get; private set; } = [];

    public async Task OnGet(CancellationToken ct)
    {
        var company = await settings.Company(ct);
        Input = new PortalInput { PipelineId = company.PortalPipelineId, Form = company.PortalForm, Reopen = company.PortalReopen };
        await Redisplay(ct);
    }

    public async Task<IActionResult> OnPost(CancellationToken ct)
    {
        await settings.UpdatePortal(Input.PipelineId, Input.Form, Input.Reopen, ct);
        Flash(Input.PipelineId is null ? "Portal salvo: ele não recebe novos pedidos." : "Portal salvo.");
        return Redirect("/settings/portal");
    }

    public async Task Redisplay(CancellationToken ct) => Pipelines = await pipelines.List(activeOnly: true, ct: ct);
}
