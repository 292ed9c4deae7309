using Atende.Core.Email;
using Atende.Web.Infrastructure;

namespace Atende.Web.Api;

public sealed record EmailTemplateDto(long Id, EmailTemplatePurpose Purpose, string Name, string Subject, string Body, bool Active, bool Automatic,
    bool StandardText, DateTimeOffset? UpdatedAt, long? UpdatedById, string? UpdatedByName, int Version);
public sealed record EmailTemplateWrite(string? Name, string? Subject, string? Body, bool Active = true, EmailTemplatePurpose? Purpose = null) : IJsonBody<EmailTemplateWrite>
{
    public EmailTemplateInput ToInput() => new() { Purpose = Purpose, Name = Name, Subject = Subject, Body = Body, Active = Active };
}
public sealed record EmailTemplatePreviewWrite(EmailTemplatePurpose Purpose = EmailTemplatePurpose.Custom, string? Subject = null, string? Body = null,
    long? TicketId = null) : IJsonBody<EmailTemplatePreviewWrite>;
public sealed record RenderTemplateWrite(long TemplateId) : IJsonBody<RenderTemplateWrite>;
public sealed record RenderedEmailDto(string Subject, string Html, string Text)
{
    public static RenderedEmailDto From(RenderedEmail e) => new(e.Subject, e.Html, e.Text);
}

/// <summary>Modelos de e-mail: the admins' settings, and the custom templates staff fill in for a ticket.</summary>
public static class EmailTemplatesApi
{
    public static EmailTemplateDto ToDto(EmailTemplateView t) => new(t.Id, t.Purpose, t.Name, t.Subject, t.Body, t.Active, t.IsAutomatic, t.StandardText,
        t.UpdatedAt, t.UpdatedById, t.UpdatedByName, t.Version);

    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/settings/email-templates").RequireAuthorization(Auth.AdminPolicy).WithTags("Settings");

        group.MapGet("/", static async (EmailTemplateService templates, EmailTemplatePurpose? purpose, string? after, int? limit, CancellationToken ct) =>
        {
            var page = await templates.List(purpose, after, limit ?? 50, ct);
            return TypedResults.Ok(new ItemList<EmailTemplateDto>([.. page.Items.Select(ToDto)], page.Next));
        });

        group.MapGet("/{id:long}", static async (long id, EmailTemplateService templates, HttpResponse response, CancellationToken ct) =>
            Found(await templates.Get(id, ct), response));

        group.MapPost("/", static async (EmailTemplateWrite write, EmailTemplateService templates, HttpContext http, CancellationToken ct) =>
        {
            var template = await templates.Create(write.ToInput(), ct);
            ApiHelpers.SetETag(http.Response, template.Version);
            return TypedResults.Created($"/api/v1/settings/email-templates/{template.Id}", ToDto(template));
        });

        group.MapPatch("/{id:long}", static async (long id, MergePatch<EmailTemplateWrite> body, EmailTemplateService templates, HttpContext http, CancellationToken ct) =>
        {
            var version = ApiHelpers.RequireIfMatch(http.Request);
            var current = await templates.Get(id, ct);
            var write = body.ApplyTo(new EmailTemplateWrite(current.Name, current.Subject, current.Body, current.Active, current.Purpose));
            return Found(await templates.Update(id, version, write.ToInput(), ct), http.Response);
        });

        group.MapPost("/{id:long}/restore-default", static async (long id, EmailTemplateService templates, HttpContext http, CancellationToken ct) =>
            Found(await templates.RestoreStandardText(id, ApiHelpers.RequireIfMatch(http.Request), ct), http.Response))
            .WithMetadata(new IfMatchMetadata(Required: true));

        group.MapDelete("/{id:long}", static async (long id, EmailTemplateService templates, CancellationToken ct) =>
        {
            await templates.Delete(id, ct);
            return TypedResults.NoContent();
        });

        group.MapPost("/preview", static async (EmailTemplatePreviewWrite body, EmailTemplateService templates, CancellationToken ct) =>
            TypedResults.Ok(RenderedEmailDto.From(await templates.Preview(body.Purpose, body.Subject, body.Body, body.TicketId, ct))));

        var tickets = api.MapGroup("/tickets/{id:long}").RequireAuthorization(Auth.StaffPolicy).WithTags("Tickets");

        tickets.MapGet("/email-templates", static async (long id, EmailTemplateService templates, CancellationToken ct) =>
            TypedResults.Ok(new ItemList<InsertableTemplate>(await templates.Insertable(id, ct), null)));

        tickets.MapPost("/render-template", static async (long id, RenderTemplateWrite body, EmailTemplateService templates, CancellationToken ct) =>
            TypedResults.Ok(RenderedEmailDto.From(await templates.RenderForTicket(id, body.TemplateId, ct))));
    }

    private static Microsoft.AspNetCore.Http.HttpResults.Ok<EmailTemplateDto> Found(EmailTemplateView template, HttpResponse response)
    {
        ApiHelpers.SetETag(response, template.Version);
        return TypedResults.Ok(ToDto(template));
    }
}
