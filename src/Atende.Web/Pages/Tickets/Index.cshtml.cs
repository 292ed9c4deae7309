using Atende.Core.Common;
using Atende.Core.Identity;
using Atende.Core.Pipelines;
using Atende.Core.Settings;
using Atende.Core.Tickets;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Htmx;

namespace Atende.Web.Pages.Tickets;

/// <summary>The ticket list of a pipeline, with its tags, search, filters, order, columns and row actions.</summary>
public sealed class IndexModel(TicketService tickets, TicketFiles files, PipelineService pipelines, SettingsService settings, Caller caller,
    Atende.Core.Sales.QuoteService quotes, UserService users) : AppPage, IActionPage
{
    public const string LastPipelineCookie = "atende.pipeline";

    [BindProperty(SupportsGet = true)] public string? After { get; set; }

    public TicketListContext List { get; private set; } = null!;
    public Pipeline? Pipeline { get; private set; }
    public Page<TicketRow> Results { get; private set; } = new([], null);
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;
    public DateTimeOffset Now { get; } = Clock.Now();
    public bool IsAdmin => caller.IsAdmin;
    public bool Filtered => !string.IsNullOrWhiteSpace(List.Q) || List.TagId is not null || List.Status is not null || List.Narrowed;
    /// <summary>The assignee filter's name ("Responsável: Ana"), when the list has one.</summary>
    public string? AssigneeName { get; private set; }
    /// <summary>The optional columns the user hid (<see cref="Shows"/> decides what the table shows).</summary>
    public IReadOnlySet<TicketSortColumn> HiddenColumns { get; private set; } = TicketColumns.HiddenByDefault;
    /// <summary>This list's query string with its page: where the row actions come back to.</summary>
    public string Back => List.Query(after: After);

    /// <summary>A column shows unless the user hid it; the column the list is sorted by always shows.</summary>
    public bool Shows(TicketSortColumn column) => !HiddenColumns.Contains(column) || List.Sort.Column == column;

    /// <summary>The header's quotes awaiting approval in this pipeline and their total ("a receber"), as far as the caller sees.</summary>
    public Atende.Core.Sales.QuoteTotals? Receivable { get; private set; }

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        await Load(ct);
        if (Request.IsHtmxNonBoosted() && Pipeline is not null)
        {
            return Partial("_TicketResults", this);
        }
        if (Pipeline is not null)
        {
            Receivable = await quotes.Receivable(Pipeline.Id, ct);
        }
        return Page();
    }

    /// <summary>How many tickets the list's filter holds (the selection bar's "todos os N do filtro"), as plain text.</summary>
    public async Task<IActionResult> OnGetCount(CancellationToken ct)
    {
        var list = TicketListContext.From(Request.Query);
        return Content((await tickets.Count(list.Filter, ct)).ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("pt-BR")), "text/plain");
    }

    private async Task Load(CancellationToken ct)
    {
        List = TicketListContext.From(Request.Query);
        var pipelineId = List.PipelineId;
        if (pipelineId is null)
        {
            // Without a pipeline in the link, the list reopens on the one the user worked in last.
            var visible = await pipelines.List(ct: ct);
            var last = long.TryParse(Request.Cookies[LastPipelineCookie], out var remembered) && visible.Any(p => p.Id == remembered) ? remembered : (long?)null;
            pipelineId = last ?? visible.FirstOrDefault(p => p.Active)?.Id ?? visible.FirstOrDefault()?.Id;
            if (pipelineId is null)
            {
                return;
            }
        }
        Pipeline = await pipelines.GetWithTags(pipelineId.Value, ct);
        Response.Cookies.Append(LastPipelineCookie, Pipeline.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, MaxAge = TimeSpan.FromDays(365) });
        List = List with { PipelineId = Pipeline.Id };
        if (List.TagId is { } tagId && Pipeline.Tags.All(t => t.Id != tagId))
        {
            List = List with { TagId = null };
        }
        Zone = await settings.TimeZone(ct);
        if (List.AssigneeId is { } assignee)
        {
            AssigneeName = assignee == TicketFilter.Unassigned ? "ninguém" : await users.StaffName(assignee, ct) ?? "?";
        }
        HiddenColumns = await tickets.HiddenColumns(ct);
        try
        {
            Results = await tickets.List(List.Filter, After, 50, ct);
        }
        // Not a refusal to show: a mangled "after" link opens the first page.
        catch (ValidationException)
        {
            After = null;
            Results = await tickets.List(List.Filter, null, 50, ct);
        }
    }

    /// <summary>The pipeline switcher's entries, loaded when it opens (so the list does not carry every pipeline).</summary>
    public async Task<IActionResult> OnGetPipelines(long? pipelineId, CancellationToken ct) =>
        Partial("_PipelineMenu", new PipelineMenu(pipelineId, await pipelines.List(ct: ct)));

    /// <summary>The list this request came from (filters, order and page), to return to after an action.</summary>
    private string BackUrl() => TicketListContext.From(Request.Query).ListUrl(Request.Query["after"].FirstOrDefault());

    /// <summary>A refused row action (or column choice) goes back to the same list with Core's message.</summary>
    public string? RefusedActionBack(string? handler, Exception refusal) => HttpMethods.IsPost(Request.Method) ? BackUrl() : null;

    public string RefusedActionMessage(string? handler, Exception refusal, string message) =>
        handler == "Assign" ? $"Não foi possível mudar o responsável: {message}" : message;

    /// <summary>A tag dropped on a row with JavaScript: the script shows the error where the tag was dropped.</summary>
    public Task<IActionResult?> RefusedHtmx(string? handler, string message, CancellationToken ct) =>
        Task.FromResult<IActionResult?>(handler == "AddTag" ? BadRequest(new { error = message }) : null);

    /// <summary>"Colunas": shows the checked optional columns and hides the others, remembered for this user.</summary>
    public async Task<IActionResult> OnPostColumns(string[] columns, CancellationToken ct)
    {
        await tickets.ShowColumns(columns, ct);
        if (Request.IsHtmx())
        {
            await Load(ct);
            return Partial("_TicketResults", this);
        }
        Flash("Colunas da lista atualizadas.");
        return Redirect(BackUrl());
    }

    /// <summary>The status menu of a row: changes the status as the ticket page does (history, e-mail to the requester).</summary>
    private async Task<IActionResult> ChangeStatus(long id, string status, CancellationToken ct)
    {
        if (!EnumNames.TryParse<TicketStatus>(status, out var chosen))
        {
            FlashError($"Situação desconhecida: {(status.Length > 40 ? status[..40] + "…" : status)}. Escolha uma das situações do menu.");
            return Redirect(BackUrl());
        }
        var (ticket, email) = await tickets.ChangeStatus(id, chosen, ct: ct);
        Flash(email is null ? $"{ticket.Reference} já está {TicketView.Status(chosen)}." : $"{ticket.Reference}: situação alterada para {TicketView.Status(chosen)}.");
        FlashEmail(email);
        return Redirect(BackUrl());
    }

    /// <summary>The assignee menu of a row, loaded when it opens (so the list does not carry every user in every row).</summary>
    public async Task<IActionResult> OnGetAssignees(long id, CancellationToken ct)
    {
        var ticket = await tickets.Get(id, ct);
        var assignable = await tickets.Assignable(ticket.PipelineId, ticket.WorkspaceId, ct);
        return Partial("_AssigneeMenu", new AssigneeMenu(ticket.Id, ticket.Reference, ticket.AssigneeId, caller.UserId, assignable,
            TicketListContext.From(Request.Query).Query(after: Request.Query["after"].FirstOrDefault())));
    }

    /// <summary>"Atribuir a mim", another user or nobody ("" ) from the row's assignee menu.</summary>
    public async Task<IActionResult> OnPostAssign(long id, string? assigneeId, CancellationToken ct)
    {
        long? chosen = null;
        if (!string.IsNullOrWhiteSpace(assigneeId))
        {
            if (!long.TryParse(assigneeId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var userId))
            {
                FlashError($"Responsável inválido: {assigneeId}. Escolha um usuário do menu.");
                return Redirect(BackUrl());
            }
            chosen = userId;
        }
        var (ticket, name) = await tickets.Assign(id, null, chosen, ct);
        Flash(name is null ? $"{ticket.Reference}: agora sem responsável." : $"{ticket.Reference}: responsável alterado para {name}.");
        return Redirect(BackUrl());
    }

    /// <summary>
    /// Row actions (reopen, notify, archive, unarchive, trash, restore, purge) or, from the row's status menu, a new
    /// <paramref name="status"/>; then back to the same list.
    /// </summary>
    public async Task<IActionResult> OnPostAction(long id, string? action, string? status, CancellationToken ct)
    {
        if (action is null && status is not null)
        {
            return await ChangeStatus(id, status, ct);
        }
        var (message, email) = await TicketActions.Run(tickets, files, id, action ?? "", ct);
        Flash(message);
        FlashEmail(email);
        return Redirect(BackUrl());
    }

    /// <summary>A tag dropped on a row (JavaScript) or chosen in its menu.</summary>
    public async Task<IActionResult> OnPostAddTag(long id, long tagId, CancellationToken ct)
    {
        var ticket = await tickets.AddTag(id, tagId, ct);
        if (Request.IsHtmx())
        {
            return new JsonResult(new { ticket.Id, tagIds = ticket.Tags.Select(t => t.TagId) });
        }
        Flash("Etiqueta aplicada.");
        return Redirect(BackUrl());
    }

    public async Task<IActionResult> OnPostRemoveTag(long id, long tagId, CancellationToken ct)
    {
        var ticket = await tickets.RemoveTag(id, tagId, ct);
        Flash($"Etiqueta retirada de {ticket.Reference}.");
        return Redirect(BackUrl());
    }
}

/// <summary>A row's assignee menu: "Atribuir a mim", the users who may be assigned, "Sem responsável".</summary>
/// <param name="Back">The list's query string, where the choice returns to.</param>
public sealed record AssigneeMenu(long TicketId, string Reference, long? CurrentId, long MeId, IReadOnlyList<User> Users, string Back)
{
    public bool MeAssignable => Users.Any(u => u.Id == MeId);
    public string Action => $"/tickets{(Back.Length == 0 ? "?" : Back + "&")}handler=Assign&id={TicketId}";
}

/// <summary>The pipeline switcher's entries; <paramref name="CurrentId"/> is the list's pipeline.</summary>
public sealed record PipelineMenu(long? CurrentId, IReadOnlyList<PipelineSummary> Pipelines);

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
