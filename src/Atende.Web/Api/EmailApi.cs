using Atende.Core.Queue;
using Atende.Core.Common;
using Atende.Core.Email;
using Atende.Web.Infrastructure;

namespace Atende.Web.Api;

public sealed record SmtpWrite(string? Host, int? Port, SmtpSecurity Security = SmtpSecurity.Auto, string? UserName = null, string? Password = null,
    bool ClearPassword = false, string? FromName = null, string? FromAddress = null) : IJsonBody<SmtpWrite>;
public sealed record TestEmailWrite(string? To) : IJsonBody<TestEmailWrite>;

/// <summary>The company's SMTP settings, the test e-mail and the outbox (admins only).</summary>
public static class EmailApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var smtp = api.MapGroup("/settings/smtp").RequireAuthorization(Auth.AdminPolicy).WithTags("Settings");
        smtp.MapGet("/", async (EmailSettingsService settings, CancellationToken ct) => TypedResults.Ok(SmtpDto(await settings.Get(ct))));
        smtp.MapPut("/", async (SmtpWrite body, EmailSettingsService settings, CancellationToken ct) =>
            TypedResults.Ok(SmtpDto(await settings.Update(new SmtpInput
            {
                Host = body.Host, Port = body.Port, Security = body.Security, UserName = body.UserName, Password = body.Password,
                ClearPassword = body.ClearPassword, FromName = body.FromName, FromAddress = body.FromAddress,
            }, ct))));
        smtp.MapPost("/test", async (TestEmailWrite body, EmailSettingsService settings, CancellationToken ct) =>
        {
            var result = await settings.SendTest(body.To, ct);
            return TypedResults.Ok(new { sent = result.Sent, message = result.Message });
        });

        var outbox = api.MapGroup("/outbox").RequireAuthorization(Auth.AdminPolicy).WithTags("Outbox");
        outbox.MapGet("/", async (OutboxService service, string? status, long? ticketId, string? after, int? limit, CancellationToken ct) =>
        {
            var page = await service.List(ParseStatus(status), ticketId, after, limit ?? 50, ct);
            return TypedResults.Ok(new { items = page.Items.Select(OutboxDto), next = page.Next });
        });
        outbox.MapPost("/{id:long}/retry", async (long id, OutboxService service, CancellationToken ct) =>
            TypedResults.Ok(OutboxDto(await service.Retry(id, ct))));
    }

    private static LeaseStatus? ParseStatus(string? status)
    {
        if (string.IsNullOrWhiteSpace(status))
        {
            return null;
        }
        return EnumNames.TryParse<LeaseStatus>(status, out var parsed)
            ? parsed
            : throw new ValidationException("status", $"Situação desconhecida: {status}. Use Pending, Sent ou Dead.");
    }

    private static object SmtpDto(SmtpView s) => new
    {
        host = s.Host, port = s.Port, security = s.Security, userName = s.UserName, passwordSet = s.PasswordSet,
        fromName = s.FromName, fromAddress = s.FromAddress, configured = s.Configured,
    };

    private static object OutboxDto(OutboxRow r) => new
    {
        id = r.Id, to = r.To, subject = r.Subject, ticketId = r.TicketId, ticketReference = r.TicketReference, messageId = r.MessageId,
        status = r.Status, attempts = r.Attempts, nextAttemptAt = r.NextAttemptAt, lastError = r.LastError, createdAt = r.CreatedAt,
        sentAt = r.SentAt, attachments = r.AttachmentCount,
    };
}
