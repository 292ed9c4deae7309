using Atende.Core.Common;
using Atende.Core.Sales;
using Atende.Core.Tickets;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages.Purchases;

/// <summary>"Nova compra" from a ticket's Compras tab: supplier (active Supplier partners the user sees), lines, notes.</summary>
public sealed class NewModel(PurchaseService purchases, TicketService tickets) : AppPage
{
    [BindProperty(SupportsGet = true)] public long TicketId { get; set; }
    [BindProperty] public PurchaseForm Input { get; set; } = new();

    public Ticket Ticket { get; private set; } = null!;
    public List<(long Id, string Name)> Suppliers { get; private set; } = [];
    public List<FormError> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        await Load(ct);
        return Page();
    }

    public async Task<IActionResult> OnPost(CancellationToken ct)
    {
        Input.Items = Input.Items.Where(i => i is not null).ToList();
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
        await Load(ct);
        if (Input.Items.Count == 0)
        {
            Input.Items.Add(new PurchaseLineForm());
        }
        return Page();
    }

    private async Task Load(CancellationToken ct)
    {
        Ticket = await tickets.Get(TicketId, ct);
        Suppliers = await purchases.Suppliers(null, ct: ct);
        var fields = new List<(string, string)> { ("Input.SupplierId", "Input_SupplierId"), ("Input.Items", "add-item") };
        for (var i = 0; i < Input.Items.Count; i++)
        {
            foreach (var f in new[] { "Description", "Quantity", "UnitPrice", "Discount" })
            {
                fields.Add(($"Input.Items[{i}].{f}", $"item_{i}_{f.ToLowerInvariant()}"));
            }
        }
        fields.Add(("Input.Notes", "Input_Notes"));
        Errors = FormErrors.InOrder(ModelState, fields);
    }

    public string? Invalid(string key) => ModelState[key] is { Errors.Count: > 0 } ? " is-invalid" : null;

    public string? ErrorOf(string key) => ModelState[key] is { Errors.Count: > 0 } entry ? string.Join(" ", entry.Errors.Select(e => e.ErrorMessage)) : null;
}
