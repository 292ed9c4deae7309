using Atende.Core.Queue;
using Atende.Core.Common;
using Atende.Core.Email;
using Atende.Web.Infrastructure;

namespace Atende.Web.Api;

public sealed record SmtpWrite(string? Host, int? Port, SmtpSecurity Security = SmtpSecurity.Auto, string? UserName = null, string? Password = null,
    bool ClearPassword = false, string? FromName = null, string? FromAddress = null) : IJsonBody<SmtpWrite>;
public sealed record TestEmailWrite(string? To) : IJsonBody<TestEmailWrite>;

/// <summary>What the test e-mail did: <see cref="Message"/> says it in pt-BR either way.</summary>
public sealed record TestEmailResultDto(bool Sent, string Message);

/// <summary>An e-mail of the outbox; <see cref="Attachments"/> is how many files it carries.</summary>
public sealed record OutboxItemDto(long Id, string To, string Subject, long? TicketId, string? TicketReference, string? MessageId, LeaseStatus Status, int Attempts,
    DateTimeOffset NextAttemptAt, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? SentAt, int Attachments);

/// <summary>The company's SMTP settings, the test e-mail and the outbox (admins only).</summary>
public static class EmailApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var smtp = api.MapGroup("/settings/smtp").RequireAuthorization(Auth.AdminPolicy).WithTags("Settings");
        smtp.MapGet("/", static async (EmailSettingsService settings, CancellationToken ct) => TypedResults.Ok((await settings.Get(ct))));
        smtp.MapPut("/", static async (SmtpWrite body, EmailSettingsService settings, CancellationToken ct) =>
            TypedResults.Ok((await settings.Update(new SmtpInput
            {
                Host = body.Host, Port = body.Port, Security = body.Security, UserName = body.UserName, Password = body.Password,
                ClearPassword = body.ClearPassword, FromName = body.FromName, FromAddress = body.FromAddress,
            }, ct))));
        smtp.MapPost("/test", static async (TestEmailWrite body, EmailSettingsService settings, CancellationToken ct) =>
        {
            var result = await settings.SendTest(body.To, ct);
            return TypedResults.Ok(new TestEmailResultDto(result.Sent, result.Message));
        });

        var outbox = api.MapGroup("/outbox").RequireAuthorization(Auth.AdminPolicy).WithTags("Outbox");
        outbox.MapGet("/", static async (OutboxService service, string? status, long? ticketId, string? after, int? limit, CancellationToken ct) =>
        {
            var page = await service.List(ParseStatus(status), ticketId, after, limit ?? 50, ct);
            return TypedResults.Ok(new ItemList<OutboxItemDto>([.. page.Items.Select(OutboxDto)], page.Next));
        });
        outbox.MapPost("/{id:long}/retry", static async (long id, OutboxService service, CancellationToken ct) =>
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

    private static OutboxItemDto OutboxDto(OutboxRow r) => new(r.Id, r.To, r.Subject, r.TicketId, r.TicketReference, r.MessageId, r.Status, r.Attempts,
        r.NextAttemptAt, r.LastError, r.CreatedAt, r.SentAt, r.AttachmentCount);
}
