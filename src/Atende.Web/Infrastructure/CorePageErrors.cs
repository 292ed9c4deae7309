using Atende.Core.Common;
using Atende.Core.Partners;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Htmx;

namespace Atende.Web.Infrastructure;

/// <summary>
/// A page whose form, refused by Core, is shown again with what the user typed: the page filter
/// <see cref="CorePageErrors"/> puts the errors into ModelState and asks the page to load what it shows beside the form.
/// </summary>
public interface IFormPage
{
    /// <summary>
    /// The ModelState prefix of the fields of the form <paramref name="handler"/> (e.g. "Create" for OnPostCreate, null for
    /// OnPost) posts: "Input" → <c>Input.Name</c> for the error on "name".
    /// </summary>
    string ErrorPrefix(string? handler) => "Input";

    /// <summary>Loads what the page shows around the form (lists, the stored record), as the page's GET does.</summary>
    Task Redisplay(CancellationToken ct);

    /// <summary>The answer that shows the form again: the page, or (e.g. for htmx) the partial that holds the form.</summary>
    IActionResult Redisplayed(PageModel page) => page.Page();

    /// <summary>
    /// Shows a conflict (stale version, duplicate, state conflict) message; by default a form-level error in the summary.
    /// Returns false to let the error page answer instead.
    /// </summary>
    bool ShowConflict(PageModel page, Exception conflict)
    {
        page.ModelState.AddModelError("", conflict.Message);
        return true;
    }
}

/// <summary>
/// A form page with its own notice for a stale version (above the form, saying who changed the record), instead of a line in
/// the error summary; other conflicts go to the error page.
/// </summary>
public interface IStaleNoticePage : IFormPage
{
    string? StaleMessage { get; set; }

    bool IFormPage.ShowConflict(PageModel page, Exception conflict)
    {
        if (conflict is not StaleVersionException)
        {
            return false;
        }
        StaleMessage = conflict.Message;
        return true;
    }
}

/// <summary>
/// A page whose one-click actions (a row's button, a menu choice), refused by Core, go back where the user was with the
/// refusal flashed as an error (<see cref="AppPage.FlashError"/>): the page filter <see cref="CorePageErrors"/> asks the page
/// where that is. A not found stays the error page's 404 (the thing is not there, or not the caller's to see) unless the
/// page says it is a refusal too (<see cref="FlashesNotFound"/>).
/// </summary>
public interface IActionPage
{
    /// <summary>
    /// Where the refused action of <paramref name="handler"/> (e.g. "Delete" for OnPostDelete, null for OnGet/OnPost)
    /// goes back to, or null when that refusal is not an action's (a form's, or the error page's).
    /// </summary>
    string? RefusedActionBack(string? handler, Exception refusal);

    /// <summary>Whether a not found refuses the action of <paramref name="handler"/> like any refusal: a row deleted meanwhile (retry, delete).</summary>
    bool FlashesNotFound(string? handler) => false;

    /// <summary>The message flashed; by default Core's own (<paramref name="message"/>).</summary>
    string RefusedActionMessage(string? handler, Exception refusal, string message) => message;

    /// <summary>
    /// What an htmx request answers instead of the redirect (the swapped partial with the error, a JSON error the
    /// script shows); by default null, the same redirect.
    /// </summary>
    Task<IActionResult?> RefusedHtmx(string? handler, string message, CancellationToken ct) => Task.FromResult<IActionResult?>(null);
}

/// <summary>
/// The page filter (registered in AddRazorPages) that turns Core's exceptions into page results, so handlers do not
/// catch them one by one: on a <see cref="IFormPage"/>, a <see cref="ValidationException"/> becomes ModelState errors and
/// the page again; a conflict (<see cref="ConflictException"/>, <see cref="StaleVersionException"/>,
/// <see cref="DuplicateException"/>, a unique value written twice at once) the page with its message. On an
/// <see cref="IActionPage"/>, a refused action (any of those, or forbidden; not found where the page says so) is flashed as
/// an error and the user is sent back where the page says (htmx may get the page's own answer). Everything else goes on
/// to the error page with the status <see cref="ApiErrors.ToProblem"/> gives it.
/// </summary>
public sealed class CorePageErrors : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        if (executed.Exception is not { } exception || executed.ExceptionHandled
            || context.HandlerInstance is not PageModel page || ApiErrors.ToProblem(exception) is not { Status: < 500 } problem)
        {
            return;
        }
        var handler = context.HandlerMethod?.Name;
        if (page is AppPage app and IActionPage action && (exception is not NotFoundException || action.FlashesNotFound(handler))
            && action.RefusedActionBack(handler, exception) is { } back)
        {
            var message = action.RefusedActionMessage(handler, exception, problem.Detail ?? exception.Message);
            if (page.Request.IsHtmx() && await action.RefusedHtmx(handler, message, context.HttpContext.RequestAborted) is { } answer)
            {
                executed.Result = answer;
            }
            else
            {
                app.FlashError(message);
                executed.Result = new RedirectResult(back);
            }
            executed.ExceptionHandled = true;
        }
        else if (page is IFormPage form && await ShowOnForm(page, form, handler, exception, problem, context.HttpContext.RequestAborted))
        {
            executed.Result = form.Redisplayed(page);
            executed.ExceptionHandled = true;
        }
    }

    /// <summary>Puts a validation error or a conflict on the form and loads the page around it; false for other refusals.</summary>
    private static async Task<bool> ShowOnForm(PageModel page, IFormPage form, string? handler, Exception exception, ProblemDetails problem, CancellationToken ct)
    {
        if (exception is ValidationException validation)
        {
            foreach (var (field, messages) in validation.Errors)
            {
                var key = field.Length == 0 ? "" : form.ErrorPrefix(handler) + "." + FieldName(field);
                foreach (var message in messages)
                {
                    page.ModelState.AddModelError(key, message);
                }
            }
        }
        else if (problem.Status is not (StatusCodes.Status409Conflict or StatusCodes.Status412PreconditionFailed) || !form.ShowConflict(page, exception))
        {
            return false;
        }
        await form.Redisplay(ct);
        return true;
    }

    /// <summary>An API field name as the form's: "phones[0]" → "Phones[0]", "workspaceId" → "WorkspaceId".</summary>
    public static string FieldName(string field) =>
        string.Join('.', field.Split('.').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
}
