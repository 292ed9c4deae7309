using Atende.Core.Files;
using Atende.Core.Tickets;
using Atende.Web.Infrastructure;

namespace Atende.Web.Api;

public sealed record TicketDto(long Id, string Reference, long PipelineId, string Title, string? Description, long PartnerId, long? ContactId,
    string RequesterName, long? CatalogItemId, decimal Value, long? AssigneeId, long? AccountManagerId, long? CategoryId, long? SubcategoryId,
    long? ChannelId, DateTimeOffset? DueAt, long[] TagIds, TicketStatus Status, bool Archived, bool Deleted, bool Edited, DateTimeOffset? NotifiedAt,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version, TicketOrigin Origin)
{
    /// <summary>Only in the answers of actions that e-mail (status, reopen, notify, PATCH with a new status).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public EmailDto? Email { get; init; }
}

/// <summary>
/// What became of an action's e-mail: "queued" (written to the outbox, <see cref="OutboxId"/>) or "skipped" (<see cref="Reason"/>,
/// and <see cref="Missing"/>: what to fix, e.g. "Smtp", "Template", "ContactEmail").
/// </summary>
public sealed record EmailDto(string Status, string? Reason, long? OutboxId, string Message, EmailMissing? Missing)
{
    public static EmailDto? From(EmailOutcome? e) => e is null ? null : new(e.Status, e.Reason, e.OutboxId, e.Message, e.Block?.Missing);
}

/// <param name="AuthorId">Null for a reply by e-mail from someone who is not a user; <see cref="FromEmail"/> then names the sender.</param>
/// <summary>
/// One change in a ticket's history: <see cref="OldValue"/>/<see cref="NewValue"/> as the screen shows them (pt-BR),
/// <see cref="OldCode"/>/<see cref="NewCode"/> the machine values (status names, ids, ISO dates, decimals), null where there are none.
/// </summary>
public sealed record HistoryItemDto(long Id, DateTimeOffset At, long? UserId, string? UserName, string Field, string? OldValue, string? NewValue, string? OldCode,
    string? NewCode);
public sealed record InteractionDto(long Id, long TicketId, string Body, bool Internal, long? AuthorId, string AuthorName, DateTimeOffset CreatedAt, bool Notify,
    InteractionFileDto[] Attachments, string? FromEmail = null)
{
    /// <summary>Only in the answer of POST with notify.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public EmailDto? Email { get; init; }
}

public sealed record TicketWrite(long? PipelineId, string? Title, string? Description, long? PartnerId, long? ContactId, long? CatalogItemId, decimal? Value,
    long? AssigneeId, long? AccountManagerId, long? CategoryId, long? SubcategoryId, long? ChannelId, DateTimeOffset? DueAt, long[]? TagIds,
    TicketStatus? Status = null) : IJsonBody<TicketWrite>
{
    public TicketInput ToInput() => new()
    {
        Title = Title, Description = Description, PartnerId = PartnerId, ContactId = ContactId, CatalogItemId = CatalogItemId, Value = Value,
        AssigneeId = AssigneeId, AccountManagerId = AccountManagerId, CategoryId = CategoryId, SubcategoryId = SubcategoryId, ChannelId = ChannelId,
        DueAt = DueAt, TagIds = (TagIds ?? []).ToList(), Status = Status,
    };
}

/// <summary>A file of an interaction.</summary>
public sealed record InteractionFileDto(long Id, string FileName, string ContentType, long Size);

/// <summary>A stored file (POST /files), to reference by <c>fileIds</c>.</summary>
public sealed record StoredFileDto(long Id, string FileName, string ContentType, long Size);

/// <summary>A ticket's attachment; <see cref="InteractionId"/> is the interaction it came with, if any.</summary>
public sealed record TicketAttachmentDto(long Id, long? InteractionId, string FileName, string ContentType, long Size, DateTimeOffset CreatedAt, string? UploadedBy);

/// <summary>A line of the ticket list.</summary>
public sealed record TicketListItem(long Id, string Reference, long PipelineId, string Title, string RequesterName, long PartnerId, TicketStatus Status,
    decimal Value, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? DueAt, long? AssigneeId, string? AssigneeName, IReadOnlyList<long> TagIds,
    bool Edited, bool Archived, bool Deleted);

public sealed record StatusWrite(TicketStatus Status) : IJsonBody<StatusWrite>;
public sealed record MoveWrite(long PipelineId) : IJsonBody<MoveWrite>;
public sealed record TagsWrite(long[] TagIds) : IJsonBody<TagsWrite>;
public sealed record InteractionWrite(string? Body, bool Internal = false, bool Notify = false, long[]? FileIds = null) : IJsonBody<InteractionWrite>;

public static class TicketsApi
{
    public static TicketDto ToDto(Ticket t) => new(t.Id, t.Reference, t.PipelineId, t.Title, t.Description, t.PartnerId, t.ContactId, t.RequesterName,
        t.CatalogItemId, t.Value, t.AssigneeId, t.AccountManagerId, t.CategoryId, t.SubcategoryId, t.ChannelId, t.DueAt,
        t.Tags.Select(x => x.TagId).Order().ToArray(), t.Status, t.Bin == TicketBin.Archived, t.Bin == TicketBin.Trash, t.Edited, t.NotifiedAt,
        t.CreatedAt, t.UpdatedAt, t.Version, t.Origin);

    private static TicketWrite ToWrite(Ticket t) => new(t.PipelineId, t.Title, t.Description, t.PartnerId, t.ContactId, t.CatalogItemId, t.Value,
        t.AssigneeId, t.AccountManagerId, t.CategoryId, t.SubcategoryId, t.ChannelId, t.DueAt, t.Tags.Select(x => x.TagId).ToArray(), t.Status);

    /// <summary>Attachment downloads the ticket page links to (session cookie, same scoping as the API).</summary>
    public static void MapDownloads(IEndpointRouteBuilder app) =>
        app.MapGet("/tickets/{id:long}/attachments/{attachmentId:long}", static async (long id, long attachmentId, bool? preview, TicketService tickets, FileService files, CancellationToken ct) =>
            await FileResults.Serve(files, await tickets.AttachmentFile(id, attachmentId, ct), preview ?? false, ct))
        .RequireAuthorization(Auth.StaffPolicy).ExcludeFromDescription();

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/files", static async (HttpRequest request, FileService files, CancellationToken ct) =>
        {
            var uploads = await Uploads(request, ct);
            if (uploads.Count == 0)
            {
                throw new Core.Common.ValidationException("file", "Envie ao menos um arquivo (multipart/form-data).");
            }
            var stored = new List<StoredFileDto>();
            foreach (var upload in uploads)
            {
                var file = await files.Save(upload.FileName, upload.Content, ct);
                stored.Add(new StoredFileDto(file.Id, file.FileName, file.ContentType, file.Size));
            }
            return TypedResults.Created("/api/v1/files", new ItemList<StoredFileDto>(stored, null));
        }).RequireAuthorization(Auth.StaffPolicy).DisableAntiforgery().WithTags("Files").WithMetadata(new MultipartBodyMetadata());

        var group = api.MapGroup("/tickets").RequireAuthorization(Auth.StaffPolicy).WithTags("Tickets");

        group.MapGet("/", static async (TicketService tickets, long? pipelineId, long? partnerId, string? q, long? tag, TicketStatus? status, TicketBin? bin, string? sort,
            string? after, int? limit, bool? includeTotal, bool? open, long? assigneeId, TicketDue? due, CancellationToken ct) =>
        {
            var filter = new TicketFilter(pipelineId, q, tag, status, bin ?? TicketBin.Active, TicketSort.Parse(sort), partnerId, open ?? false, assigneeId, due);
            var page = await tickets.List(filter, after, limit ?? 50, ct);
            return TypedResults.Ok(new CountedList<TicketListItem>([.. page.Items.Select(r => new TicketListItem(r.Id, r.Reference, r.PipelineId, r.Title,
                r.RequesterName, r.PartnerId, r.Status, r.Value, r.CreatedAt, r.UpdatedAt, r.DueAt, r.AssigneeId, r.AssigneeName, r.TagIds, r.Edited,
                r.Bin == TicketBin.Archived, r.Bin == TicketBin.Trash))], page.Next, includeTotal == true ? await tickets.Count(filter, ct) : null));
        });

        group.MapGet("/{id:long}", static async (long id, TicketService tickets, HttpResponse response, CancellationToken ct) => Found(await tickets.Get(id, ct), response));

        group.MapGet("/by-reference/{reference}", static async (string reference, TicketService tickets, HttpResponse response, CancellationToken ct) =>
            Found(await tickets.GetByReference(reference, ct), response));

        group.MapGet("/{id:long}/neighbors", static async (long id, TicketService tickets, long? pipelineId, long? partnerId, string? q, long? tag, TicketStatus? status, TicketBin? bin,
            string? sort, CancellationToken ct) =>
        {
            var n = await tickets.Neighbors(id, new TicketFilter(pipelineId, q, tag, status, bin ?? TicketBin.Active, TicketSort.Parse(sort), partnerId), ct);
            return TypedResults.Ok(n);
        });

        group.MapPost("/", static async (TicketWrite write, TicketService tickets, HttpContext http, CancellationToken ct) =>
        {
            if (write.PipelineId is not { } pipelineId)
            {
                throw new Core.Common.ValidationException("pipelineId", "Fluxo é obrigatório.");
            }
            var ticket = await tickets.Create(pipelineId, write.ToInput(), ct);
            ApiHelpers.SetETag(http.Response, ticket.Version);
            return TypedResults.Created($"/api/v1/tickets/{ticket.Id}", ToDto(ticket));
        });

        group.MapPatch("/{id:long}", static async (long id, MergePatch<TicketWrite> body, TicketService tickets, HttpContext http, CancellationToken ct) =>
        {
            var version = ApiHelpers.RequireIfMatch(http.Request);
            var current = await tickets.Get(id, ct);
            var write = body.ApplyTo(ToWrite(current));
            if (write.PipelineId != current.PipelineId)
            {
                throw new Core.Common.ValidationException("pipelineId", "Para mudar o fluxo use POST /tickets/{id}/move.");
            }
            var (ticket, email) = await tickets.Update(id, version, write.ToInput(), ct);
            return Found(ticket, http.Response, email);
        });

        group.MapDelete("/{id:long}", static async (long id, TicketService tickets, CancellationToken ct) =>
        {
            await tickets.Trash(id, ct);
            return TypedResults.NoContent();
        });

        group.MapPost("/{id:long}/status", static async (long id, StatusWrite body, TicketService tickets, HttpContext http, CancellationToken ct) =>
        {
            int? version = string.IsNullOrEmpty(http.Request.Headers.IfMatch) ? null : ApiHelpers.RequireIfMatch(http.Request);
            var (ticket, email) = await tickets.ChangeStatus(id, body.Status, version, ct);
            return Found(ticket, http.Response, email);
        }).WithName("tickets_changeStatus").WithMetadata(new IfMatchMetadata(Required: false));
        group.MapPost("/{id:long}/reopen", static async (long id, TicketService tickets, HttpResponse response, CancellationToken ct) =>
        {
            var (ticket, email) = await tickets.Reopen(id, ct);
            return Found(ticket, response, email);
        });
        group.MapPost("/{id:long}/archive", static async (long id, TicketService tickets, HttpResponse response, CancellationToken ct) => Found(await tickets.Archive(id, ct), response));
        group.MapPost("/{id:long}/unarchive", static async (long id, TicketService tickets, HttpResponse response, CancellationToken ct) => Found(await tickets.Unarchive(id, ct), response));
        group.MapPost("/{id:long}/restore", static async (long id, TicketService tickets, HttpResponse response, CancellationToken ct) => Found(await tickets.Restore(id, ct), response));
        group.MapPost("/{id:long}/notify", static async (long id, TicketService tickets, HttpResponse response, CancellationToken ct) =>
        {
            var (ticket, email) = await tickets.Notify(id, ct);
            return Found(ticket, response, email);
        });
        group.MapPost("/{id:long}/move", static async (long id, MoveWrite body, TicketService tickets, HttpResponse response, CancellationToken ct) =>
            Found(await tickets.Move(id, body.PipelineId, ct), response));
        group.MapPost("/{id:long}/purge", static async (long id, TicketFiles files, CancellationToken ct) =>
        {
            await files.Purge(id, ct);
            return TypedResults.NoContent();
        });

        group.MapPut("/{id:long}/tags", static async (long id, TagsWrite body, TicketService tickets, HttpResponse response, CancellationToken ct) =>
            Found(await tickets.SetTags(id, body.TagIds ?? [], ct), response));
        group.MapPost("/{id:long}/tags/{tagId:long}", static async (long id, long tagId, TicketService tickets, HttpResponse response, CancellationToken ct) =>
            Found(await tickets.AddTag(id, tagId, ct), response));
        group.MapDelete("/{id:long}/tags/{tagId:long}", static async (long id, long tagId, TicketService tickets, HttpResponse response, CancellationToken ct) =>
            Found(await tickets.RemoveTag(id, tagId, ct), response));

        group.MapGet("/{id:long}/history", static async (long id, TicketService tickets, string? after, int? limit, CancellationToken ct) =>
        {
            var page = await tickets.History(id, after, limit ?? 100, ct);
            return TypedResults.Ok(new ItemList<HistoryItemDto>([.. page.Items.Select(c => new HistoryItemDto(c.Id, c.At, c.UserId, c.UserName, c.Field, c.OldValue, c.NewValue,
                c.OldCode, c.NewCode))], page.Next));
        });

        group.MapGet("/{id:long}/interactions", static async (long id, TicketService tickets, string? order, CancellationToken ct) =>
        {
            var rows = await tickets.Interactions(id, newestFirst: order != "oldest", ct: ct);
            return TypedResults.Ok(new ItemList<InteractionDto>([.. rows.Select(r => ToDto(id, r))], null));
        });

        group.MapGet("/{id:long}/attachments", static async (long id, TicketService tickets, CancellationToken ct) =>
            TypedResults.Ok(new ItemList<TicketAttachmentDto>([.. (await tickets.Attachments(id, ct)).Select(ToDto)], null)));

        group.MapPost("/{id:long}/attachments", static async (long id, HttpRequest request, TicketFiles files, TicketService tickets, CancellationToken ct) =>
        {
            var added = await files.Attach(id, await Uploads(request, ct), ct);
            var ids = added.Select(a => a.Id).ToHashSet();
            return TypedResults.Created($"/api/v1/tickets/{id}/attachments",
                new ItemList<TicketAttachmentDto>([.. (await tickets.Attachments(id, ct)).Where(a => ids.Contains(a.Id)).Select(ToDto)], null));
        }).DisableAntiforgery().WithMetadata(new MultipartBodyMetadata());

        group.MapGet("/{id:long}/attachments/{attachmentId:long}", static async (long id, long attachmentId, bool? preview, TicketService tickets, FileService files, CancellationToken ct) =>
            await FileResults.Serve(files, await tickets.AttachmentFile(id, attachmentId, ct), preview ?? false, ct));

        group.MapDelete("/{id:long}/attachments/{attachmentId:long}", static async (long id, long attachmentId, TicketFiles files, CancellationToken ct) =>
        {
            await files.RemoveAttachment(id, attachmentId, ct);
            return TypedResults.NoContent();
        });

        group.MapPost("/{id:long}/interactions", static async (long id, HttpRequest request, TicketFiles files, TicketService tickets, HttpContext http, CancellationToken ct) =>
        {
            (Interaction Interaction, EmailOutcome? Email) posted;
            if (request.HasFormContentType)
            {
                // multipart: body, internal, notify and files in one request.
                var form = await request.ReadFormAsync(ct);
                posted = await files.PostInteraction(id, form["body"], form["internal"] == "true", form["notify"] == "true",
                    form.Files.Select(f => new Upload(f.FileName, f.OpenReadStream())).ToList(), ct);
            }
            else
            {
                var (body, _) = await ApiJson.Read<InteractionWrite>(http);
                posted = await tickets.AddInteraction(id, body.Body, body.Internal, body.Notify, body.FileIds ?? [], ct);
            }
            var row = await tickets.Interaction(id, posted.Interaction.Id, ct);
            return TypedResults.Created($"/api/v1/tickets/{id}/interactions/{row.Id}", ToDto(id, row) with { Email = EmailDto.From(posted.Email) });
        }).WithMetadata(new JsonBodyMetadata(typeof(InteractionWrite), MergePatch: false), new MultipartBodyMetadata("internal", "notify") { TextFields = ["body"] });
    }

    /// <summary>Multipart uploads as Core uploads; the request body streams straight into the file checks.</summary>
    public static async Task<List<Upload>> Uploads(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasFormContentType)
        {
            return [];
        }
        var form = await request.ReadFormAsync(ct);
        return form.Files.Select(f => new Upload(f.FileName, f.OpenReadStream())).ToList();
    }

    private static TicketAttachmentDto ToDto(AttachmentRow a) => new(a.Id, a.InteractionId, a.FileName, a.ContentType, a.Size, a.CreatedAt, a.UploadedBy);

    public static InteractionDto ToDto(long ticketId, InteractionRow i) => new(i.Id, ticketId, i.Body, i.Internal, i.AuthorId, i.AuthorName, i.CreatedAt, i.Notify,
        [.. i.Attachments.Select(a => new InteractionFileDto(a.Id, a.FileName, a.ContentType, a.Size))], i.FromAddress);

    private static Microsoft.AspNetCore.Http.HttpResults.Ok<TicketDto> Found(Ticket ticket, HttpResponse response, EmailOutcome? email = null)
    {
        ApiHelpers.SetETag(response, ticket.Version);
        return TypedResults.Ok(ToDto(ticket) with { Email = EmailDto.From(email) });
    }
}
