using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Atende.Web.Pages;

[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class ErrorModel : PageModel
{
    public int Status { get; private set; }

    /// <summary>The pt-BR message of a request refused by Core (bad input, a conflict), shown instead of the generic text.</summary>
    public string? Message { get; private set; }

    public void OnGet(int? code) => Set(code);

    public void OnPost(int? code) => Set(code);

    private void Set(int? code)
    {
        var exception = HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error;
        Status = code ?? (exception is null ? 500 : Infrastructure.ApiErrors.ToProblem(exception)?.Status ?? 500);
        Response.StatusCode = Status;
        Message = exception is Core.Common.ValidationException or Core.Common.ConflictException or Core.Common.StaleVersionException
            or Core.Partners.DuplicateException ? exception.Message : null;
    }
}
