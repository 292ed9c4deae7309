using Atende.Core.Common;
using Atende.Core.Sales;
using Atende.Core.Settings;
using Atende.Core.Tickets;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages.Purchases;

/// <summary>"Nova compra" from a ticket's Compras tab: supplier (active Supplier partners the user sees), lines, notes.</summary>
public sealed class NewModel(PurchaseService purchases, TicketService tickets, SettingsService settings) : AppPage
{
    /// <summary>Empty rows offered below the lines: how a line is added without JavaScript.</summary>
    public const int EmptyRows = 3;

    [BindProperty(SupportsGet = true)] public long TicketId { get; set; }
    [BindProperty] public PurchaseForm Input { get; set; } = new();

    public Ticket Ticket { get; private set; } = null!;
    public List<(long Id, string Name)> Suppliers { get; private set; } = [];
    /// <summary>What a line may pick: the active catalog items, and an inactive one a refused form still holds (Core names it).</summary>
    public List<CatalogItem> Catalog { get; private set; } = [];
    public List<FormError> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        Input.AddEmptyRows(EmptyRows);
        await Load(ct);
        return Page();
    }

    public async Task<IActionResult> OnPost(CancellationToken ct)
    {
        ModelState.Clear();
        Input.DropEmptyRows();
        var unreadable = new Dictionary<string, string>();
        try
        {
            var purchase = await purchases.Create(TicketId, Input.ToInput(unreadable), ct);
            Flash($"Compra {purchase.Number} registrada: {QuoteMath.Brl(purchase.Total)}.");
            return Redirect($"/purchases/{purchase.Id}");
        }
        catch (ValidationException e)
        {
            ShowErrors(e);
            foreach (var (key, message) in unreadable)
            {
                ModelState.Remove(key);
                ModelState.AddModelError(key, message);
            }
        }
        Input.AddEmptyRows(Input.Items.Count == 0 ? EmptyRows : 1);
        await Load(ct);
        return Page();
    }

    private async Task Load(CancellationToken ct)
    {
        Ticket = await tickets.Get(TicketId, ct);
        Suppliers = await purchases.Suppliers(null, ct: ct);
        var used = Input.Items.Select(i => i.CatalogItemId).OfType<long>().ToHashSet();
        Catalog = [.. (await settings.List<CatalogItem>(ct: ct)).Where(c => c.Active || used.Contains(c.Id)).OrderBy(c => c.Name, StringComparer.CurrentCulture)];
        var fields = new List<(string, string)> { ("Input.SupplierId", "Input_SupplierId"), ("Input.Items", "item_0_description") };
        for (var i = 0; i < Input.Items.Count; i++)
        {
            fields.Add(($"Input.Items[{i}]", $"item_{i}_description"));
            foreach (var f in new[] { "CatalogItemId", "Description", "Quantity", "UnitPrice", "Discount" })
            {
                fields.Add(($"Input.Items[{i}].{f}", $"item_{i}_{(f == "CatalogItemId" ? "catalog" : f.ToLowerInvariant())}"));
            }
        }
        fields.Add(("Input.Notes", "Input_Notes"));
        Errors = FormErrors.InOrder(ModelState, fields);
    }

    /// <summary>The field the page focuses on load after a refused save.</summary>
    public string? FirstInvalidFieldId => Errors.FirstOrDefault(e => e.FieldId is not null)?.FieldId;

    public string? Invalid(string key) => ModelState[key] is { Errors.Count: > 0 } ? " is-invalid" : null;

    public string? ErrorOf(string key) => ModelState[key] is { Errors.Count: > 0 } entry ? string.Join(" ", entry.Errors.Select(e => e.ErrorMessage)) : null;
}
