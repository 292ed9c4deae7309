using Atende.Core.Settings;
using Atende.Web.Infrastructure;

namespace Atende.Web.Api;

public sealed record CompanyDto(string Name, string? Email, string TimeZone, string Currency, string? PublicUrl);
public sealed record CompanyWrite(string? Name, string? Email, string? TimeZone, string? PublicUrl = null) : IJsonBody<CompanyWrite>;
public sealed record ListItemWrite(string? Name, bool Active = true) : IJsonBody<ListItemWrite>;
public sealed record CatalogItemWrite(string? Name, CatalogItemKind Kind = CatalogItemKind.Service, decimal DefaultPrice = 0, bool Active = true) : IJsonBody<CatalogItemWrite>;

public static class SettingsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/settings").RequireAuthorization(Auth.StaffPolicy).WithTags("Settings");

        group.MapGet("/company", async (SettingsService settings, CancellationToken ct) =>
        {
            var c = await settings.Company(ct);
            return TypedResults.Ok(new CompanyDto(c.Name, c.Email, c.TimeZone, c.Currency, c.PublicUrl));
        });
        group.MapPut("/company", async (CompanyWrite body, SettingsService settings, CancellationToken ct) =>
        {
            var c = await settings.UpdateCompany(new CompanyInput { Name = body.Name, Email = body.Email, TimeZone = body.TimeZone, PublicUrl = body.PublicUrl }, ct);
            return TypedResults.Ok(new CompanyDto(c.Name, c.Email, c.TimeZone, c.Currency, c.PublicUrl));
        }).RequireAuthorization(Auth.AdminPolicy);

        MapList<Channel>(group, "channels");
        MapList<OpportunityType>(group, "opportunity-types");
        MapList<Category>(group, "categories");

        group.MapPost("/categories/{id:long}/subcategories", async (long id, ListItemWrite body, SettingsService settings, CancellationToken ct) =>
        {
            var s = await settings.CreateSubcategory(id, new ListItemInput { Name = body.Name, Active = body.Active }, ct);
            return TypedResults.Created($"/api/v1/settings/categories/{id}", new { id = s.Id, name = s.Name, active = s.Active });
        }).RequireAuthorization(Auth.AdminPolicy);
        group.MapPatch("/categories/{id:long}/subcategories/{subId:long}", async (long id, long subId, ListItemWrite body, SettingsService settings, CancellationToken ct) =>
        {
            var s = await settings.UpdateSubcategory(id, subId, new ListItemInput { Name = body.Name, Active = body.Active }, ct);
            return TypedResults.Ok(new { id = s.Id, name = s.Name, active = s.Active });
        }).RequireAuthorization(Auth.AdminPolicy);

        group.MapGet("/catalog-items", async (SettingsService settings, bool? activeOnly, CancellationToken ct) =>
            TypedResults.Ok(new { items = (await settings.List<CatalogItem>(activeOnly ?? false, ct)).Select(CatalogDto), next = (string?)null }));
        group.MapGet("/catalog-items/{id:long}", async (long id, SettingsService settings, CancellationToken ct) =>
            TypedResults.Ok(CatalogDto(await settings.Get<CatalogItem>(id, ct))));
        group.MapPost("/catalog-items", async (CatalogItemWrite body, SettingsService settings, CancellationToken ct) =>
        {
            var item = await settings.Create<CatalogItem>(CatalogInput(body), ct);
            return TypedResults.Created($"/api/v1/settings/catalog-items/{item.Id}", CatalogDto(item));
        }).RequireAuthorization(Auth.AdminPolicy);
        group.MapPatch("/catalog-items/{id:long}", async (long id, MergePatch<CatalogItemWrite> body, SettingsService settings, CancellationToken ct) =>
        {
            var current = await settings.Get<CatalogItem>(id, ct);
            var write = body.ApplyTo(new CatalogItemWrite(current.Name, current.Kind, current.DefaultPrice, current.Active));
            return TypedResults.Ok(CatalogDto(await settings.Update<CatalogItem>(id, CatalogInput(write), ct)));
        }).RequireAuthorization(Auth.AdminPolicy);
    }

    private static object CatalogDto(CatalogItem i) => new { id = i.Id, name = i.Name, active = i.Active, kind = i.Kind, defaultPrice = decimal.Round(i.DefaultPrice, 2) };

    private static ListItemInput CatalogInput(CatalogItemWrite w) => new() { Name = w.Name, Kind = w.Kind, DefaultPrice = w.DefaultPrice, Active = w.Active };

    private static object ItemDto(ListItem item) => item is Category c
        ? new { id = c.Id, name = c.Name, active = c.Active, subcategories = c.Subcategories.Select(s => new { id = s.Id, name = s.Name, active = s.Active }) }
        : new { id = item.Id, name = item.Name, active = item.Active };

    private static void MapList<T>(RouteGroupBuilder group, string path) where T : ListItem, new()
    {
        group.MapGet($"/{path}", async (SettingsService settings, bool? activeOnly, CancellationToken ct) =>
            TypedResults.Ok(new { items = (await settings.List<T>(activeOnly ?? false, ct)).Select(ItemDto), next = (string?)null }));
        group.MapGet($"/{path}/{{id:long}}", async (long id, SettingsService settings, CancellationToken ct) =>
            TypedResults.Ok(ItemDto(await settings.Get<T>(id, ct))));
        group.MapPost($"/{path}", async (ListItemWrite body, SettingsService settings, CancellationToken ct) =>
        {
            var item = await settings.Create<T>(new ListItemInput { Name = body.Name, Active = body.Active }, ct);
            return TypedResults.Created($"/api/v1/settings/{path}/{item.Id}", ItemDto(item));
        }).RequireAuthorization(Auth.AdminPolicy);
        group.MapPatch($"/{path}/{{id:long}}", async (long id, MergePatch<ListItemWrite> body, SettingsService settings, CancellationToken ct) =>
        {
            var current = await settings.Get<T>(id, ct);
            var write = body.ApplyTo(new ListItemWrite(current.Name, current.Active));
            return TypedResults.Ok(ItemDto(await settings.Update<T>(id, new ListItemInput { Name = write.Name, Active = write.Active }, ct)));
        }).RequireAuthorization(Auth.AdminPolicy);
    }
}
