using Atende.Core.Common;
using Atende.Core.Partners;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Infrastructure;

/// <summary>
/// Turns the Core's exceptions into RFC 9457 problem details for the API, and gives the pages' error page its status:
/// the one mapping of expected failures (bad input, not found, conflicts, stale versions, a unique value written twice
/// at once) for both.
/// </summary>
public sealed class ApiErrors(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var path = context.Features.Get<IExceptionHandlerFeature>()?.Path ?? context.Request.Path;
        if (!path.StartsWith("/api", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var problem = ToProblem(exception);
        if (problem is null)
        {
            return false;
        }
        context.Response.StatusCode = problem.Status ?? 500;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>Expected outcomes (bad input, not found, stale version…) are answers, not errors worth logging.</summary>
    public static bool IsExpected(ExceptionHandlerSuppressDiagnosticsContext context) => ToProblem(context.Exception) is { Status: < 500 };

    public const string ConcurrentWriteMessage = "Outra requisição gravou o mesmo dado ao mesmo tempo. Recarregue e confira.";

    public const string TooLargeMessage = "A requisição passa do tamanho que o servidor aceita. Envie menos arquivos de cada vez ou arquivos menores.";

    public static ProblemDetails? ToProblem(Exception exception) => exception switch
    {
        ValidationException v => new HttpValidationProblemDetails(v.Errors.ToDictionary(e => e.Key, e => e.Value))
        {
            Status = 400, Title = "Dados inválidos.", Detail = v.Message,
        },
        DuplicateException d => new ProblemDetails
        {
            Status = 409, Title = "Possível duplicidade.", Detail = d.Message + " Reenvie com confirmDuplicates=true para salvar mesmo assim.",
            Extensions = { ["duplicates"] = d.Warnings.Select(w => new { field = w.Field, message = w.Message, partnerId = w.PartnerId, partnerName = w.PartnerName }).ToList() },
        },
        NotFoundException n => new ProblemDetails { Status = 404, Title = "Não encontrado.", Detail = n.Message },
        ForbiddenException f => new ProblemDetails { Status = 403, Title = "Proibido.", Detail = f.Message },
        StaleVersionException s => new ProblemDetails { Status = 412, Title = "Versão desatualizada.", Detail = s.Message },
        ConflictException c => new ProblemDetails { Status = 409, Title = "Conflito.", Detail = c.Message },
        TooManyRequestsException t => new ProblemDetails { Status = 429, Title = "Muitas requisições.", Detail = t.Message },
        Microsoft.EntityFrameworkCore.DbUpdateException u when Core.Data.DbErrors.IsUniqueViolation(u) => new ProblemDetails
        {
            Status = 409, Title = "Conflito.", Detail = ConcurrentWriteMessage,
        },
        Api.PreconditionRequiredException p => new ProblemDetails { Status = 428, Title = "If-Match obrigatório.", Detail = p.Message },
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => new ProblemDetails
        {
            Status = 413, Title = "Envio grande demais.", Detail = TooLargeMessage,
        },
        BadHttpRequestException { InnerException: System.Text.Json.JsonException { Path.Length: > 2 } json } => JsonFieldProblem(json),
        BadHttpRequestException b => new ProblemDetails { Status = b.StatusCode, Title = "Requisição inválida.", Detail = b.Message },
        _ => null,
    };

    /// <summary>A body whose JSON reads but holds a wrong value (<c>"status": "Open,Done"</c>, text for a number): a 400 naming the field.</summary>
    private static HttpValidationProblemDetails JsonFieldProblem(System.Text.Json.JsonException json)
    {
        var field = json.Path!.TrimStart('$', '.');
        // System.Text.Json's own messages are English and end with the path; ours (ApiEnumConverter) are pt-BR.
        var message = json.Message.Contains("Path:", StringComparison.Ordinal) ? "Valor inválido: tipo ou formato errado." : json.Message;
        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = 400, Title = "Dados inválidos.", Detail = $"{field}: {message}",
        };
    }

}
