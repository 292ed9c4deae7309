using Atende.Core.Settings;
using Atende.Web.Infrastructure;

namespace Atende.Web.Api;

public sealed record CompanyDto(string Name, string? Email, string TimeZone, string Currency, string? PublicUrl);
public sealed record CompanyWrite(string? Name, string? Email, string? TimeZone, string? PublicUrl = null);
public sealed record ListItemWrite(string? Name, bool Active = true);
public sealed record CatalogItemWrite(string? Name, CatalogItemKind Kind = CatalogItemKind.Service, decimal DefaultPrice = 0, bool Active = true);

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
            return TypedResults.Created($"/api/v1/settings/categories/{id}", SubcategoryDto(s));
        }).RequireAuthorization(Auth.AdminPolicy);
        group.MapPatch("/categories/{id:long}/subcategories/{subId:long}", async (long id, long subId, System.Text.Json.Nodes.JsonObject body, SettingsService settings, HttpContext http, CancellationToken ct) =>
        {
            var version = ApiHelpers.RequireIfMatch(http.Request);
            var current = await settings.GetSubcategory(id, subId, ct);
            var write = ApiHelpers.Merge(http, new ListItemWrite(current.Name, current.Active), body);
            var s = await settings.UpdateSubcategory(id, subId, version, new ListItemInput { Name = write.Name, Active = write.Active }, ct);
            return TypedResults.Ok(Versioned(http.Response, SubcategoryDto(s), s));
        }).RequireAuthorization(Auth.AdminPolicy);

        group.MapGet("/catalog-items", async (SettingsService settings, bool? activeOnly, CancellationToken ct) =>
            TypedResults.Ok(new { items = (await settings.List<CatalogItem>(activeOnly ?? false, ct)).Select(CatalogDto), next = (string?)null }));
        group.MapGet("/catalog-items/{id:long}", async (long id, SettingsService settings, HttpResponse response, CancellationToken ct) =>
        {
            var item = await settings.Get<CatalogItem>(id, ct);
            return TypedResults.Ok(Versioned(response, CatalogDto(item), item));
        });
        group.MapPost("/catalog-items", async (CatalogItemWrite body, SettingsService settings, CancellationToken ct) =>
        {
            var item = await settings.Create<CatalogItem>(CatalogInput(body), ct);
            return TypedResults.Created($"/api/v1/settings/catalog-items/{item.Id}", CatalogDto(item));
        }).RequireAuthorization(Auth.AdminPolicy);
        group.MapPatch("/catalog-items/{id:long}", async (long id, System.Text.Json.Nodes.JsonObject body, SettingsService settings, HttpContext http, CancellationToken ct) =>
        {
            var version = ApiHelpers.RequireIfMatch(http.Request);
            var current = await settings.Get<CatalogItem>(id, ct);
            var write = ApiHelpers.Merge(http, new CatalogItemWrite(current.Name, current.Kind, current.DefaultPrice, current.Active), body);
            var item = await settings.Update<CatalogItem>(id, version, CatalogInput(write), ct);
            return TypedResults.Ok(Versioned(http.Response, CatalogDto(item), item));
        }).RequireAuthorization(Auth.AdminPolicy);
    }

    private static object CatalogDto(CatalogItem i) => new { id = i.Id, name = i.Name, active = i.Active, kind = i.Kind, defaultPrice = decimal.Round(i.DefaultPrice, 2), version = i.Version };

    private static object SubcategoryDto(Subcategory s) => new { id = s.Id, name = s.Name, active = s.Active, version = s.Version };

    /// <summary>The answer of a GET or PATCH of one item, with its version as ETag.</summary>
    private static T Versioned<T>(HttpResponse response, T dto, ListItem item)
    {
        ApiHelpers.SetETag(response, item.Version);
        return dto;
    }

    private static ListItemInput CatalogInput(CatalogItemWrite w) => new() { Name = w.Name, Kind = w.Kind, DefaultPrice = w.DefaultPrice, Active = w.Active };

    private static object ItemDto(ListItem item) => item is Category c
        ? new { id = c.Id, name = c.Name, active = c.Active, version = c.Version, subcategories = c.Subcategories.Select(SubcategoryDto) }
        : new { id = item.Id, name = item.Name, active = item.Active, version = item.Version };

    private static void MapList<T>(RouteGroupBuilder group, string path) where T : ListItem, new()
    {
        group.MapGet($"/{path}", async (SettingsService settings, bool? activeOnly, CancellationToken ct) =>
            TypedResults.Ok(new { items = (await settings.List<T>(activeOnly ?? false, ct)).Select(ItemDto), next = (string?)null }));
        group.MapGet($"/{path}/{{id:long}}", async (long id, SettingsService settings, HttpResponse response, CancellationToken ct) =>
        {
            var item = await settings.Get<T>(id, ct);
            return TypedResults.Ok(Versioned(response, ItemDto(item), item));
        });
        group.MapPost($"/{path}", async (ListItemWrite body, SettingsService settings, CancellationToken ct) =>
        {
            var item = await settings.Create<T>(new ListItemInput { Name = body.Name, Active = body.Active }, ct);
            return TypedResults.Created($"/api/v1/settings/{path}/{item.Id}", ItemDto(item));
        }).RequireAuthorization(Auth.AdminPolicy);
        group.MapPatch($"/{path}/{{id:long}}", async (long id, System.Text.Json.Nodes.JsonObject body, SettingsService settings, HttpContext http, CancellationToken ct) =>
        {
            var version = ApiHelpers.RequireIfMatch(http.Request);
            var current = await settings.Get<T>(id, ct);
            var write = ApiHelpers.Merge(http, new ListItemWrite(current.Name, current.Active), body);
            var item = await settings.Update<T>(id, version, new ListItemInput { Name = write.Name, Active = write.Active }, ct);
            return TypedResults.Ok(Versioned(http.Response, ItemDto(item), item));
        }).RequireAuthorization(Auth.AdminPolicy);
    }
}
