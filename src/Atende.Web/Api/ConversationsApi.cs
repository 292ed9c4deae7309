using System.Globalization;
using System.Text.Json.Serialization;
using Atende.Core.Common;
using Atende.Core.Conversations;
using Atende.Core.Files;
using Atende.Core.Settings;
using Atende.Web.Infrastructure;

namespace Atende.Web.Api;

public sealed record ConversationDto(
    long Id, long PartnerId, long WorkspaceId, long ChannelId, long OpportunityTypeId, string Subject, string Description, long SellerId,
    DateTimeOffset At, bool Concluded, DateTimeOffset? ConcludedAt, long? TicketId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version,
    AttachmentDto[] Attachments);

public sealed record AttachmentDto(long Id, string FileName, string ContentType, long Size, DateTimeOffset CreatedAt, string? UploadedBy);

/// <summary>
/// The writable fields. <c>at</c> is ISO 8601: with an offset it is that instant, without one a wall-clock time in the
/// company's time zone; absent on POST: now. <c>concluded: true</c> concludes (locks) the conversation.
/// </summary>
public sealed record ConversationWrite(
    long? PartnerId, long? ChannelId, long? OpportunityTypeId, string? Subject, string? Description, long? SellerId, string? At, long? TicketId,
    bool Concluded = false) : IJsonBody<ConversationWrite>;

public sealed record ConversationListItem(
    long Id, long PartnerId, string PartnerName, long ChannelId, string ChannelName, long OpportunityTypeId, string OpportunityTypeName,
    string Subject, long SellerId, string SellerName, DateTimeOffset At, bool Concluded, long? TicketId, string? TicketReference);

/// <summary>
/// A FullCalendar event object (https://fullcalendar.io/docs/event-parsing) for one conversation, kept small (a month
/// view may hold hundreds): a pending one has its channel's <c>color</c>; a concluded one a pale background, the
/// channel's border and dark text, and cannot be dragged. The page opens <c>/conversations/{id}</c> on click.
/// </summary>
public sealed record AgendaEventDto(
    long Id, string Title, DateTimeOffset Start,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Color,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? BackgroundColor,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? BorderColor,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TextColor,
    string[] ClassNames, bool Editable, AgendaEventProps ExtendedProps);

/// <summary>Beside <c>title</c> ("partner · subject"), its two parts, so the calendar can show each on its own line.</summary>
public sealed record AgendaEventProps(long PartnerId, long ChannelId, long OpportunityTypeId, long SellerId, bool Concluded, int Version, string PartnerName, string Subject);

public sealed record PartnerToCallDto(long Id, string Name, string Code, long WorkspaceId, string WorkspaceName, DateTimeOffset? LastConversationAt);

public static class ConversationsApi
{
    /// <summary>Set on an agenda answer that holds only the first <see cref="ConversationService.MaxAgendaEvents"/> events of the range.</summary>
    public const string TruncatedHeader = "X-Agenda-Truncated";

    public static ConversationDto ToDto(Conversation c, IEnumerable<ConversationAttachmentRow> attachments) => new(c.Id, c.PartnerId, c.WorkspaceId,
        c.ChannelId, c.OpportunityTypeId, c.Subject, c.Description, c.SellerId, c.At, c.Concluded, c.ConcludedAt, c.TicketId, c.CreatedAt, c.UpdatedAt,
        c.Version, attachments.Select(ToDto).ToArray());

    public static AttachmentDto ToDto(ConversationAttachmentRow a) => new(a.Id, a.FileName, a.ContentType, a.Size, a.CreatedAt, a.UploadedBy);

    /// <summary>Attachment downloads the conversation page links to (session cookie, same scoping as the API).</summary>
    public static void MapDownloads(IEndpointRouteBuilder app) =>
        app.MapGet("/conversations/{id:long}/attachments/{attachmentId:long}", static async (long id, long attachmentId, bool? preview, ConversationService conversations,
                FileService files, CancellationToken ct) =>
            await FileResults.Serve(files, await conversations.AttachmentFile(id, attachmentId, ct), preview ?? false, ct))
        .RequireAuthorization(Auth.StaffPolicy).ExcludeFromDescription();

    private static async Task<ConversationDto> Dto(ConversationService conversations, Conversation c, CancellationToken ct) =>
        ToDto(c, await conversations.Attachments(c.Id, ct));

    private static ConversationWrite ToWrite(Conversation c) => new(c.PartnerId, c.ChannelId, c.OpportunityTypeId, c.Subject, c.Description,
        c.SellerId, c.At.ToString("O", CultureInfo.InvariantCulture), c.TicketId, c.Concluded);

    private static ConversationInput ToInput(ConversationWrite w, TimeZoneInfo zone) => new()
    {
        PartnerId = w.PartnerId, ChannelId = w.ChannelId, OpportunityTypeId = w.OpportunityTypeId, Subject = w.Subject, Description = w.Description,
        SellerId = w.SellerId, At = ParseAt(w.At, zone, "at"), TicketId = w.TicketId,
    };

    /// <summary>Null for an absent value; a malformed one is a validation error on <paramref name="field"/>.</summary>
    public static DateTimeOffset? ParseAt(string? text, TimeZoneInfo zone, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        return ZoneTime.TryParse(text, zone, out var at)
            ? at
            : throw new ValidationException(field, $"Data e hora inválidas: \"{text}\". Use ISO 8601, por exemplo 2026-11-22T14:30:00-03:00.");
    }

    private static readonly string[] PendingClass = ["conv-pending"];
    private static readonly string[] DoneClass = ["conv-done"];

    /// <summary>The event FullCalendar draws: colored by channel, pale when concluded (and then not draggable).</summary>
    public static AgendaEventDto ToEvent(AgendaEvent e, TimeZoneInfo zone)
    {
        // Local wall-clock time with its offset, to the second ("2026-11-22T14:30:00-03:00").
        var local = ZoneTime.ToLocal(e.At, zone);
        var start = new DateTimeOffset(local.Ticks - (local.Ticks % TimeSpan.TicksPerSecond), local.Offset);
        var props = new AgendaEventProps(e.PartnerId, e.ChannelId, e.OpportunityTypeId, e.SellerId, e.Concluded, e.Version, e.PartnerName, e.Subject);
        var title = e.PartnerName + " · " + e.Subject;
        if (!e.Concluded)
        {
            return new AgendaEventDto(e.Id, title, start, AgendaColors.ForChannel(e.ChannelId), null, null, null, PendingClass, true, props);
        }
        var (background, border, text) = AgendaColors.ForEvent(e.ChannelId, concluded: true);
        return new AgendaEventDto(e.Id, title, start, null, background, border, text, DoneClass, false, props);
    }

    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/conversations").RequireAuthorization(Auth.StaffPolicy).WithTags("Conversations");

        group.MapGet("/", static async (ConversationService conversations, SettingsService settings, long? partnerId, long? sellerId, bool? concluded,
            string? from, string? to, string? after, int? limit, CancellationToken ct) =>
        {
            var zone = await settings.TimeZone(ct);
            var filter = new ConversationFilter(partnerId, sellerId, concluded, ParseAt(from, zone, "from"), ParseAt(to, zone, "to"));
            var page = await conversations.List(filter, after, limit ?? 50, ct);
            return TypedResults.Ok(new ItemList<ConversationListItem>([.. page.Items.Select(r => new ConversationListItem(r.Id, r.PartnerId, r.PartnerName,
                r.ChannelId, r.ChannelName, r.OpportunityTypeId, r.OpportunityTypeName, r.Subject, r.SellerId, r.SellerName, r.At, r.Concluded, r.TicketId,
                r.TicketReference))], page.Next));
        });

        group.MapGet("/{id:long}", static async (long id, ConversationService conversations, HttpResponse response, CancellationToken ct) =>
        {
            var conversation = await conversations.Get(id, ct);
            ApiHelpers.SetETag(response, conversation.Version);
            return TypedResults.Ok(await Dto(conversations, conversation, ct));
        });

        group.MapPost("/", static async (ConversationWrite write, ConversationService conversations, SettingsService settings, HttpContext http, CancellationToken ct) =>
        {
            var conversation = await conversations.Create(ToInput(write, await settings.TimeZone(ct)), write.Concluded, ct);
            ApiHelpers.SetETag(http.Response, conversation.Version);
            return TypedResults.Created($"/api/v1/conversations/{conversation.Id}", await Dto(conversations, conversation, ct));
        });

        group.MapPatch("/{id:long}", static async (long id, MergePatch<ConversationWrite> body, ConversationService conversations, SettingsService settings, HttpContext http, CancellationToken ct) =>
        {
            var current = await conversations.Get(id, ct);
            ConversationService.RequirePending(current);
            var version = ApiHelpers.RequireIfMatch(http.Request);
            var write = body.ApplyTo(ToWrite(current));
            var conversation = await conversations.Update(id, version, ToInput(write, await settings.TimeZone(ct)), write.Concluded, ct);
            ApiHelpers.SetETag(http.Response, conversation.Version);
            return TypedResults.Ok(await Dto(conversations, conversation, ct));
        });

        // "Concluir" without changing anything else (the same as PATCH {"concluded": true}).
        group.MapPost("/{id:long}/conclude", static async (long id, ConversationService conversations, HttpContext http, CancellationToken ct) =>
        {
            ConversationService.RequirePending(await conversations.Get(id, ct));
            var conversation = await conversations.Conclude(id, ApiHelpers.RequireIfMatch(http.Request), ct);
            ApiHelpers.SetETag(http.Response, conversation.Version);
            return TypedResults.Ok(await Dto(conversations, conversation, ct));
        }).WithMetadata(new IfMatchMetadata(Required: true));

        group.MapDelete("/{id:long}", static async (long id, ConversationFiles conversations, CancellationToken ct) =>
        {
            await conversations.Delete(id, ct);
            return TypedResults.NoContent();
        });

        group.MapGet("/{id:long}/attachments", static async (long id, ConversationService conversations, CancellationToken ct) =>
            TypedResults.Ok(new ItemList<AttachmentDto>([.. (await conversations.Attachments(id, ct)).Select(ToDto)], null)));

        // multipart/form-data, one or more parts named "files" (any name works): 201 with the new attachments; 409 once concluded.
        group.MapPost("/{id:long}/attachments", static async (long id, HttpRequest request, ConversationFiles files, ConversationService conversations, CancellationToken ct) =>
        {
            var added = await files.Attach(id, await TicketsApi.Uploads(request, ct), ct);
            var items = (await conversations.Attachments(id, ct)).Where(a => added.Contains(a.Id)).Select(ToDto);
            return TypedResults.Created($"/api/v1/conversations/{id}/attachments", new ItemList<AttachmentDto>([.. items], null));
        }).DisableAntiforgery().WithMetadata(new MultipartBodyMetadata());

        group.MapGet("/{id:long}/attachments/{attachmentId:long}", static async (long id, long attachmentId, bool? preview, ConversationService conversations,
            FileService files, CancellationToken ct) =>
            await FileResults.Serve(files, await conversations.AttachmentFile(id, attachmentId, ct), preview ?? false, ct));

        group.MapDelete("/{id:long}/attachments/{attachmentId:long}", static async (long id, long attachmentId, ConversationFiles files, CancellationToken ct) =>
        {
            await files.RemoveAttachment(id, attachmentId, ct);
            return TypedResults.NoContent();
        });

        var agenda = api.MapGroup("/agenda").RequireAuthorization(Auth.StaffPolicy).WithTags("Agenda");

        // FullCalendar's JSON feed: ?start=&end= (ISO 8601; without an offset, in timeZone or the company's time zone).
        agenda.MapGet("/events", static async (ConversationService conversations, SettingsService settings, HttpResponse response, string? start, string? end,
            long? sellerId, long? channelId, long? opportunityTypeId, string? timeZone, CancellationToken ct) =>
        {
            var zone = await settings.TimeZone(ct);
            if (!string.IsNullOrWhiteSpace(timeZone) && !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out zone!))
            {
                throw new ValidationException("timeZone", $"Fuso horário desconhecido: {timeZone}.");
            }
            var from = ParseAt(start, zone, "start") ?? throw new ValidationException("start", "Informe o início do período (start).");
            var until = ParseAt(end, zone, "end") ?? throw new ValidationException("end", "Informe o fim do período (end).");
            var events = await conversations.AgendaEvents(new AgendaFilter(from, until, sellerId, channelId, opportunityTypeId), ct);
            if (events.Truncated)
            {
                response.Headers[TruncatedHeader] = "true";
            }
            return TypedResults.Ok(events.Items.Select(e => ToEvent(e, zone)));
        });

        agenda.MapGet("/partners-without-conversation", static async (ConversationService conversations, string? q, string? after, int? limit, CancellationToken ct) =>
        {
            var page = await conversations.PartnersWithoutConversation(q, after, limit ?? 50, ct);
            return TypedResults.Ok(new ItemList<PartnerToCallDto>([.. page.Items.Select(p => new PartnerToCallDto(p.Id, p.Name, p.Code, p.WorkspaceId,
                p.WorkspaceName, p.LastConversationAt))], page.Next));
        });
    }
}
