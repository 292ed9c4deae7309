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
public sealed class TagsModel(PipelineService pipelines, Caller caller) : AppPage, IFormPage, IActionPage
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
        var tag = await pipelines.CreateTag(id, new TagInput { Name = Form.Name, Color = Form.Color }, ct);
        return await Done(id, $"Etiqueta \"{tag.Name}\" criada.", "new-tag-name", ct);
    }

    public async Task<IActionResult> OnPostUpdate(long id, CancellationToken ct)
    {
        var tag = await pipelines.UpdateTag(id, Form.TagId, Form.Version, new TagInput { Name = Form.Name ?? "", Color = Form.Color }, ct);
        // htmx keeps the focus on the field used (name or color); a full page goes back to the name.
        return await Done(id, $"Etiqueta \"{tag.Name}\" salva.", IsHtmx ? null : $"tag-{tag.Id}-name", ct);
    }

    public async Task<IActionResult> OnPostDelete(long id, long tagId, CancellationToken ct)
    {
        var tag = (await pipelines.Tags(id, ct)).FirstOrDefault(t => t.Id == tagId);
        if (tag is null)
        {
            throw new ConflictException("Etiqueta não encontrada. Talvez alguém já a tenha excluído.");
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
            throw new ConflictException("Etiqueta não encontrada. Talvez alguém a tenha excluído.");
        }
        var to = Math.Clamp(from + Math.Sign(offset), 0, order.Count - 1);
        var tag = order[from];
        order.RemoveAt(from);
        order.Insert(to, tag);
        await pipelines.ReorderTags(id, order.Select(t => t.Id).ToList(), ct);
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
        await pipelines.ReorderTags(id, tagIds, ct);
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

    /// <summary>The pipeline of the address (/pipelines/{id}/tags).</summary>
    private long RouteId => long.Parse((string)RouteData.Values["id"]!, System.Globalization.CultureInfo.InvariantCulture);

    public string ErrorPrefix(string? handler) => nameof(Form);

    /// <summary>
    /// A refused create or rename: that form shows its errors and keeps what was typed, the focus on the (first) wrong
    /// field; the create form carries no tag id.
    /// </summary>
    public async Task Redisplay(CancellationToken ct)
    {
        var field = ModelState[$"{nameof(Form)}.{nameof(TagForm.Name)}"] is { Errors.Count: > 0 } ? "name" : "color";
        (Failed, FocusId) = Form.TagId == 0 ? ("create", "new-tag-name") : ($"update:{Form.TagId}", $"tag-{Form.TagId}-{field}");
        await Load(RouteId, ct);
    }

    /// <summary>htmx gets the panel with 200, so it swaps it.</summary>
    public IActionResult Redisplayed(Microsoft.AspNetCore.Mvc.RazorPages.PageModel page) => IsHtmx ? Partial("_TagPanel", this) : Page();

    /// <summary>A form's invalid values are shown on it; any other refusal (stale, deleted meanwhile, order) above the list.</summary>
    public string? RefusedActionBack(string? handler, Exception refusal) =>
        !HttpMethods.IsPost(Request.Method) || (handler is "Create" or "Update" && refusal is ValidationException) ? null : $"/pipelines/{RouteId}/tags";

    /// <summary>A tag deleted meanwhile while its row was being renamed.</summary>
    public bool FlashesNotFound(string? handler) => handler == "Update";

    public string RefusedActionMessage(string? handler, Exception refusal, string message) => (handler, refusal) switch
    {
        ("Update", NotFoundException) => message + " Talvez alguém a tenha excluído.",
        ("Reorder", ValidationException) => message + " A lista foi recarregada com a ordem salva.",
        _ => message,
    };

    /// <summary>htmx swaps the panel in place, with the refusal above the list.</summary>
    public async Task<IActionResult?> RefusedHtmx(string? handler, string message, CancellationToken ct)
    {
        Error = message;
        await Load(RouteId, ct);
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
