using Atende.Core.Files;
using Atende.Core.Portal;
using Atende.Core.Tickets;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.RateLimiting;

namespace Atende.Web.Api;

/// <summary>A portal request in a list: <c>id</c> and <c>ticketId</c> are the same (the request is the ticket).</summary>
public sealed record PortalRequestListItem(long Id, long TicketId, string Reference, string Subject, TicketStatus Status, bool Finished,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string OpenedBy);

public sealed record PortalFileDto(long Id, string FileName, string ContentType, long Size, string Url);

/// <summary>A public message of a request; <c>fromCustomer</c> false: written by the company's staff.</summary>
public sealed record PortalMessageDto(long Id, string Body, string AuthorName, bool FromCustomer, DateTimeOffset CreatedAt, PortalFileDto[] Files);

/// <summary>A portal request: what the portal user sees of the ticket, its public messages oldest first (never internal notes).</summary>
public sealed record PortalRequestDto(long Id, long TicketId, string Reference, string Subject, TicketStatus Status, bool Finished, string? Category,
    string? Subcategory, string? Channel, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string OpenedBy, bool CanWrite, bool CanReopen,
    PortalMessageDto[]? Messages);

/// <summary>"Novo contato" as JSON (files: send multipart/form-data with the same fields and <c>files</c>).</summary>
public sealed record PortalRequestWrite(long? CategoryId, long? SubcategoryId, long? ChannelId, string? Subject, string? ContactName, string? Phone,
    string? Email, string? Message) : IJsonBody<PortalRequestWrite>;

/// <summary>A message on a request; <c>reopen</c> true to reopen a finished one with it (when the company allows).</summary>
public sealed record PortalMessageWrite(string? Message, bool Reopen = false) : IJsonBody<PortalMessageWrite>;

/// <summary>The customer portal's API (role Portal only): their requests, opening one, and messages.</summary>
public static class PortalApi
{
    public static PortalRequestDto ToDto(PortalRequestView r) => new(r.Id, r.Id, r.Reference, r.Title, r.Status, r.Finished, r.Category, r.Subcategory,
        r.Channel, r.CreatedAt, r.UpdatedAt, r.OpenedBy, r.CanWrite, r.CanReopen,
        [.. r.Messages.Select(m => new PortalMessageDto(m.Id, m.Body, m.AuthorName, m.FromCustomer, m.CreatedAt,
            [.. m.Files.Select(f => new PortalFileDto(f.AttachmentId, f.FileName, f.ContentType, f.Size, $"/api/v1/portal/requests/{r.Id}/files/{f.AttachmentId}"))]))]);

    /// <summary>The event's data of portal.request_created: the request without its messages.</summary>
    public static PortalRequestDto ToDto(Ticket t) => new(t.Id, t.Id, t.Reference, t.Title, t.Status, TicketService.IsClosed(t.Status), null, null, null,
        t.CreatedAt, t.UpdatedAt, "", !TicketService.IsClosed(t.Status), false, null);

    /// <summary>The files the portal's request page links to (session cookie, the same scope as the API).</summary>
    public static void MapDownloads(IEndpointRouteBuilder app) =>
        app.MapGet("/portal/pedidos/{id:long}/arquivos/{attachmentId:long}", static async (long id, long attachmentId, PortalService portal, FileService files, CancellationToken ct) =>
            await FileResults.Serve(files, await portal.File(id, attachmentId, ct), preview: false, ct))
        .RequireAuthorization(Auth.PortalPolicy).ExcludeFromDescription();

    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/portal/requests").RequireAuthorization(Auth.PortalPolicy).WithTags("Portal");

        group.MapGet("/", static async (PortalService portal, string? state, string? after, int? limit, CancellationToken ct) =>
        {
            var page = await portal.Requests(ParseState(state), after, limit ?? 25, ct);
            return TypedResults.Ok(new ItemList<PortalRequestListItem>([.. page.Items.Select(r =>
                new PortalRequestListItem(r.Id, r.Id, r.Reference, r.Title, r.Status, TicketService.IsClosed(r.Status), r.CreatedAt, r.UpdatedAt, r.OpenedBy))], page.Next));
        });

        group.MapGet("/{id:long}", static async (long id, PortalService portal, CancellationToken ct) => TypedResults.Ok(ToDto(await portal.Get(id, ct))));

        group.MapPost("/", static async (HttpRequest request, HttpContext http, PortalService portal, CancellationToken ct) =>
        {
            PortalRequestInput input;
            List<Upload> uploads = [];
            if (request.HasFormContentType)
            {
                var form = await request.ReadFormAsync(ct);
                input = new PortalRequestInput
                {
                    CategoryId = FormId(form, "categoryId"), SubcategoryId = FormId(form, "subcategoryId"), ChannelId = FormId(form, "channelId"),
                    Subject = form["subject"], ContactName = form["contactName"], Phone = form["phone"], Email = form["email"], Message = form["message"],
                };
                uploads = form.Files.Select(f => new Upload(f.FileName, f.OpenReadStream())).ToList();
            }
            else
            {
                var (w, _) = await ApiJson.Read<PortalRequestWrite>(http);
                input = new PortalRequestInput
                {
                    CategoryId = w.CategoryId, SubcategoryId = w.SubcategoryId, ChannelId = w.ChannelId, Subject = w.Subject, ContactName = w.ContactName,
                    Phone = w.Phone, Email = w.Email, Message = w.Message,
                };
            }
            var ticket = await portal.Create(input, uploads, ct);
            return TypedResults.Created($"/api/v1/portal/requests/{ticket.Id}", ToDto(await portal.Get(ticket.Id, ct)));
        }).RequireRateLimiting(RateLimits.PortalRequest)
        .WithMetadata(new JsonBodyMetadata(typeof(PortalRequestWrite), MergePatch: false),
            new MultipartBodyMetadata() { TextFields = ["categoryId", "subcategoryId", "channelId", "subject", "contactName", "phone", "email", "message"] });

        group.MapPost("/{id:long}/messages", static async (long id, HttpRequest request, HttpContext http, PortalService portal, CancellationToken ct) =>
        {
            if (request.HasFormContentType)
            {
                var form = await request.ReadFormAsync(ct);
                await portal.AddMessage(id, form["message"], form.Files.Select(f => new Upload(f.FileName, f.OpenReadStream())).ToList(), form["reopen"] == "true", ct);
            }
            else
            {
                var (w, _) = await ApiJson.Read<PortalMessageWrite>(http);
                await portal.AddMessage(id, w.Message, [], w.Reopen, ct);
            }
            return TypedResults.Created($"/api/v1/portal/requests/{id}", ToDto(await portal.Get(id, ct)));
        }).RequireRateLimiting(RateLimits.PortalRequest)
        .WithMetadata(new JsonBodyMetadata(typeof(PortalMessageWrite), MergePatch: false), new MultipartBodyMetadata("reopen") { TextFields = ["message"] });

        group.MapGet("/{id:long}/files/{attachmentId:long}", static async (long id, long attachmentId, PortalService portal, FileService files, CancellationToken ct) =>
            await FileResults.Serve(files, await portal.File(id, attachmentId, ct), preview: false, ct));
    }

    private static PortalState ParseState(string? state) => state?.ToLowerInvariant() switch
    {
        null or "" or "all" => PortalState.All,
        "open" => PortalState.Open,
        "finished" => PortalState.Finished,
        _ => throw new Core.Common.ValidationException("state", $"Situação desconhecida: {state}. Use open, finished ou all."),
    };

    private static long? FormId(IFormCollection form, string field)
    {
        var text = form[field].ToString().Trim();
        if (text.Length == 0)
        {
            return null;
        }
        return long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new Core.Common.ValidationException(field, $"{field} deve ser um número (id).");
    }
}
