using Atende.Core.Common;
using Atende.Core.Identity;
using Atende.Core.Pipelines;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Htmx;

namespace Atende.Web.Pages.Pipelines;

/// <summary>
/// The tags (etiquetas) of one pipeline: create, rename, recolor, delete, reorder. Admins and the agents authorized on
/// the pipeline may manage them (the service decides). Every form posts normally; with htmx the panel is swapped in place.
/// </summary>
public sealed class TagsModel(PipelineService pipelines, Caller caller) : AppPage
{
    public sealed class TagForm
    {
        public long TagId { get; set; }
        /// <summary>The version of the tag the form showed: a change made meanwhile by someone else is refused, not overwritten.</summary>
        public int Version { get; set; } = Versions.Any;
        public string? Name { get; set; }
        public string? Color { get; set; }
    }

    [BindProperty(Name = "Form")] public TagForm Form { get; set; } = new();

    public long PipelineId { get; private set; }
    public string PipelineName { get; private set; } = "";
    public string PipelineAlias { get; private set; } = "";
    public bool PipelineActive { get; private set; }
    public List<Tag> Tags { get; private set; } = [];
    /// <summary>"create" or "update:{tagId}" after a refused post: that form shows its errors and keeps what was typed.</summary>
    public string? Failed { get; private set; }
    /// <summary>A refusal about the list as a whole (order, delete), shown above it.</summary>
    public string? Error { get; private set; }
    /// <summary>What the last change did, announced after an htmx swap (full pages use the flash message).</summary>
    public string? Notice { get; private set; }
    /// <summary>The id of the element to focus after the change.</summary>
    public string? FocusId { get; private set; }

    public bool IsAdmin => caller.IsAdmin;
    public bool IsHtmx => Request.IsHtmx();
    public string Action(string handler) => $"/pipelines/{PipelineId}/tags?handler={handler}";

    public async Task<IActionResult> OnGet(long id, CancellationToken ct)
    {
        FocusId = TempData["TagFocus"] as string;
        await Load(id, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostCreate(long id, CancellationToken ct)
    {
        try
        {
            var tag = await pipelines.CreateTag(id, new TagInput { Name = Form.Name, Color = Form.Color }, ct);
            return await Done(id, $"Etiqueta \"{tag.Name}\" criada.", "new-tag-name", ct);
        }
        catch (ValidationException e)
        {
            ShowErrors(e, nameof(Form));
            return await Refused(id, "create", "new-tag-name", ct);
        }
    }

    public async Task<IActionResult> OnPostUpdate(long id, CancellationToken ct)
    {
        try
        {
            var tag = await pipelines.UpdateTag(id, Form.TagId, Form.Version, new TagInput { Name = Form.Name ?? "", Color = Form.Color }, ct);
            // htmx keeps the focus on the field used (name or color); a full page goes back to the name.
            return await Done(id, $"Etiqueta \"{tag.Name}\" salva.", IsHtmx ? null : $"tag-{tag.Id}-name", ct);
        }
        catch (ValidationException e)
        {
            ShowErrors(e, nameof(Form));
            var field = e.Errors.ContainsKey("name") ? "name" : "color";
            return await Refused(id, $"update:{Form.TagId}", $"tag-{Form.TagId}-{field}", ct);
        }
        catch (NotFoundException e)
        {
            return await ListError(id, e.Message + " Talvez alguém a tenha excluído.", ct);
        }
        catch (StaleVersionException e)
        {
            return await ListError(id, e.Message, ct);
        }
    }

    public async Task<IActionResult> OnPostDelete(long id, long tagId, CancellationToken ct)
    {
        var tag = (await pipelines.Tags(id, ct)).FirstOrDefault(t => t.Id == tagId);
        if (tag is null)
        {
            return await ListError(id, "Etiqueta não encontrada. Talvez alguém já a tenha excluído.", ct);
        }
        await pipelines.DeleteTag(id, tagId, ct);
        return await Done(id, $"Etiqueta \"{tag.Name}\" excluída. Os atendimentos que a usavam apenas deixam de tê-la.", "new-tag-name", ct);
    }

    /// <summary>Moves one tag a place up (offset -1) or down (+1): the keyboard's way to reorder, and the one that works without JavaScript.</summary>
    public async Task<IActionResult> OnPostMove(long id, long tagId, int offset, CancellationToken ct)
    {
        var order = (await pipelines.Tags(id, ct)).ToList();
        var from = order.FindIndex(t => t.Id == tagId);
        if (from < 0)
        {
            return await ListError(id, "Etiqueta não encontrada. Talvez alguém a tenha excluído.", ct);
        }
        var to = Math.Clamp(from + Math.Sign(offset), 0, order.Count - 1);
        var tag = order[from];
        order.RemoveAt(from);
        order.Insert(to, tag);
        try
        {
            await pipelines.ReorderTags(id, order.Select(t => t.Id).ToList(), ct);
        }
        catch (ValidationException e)
        {
            return await ListError(id, e.Message, ct);
        }
        // Focus stays on the button used, or moves to the other one when the tag reached an end of the list.
        var up = offset < 0;
        var focus = (up && to == 0) || (!up && to == order.Count - 1) ? (up ? "down" : "up") : (up ? "up" : "down");
        if (order.Count == 1)
        {
            focus = "name";
        }
        return await Done(id, $"\"{tag.Name}\" agora é a etiqueta {to + 1} de {order.Count}.", $"tag-{tag.Id}-{focus}", ct);
    }

    /// <summary>Saves the order left by drag and drop: every tag of the pipeline, once, in the new order.</summary>
    public async Task<IActionResult> OnPostReorder(long id, long[] tagIds, CancellationToken ct)
    {
        try
        {
            await pipelines.ReorderTags(id, tagIds, ct);
        }
        catch (ValidationException e)
        {
            return await ListError(id, e.Message + " A lista foi recarregada com a ordem salva.", ct);
        }
        return await Done(id, "Nova ordem das etiquetas salva.", null, ct);
    }

    private async Task<IActionResult> Done(long id, string notice, string? focusId, CancellationToken ct)
    {
        if (!IsHtmx)
        {
            Flash(notice);
            TempData["TagFocus"] = focusId;
            return Redirect($"/pipelines/{id}/tags");
        }
        Notice = notice;
        FocusId = focusId;
        await Load(id, ct);
        return Partial("_TagPanel", this);
    }

    /// <summary>A refused form: shown again with its errors next to the fields (htmx gets the panel with 200, so it swaps it).</summary>
    private async Task<IActionResult> Refused(long id, string failed, string focusId, CancellationToken ct)
    {
        Failed = failed;
        FocusId = focusId;
        await Load(id, ct);
        return IsHtmx ? Partial("_TagPanel", this) : Page();
    }

    private async Task<IActionResult> ListError(long id, string message, CancellationToken ct)
    {
        if (!IsHtmx)
        {
            FlashError(message);
            return Redirect($"/pipelines/{id}/tags");
        }
        Error = message;
        await Load(id, ct);
        return Partial("_TagPanel", this);
    }

    private async Task Load(long id, CancellationToken ct)
    {
        var pipeline = await pipelines.Get(id, ct);
        PipelineId = pipeline.Id;
        PipelineName = pipeline.Name;
        PipelineAlias = pipeline.Alias;
        PipelineActive = pipeline.Active;
        Tags = await pipelines.Tags(id, ct);
    }
}
