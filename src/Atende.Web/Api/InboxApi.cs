using Atende.Core.Common;
using Atende.Core.Email;
using Atende.Web.Infrastructure;

namespace Atende.Web.Api;

public sealed record ImapWrite(bool Enabled, string? Host, int? Port, SmtpSecurity Security = SmtpSecurity.Auto, string? UserName = null, string? Password = null,
    string? Folder = null, UnmatchedMail Unmatched = UnmatchedMail.LeaveUnread, long? UnmatchedPipelineId = null, long? UnmatchedCreatorId = null) : IJsonBody<ImapWrite>;

/// <summary>Whether the IMAP test connected; <see cref="Message"/> says it in pt-BR (the folder's message count, or the failure).</summary>
public sealed record ImapTestResultDto(bool Connected, string Message);

/// <summary>What "read the mailbox now" did, in pt-BR.</summary>
public sealed record PollResultDto(bool Ok, string Message);

/// <summary>The mailbox that receives replies: its settings, the connection test, "read now" and the messages read (admins only).</summary>
public static class InboxApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var imap = api.MapGroup("/settings/imap").RequireAuthorization(Auth.AdminPolicy).WithTags("Settings");
        imap.MapGet("/", static async (ImapSettingsService settings, CancellationToken ct) => TypedResults.Ok((await settings.Get(ct))));
        imap.MapPut("/", static async (ImapWrite body, ImapSettingsService settings, CancellationToken ct) =>
            TypedResults.Ok((await settings.Update(new ImapInput
            {
                Enabled = body.Enabled, Host = body.Host, Port = body.Port, Security = body.Security, UserName = body.UserName, Password = body.Password,
                Folder = body.Folder, Unmatched = body.Unmatched, UnmatchedPipelineId = body.UnmatchedPipelineId, UnmatchedCreatorId = body.UnmatchedCreatorId,
            }, ct))));
        imap.MapPost("/test", static async (ImapSettingsService settings, CancellationToken ct) =>
        {
            var result = await settings.Test(ct);
            return TypedResults.Ok(new ImapTestResultDto(result.Connected, result.Message));
        });
        imap.MapPost("/poll", static async (InboxService inbox, CancellationToken ct) =>
        {
            var (ok, message) = await inbox.PollNow(ct);
            return TypedResults.Ok(new PollResultDto(ok, message));
        });

        var inbound = api.MapGroup("/inbound-emails").RequireAuthorization(Auth.AdminPolicy).WithTags("Inbox");
        inbound.MapGet("/", static async (InboxService inbox, string? status, string? after, int? limit, CancellationToken ct) =>
        {
            var page = await inbox.List(ParseStatus(status), after, limit ?? 50, ct);
            return TypedResults.Ok(new ItemList<InboundRow>(page.Items, page.Next));
        });
        inbound.MapPost("/{id:long}/retry", static async (long id, InboxService inbox, CancellationToken ct) =>
        {
            await inbox.Retry(id, ct);
            return TypedResults.NoContent();
        });
    }

    private static InboundStatus? ParseStatus(string? status)
    {
        if (string.IsNullOrWhiteSpace(status))
        {
            return null;
        }
        return EnumNames.TryParse<InboundStatus>(status, out var parsed)
            ? parsed
            : throw new ValidationException("status", $"Situação desconhecida: {status}. Use Appended, CreatedTicket, Unmatched, Ignored ou Quarantined.");
    }
}
