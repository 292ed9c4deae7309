using Atende.Core.Partners;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Atende.Web.Api;

/// <summary>A partner's roles in the API: Cliente, Fornecedor.</summary>
public enum PartnerRole
{
    Customer,
    Supplier,
}

/// <param name="StateRegistration">Inscrição Estadual as typed, "ISENTO", or "" when none.</param>
/// <param name="Address">The partner's address; null when it has none.</param>
public sealed record PartnerDto(long Id, string Name, long WorkspaceId, string Code, PartnerRole[] Roles, long? AccountManagerId, bool Active,
    string Notes, string StateRegistration, AddressDto? Address, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version);

/// <param name="ConfirmDuplicates">Save even when the code looks like another partner's (after a 409 with <c>duplicates</c>).</param>
/// <param name="StateRegistration">Inscrição Estadual: digits, letters, dots, hyphens and slashes (up to 20), or "ISENTO" (any case).</param>
/// <param name="Address">The partner's address; null or absent clears it on POST/PUT, PATCH merges the fields sent.</param>
public sealed record PartnerWrite(string? Name, long? WorkspaceId, string? Code, PartnerRole[]? Roles, long? AccountManagerId, bool Active = true, string? Notes = null,
    bool ConfirmDuplicates = false, string? StateRegistration = null, AddressWrite? Address = null) : IJsonBody<PartnerWrite>
{
    public PartnerInput ToInput() => new()
    {
        Name = Name, WorkspaceId = WorkspaceId, Code = Code, AccountManagerId = AccountManagerId, Active = Active, Notes = Notes,
        Customer = Roles?.Contains(PartnerRole.Customer) ?? true,
        Supplier = Roles?.Contains(PartnerRole.Supplier) ?? false,
        StateRegistration = StateRegistration, Address = Address?.ToInput() ?? new(),
    };
}

/// <summary>A line of the partner list.</summary>
public sealed record PartnerListItem(long Id, string Name, long WorkspaceId, string Code, PartnerRole[] Roles, long? AccountManagerId, bool Active,
    int ContactCount, string? FirstContactName);

public sealed record PhoneDto(string Country, string AreaCode, string Number, PhoneType Type, string E164, string Display);
public sealed record PhoneWrite(string? Country, string? AreaCode, string? Number, PhoneType Type = PhoneType.Mobile);
public sealed record SocialProfileDto(SocialNetwork Network, string Handle);
public sealed record ContactDto(long Id, string Name, PhoneDto[] Phones, string[] Emails, SocialProfileDto[] SocialProfiles, int Version);
/// <param name="ConfirmDuplicates">Save even when an e-mail or phone is already another contact's (after a 409 with <c>duplicates</c>).</param>
public sealed record ContactWrite(string? Name, PhoneWrite[]? Phones, string?[]? Emails, SocialProfileDto[]? SocialProfiles, bool ConfirmDuplicates = false)
    : IJsonBody<ContactWrite>
{
    public ContactInput ToInput() => new()
    {
        Name = Name,
        Phones = (Phones ?? []).Select(p => new PhoneInput { Country = p.Country, AreaCode = p.AreaCode, Number = p.Number, Type = p.Type }).ToList(),
        Emails = (Emails ?? []).ToList(),
        SocialProfiles = (SocialProfiles ?? []).Select(s => new SocialProfileInput { Network = s.Network, Handle = s.Handle }).ToList(),
    };
}

public static class PartnersApi
{
    public static PartnerDto ToDto(Partner p) => new(p.Id, p.Name, p.WorkspaceId, p.Code, RoleNames(p.Roles), p.AccountManagerId, p.Active, p.Notes,
        p.StateRegistration, AddressDto.Of(p.Address), p.CreatedAt, p.UpdatedAt, p.Version);

    public static PartnerRole[] RoleNames(PartnerRoles roles) =>
        [.. Enum.GetValues<PartnerRole>().Where(r => roles.HasFlag(r == PartnerRole.Customer ? PartnerRoles.Customer : PartnerRoles.Supplier))];

    private static PartnerWrite ToWrite(Partner p) => new(p.Name, p.WorkspaceId, p.Code, RoleNames(p.Roles), p.AccountManagerId, p.Active, p.Notes,
        StateRegistration: p.StateRegistration, Address: AddressWrite.Of(p.Address));

    public static ContactDto ToDto(Contact c) => new(c.Id, c.Name,
        c.Phones.OrderBy(p => p.Position).Select(p =>
        {
            var (country, area, number) = PhoneRules.Split(p.E164);
            return new PhoneDto(country, area, number, p.Type, p.E164, PhoneRules.Display(p.E164));
        }).ToArray(),
        c.Emails.OrderBy(e => e.Position).Select(e => e.Address).ToArray(),
        c.SocialProfiles.OrderBy(s => s.Network).Select(s => new SocialProfileDto(s.Network, s.Handle)).ToArray(),
        c.Version);

    private static ContactWrite ToWrite(Contact c)
    {
        var dto = ToDto(c);
        return new(dto.Name, dto.Phones.Select(p => new PhoneWrite(p.Country, p.AreaCode, p.Number, p.Type)).ToArray(), dto.Emails, dto.SocialProfiles);
    }

    /// <summary>The CSV or XLSX download the partner list links to (session cookie, same scoping as the API).</summary>
    public static void MapDownloads(IEndpointRouteBuilder app) =>
        app.MapGet("/partners/export", (PartnerSpreadsheet sheet, string? q, long? workspaceId, PartnerRoles? role, bool? active, string? format, CancellationToken ct) =>
            Export(sheet, new PartnerFilter(q, workspaceId, role, active), format == "xlsx" ? SpreadsheetExportFormat.Xlsx : SpreadsheetExportFormat.Csv, ct))
        .RequireAuthorization(Auth.StaffPolicy).ExcludeFromDescription();

    private static PushStreamHttpResult Export(PartnerSpreadsheet sheet, PartnerFilter filter, SpreadsheetExportFormat format, CancellationToken ct) =>
        TypedResults.Stream(s => sheet.Export(s, filter, format, ct), PartnerSpreadsheet.ContentType(format), PartnerSpreadsheet.FileName(format));

    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/partners").RequireAuthorization(Auth.StaffPolicy).WithTags("Partners");

        group.MapGet("/", static async (PartnerService partners, string? q, long? workspaceId, PartnerRoles? role, bool? active, string? after, int? limit, bool? includeTotal,
            CancellationToken ct) =>
        {
            var filter = new PartnerFilter(q, workspaceId, role, active);
            var page = await partners.List(filter, after, limit ?? 50, ct);
            return TypedResults.Ok(new CountedList<PartnerListItem>([.. page.Items.Select(r => new PartnerListItem(r.Id, r.Name, r.WorkspaceId, r.Code,
                RoleNames(r.Roles), r.AccountManagerId, r.Active, r.ContactCount, r.FirstContactName))], page.Next,
                includeTotal == true ? await partners.Count(filter, ct) : null));
        });

        group.MapGet("/{id:long}", static async (long id, PartnerService partners, HttpResponse response, CancellationToken ct) =>
        {
            var partner = await partners.Get(id, ct);
            ApiHelpers.SetETag(response, partner.Version);
            return TypedResults.Ok(ToDto(partner));
        });

        group.MapPost("/", static async (PartnerWrite write, PartnerService partners, HttpContext http, CancellationToken ct) =>
        {
            var partner = await partners.Create(write.ToInput(), write.ConfirmDuplicates, ct);
            ApiHelpers.SetETag(http.Response, partner.Version);
            return TypedResults.Created($"/api/v1/partners/{partner.Id}", ToDto(partner));
        });

        group.MapPatch("/{id:long}", static async (long id, MergePatch<PartnerWrite> body, PartnerService partners, HttpContext http, CancellationToken ct) =>
        {
            var version = ApiHelpers.RequireIfMatch(http.Request);
            var current = await partners.Get(id, ct);
            var write = body.ApplyTo(ToWrite(current));
            var partner = await partners.Update(id, version, write.ToInput(), write.ConfirmDuplicates, ct);
            ApiHelpers.SetETag(http.Response, partner.Version);
            return TypedResults.Ok(ToDto(partner));
        });

        group.MapGet("/{id:long}/contacts", static async (long id, PartnerService partners, CancellationToken ct) =>
        {
            var partner = await partners.Get(id, ct);
            return TypedResults.Ok(new ItemList<ContactDto>([.. partner.Contacts.Select(ToDto)], null));
        });

        group.MapGet("/{id:long}/contacts/{contactId:long}", static async Task<Results<Ok<ContactDto>, NotFound>> (long id, long contactId, PartnerService partners, HttpResponse response, CancellationToken ct) =>
        {
            var contact = (await partners.Get(id, ct)).Contacts.FirstOrDefault(c => c.Id == contactId);
            if (contact is null)
            {
                return TypedResults.NotFound();
            }
            ApiHelpers.SetETag(response, contact.Version);
            return TypedResults.Ok(ToDto(contact));
        });

        group.MapPost("/{id:long}/contacts", static async (long id, ContactWrite write, PartnerService partners, HttpContext http, CancellationToken ct) =>
        {
            var contact = await partners.AddContact(id, write.ToInput(), write.ConfirmDuplicates, ct);
            ApiHelpers.SetETag(http.Response, contact.Version);
            return TypedResults.Created($"/api/v1/partners/{id}/contacts/{contact.Id}", ToDto(contact));
        });

        group.MapPatch("/{id:long}/contacts/{contactId:long}", static async (long id, long contactId, MergePatch<ContactWrite> body, PartnerService partners, HttpContext http, CancellationToken ct) =>
        {
            var version = ApiHelpers.RequireIfMatch(http.Request);
            var current = (await partners.Get(id, ct)).Contacts.FirstOrDefault(c => c.Id == contactId)
                ?? throw new Core.Common.NotFoundException("Contato não encontrado.");
            var write = body.ApplyTo(ToWrite(current));
            var contact = await partners.UpdateContact(id, contactId, version, write.ToInput(), write.ConfirmDuplicates, ct);
            ApiHelpers.SetETag(http.Response, contact.Version);
            return TypedResults.Ok(ToDto(contact));
        });

        group.MapDelete("/{id:long}/contacts/{contactId:long}", static async (long id, long contactId, PartnerService partners, CancellationToken ct) =>
        {
            await partners.RemoveContact(id, contactId, ct);
            return TypedResults.NoContent();
        });

        group.MapGet("/export", (PartnerSpreadsheet sheet, string? q, long? workspaceId, PartnerRoles? role, bool? active, string? format, CancellationToken ct) =>
            Export(sheet, new PartnerFilter(q, workspaceId, role, active), PartnerSpreadsheet.ParseFormat(format), ct));

        // The body is a CSV (UTF-8 or Windows-1252) or an XLSX, told apart by its content.
        group.MapPost("/import", static async (HttpRequest request, PartnerImport import, bool? dryRun, long? workspaceId, CancellationToken ct) =>
        {
            if (request.ContentLength > Core.Common.Spreadsheet.MaxBytes)
            {
                throw Core.Common.Spreadsheet.TooLarge();
            }
            var file = await Core.Common.Spreadsheet.ReadUpload(request.Body, ct);
            var report = await import.Import(file, workspaceId, dryRun ?? false, ct);
            return TypedResults.Ok(report);
        }).Accepts<string>("text/csv", Core.Common.Spreadsheet.XlsxContentType);
    }
}
