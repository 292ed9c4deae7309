using Atende.Core.Common;
using Atende.Core.Sales;
using Atende.Core.Settings;
using Atende.Core.Tickets;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages.Quotes;

/// <summary>
/// "Nova venda" on a ticket (<c>/tickets/{ticketId}/quotes/new</c>) and "Editar" of a quote (<c>/quotes/{id}/edit</c>),
/// which writes a new version. Core checks everything; the page only reads the pt-BR numbers and puts Core's messages
/// next to their fields.
/// </summary>
public sealed class EditModel(QuoteService quotes, TicketService tickets, SettingsService settings) : AppPage
{
    /// <summary>Empty rows offered below the lines: how a line is added without JavaScript.</summary>
    public const int EmptyRows = 3;
    public const int DefaultValidityDays = 15;

    [BindProperty] public QuoteForm Input { get; set; } = new();
    /// <summary>The quote's revision the form was read at: an edit over a newer one is refused (stale).</summary>
    [BindProperty] public int Revision { get; set; }

    public long? Id { get; private set; }
    public QuoteDetails? Details { get; private set; }
    public Ticket Ticket { get; private set; } = null!;
    public List<CatalogItem> Catalog { get; private set; } = [];
    public bool Stale { get; private set; }
    public bool IsNew => Id is null;

    public async Task<IActionResult> OnGet(long? ticketId, long? id, CancellationToken ct)
    {
        await Load(ticketId, id, ct);
        if (Details is { } d)
        {
            if (d.Quote.State is QuoteState.Approved or QuoteState.Canceled)
            {
                FlashError(d.Quote.State == QuoteState.Approved
                    ? $"{d.Quote.Number} já foi aprovado e virou venda: não pode mais ser editado."
                    : $"{d.Quote.Number} foi cancelado e não pode mais ser editado.");
                return Redirect($"/quotes/{d.Quote.Id}");
            }
            Input = QuoteForm.From(d.Version, d.Quote.IssueNfe);
            Revision = d.Quote.Revision;
            Input.AddEmptyRows(1);
        }
        else
        {
            var zone = await settings.TimeZone(ct);
            Input.ValidUntil = QuoteView.Date(DateOnly.FromDateTime(ZoneTime.ToLocal(Clock.Now(), zone).DateTime).AddDays(DefaultValidityDays));
            Input.AddEmptyRows(EmptyRows);
        }
        return Page();
    }

    public async Task<IActionResult> OnPost(long? ticketId, long? id, CancellationToken ct)
    {
        await Load(ticketId, id, ct);
        ModelState.Clear();
        Input.DropEmptyRows();
        var unreadable = new Dictionary<string, string>();
        var input = Input.ToInput(unreadable);
        try
        {
            if (Details is { } d)
            {
                var revised = await quotes.Revise(d.Quote.Id, Revision, input, ct);
                Flash($"{revised.Number}: versão {revised.CurrentVersion} salva, {QuoteView.State(revised.State).ToLowerInvariant()}.");
                return Redirect($"/quotes/{revised.Id}");
            }
            var created = await quotes.Create(Ticket.Id, input, Input.Approve, ct);
            Flash(created.State == QuoteState.Approved ? $"Venda {created.Number} registrada." : $"Orçamento {created.Number} criado, em aprovação.");
            return Redirect($"/quotes/{created.Id}");
        }
        // Each of Core's messages goes next to its field (the page's own where it could not read the text); a stale edit or a
        // refused state shows above the form, with what was typed kept.
        catch (ValidationException e)
        {
            foreach (var (field, messages) in e.Errors)
            {
                var name = CorePageErrors.FieldName(field);
                if (!unreadable.ContainsKey(name))
                {
                    foreach (var message in messages)
                    {
                        ModelState.AddModelError(field.Length == 0 ? "" : "Input." + name, message);
                    }
                }
            }
        }
        catch (StaleVersionException e)
        {
            Stale = true;
            ModelState.AddModelError("", e.Message);
        }
        catch (ConflictException e)
        {
            ModelState.AddModelError("", e.Message);
        }
        foreach (var (key, message) in unreadable)
        {
            ModelState.AddModelError("Input." + key, message);
        }
        Input.AddEmptyRows(Input.Items.Count == 0 ? EmptyRows : 1);
        return Page();
    }

    private async Task Load(long? ticketId, long? id, CancellationToken ct)
    {
        Id = id;
        if (id is { } quoteId)
        {
            Details = await quotes.Details(quoteId, null, ct);
            ticketId = Details.Quote.TicketId;
        }
        Ticket = await tickets.Get(ticketId ?? throw new NotFoundException("Atendimento não encontrado."), ct);
        var used = Input.Items.Select(i => i.CatalogItemId).Concat(Details?.Version.Items.Select(i => i.CatalogItemId) ?? []).OfType<long>().ToHashSet();
        Catalog = [.. (await settings.List<CatalogItem>(ct: ct)).Where(c => c.Active || used.Contains(c.Id)).OrderBy(c => c.Name, StringComparer.CurrentCulture)];
    }

    /// <summary>The first error of a field ("Items[0].Quantity", "Notes"), for the message under it.</summary>
    public string? Error(string field) =>
        ModelState.TryGetValue("Input." + field, out var entry) && entry.Errors.Count > 0 ? entry.Errors[0].ErrorMessage : null;

    /// <summary>The error summary's lines, in the form's order, each linking to its field.</summary>
    public List<FormError> Errors()
    {
        var fields = new List<(string, string)>();
        for (var i = 0; i < Input.Items.Count; i++)
        {
            fields.Add(($"Input.Items[{i}]", $"item_{i}_description"));
            foreach (var (name, id) in new[] { ("CatalogItemId", "catalog"), ("Description", "description"), ("Quantity", "quantity"), ("UnitPrice", "price"), ("Discount", "discount") })
            {
                fields.Add(($"Input.Items[{i}].{name}", $"item_{i}_{id}"));
            }
        }
        fields.Add(("Input.Items", "item_0_description"));
        fields.Add(("Input.ValidUntil", "Input_ValidUntil"));
        fields.Add(("Input.Notes", "Input_Notes"));
        return FormErrors.InOrder(ModelState, fields);
    }

    /// <summary>The field the page focuses on load after a refused save.</summary>
    public string? FirstInvalidFieldId => Errors().FirstOrDefault(e => e.FieldId is not null)?.FieldId;
}
