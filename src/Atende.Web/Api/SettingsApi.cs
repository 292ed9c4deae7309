using Atende.Core.Settings;
using Atende.Web.Infrastructure;

namespace Atende.Web.Api;

/// <param name="TaxId">The company's CNPJ or CPF, formatted; "" when none.</param>
/// <param name="Address">The company's address; null when it has none.</param>
public sealed record CompanyDto(string Name, string? Email, string TimeZone, string Currency, string? PublicUrl, string TaxId, string Phone, AddressDto? Address)
{
    public static CompanyDto Of(CompanyProfile c) => new(c.Name, c.Email, c.TimeZone, c.Currency, c.PublicUrl, c.TaxId, c.Phone, AddressDto.Of(c.Address));
}

/// <param name="TaxId">CNPJ (numeric or alphanumeric) or CPF, with or without punctuation; absent or "" clears it.</param>
/// <param name="Phone">Free text, up to 30 characters.</param>
/// <param name="Address">Absent or null clears it (PUT replaces the whole profile).</param>
public sealed record CompanyWrite(string? Name, string? Email, string? TimeZone, string? PublicUrl = null, string? TaxId = null, string? Phone = null,
    AddressWrite? Address = null) : IJsonBody<CompanyWrite>;
/// <summary>The customer portal: the pipeline its requests become tickets in (null: it takes none), what its form asks after the
/// category (Subcategory = "módulo Central", Channel = "módulo CRM") and who may reopen a finished request.</summary>
public sealed record PortalSettingsDto(long? PipelineId, PortalForm Form, PortalReopen Reopen)
{
    public static PortalSettingsDto Of(CompanyProfile c) => new(c.PortalPipelineId, c.PortalForm, c.PortalReopen);
}

public sealed record PortalSettingsWrite(long? PipelineId, PortalForm Form = PortalForm.Subcategory, PortalReopen Reopen = PortalReopen.Requester)
    : IJsonBody<PortalSettingsWrite>;

/// <summary>A value of a settings list (channel, opportunity type, subcategory).</summary>
public sealed record ListItemDto(long Id, string Name, bool Active, int Version);

/// <summary>A category with its subcategories.</summary>
public sealed record CategoryDto(long Id, string Name, bool Active, int Version, IReadOnlyList<ListItemDto> Subcategories);

/// <summary>A service or product of the catalog; <see cref="DefaultPrice"/> fills a new ticket's value.</summary>
/// <remarks><c>fiscalCode</c>: a product's NCM (8 digits) or a service's code (LC 116 item "17.01" or national "170101"); "" when not set.</remarks>
public sealed record CatalogItemDto(long Id, string Name, bool Active, CatalogItemKind Kind, decimal DefaultPrice, int Version, string FiscalCode);

public sealed record ListItemWrite(string? Name, bool Active = true) : IJsonBody<ListItemWrite>;
public sealed record CatalogItemWrite(string? Name, CatalogItemKind Kind = CatalogItemKind.Service, decimal DefaultPrice = 0, bool Active = true,
    string? FiscalCode = null) : IJsonBody<CatalogItemWrite>;

public static class SettingsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/settings").RequireAuthorization(Auth.StaffPolicy).WithTags("Settings");

        group.MapGet("/company", static async (SettingsService settings, CancellationToken ct) =>
        {
            return TypedResults.Ok(CompanyDto.Of(await settings.Company(ct)));
        });
        group.MapPut("/company", static async (CompanyWrite body, SettingsService settings, CancellationToken ct) =>
        {
            var c = await settings.UpdateCompany(new CompanyInput
            {
                Name = body.Name, Email = body.Email, TimeZone = body.TimeZone, PublicUrl = body.PublicUrl, TaxId = body.TaxId, Phone = body.Phone,
                Address = body.Address?.ToInput() ?? new(),
            }, ct);
            return TypedResults.Ok(CompanyDto.Of(c));
        }).RequireAuthorization(Auth.AdminPolicy);

        group.MapGet("/portal", static async (SettingsService settings, CancellationToken ct) => TypedResults.Ok(PortalSettingsDto.Of(await settings.Company(ct))))
            .RequireAuthorization(Auth.AdminPolicy);
        group.MapPut("/portal", static async (PortalSettingsWrite body, SettingsService settings, CancellationToken ct) =>
            TypedResults.Ok(PortalSettingsDto.Of(await settings.UpdatePortal(body.PipelineId, body.Form, body.Reopen, ct))))
            .RequireAuthorization(Auth.AdminPolicy);

        MapList<Channel, ListItemDto>(group, "channels", ItemDto);
        MapList<OpportunityType, ListItemDto>(group, "opportunity-types", ItemDto);
        MapList<Category, CategoryDto>(group, "categories", CategoryDto);

        group.MapPost("/categories/{id:long}/subcategories", static async (long id, ListItemWrite body, SettingsService settings, CancellationToken ct) =>
        {
            var s = await settings.CreateSubcategory(id, new ListItemInput { Name = body.Name, Active = body.Active }, ct);
            return TypedResults.Created($"/api/v1/settings/categories/{id}", SubcategoryDto(s));
        }).RequireAuthorization(Auth.AdminPolicy);
        group.MapPatch("/categories/{id:long}/subcategories/{subId:long}", static async (long id, long subId, MergePatch<ListItemWrite> body, SettingsService settings, HttpContext http,
            CancellationToken ct) =>
        {
            var version = ApiHelpers.RequireIfMatch(http.Request);
            var current = await settings.GetSubcategory(id, subId, ct);
            var write = body.ApplyTo(new ListItemWrite(current.Name, current.Active));
            var s = await settings.UpdateSubcategory(id, subId, version, new ListItemInput { Name = write.Name, Active = write.Active }, ct);
            return TypedResults.Ok(Versioned(http.Response, SubcategoryDto(s), s));
        }).RequireAuthorization(Auth.AdminPolicy);

        group.MapGet("/catalog-items", static async (SettingsService settings, bool? activeOnly, CancellationToken ct) =>
            TypedResults.Ok(new ItemList<CatalogItemDto>([.. (await settings.List<CatalogItem>(activeOnly ?? false, ct)).Select(CatalogDto)], null)));
        group.MapGet("/catalog-items/{id:long}", static async (long id, SettingsService settings, HttpResponse response, CancellationToken ct) =>
        {
            var item = await settings.Get<CatalogItem>(id, ct);
            return TypedResults.Ok(Versioned(response, CatalogDto(item), item));
        });
        group.MapPost("/catalog-items", static async (CatalogItemWrite body, SettingsService settings, CancellationToken ct) =>
        {
            var item = await settings.Create<CatalogItem>(CatalogInput(body), ct);
            return TypedResults.Created($"/api/v1/settings/catalog-items/{item.Id}", CatalogDto(item));
        }).RequireAuthorization(Auth.AdminPolicy);
        group.MapPatch("/catalog-items/{id:long}", static async (long id, MergePatch<CatalogItemWrite> body, SettingsService settings, HttpContext http, CancellationToken ct) =>
        {
            var version = ApiHelpers.RequireIfMatch(http.Request);
            var current = await settings.Get<CatalogItem>(id, ct);
            var write = body.ApplyTo(new CatalogItemWrite(current.Name, current.Kind, current.DefaultPrice, current.Active, current.FiscalCode));
            var item = await settings.Update<CatalogItem>(id, version, CatalogInput(write), ct);
            return TypedResults.Ok(Versioned(http.Response, CatalogDto(item), item));
        }).RequireAuthorization(Auth.AdminPolicy);
    }

    private static CatalogItemDto CatalogDto(CatalogItem i) => new(i.Id, i.Name, i.Active, i.Kind, decimal.Round(i.DefaultPrice, 2), i.Version, i.FiscalCode);

    private static ListItemInput CatalogInput(CatalogItemWrite w) => new() { Name = w.Name, Kind = w.Kind, DefaultPrice = w.DefaultPrice, Active = w.Active, FiscalCode = w.FiscalCode };

    private static ListItemDto ItemDto(ListItem item) => new(item.Id, item.Name, item.Active, item.Version);

    private static ListItemDto SubcategoryDto(Subcategory s) => new(s.Id, s.Name, s.Active, s.Version);

    private static CategoryDto CategoryDto(Category c) => new(c.Id, c.Name, c.Active, c.Version, [.. c.Subcategories.Select(SubcategoryDto)]);

    /// <summary>The answer of a GET or PATCH of one item, with its version as ETag.</summary>
    private static T Versioned<T>(HttpResponse response, T dto, ListItem item)
    {
        ApiHelpers.SetETag(response, item.Version);
        return dto;
    }

    private static void MapList<T, TDto>(RouteGroupBuilder group, string path, Func<T, TDto> ItemDto) where T : ListItem, new()
    {
        group.MapGet($"/{path}", async (SettingsService settings, bool? activeOnly, CancellationToken ct) =>
            TypedResults.Ok(new ItemList<TDto>([.. (await settings.List<T>(activeOnly ?? false, ct)).Select(ItemDto)], null)));
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
        group.MapPatch($"/{path}/{{id:long}}", async (long id, MergePatch<ListItemWrite> body, SettingsService settings, HttpContext http, CancellationToken ct) =>
        {
            var version = ApiHelpers.RequireIfMatch(http.Request);
            var current = await settings.Get<T>(id, ct);
            var write = body.ApplyTo(new ListItemWrite(current.Name, current.Active));
            var item = await settings.Update<T>(id, version, new ListItemInput { Name = write.Name, Active = write.Active }, ct);
            return TypedResults.Ok(Versioned(http.Response, ItemDto(item), item));
        }).RequireAuthorization(Auth.AdminPolicy);
    }
}
