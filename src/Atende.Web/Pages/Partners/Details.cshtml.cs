using Atende.Core.Common;
using Atende.Core.Conversations;
using Atende.Core.Identity;
using Atende.Core.Partners;
using Atende.Core.Workspaces;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages.Partners;

public sealed class DetailsModel(PartnerService partners, WorkspaceService workspaces, UserService users, Atende.Core.Settings.SettingsService settings,
    Atende.Core.Tickets.TicketService tickets, Atende.Core.Pipelines.PipelineService pipelines, ConversationService conversations,
    Atende.Core.Sales.QuoteService quotes, AccountLinkService accountLinks, Caller caller) : AppPage, IActionPage
{
    /// <summary>How many of the partner's quotes and sales the Vendas tab lists; the menu Vendas, filtered by the partner, has them all.</summary>
    public const int QuotesShown = 20;

    public const int ConversationsPerPage = 20;

    public Partner Partner { get; private set; } = null!;
    public string WorkspaceName { get; private set; } = "";
    public string? AccountManagerName { get; private set; }
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;
    public Page<Atende.Core.Tickets.TicketRow> Tickets { get; private set; } = new([], null);
    public List<Atende.Core.Pipelines.PipelineSummary> Pipelines { get; private set; } = [];

    [BindProperty(SupportsGet = true)]
    public string? TicketsAfter { get; set; }

    /// <summary>The open tab (?tab=contatos), so links and redirects land on the right one without JavaScript.</summary>
    [BindProperty(SupportsGet = true)]
    public string Tab { get; set; } = "dados";

    /// <summary>Keyset cursor of the "Conversas" tab (older conversations).</summary>
    [BindProperty(SupportsGet = true, Name = "conversasAfter")]
    public string? ConversationsAfter { get; set; }

    /// <summary>The partner's conversations, newest first.</summary>
    public Page<ConversationRow> Conversations { get; private set; } = new([], null);

    /// <summary>The Vendas tab: the partner's quotes and sales the user may see, newest first.</summary>
    public Page<Atende.Core.Sales.QuoteRow> Quotes { get; private set; } = new([], null);

    /// <summary>The portal access of the contacts that have a Portal user (the others: "Sem acesso").</summary>
    public Dictionary<long, ContactPortalAccess> PortalAccess { get; private set; } = [];

    public async Task<IActionResult> OnGet(long id, CancellationToken ct)
    {
        Partner = await partners.Get(id, ct);
        if (Tab is not ("dados" or "contatos" or "atendimentos" or "conversas" or "vendas"))
        {
            Tab = "dados";
        }
        WorkspaceName = (await workspaces.Get(Partner.WorkspaceId, ct)).Name;
        Zone = await settings.TimeZone(ct);
        AccountManagerName = (await users.ActiveStaff(ct)).FirstOrDefault(u => u.Id == Partner.AccountManagerId)?.Name;
        Tickets = await tickets.ListForPartner(id, TicketsAfter, 20, ct);
        Pipelines = (await pipelines.List(activeOnly: true, ct: ct)).ToList();
        try
        {
            Conversations = await conversations.ListForPartner(id, ConversationsAfter, ConversationsPerPage, ct);
        }
        // Not a refusal to show: a mangled "after" link opens the first conversations.
        catch (ValidationException)
        {
            ConversationsAfter = null;
            Conversations = await conversations.ListForPartner(id, null, ConversationsPerPage, ct);
        }
        Quotes = await quotes.List(new Atende.Core.Sales.QuoteFilter(PartnerId: id), null, QuotesShown, ct);
        PortalAccess = await accountLinks.ContactAccess(caller, id, ct);
        return Page();
    }

    /// <summary>"Convidar para o portal" / "Reenviar convite": e-mails the contact a 48-hour link to choose a password.</summary>
    public async Task<IActionResult> OnPostInvite(long id, long contactId, bool seesCompanyRequests, CancellationToken ct)
    {
        await accountLinks.InviteContact(caller, id, contactId, seesCompanyRequests, ct);
        Flash("Convite enviado por e-mail. O link vale por 48 horas.");
        return Redirect($"/partners/{id}?tab=contatos");
    }

    public async Task<IActionResult> OnPostRemoveContact(long id, long contactId, CancellationToken ct)
    {
        await partners.RemoveContact(id, contactId, ct);
        Flash("Contato removido.");
        return Redirect($"/partners/{id}?tab=contatos");
    }

    /// <summary>A refused contact removal comes back to the contacts tab with Core's message.</summary>
    public string? RefusedActionBack(string? handler, Exception refusal) =>
        handler is "RemoveContact" or "Invite" ? $"/partners/{RouteData.Values["id"]}?tab=contatos" : null;
}
