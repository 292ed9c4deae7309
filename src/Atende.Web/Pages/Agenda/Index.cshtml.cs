using System.Globalization;
using System.Text.Json;
using Atende.Core.Common;
using Atende.Core.Conversations;
using Atende.Core.Identity;
using Atende.Core.Settings;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Atende.Web.Pages.Agenda;

/// <summary>
/// Agenda de Conversas: a FullCalendar fed by GET /api/v1/agenda/events (the session cookie may read the API), the
/// filters, and the side list of partners without a conversation from today on.
/// </summary>
public sealed class IndexModel(ConversationService conversations, Atende.Core.Data.AtendeDb db, SettingsService settings, UserService users, Caller caller) : AppPage
{
    public const int PartnersPerPage = 15;

    /// <summary>Empty: the caller's own agenda; "all": every seller; or a user id.</summary>
    [BindProperty(SupportsGet = true, Name = "seller")] public string? Seller { get; set; }
    [BindProperty(SupportsGet = true, Name = "channelId")] public long? ChannelId { get; set; }
    [BindProperty(SupportsGet = true, Name = "opportunityTypeId")] public long? OpportunityTypeId { get; set; }
    /// <summary>FullCalendar's view and date, kept in the URL so coming back from a conversation lands on the same week.</summary>
    [BindProperty(SupportsGet = true, Name = "view")] public string? View { get; set; }
    [BindProperty(SupportsGet = true, Name = "date")] public string? Date { get; set; }
    [BindProperty(SupportsGet = true, Name = "pq")] public string? PartnerQuery { get; set; }
    [BindProperty(SupportsGet = true, Name = "pafter")] public string? PartnersAfter { get; set; }

    public List<User> Sellers { get; private set; } = [];
    public List<Channel> Channels { get; private set; } = [];
    public List<OpportunityType> OpportunityTypes { get; private set; } = [];
    public Page<PartnerToCall> ToCall { get; private set; } = new([], null);
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;
    /// <summary>False when the caller sees no active partner at all: the empty side list then says so, not "all have a conversation".</summary>
    public bool AnyActivePartner { get; private set; } = true;
    /// <summary>True when the htmx "Mais" button asks for the next items only.</summary>
    public bool ItemsOnly { get; private set; }

    public long? SellerId => Seller == "all" ? null
        : long.TryParse(Seller, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : caller.UserId;

    public string InitialView => View is "dayGridMonth" or "timeGridWeek" or "timeGridDay" or "listWeek" or "listMonth" or "listDay" ? View : "timeGridWeek";

    public string? InitialDate => DateOnly.TryParseExact(Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
        ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null;

    public string NowLocal => ZoneTime.ToLocal(Clock.Now(), Zone).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        Zone = await settings.TimeZone(ct);
        Sellers = await users.ActiveStaff(ct);
        Channels = await settings.List<Channel>(activeOnly: true, ct);
        OpportunityTypes = await settings.List<OpportunityType>(activeOnly: true, ct);
        await LoadPartners(ct);
        return Page();
    }

    /// <summary>The side list alone (htmx): a new search, or with <paramref name="more"/> the next items to append.</summary>
    public async Task<IActionResult> OnGetPartners(bool more, CancellationToken ct)
    {
        Zone = await settings.TimeZone(ct);
        ItemsOnly = more;
        await LoadPartners(ct);
        return Partial("_PartnersToCall", this);
    }

    /// <summary>Drag and drop on the calendar: moves a pending conversation to the wall-clock time <paramref name="at"/>.</summary>
    public async Task<IActionResult> OnPostReschedule(long id, int version, string? at, CancellationToken ct)
    {
        Zone = await settings.TimeZone(ct);
        if (!ZoneTime.TryParse(at, Zone, out var when))
        {
            return Problem(StatusCodes.Status400BadRequest, "Data e hora inválidas.");
        }
        try
        {
            var moved = await conversations.Reschedule(id, version, when, ct);
            return new JsonResult(new { version = moved.Version, at = Fmt.DateTime(moved.At, Zone) });
        }
        // The calendar's script (fetch, not htmx) reads a JSON message with the mapped status and puts the event back.
        catch (Exception e) when (ApiErrors.ToProblem(e) is { } problem)
        {
            return Problem(problem.Status ?? 400, problem.Detail ?? problem.Title ?? "Não foi possível remarcar.");
        }
    }

    private static JsonResult Problem(int status, string message) => new(new { message }) { StatusCode = status };

    private async Task LoadPartners(CancellationToken ct)
    {
        try
        {
            ToCall = await conversations.PartnersWithoutConversation(PartnerQuery, PartnersAfter, PartnersPerPage, ct);
        }
        // Not a refusal to show: a mangled "after" link opens the first page.
        catch (ValidationException)
        {
            PartnersAfter = null;
            ToCall = await conversations.PartnersWithoutConversation(PartnerQuery, null, PartnersPerPage, ct);
        }
        if (ToCall.Items.Count == 0 && string.IsNullOrWhiteSpace(PartnerQuery))
        {
            AnyActivePartner = await Visibility.Partners(db, caller).AnyAsync(p => p.Active, ct);
        }
    }

    public string Json<T>(T value) => JsonSerializer.Serialize(value);

    public string PartnersUrl(string? after) => "/agenda" + QueryString.Create(new Dictionary<string, string?>
    {
        ["pq"] = string.IsNullOrWhiteSpace(PartnerQuery) ? null : PartnerQuery, ["pafter"] = after,
    }.Where(kv => kv.Value is not null));
}
