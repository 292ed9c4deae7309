using Atende.Core.Pipelines;
using Atende.Web.Infrastructure;

namespace Atende.Web.Api;

public sealed record PipelineDto(long Id, string Name, string Alias, string? Description, bool Active, long[] AuthorizedUserIds, int Version);
public sealed record PipelineWrite(string? Name, string? Alias, string? Description, bool Active = true, long[]? AuthorizedUserIds = null) : IJsonBody<PipelineWrite>
{
    public PipelineInput ToInput() => new() { Name = Name, Alias = Alias, Description = Description, Active = Active, AuthorizedUserIds = (AuthorizedUserIds ?? []).ToList() };
}
/// <summary>A line of the pipeline list, with how many tickets it holds.</summary>
public sealed record PipelineListItem(long Id, string Name, string Alias, string? Description, bool Active, int? TicketCount);

public sealed record TagDto(long Id, string Name, string Color, int Position, int Version);
public sealed record TagWrite(string? Name, string? Color) : IJsonBody<TagWrite>;
public sealed record TagOrder(long[] TagIds) : IJsonBody<TagOrder>;

public static class PipelinesApi
{
    public static PipelineDto ToDto(Pipeline p) => new(p.Id, p.Name, p.Alias, p.Description, p.Active, p.Users.Select(u => u.UserId).Order().ToArray(), p.Version);

    public static TagDto ToDto(Tag t) => new(t.Id, t.Name, t.Color, t.Position, t.Version);

    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/pipelines").RequireAuthorization(Auth.StaffPolicy).WithTags("Pipelines");

        group.MapGet("/", static async (PipelineService pipelines, bool? active, CancellationToken ct) =>
        {
            var list = await pipelines.List(active ?? false, withCounts: true, ct);
            return TypedResults.Ok(new ItemList<PipelineListItem>([.. list.Select(p => new PipelineListItem(p.Id, p.Name, p.Alias, p.Description, p.Active, p.TicketCount))], null));
        });

        group.MapGet("/{id:long}", static async (long id, PipelineService pipelines, HttpResponse response, CancellationToken ct) =>
        {
            var pipeline = await pipelines.Get(id, ct);
            ApiHelpers.SetETag(response, pipeline.Version);
            return TypedResults.Ok(ToDto(pipeline));
        });

        group.MapPost("/", static async (PipelineWrite write, PipelineService pipelines, HttpContext http, CancellationToken ct) =>
        {
            var pipeline = await pipelines.Create(write.ToInput(), ct);
            ApiHelpers.SetETag(http.Response, pipeline.Version);
            return TypedResults.Created($"/api/v1/pipelines/{pipeline.Id}", ToDto(pipeline));
        });

        group.MapPatch("/{id:long}", static async (long id, MergePatch<PipelineWrite> body, PipelineService pipelines, HttpContext http, CancellationToken ct) =>
        {
            var version = ApiHelpers.RequireIfMatch(http.Request);
            var current = await pipelines.Get(id, ct);
            var write = body.ApplyTo(new PipelineWrite(current.Name, current.Alias, current.Description, current.Active,
                current.Users.Select(u => u.UserId).ToArray()));
            var pipeline = await pipelines.Update(id, version, write.ToInput(), ct);
            ApiHelpers.SetETag(http.Response, pipeline.Version);
            return TypedResults.Ok(ToDto(pipeline));
        });

        group.MapDelete("/{id:long}", static async (long id, PipelineService pipelines, CancellationToken ct) =>
        {
            await pipelines.Delete(id, ct);
            return TypedResults.NoContent();
        });

        group.MapGet("/{id:long}/tags", static async (long id, PipelineService pipelines, CancellationToken ct) =>
            TypedResults.Ok(new ItemList<TagDto>([.. (await pipelines.Tags(id, ct)).Select(ToDto)], null)));

        group.MapPost("/{id:long}/tags", static async (long id, TagWrite write, PipelineService pipelines, CancellationToken ct) =>
        {
            var tag = await pipelines.CreateTag(id, new TagInput { Name = write.Name, Color = write.Color }, ct);
            return TypedResults.Created($"/api/v1/pipelines/{id}/tags/{tag.Id}", ToDto(tag));
        });

        group.MapGet("/{id:long}/tags/{tagId:long}", static async (long id, long tagId, PipelineService pipelines, HttpResponse response, CancellationToken ct) =>
        {
            var tag = await pipelines.GetTag(id, tagId, ct);
            ApiHelpers.SetETag(response, tag.Version);
            return TypedResults.Ok(ToDto(tag));
        });

        group.MapPatch("/{id:long}/tags/{tagId:long}", static async (long id, long tagId, MergePatch<TagWrite> body, PipelineService pipelines, HttpContext http, CancellationToken ct) =>
        {
            var version = ApiHelpers.RequireIfMatch(http.Request);
            var write = body.Value;
            var tag = await pipelines.UpdateTag(id, tagId, version, new TagInput { Name = write.Name, Color = write.Color }, ct);
            ApiHelpers.SetETag(http.Response, tag.Version);
            return TypedResults.Ok(ToDto(tag));
        });

        group.MapDelete("/{id:long}/tags/{tagId:long}", static async (long id, long tagId, PipelineService pipelines, CancellationToken ct) =>
        {
            await pipelines.DeleteTag(id, tagId, ct);
            return TypedResults.NoContent();
        });

        group.MapPut("/{id:long}/tags/order", static async (long id, TagOrder body, PipelineService pipelines, CancellationToken ct) =>
            TypedResults.Ok(new ItemList<TagDto>([.. (await pipelines.ReorderTags(id, body.TagIds ?? [], ct)).Select(ToDto)], null)));
    }
}
