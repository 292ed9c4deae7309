using Atende.Core.Common;
using Atende.Core.Identity;
using Atende.Core.Pipelines;
using Atende.Core.Settings;
using Atende.Core.Tickets;
using Atende.Web.Infrastructure;

namespace Atende.Web.Pages.Tickets;

/// <summary>The ticket form as typed: money and dates as text, so a bad value comes back as the user wrote it.</summary>
public sealed class TicketForm
{
    public string? Title { get; set; }
    public string? Description { get; set; }
    public long? PartnerId { get; set; }
    public long? ContactId { get; set; }
    public long? CatalogItemId { get; set; }
    public string? Value { get; set; }
    public long? AssigneeId { get; set; }
    public long? AccountManagerId { get; set; }
    public long? CategoryId { get; set; }
    public long? SubcategoryId { get; set; }
    public long? ChannelId { get; set; }
    /// <summary>"22/11/2026 14:30" (<see cref="DateTimeInput"/>), in the company's time zone.</summary>
    public string? DueAt { get; set; }
    public List<long> TagIds { get; set; } = [];
    public TicketStatus? Status { get; set; }

    public static TicketForm From(Ticket t, TimeZoneInfo zone) => new()
    {
        Title = t.Title, Description = t.Description, PartnerId = t.PartnerId, ContactId = t.ContactId, CatalogItemId = t.CatalogItemId,
        Value = MoneyInput.Format(t.Value), AssigneeId = t.AssigneeId, AccountManagerId = t.AccountManagerId, CategoryId = t.CategoryId,
        SubcategoryId = t.SubcategoryId, ChannelId = t.ChannelId,
        DueAt = t.DueAt is { } due ? DateTimeInput.Show(due, zone) : null,
        TagIds = t.Tags.Select(x => x.TagId).ToList(), Status = t.Status,
    };

    /// <summary>The Core input; money and date typing errors are collected with the field names of the API.</summary>
    /// <summary>
    /// The typed fields as the service's input. Text that can't be read (the value, Vencimento) goes on as a value the service
    /// refuses (negative; before the year 2000), so the other fields' errors come in the same round and nothing is saved;
    /// <see cref="Readable"/> then puts this form's own message back for those fields.
    /// </summary>
    public TicketInput ToInput(TimeZoneInfo zone)
    {
        _unreadable.Clear();
        decimal? value = null;
        if (!string.IsNullOrWhiteSpace(Value))
        {
            if (MoneyInput.TryParse(Value, out var parsed))
            {
                value = parsed;
            }
            else
            {
                _unreadable["value"] = "Valor inválido: use o formato 1.234,56.";
                value = -1;
            }
        }
        DateTimeOffset? dueAt = null;
        if (!string.IsNullOrWhiteSpace(DueAt))
        {
            // A day without a time is due at its end.
            if (DateTimeInput.TryParse(DueAt, "Vencimento", new TimeOnly(23, 59), out var local, out var error))
            {
                dueAt = ZoneTime.FromLocal(local, zone);
            }
            else
            {
                _unreadable["dueAt"] = error;
                dueAt = DateTimeOffset.MinValue;
            }
        }
        return new TicketInput
        {
            Title = Title, Description = Description, PartnerId = PartnerId, ContactId = ContactId, CatalogItemId = CatalogItemId, Value = value,
            AssigneeId = AssigneeId, AccountManagerId = AccountManagerId, CategoryId = CategoryId, SubcategoryId = SubcategoryId, ChannelId = ChannelId,
            DueAt = dueAt, TagIds = TagIds, Status = Status,
        };
    }

    private readonly Dictionary<string, string> _unreadable = [];

    /// <summary>The service's refusal with the form's own message for each field whose text could not be read.</summary>
    public ValidationException Readable(ValidationException refused) => _unreadable.Count == 0 ? refused : new(
        refused.Errors.Where(e => !_unreadable.ContainsKey(e.Key))
            .Concat(_unreadable.Select(u => KeyValuePair.Create(u.Key, new[] { u.Value })))
            .ToDictionary());
}

/// <summary>What the ticket form's selects offer.</summary>
public sealed record TicketFormOptions(
    Pipeline Pipeline,
    IReadOnlyList<UserChoice> Staff,
    IReadOnlyList<UserChoice> Assignees,
    IReadOnlyList<CatalogItem> CatalogItems,
    IReadOnlyList<Category> Categories,
    IReadOnlyList<Channel> Channels,
    IReadOnlyList<(long Id, string Name)> Contacts,
    string PartnerName)
{
    public static async Task<TicketFormOptions> Load(TicketService tickets, PipelineService pipelines, SettingsService settings,
        Atende.Core.Partners.PartnerService partners, long pipelineId, long partnerId, CancellationToken ct)
    {
        var pipeline = await pipelines.GetWithTags(pipelineId, ct);
        var partner = await partners.Get(partnerId, ct);
        return await With(tickets, settings, pipeline, partner.WorkspaceId, partner.Contacts.Select(c => (c.Id, c.Name)).ToList(), partner.Name, ct);
    }

    /// <summary>The options for the form of a ticket read by <see cref="TicketService.Get"/>: its requester is not checked again.</summary>
    public static async Task<TicketFormOptions> ForTicket(TicketService tickets, PipelineService pipelines, SettingsService settings, Ticket visible, CancellationToken ct)
    {
        var pipeline = await pipelines.GetWithTags(visible.PipelineId, ct);
        var requester = await tickets.Requester(visible, ct);
        return await With(tickets, settings, pipeline, visible.WorkspaceId, requester.Contacts, requester.Name, ct);
    }

    private static async Task<TicketFormOptions> With(TicketService tickets, SettingsService settings, Pipeline pipeline, long workspaceId,
        IReadOnlyList<(long Id, string Name)> contacts, string partnerName, CancellationToken ct)
    {
        var (staff, assignees) = await tickets.UserMenus(pipeline.Id, workspaceId, ct);
        var lists = await settings.TicketFormLists(ct);
        return new(pipeline, staff, assignees, lists.CatalogItems, lists.Categories, lists.Channels, contacts, partnerName);
    }

    /// <summary>The same options with another requester partner's contacts and name, and the assignees who would see the ticket then.</summary>
    public async Task<TicketFormOptions> For(TicketService tickets, Atende.Core.Partners.Partner partner, CancellationToken ct) =>
        this with
        {
            Assignees = (await tickets.UserMenus(Pipeline.Id, partner.WorkspaceId, ct)).Assignable,
            Contacts = partner.Contacts.Select(c => (c.Id, c.Name)).ToList(), PartnerName = partner.Name,
        };
}

/// <summary>Partners to choose from; a choice links to <see cref="ChooseUrl"/> followed by the partner's id.</summary>
public sealed record PartnerChoices(Page<Atende.Core.Partners.PartnerRow> Partners, string ChooseUrl);

/// <summary>
/// The ticket page's requester switch: the saved partner (what "Cancelar" restores), the search typed and its
/// choices, and whether the partner in the form could not be found.
/// </summary>
public sealed record PartnerPicker(long TicketId, long OriginalId, string OriginalName, string Context, string? Query, PartnerChoices? Choices, bool PartnerMissing)
{
    public bool Open => Query is not null || PartnerMissing;
    public string SearchUrl => $"/tickets/{TicketId}{Join("handler=Partners")}";
    public string ContactsUrl => $"/tickets/{TicketId}?handler=Contacts&partnerId=";
    public string OpenUrl => $"/tickets/{TicketId}{Join("partnerQ=")}#partner-picker";
    public string CancelUrl => $"/tickets/{TicketId}{Context}";
    public static string ChooseUrl(long ticketId, string context) => $"/tickets/{ticketId}{(context.Length == 0 ? "?" : context + "&")}partnerId=";

    private string Join(string extra) => Context.Length == 0 ? "?" + extra : Context + "&" + extra;
}

public sealed record TicketFieldsModel(TicketForm Input, TicketFormOptions Options, bool Creating, PartnerPicker? Picker = null)
{
    /// <summary>The ticket form's fields in the order they appear (ModelState key → field id), for the error summary at its top.</summary>
    public static readonly IReadOnlyList<(string Key, string FieldId)> ErrorFields =
    [
        ("Input.Title", "Input_Title"), ("Input.ContactId", "Input_ContactId"), ("Input.CatalogItemId", "Input_CatalogItemId"),
        ("Input.Value", "Input_Value"), ("Input.DueAt", "Input_DueAt"), ("Input.AssigneeId", "Input_AssigneeId"),
        ("Input.AccountManagerId", "Input_AccountManagerId"), ("Input.CategoryId", "Input_CategoryId"), ("Input.SubcategoryId", "Input_SubcategoryId"),
        ("Input.ChannelId", "Input_ChannelId"), ("Input.Status", "Input_Status"), ("Input.Description", "Input_Description"),
    ];
}
