using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Settings;

public sealed class CompanyInput
{
    public string? Name { get; set; }
    public string? Email { get; set; }
    public string? TimeZone { get; set; }
    public string? PublicUrl { get; set; }
    /// <summary>CNPJ or CPF, with or without punctuation.</summary>
    public string? TaxId { get; set; }
    public string? Phone { get; set; }
    public AddressInput Address { get; set; } = new();
}

public sealed class ListItemInput
{
    public string? Name { get; set; }
    public bool Active { get; set; } = true;
    public CatalogItemKind Kind { get; set; } = CatalogItemKind.Service;
    public decimal DefaultPrice { get; set; }
    /// <summary>A catalog item's NCM (product) or service code (service); see <see cref="Sales.FiscalCode"/>.</summary>
    public string? FiscalCode { get; set; }
}

/// <summary>The company profile and the lists the admin maintains (channels, opportunity types, categories, catalog items).</summary>
public sealed class SettingsService(AtendeDb db, Caller caller, TimeZoneCache? zones = null, VersionedCache? cache = null)
{
    /// <summary>The company profile (from <see cref="VersionedCache"/> while it did not change). Shared: never change it.</summary>
    public async Task<CompanyProfile> Company(CancellationToken ct = default)
    {
        var load = async () => await db.CompanyProfiles.AsNoTracking().FirstOrDefaultAsync(ct) ?? new CompanyProfile();
        return cache is null ? await load() : await cache.Get(caller, "company", load);
    }

    /// <summary>The company's time zone, in which every date is shown (America/Sao_Paulo when unset or unknown).</summary>
    public Task<TimeZoneInfo> TimeZone(CancellationToken ct = default) => CompanyZone(db, zones, ct);

    /// <summary>The company's time zone, for callers without a <see cref="Caller"/> (the public quote page).</summary>
    public static async Task<TimeZoneInfo> CompanyZone(AtendeDb db, TimeZoneCache? zones, CancellationToken ct = default)
    {
        if (zones?.Get() is { } cached)
        {
            return cached;
        }
        var id = await db.CompanyProfiles.Select(c => c.TimeZone).FirstOrDefaultAsync(ct);
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(id ?? "", out var found) ? found : TimeZoneInfo.FindSystemTimeZoneById("America/Sao_Paulo");
        zones?.Set(zone);
        return zone;
    }

    /// <summary>
    /// The portal's settings (admins): the pipeline its requests become tickets in (null: the portal takes none; an inactive
    /// pipeline refused), what the form asks after the category, and who may reopen a finished request.
    /// </summary>
    public async Task<CompanyProfile> UpdatePortal(long? pipelineId, PortalForm form, PortalReopen reopen, CancellationToken ct = default)
    {
        caller.RequireAdmin();
        var v = new Validation();
        if (pipelineId is { } id && await db.Pipelines.Where(p => p.Id == id).Select(p => new { p.Name, p.Active }).FirstOrDefaultAsync(ct) is var pipeline
            && (pipeline is null || !pipeline.Active))
        {
            v.Add("pipelineId", pipeline is null ? "Fluxo não encontrado." : $"O fluxo \"{pipeline.Name}\" está inativo: escolha um fluxo ativo.");
        }
        if (!Enum.IsDefined(form))
        {
            v.Add("form", "Formulário desconhecido: use Subcategory (módulo Central) ou Channel (módulo CRM).");
        }
        if (!Enum.IsDefined(reopen))
        {
            v.Add("reopen", "Regra desconhecida: use Nobody, Requester ou Anyone.");
        }
        v.ThrowIfAny();
        var company = await db.CompanyProfiles.FirstOrDefaultAsync(ct) ?? db.CompanyProfiles.Add(new CompanyProfile()).Entity;
        company.PortalPipelineId = pipelineId;
        company.PortalForm = form;
        company.PortalReopen = reopen;
        await db.SaveChangesAsync(ct);
        return company;
    }

    public async Task<CompanyProfile> UpdateCompany(CompanyInput input, CancellationToken ct = default)
    {
        caller.RequireAdmin();
        var v = new Validation();
        var name = v.Text("name", "Nome da empresa", input.Name, 200);
        var email = v.Text("email", "E-mail da empresa", input.Email, 254, required: false);
        if (email.Length > 0 && !Partners.PartnerService.IsValidEmail(email))
        {
            v.Add("email", $"E-mail inválido: {email}.");
        }
        var publicUrl = v.Text("publicUrl", "Endereço do Atende", input.PublicUrl, 300, required: false).TrimEnd('/');
        if (publicUrl.Length > 0 && (!Uri.TryCreate(publicUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")
            || url.Query.Length > 0 || url.Fragment.Length > 0 || url.UserInfo.Length > 0))
        {
            v.Add("publicUrl", $"Endereço inválido: {publicUrl}. Informe o endereço completo, por exemplo https://atende.suaempresa.com.br.");
        }
        var timeZone = SearchText.Clean(input.TimeZone);
        if (timeZone.Length == 0)
        {
            timeZone = "America/Sao_Paulo";
        }
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _))
        {
            v.Add("timeZone", $"Fuso horário desconhecido: {timeZone}.");
        }
        var (taxIdKind, taxId, taxIdError) = Partners.TaxId.Parse(input.TaxId);
        if (taxIdError is not null)
        {
            v.Add("taxId", taxIdError);
        }
        else if (taxIdKind == Partners.TaxIdKind.Free)
        {
            v.Add("taxId", "CNPJ/CPF inválido: informe o CNPJ (14 caracteres) ou o CPF (11 dígitos) da empresa.");
        }
        var phone = v.Text("phone", "Telefone da empresa", input.Phone, CompanyProfile.MaxPhoneLength, required: false);
        var address = PostalAddress.Validate(input.Address, v);
        v.ThrowIfAny();
        var company = await db.CompanyProfiles.FirstOrDefaultAsync(ct) ?? db.CompanyProfiles.Add(new CompanyProfile()).Entity;
        company.TaxId = taxId;
        company.Phone = phone;
        company.Address = address;
        company.Name = name;
        company.Email = email.Length == 0 ? null : email;
        company.TimeZone = timeZone;
        company.PublicUrl = publicUrl.Length == 0 ? null : publicUrl;
        await db.SaveChangesAsync(ct);
        zones?.Clear();
        return company;
    }

    public Task<List<T>> List<T>(bool activeOnly = false, CancellationToken ct = default) where T : ListItem
    {
        var query = db.Set<T>().AsNoTracking();
        if (activeOnly)
        {
            query = query.Where(x => x.Active);
        }
        if (typeof(T) == typeof(Category))
        {
            query = query.Include(x => ((Category)(object)x).Subcategories.OrderBy(s => s.Name));
        }
        return query.OrderBy(x => x.Name).ToListAsync(ct);
    }

    /// <summary>
    /// The lists a ticket's form chooses from (catalog items, categories with their subcategories, channels), inactive ones
    /// included, each by name as <see cref="List{T}"/> reads them, in one statement: a UNION ALL of the four tables.
    /// </summary>
    /// <summary>The ticket form's selects (from <see cref="VersionedCache"/> while no list changed). Shared: never change them.</summary>
    public async Task<TicketFormLists> TicketFormLists(CancellationToken ct = default) =>
        cache is null ? await LoadTicketFormLists(ct) : await cache.Get(caller, "ticket-form-lists", () => LoadTicketFormLists(ct));

    private async Task<TicketFormLists> LoadTicketFormLists(CancellationToken ct)
    {
        // Which table a row comes from; ParentId is a subcategory's category; Kind and DefaultPrice are a catalog item's
        // (NULL elsewhere: a constant would not go through the enum's text conversion, and PostgreSQL types each column once).
        const int catalog = 0, category = 1, subcategory = 2, channel = 3;
        var rows = await db.CatalogItems.Select(x => new { Table = catalog, x.Id, x.Name, x.Active, x.Version, ParentId = (long?)null, Kind = (CatalogItemKind?)x.Kind, DefaultPrice = (decimal?)x.DefaultPrice })
            .Concat(db.Categories.Select(x => new { Table = category, x.Id, x.Name, x.Active, x.Version, ParentId = (long?)null, Kind = (CatalogItemKind?)null, DefaultPrice = (decimal?)null }))
            .Concat(db.Subcategories.Select(x => new { Table = subcategory, x.Id, x.Name, x.Active, x.Version, ParentId = (long?)x.CategoryId, Kind = (CatalogItemKind?)null, DefaultPrice = (decimal?)null }))
            .Concat(db.Channels.Select(x => new { Table = channel, x.Id, x.Name, x.Active, x.Version, ParentId = (long?)null, Kind = (CatalogItemKind?)null, DefaultPrice = (decimal?)null }))
            .OrderBy(x => x.Name).ThenBy(x => x.Id)
            .ToListAsync(ct);
        var subcategories = rows.Where(x => x.Table == subcategory)
            .ToLookup(x => x.ParentId!.Value, x => new Subcategory { Id = x.Id, Name = x.Name, Active = x.Active, Version = x.Version, CategoryId = x.ParentId!.Value });
        return new TicketFormLists(
            rows.Where(x => x.Table == catalog).Select(x => new CatalogItem { Id = x.Id, Name = x.Name, Active = x.Active, Version = x.Version, Kind = x.Kind!.Value, DefaultPrice = x.DefaultPrice!.Value }).ToList(),
            rows.Where(x => x.Table == category).Select(x => new Category { Id = x.Id, Name = x.Name, Active = x.Active, Version = x.Version, Subcategories = subcategories[x.Id].ToList() }).ToList(),
            rows.Where(x => x.Table == channel).Select(x => new Channel { Id = x.Id, Name = x.Name, Active = x.Active, Version = x.Version }).ToList());
    }

    public async Task<T> Get<T>(long id, CancellationToken ct = default) where T : ListItem
    {
        var query = db.Set<T>().AsQueryable();
        if (typeof(T) == typeof(Category))
        {
            query = query.Include(x => ((Category)(object)x).Subcategories.OrderBy(s => s.Name));
        }
        return await query.FirstOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundException("Item não encontrado.");
    }

    public async Task<T> Create<T>(ListItemInput input, CancellationToken ct = default) where T : ListItem, new()
    {
        caller.RequireAdmin();
        var item = new T();
        await Apply(item, input, ct);
        db.Set<T>().Add(item);
        await db.SaveChangesAsync(ct);
        return item;
    }

    /// <summary>Renames, (de)activates or reprices an item. Items are never deleted: the ones in use would lose their meaning.</summary>
    public async Task<T> Update<T>(long id, int version, ListItemInput input, CancellationToken ct = default) where T : ListItem
    {
        caller.RequireAdmin();
        var item = await Get<T>(id, ct);
        Versions.Check(item.Version, version, StaleItem);
        await Apply(item, input, ct);
        item.Version++;
        await Versions.Save(db, StaleItem, ct);
        return item;
    }

    private const string StaleItem = "Este item foi alterado por outra pessoa enquanto você editava. Recarregue e tente de novo.";

    public async Task<Subcategory> CreateSubcategory(long categoryId, ListItemInput input, CancellationToken ct = default)
    {
        caller.RequireAdmin();
        var category = await Get<Category>(categoryId, ct);
        var sub = new Subcategory { CategoryId = category.Id };
        ApplySubcategory(category, sub, input);
        category.Subcategories.Add(sub);
        await db.SaveChangesAsync(ct);
        return sub;
    }

    public async Task<Subcategory> UpdateSubcategory(long categoryId, long id, int version, ListItemInput input, CancellationToken ct = default)
    {
        caller.RequireAdmin();
        var category = await Get<Category>(categoryId, ct);
        var sub = category.Subcategories.FirstOrDefault(s => s.Id == id) ?? throw new NotFoundException("Sub-classificação não encontrada.");
        Versions.Check(sub.Version, version, StaleItem);
        ApplySubcategory(category, sub, input);
        sub.Version++;
        await Versions.Save(db, StaleItem, ct);
        return sub;
    }

    /// <summary>A subcategory of a visible category, for the merge of a PATCH.</summary>
    public async Task<Subcategory> GetSubcategory(long categoryId, long id, CancellationToken ct = default) =>
        (await Get<Category>(categoryId, ct)).Subcategories.FirstOrDefault(s => s.Id == id)
        ?? throw new NotFoundException("Sub-classificação não encontrada.");

    private static void ApplySubcategory(Category category, Subcategory sub, ListItemInput input)
    {
        var v = new Validation();
        var name = v.Text("name", "Nome", input.Name, 100);
        if (category.Subcategories.Any(s => s.Id != sub.Id && SearchText.Normalize(s.Name) == SearchText.Normalize(name)))
        {
            v.Add("name", $"Já existe a sub-classificação \"{name}\" em \"{category.Name}\".");
        }
        v.ThrowIfAny();
        sub.Name = name;
        sub.Active = input.Active;
    }

    private async Task Apply<T>(T item, ListItemInput input, CancellationToken ct) where T : ListItem
    {
        var v = new Validation();
        var name = v.Text("name", "Nome", input.Name, 100);
        if (item is CatalogItem && (input.DefaultPrice < 0 || input.DefaultPrice > 999_999_999m))
        {
            v.Add("defaultPrice", "Preço padrão deve estar entre R$ 0,00 e R$ 999.999.999,00.");
        }
        var (fiscalCode, fiscalError) = item is CatalogItem ? Sales.FiscalCode.Parse(input.FiscalCode, input.Kind) : ("", null);
        if (fiscalError is not null)
        {
            v.Add("fiscalCode", fiscalError);
        }
        if (name.Length > 0)
        {
            var names = await db.Set<T>().Where(x => x.Id != item.Id).Select(x => x.Name).ToListAsync(ct);
            if (names.Any(n => SearchText.Normalize(n) == SearchText.Normalize(name)))
            {
                v.Add("name", $"Já existe um item chamado \"{name}\".");
            }
        }
        v.ThrowIfAny();
        item.Name = name;
        item.Active = input.Active;
        if (item is CatalogItem catalogItem)
        {
            catalogItem.Kind = input.Kind;
            catalogItem.DefaultPrice = decimal.Round(input.DefaultPrice, 2);
            catalogItem.FiscalCode = fiscalCode;
        }
    }
}

/// <summary>What the ticket form's selects offer from the settings (<see cref="SettingsService.TicketFormLists"/>).</summary>
public sealed record TicketFormLists(List<CatalogItem> CatalogItems, List<Category> Categories, List<Channel> Channels);
