using Atende.Core.Common;
using Atende.Core.Settings;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Atende.Web.Pages.Settings;

/// <summary>The lists the admin maintains: channels, opportunity types, categories (with subcategories) and catalog items.</summary>
public sealed class ListsModel(SettingsService settings) : AppPage, IFormPage
{
    public sealed record ListKind(string Slug, string Title, string NewLabel, string Empty, string Icon, string Placeholder, ListOps Ops);

    public static readonly IReadOnlyList<ListKind> Kinds =
    [
        new("channels", "Canais de comunicação", "Novo canal", "Nenhum canal de comunicação", "bi-chat-dots", "Ex.: WhatsApp", new ListOps<Channel>()),
        new("opportunity-types", "Tipos de oportunidade", "Novo tipo de oportunidade", "Nenhum tipo de oportunidade", "bi-bullseye", "Ex.: Venda", new ListOps<OpportunityType>()),
        new("categories", "Classificações", "Nova classificação", "Nenhuma classificação", "bi-tags", "Ex.: Suporte técnico", new ListOps<Category>()),
        new("catalog-items", "Serviços/Produtos", "Novo serviço ou produto", "Nenhum serviço ou produto", "bi-box-seam", "Ex.: Consultoria mensal", new ListOps<CatalogItem>()),
    ];

    /// <summary>One bound form serves every add/rename form of the page; <see cref="Failed"/> tells which one was refused.</summary>
    public sealed class ItemForm
    {
        public long Id { get; set; }
        public long CategoryId { get; set; }
        /// <summary>The version the rename form showed: a change made meanwhile by another admin is refused, not overwritten.</summary>
        public int Version { get; set; } = Versions.Any;
        public string? Name { get; set; }
        public CatalogItemKind Kind { get; set; } = CatalogItemKind.Service;
        /// <summary>Typed in pt-BR ("1.234,56").</summary>
        public string? DefaultPrice { get; set; }
        /// <summary>NCM (product) or service code, for the NF-e.</summary>
        public string? FiscalCode { get; set; }
    }

    // An explicit name: posts without "Form.*" fields (the toggles) must not bind route values such as kind into it.
    [BindProperty(Name = "Form")] public ItemForm Form { get; set; } = new();

    public ListKind Kind { get; private set; } = Kinds[0];
    public List<ListItem> Items { get; private set; } = [];
    /// <summary>"create", "update:{id}", "create-sub:{categoryId}" or "update-sub:{id}" after a refused post.</summary>
    public string? Failed { get; private set; }

    public bool IsCatalog => Kind.Slug == "catalog-items";

    public async Task<IActionResult> OnGet(string? kind, CancellationToken ct)
    {
        await Load(kind, ct);
        return Page();
    }

    public Task<IActionResult> OnPostCreate(string? kind, CancellationToken ct) =>
        Save(kind, "create", async () =>
        {
            var item = await Kind.Ops.Create(settings, ReadForm(new ListItemInput()), ct);
            Flash($"Item \"{item.Name}\" adicionado{PriceNote(item)}.");
            return item.Id;
        }, ct);

    public Task<IActionResult> OnPostUpdate(string? kind, CancellationToken ct) =>
        Save(kind, $"update:{Form.Id}", async () =>
        {
            var current = InputOf(await Kind.Ops.Get(settings, Form.Id, ct));
            var item = await Kind.Ops.Update(settings, Form.Id, Form.Version, ReadForm(current), ct);
            Flash($"Item \"{item.Name}\" salvo{PriceNote(item)}.");
            return item.Id;
        }, ct);

    public Task<IActionResult> OnPostSetActive(string? kind, long id, bool active, CancellationToken ct) =>
        Save(kind, $"update:{id}", async () =>
        {
            var input = InputOf(await Kind.Ops.Get(settings, id, ct));
            input.Active = active;
            var item = await Kind.Ops.Update(settings, id, Versions.Any, input, ct);
            Flash(active ? $"Item \"{item.Name}\" ativado." : $"Item \"{item.Name}\" desativado: não aparece mais em novos registros.");
            return item.Id;
        }, ct);

    public Task<IActionResult> OnPostCreateSub(CancellationToken ct) =>
        Save("categories", $"create-sub:{Form.CategoryId}", async () =>
        {
            var sub = await settings.CreateSubcategory(Form.CategoryId, new ListItemInput { Name = Form.Name }, ct);
            Flash($"Sub-classificação \"{sub.Name}\" adicionada.");
            return sub.CategoryId;
        }, ct);

    public Task<IActionResult> OnPostUpdateSub(CancellationToken ct) =>
        Save("categories", $"update-sub:{Form.Id}", async () =>
        {
            var current = await Subcategory(Form.CategoryId, Form.Id, ct);
            var sub = await settings.UpdateSubcategory(Form.CategoryId, Form.Id, Form.Version, new ListItemInput { Name = Form.Name, Active = current.Active }, ct);
            Flash($"Sub-classificação \"{sub.Name}\" salva.");
            return sub.CategoryId;
        }, ct);

    public Task<IActionResult> OnPostSetSubActive(long categoryId, long id, bool active, CancellationToken ct) =>
        Save("categories", $"update-sub:{id}", async () =>
        {
            var current = await Subcategory(categoryId, id, ct);
            var sub = await settings.UpdateSubcategory(categoryId, id, Versions.Any, new ListItemInput { Name = current.Name, Active = active }, ct);
            Flash(active ? $"Sub-classificação \"{sub.Name}\" ativada." : $"Sub-classificação \"{sub.Name}\" desativada.");
            return sub.CategoryId;
        }, ct);

    /// <summary>Runs a change; on success goes back to the list at the changed row, on a refusal shows the errors on the form that was sent.</summary>
    private async Task<IActionResult> Save(string? kind, string form, Func<Task<long>> change, CancellationToken ct)
    {
        Kind = Find(kind);
        // Read only when the change is refused: that form then shows what was typed and the errors.
        Failed = form;
        if (ModelState.IsValid)
        {
            var id = await change();
            return Redirect($"/settings/lists/{Kind.Slug}#item-{id}");
        }
        await Redisplay(ct);
        return Page();
    }

    public string ErrorPrefix(string? handler) => nameof(Form);

    public Task Redisplay(CancellationToken ct) => Load(Kind.Slug, ct);

    /// <summary>A change based on a stale version: the message by the name of the form that sent it.</summary>
    public bool ShowConflict(PageModel page, Exception conflict)
    {
        ModelState.AddModelError($"{nameof(Form)}.Name", conflict.Message);
        return true;
    }

    /// <summary>The form's values over the current ones; an unreadable price becomes an error on its field.</summary>
    private ListItemInput ReadForm(ListItemInput current)
    {
        current.Name = Form.Name;
        if (IsCatalog)
        {
            current.Kind = Form.Kind;
            if (!MoneyInput.TryParse(Form.DefaultPrice, out var price))
            {
                throw new ValidationException("defaultPrice", $"Preço padrão inválido: \"{Form.DefaultPrice}\". Use o formato 1.234,56.");
            }
            current.DefaultPrice = price;
            current.FiscalCode = Form.FiscalCode;
        }
        return current;
    }

    private static string PriceNote(ListItem item) => item is CatalogItem c ? $", preço padrão {Fmt.Money(c.DefaultPrice)}" : "";

    private static ListItemInput InputOf(ListItem item) => new()
    {
        Name = item.Name,
        Active = item.Active,
        Kind = (item as CatalogItem)?.Kind ?? CatalogItemKind.Service,
        DefaultPrice = (item as CatalogItem)?.DefaultPrice ?? 0,
        FiscalCode = (item as CatalogItem)?.FiscalCode,
    };

    private async Task<Subcategory> Subcategory(long categoryId, long id, CancellationToken ct) =>
        (await settings.Get<Category>(categoryId, ct)).Subcategories.FirstOrDefault(s => s.Id == id)
        ?? throw new NotFoundException("Sub-classificação não encontrada.");

    private async Task Load(string? kind, CancellationToken ct)
    {
        Kind = Find(kind);
        Items = await Kind.Ops.List(settings, ct);
    }

    private static ListKind Find(string? slug) =>
        string.IsNullOrEmpty(slug) ? Kinds[0] : Kinds.FirstOrDefault(k => k.Slug == slug) ?? throw new NotFoundException("Lista não encontrada.");
}

/// <summary>The SettingsService calls for one list type, so the page handles every list with the same code.</summary>
public abstract class ListOps
{
    public abstract Task<List<ListItem>> List(SettingsService settings, CancellationToken ct);
    public abstract Task<ListItem> Get(SettingsService settings, long id, CancellationToken ct);
    public abstract Task<ListItem> Create(SettingsService settings, ListItemInput input, CancellationToken ct);
    public abstract Task<ListItem> Update(SettingsService settings, long id, int version, ListItemInput input, CancellationToken ct);
}

public sealed class ListOps<T> : ListOps where T : ListItem, new()
{
    public override async Task<List<ListItem>> List(SettingsService settings, CancellationToken ct) => [.. await settings.List<T>(false, ct)];
    public override async Task<ListItem> Get(SettingsService settings, long id, CancellationToken ct) => await settings.Get<T>(id, ct);
    public override async Task<ListItem> Create(SettingsService settings, ListItemInput input, CancellationToken ct) => await settings.Create<T>(input, ct);
    public override async Task<ListItem> Update(SettingsService settings, long id, int version, ListItemInput input, CancellationToken ct) => await settings.Update<T>(id, version, input, ct);
}
