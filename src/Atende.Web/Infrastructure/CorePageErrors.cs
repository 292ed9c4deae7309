using Atende.Core.Common;
using Atende.Core.Partners;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

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
/// The page filter (registered in AddRazorPages) that turns Core's exceptions into page results, so handlers do not
/// catch them one by one: on a <see cref="IFormPage"/>, a <see cref="ValidationException"/> becomes ModelState errors and
/// the page again; a conflict (<see cref="ConflictException"/>, <see cref="StaleVersionException"/>,
/// <see cref="DuplicateException"/>, a unique value written twice at once) the page with its message. Everything else
/// (not found, forbidden, or any page that is not a form) goes on to the error page with the status
/// <see cref="ApiErrors.ToProblem"/> gives it.
/// </summary>
public sealed class CorePageErrors : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        if (executed.Exception is not { } exception || executed.ExceptionHandled
            || context.HandlerInstance is not (PageModel page and IFormPage form) || ApiErrors.ToProblem(exception) is not { } problem)
        {
            return;
        }
        if (exception is ValidationException validation)
        {
            foreach (var (field, messages) in validation.Errors)
            {
                var key = field.Length == 0 ? "" : form.ErrorPrefix(context.HandlerMethod?.Name) + "." + FieldName(field);
                foreach (var message in messages)
                {
                    page.ModelState.AddModelError(key, message);
                }
            }
        }
        else if (problem.Status is not (StatusCodes.Status409Conflict or StatusCodes.Status412PreconditionFailed) || !form.ShowConflict(page, exception))
        {
            return;
        }
        await form.Redisplay(context.HttpContext.RequestAborted);
        executed.Result = page.Page();
        executed.ExceptionHandled = true;
    }

    /// <summary>An API field name as the form's: "phones[0]" → "Phones[0]", "workspaceId" → "WorkspaceId".</summary>
    public static string FieldName(string field) =>
        string.Join('.', field.Split('.').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
}
