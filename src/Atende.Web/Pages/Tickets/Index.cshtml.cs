using Atende.Core.Common;
using Atende.Core.Identity;
using Atende.Core.Pipelines;
using Atende.Core.Settings;
using Atende.Core.Tickets;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages.Tickets;

/// <summary>The ticket list of a pipeline, with its tags, search, filters, order and row actions.</summary>
public sealed class IndexModel(TicketService tickets, TicketFiles files, PipelineService pipelines, SettingsService settings, Caller caller) : AppPage
{
    public const string LastPipelineCookie = "atende.pipeline";

    [BindProperty(SupportsGet = true)] public string? After { get; set; }

    public TicketListContext List { get; private set; } = null!;
    public Pipeline? Pipeline { get; private set; }
    public List<PipelineSummary> Pipelines { get; private set; } = [];
    public Page<TicketRow> Results { get; private set; } = new([], null);
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;
    public DateTimeOffset Now { get; } = Clock.Now();
    public bool IsAdmin => caller.IsAdmin;
    public bool Filtered => !string.IsNullOrWhiteSpace(List.Q) || List.TagId is not null || List.Status is not null;

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        Pipelines = await pipelines.List(ct: ct);
        List = TicketListContext.From(Request.Query);
        // Without a pipeline in the link, the list reopens on the one the user worked in last.
        var last = long.TryParse(Request.Cookies[LastPipelineCookie], out var remembered) && Pipelines.Any(p => p.Id == remembered) ? remembered : (long?)null;
        var pipelineId = List.PipelineId ?? last ?? Pipelines.FirstOrDefault(p => p.Active)?.Id ?? Pipelines.FirstOrDefault()?.Id;
        if (pipelineId is null)
        {
            return Page();
        }
        Pipeline = await pipelines.Get(pipelineId.Value, ct);
        Response.Cookies.Append(LastPipelineCookie, Pipeline.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, MaxAge = TimeSpan.FromDays(365) });
        List = List with { PipelineId = Pipeline.Id };
        if (List.TagId is { } tagId && Pipeline.Tags.All(t => t.Id != tagId))
        {
            List = List with { TagId = null };
        }
        Zone = await settings.TimeZone(ct);
        try
        {
            Results = await tickets.List(List.Filter, After, 50, ct);
        }
        catch (ValidationException)
        {
            After = null;
            Results = await tickets.List(List.Filter, null, 50, ct);
        }
        return Request.Headers.ContainsKey("HX-Request") && !Request.Headers.ContainsKey("HX-Boosted") ? Partial("_TicketResults", this) : Page();
    }

    /// <summary>Row actions (reopen, notify, archive, unarchive, trash, restore, purge), then back to the same list.</summary>
    public async Task<IActionResult> OnPostAction(long id, string action, CancellationToken ct)
    {
        var back = TicketListContext.From(Request.Query).ListUrl();
        try
        {
            var (message, email) = await TicketActions.Run(tickets, files, id, action, ct);
            Flash(message);
            FlashEmail(email);
        }
        catch (Exception e) when (e is ConflictException or ValidationException or ForbiddenException or StaleVersionException)
        {
            FlashError(e.Message);
        }
        return Redirect(back);
    }

    /// <summary>A tag dropped on a row (JavaScript) or chosen in its menu.</summary>
    public async Task<IActionResult> OnPostAddTag(long id, long tagId, CancellationToken ct)
    {
        try
        {
            var ticket = await tickets.AddTag(id, tagId, ct);
            if (Request.Headers.ContainsKey("HX-Request"))
            {
                return new JsonResult(new { ticket.Id, tagIds = ticket.Tags.Select(t => t.TagId) });
            }
            Flash("Etiqueta aplicada.");
        }
        catch (ValidationException e)
        {
            if (Request.Headers.ContainsKey("HX-Request"))
            {
                return BadRequest(new { error = e.Message });
            }
            FlashError(e.Message);
        }
        return Redirect(TicketListContext.From(Request.Query).ListUrl());
    }

    public async Task<IActionResult> OnPostRemoveTag(long id, long tagId, CancellationToken ct)
    {
        var ticket = await tickets.RemoveTag(id, tagId, ct);
        Flash($"Etiqueta retirada de {ticket.Reference}.");
        return Redirect(TicketListContext.From(Request.Query).ListUrl());
    }
}

/// <summary>The one-click ticket actions shared by the list, the board and the ticket page.</summary>
public static class TicketActions
{
    /// <summary>Runs the action; returns its message and, for actions that e-mail, what became of the e-mail.</summary>
    public static async Task<(string Message, EmailOutcome? Email)> Run(TicketService tickets, TicketFiles files, long id, string action, CancellationToken ct)
    {
        switch (action)
        {
            case "reopen":
                var (reopened, reopenEmail) = await tickets.Reopen(id, ct);
                return ($"{reopened.Reference} reaberto.", reopenEmail);
            case "notify":
                var (notified, notifyEmail) = await tickets.Notify(id, ct);
                return (notified.AssigneeId is null ? $"{notified.Reference}: notificação registrada (sem responsável definido)." : $"{notified.Reference}: responsável notificado.", notifyEmail);
            case "archive":
                return ($"{(await tickets.Archive(id, ct)).Reference} arquivado.", null);
            case "unarchive":
                return ($"{(await tickets.Unarchive(id, ct)).Reference} voltou para a lista.", null);
            case "trash":
                return ($"{(await tickets.Trash(id, ct)).Reference} movido para a lixeira.", null);
            case "restore":
                return ($"{(await tickets.Restore(id, ct)).Reference} restaurado.", null);
            case "purge":
                var reference = (await tickets.Get(id, ct)).Reference;
                await files.Purge(id, ct);
                return ($"{reference} excluído definitivamente.", null);
            default:
                throw new ValidationException("action", "Ação desconhecida.");
        }
    }
}
