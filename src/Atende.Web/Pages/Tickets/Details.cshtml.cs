using Atende.Core.Common;
using Atende.Core.Conversations;
using Atende.Core.Email;
using Atende.Core.Identity;
using Atende.Core.Partners;
using Atende.Core.Pipelines;
using Atende.Core.Settings;
using Atende.Core.Tickets;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages.Tickets;

/// <summary>The ticket page: every field in one form, the tabs, and previous/next along the list the user came from.</summary>
public sealed class DetailsModel(TicketService tickets, TicketFiles ticketFiles, PartnerService partners, SettingsService settings, Caller caller,
    Atende.Core.Files.FileLimits fileLimits, EmailTemplateService templates, ConversationService conversations,
    Atende.Core.Pipelines.PipelineService pipelines, Atende.Core.Sales.QuoteService quotes, Atende.Core.Sales.PurchaseService purchases,
    Atende.Core.Chat.ChatService chat) : AppPage, IActionPage
{
    public const string OrderCookie = "atende.timeline";
    /// <summary>The tabs in order: key (the <c>?tab=</c> value and the pane's id) and label.</summary>
    public static readonly (string Key, string Label)[] Tabs =
        [("timeline", "Timeline"), ("arquivos", "Arquivos"), ("vendas", "Vendas"), ("compras", "Compras"), ("chat", "Chat"), ("historico", "Histórico")];

    /// <summary>
    /// The tabs that read data, with their partial: only the open one is rendered with the page; the others load when shown
    /// (<see cref="OnGetTab"/>), and their <c>?tab=</c> link renders them with the page without JavaScript.
    /// </summary>
    public static readonly (string Key, string Partial)[] LazyTabs =
        [("timeline", "_TicketTimeline"), ("arquivos", "_TicketFiles"), ("vendas", "_TicketSales"), ("compras", "_TicketPurchases"), ("chat", "_TicketChat"), ("historico", "_TicketHistory")];

    /// <summary>How many of the ticket's quotes its Vendas tab lists (newest first).</summary>
    public const int QuotesShown = 100;

    /// <summary>How many of the ticket's purchases its Compras tab lists (newest first).</summary>
    public const int PurchasesShown = 100;

    public static string TabLabel(string key) => Tabs.First(x => x.Key == key).Label;

    [BindProperty] public TicketForm Input { get; set; } = new();
    [BindProperty] public int Version { get; set; }
    [BindProperty(SupportsGet = true)] public string Tab { get; set; } = "timeline";

    public Ticket Ticket { get; private set; } = null!;
    public TicketFormOptions Options { get; private set; } = null!;
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;
    public List<InteractionRow> Interactions { get; private set; } = [];
    public List<TicketEmailRow> Emails { get; private set; } = [];
    /// <summary>The Timeline's quote, sale and purchase events (history lines), among the interactions and e-mails.</summary>
    public List<TicketChangeRow> Sales { get; private set; } = [];
    /// <summary>Why "Salvar e notificar" could not e-mail the contact now (the button is then disabled, with this hint), or null.</summary>
    public EmailBlock? NotifyBlock { get; private set; }
    public EmailFix? NotifyFix => NotifyBlock is { } block ? EmailFix.For(block, caller.IsAdmin) : null;
    /// <summary>The conversations linked to this ticket that the user may see.</summary>
    public Page<ConversationRow> Conversations { get; private set; } = new([], null);
    public List<AttachmentRow> Attachments { get; private set; } = [];
    public Page<TicketChangeRow> History { get; private set; } = new([], null);
    /// <summary>The Chat tab: the latest messages with the customer's portal user(s) and colleagues.</summary>
    public Live.ChatPanel? Chat { get; private set; }
    /// <summary>The Vendas tab: the ticket's quotes and sales the user may see, newest first.</summary>
    public Page<Atende.Core.Sales.QuoteRow> Quotes { get; private set; } = new([], null);
    /// <summary>The Compras tab: the ticket's purchases, newest first, and their count and total.</summary>
    public Page<Atende.Core.Sales.PurchaseRow> Purchases { get; private set; } = new([], null);
    public Atende.Core.Sales.PurchaseTotals PurchaseTotals { get; private set; } = new(0, 0);
    public TicketNeighbors Neighbors { get; private set; } = new(null, null);
    public TicketListContext List { get; private set; } = null!;
    public bool NewestFirst { get; private set; } = true;
    public bool IsAdmin => caller.IsAdmin;
    public string? StaleMessage { get; private set; }
    public string Context => List.Query("from.");

    /// <summary>The query of this page's list context with <paramref name="extra"/> ("handler=Save", "tab=historico") added.</summary>
    public string ContextWith(string extra) => Context.Length == 0 ? "?" + extra : Context + "&" + extra;

    /// <summary>The tabs' badges: the ticket's interactions and files.</summary>
    public int InteractionCount { get; private set; }
    public int AttachmentCount { get; private set; }

    /// <summary>
    /// The page; without JavaScript "partnerQ" opens the requester search with its results, "partnerId" puts the chosen
    /// partner in the form (not saved yet) and "templateId" ("Inserir modelo") fills the new interaction with that template,
    /// as the script does in place.
    /// </summary>
    public async Task<IActionResult> OnGet(long id, string? order, string? partnerQ, long? partnerId, long? templateId, CancellationToken ct)
    {
        if (order is "oldest" or "newest")
        {
            Response.Cookies.Append(OrderCookie, order, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, MaxAge = TimeSpan.FromDays(365) });
        }
        NewestFirst = (order ?? Request.Cookies[OrderCookie]) != "oldest";
        await Load(id, fromForm: false, ct, partnerId);
        if (templateId is { } chosen)
        {
            try
            {
                InteractionDraft = (await templates.RenderForTicket(id, chosen, ct)).Html;
            }
            // The page still opens, with the error beside "Inserir modelo".
            catch (NotFoundException e)
            {
                ModelState.AddModelError("templateId", e.Message);
            }
            Tab = "timeline";
        }
        if (partnerQ is not null)
        {
            PartnerQ = partnerQ;
            Choices = await SearchPartners(id, partnerQ, ct);
        }
        return Page();
    }

    /// <summary>One tab's content, loaded when the tab is shown (htmx): the ticket is read through the visibility rules like the page.</summary>
    public async Task<IActionResult> OnGetTab(long id, CancellationToken ct)
    {
        var partial = LazyTabs.FirstOrDefault(x => x.Key == Tab).Partial;
        if (partial is null)
        {
            return NotFound();
        }
        Ticket = await tickets.Get(id, ct);
        Zone = await settings.TimeZone(ct);
        NewestFirst = Request.Cookies[OrderCookie] != "oldest";
        List = TicketListContext.From(Request.Query, "from.");
        await LoadTab(ct);
        return Partial(partial, this);
    }

    /// <summary>
    /// A chat message without JavaScript (the Chat tab's form; with it, the live hub sends): back to the Chat tab, or, when
    /// refused, to it with the reason and what was typed.
    /// </summary>
    public async Task<IActionResult> OnPostChat(long id, string? body, CancellationToken ct)
    {
        try
        {
            await chat.Post(id, body, ct);
        }
        catch (Exception e) when (e is ValidationException or ConflictException or TooManyRequestsException)
        {
            FlashError(e.Message);
            TempData["ChatDraft"] = body;
        }
        return Redirect($"/tickets/{id}?tab=chat#chat");
    }

    /// <summary>"Inserir modelo" with JavaScript: the template filled in for this ticket, as the API's render-template answers it.</summary>
    public async Task<IActionResult> OnGetRenderTemplate(long id, long templateId, CancellationToken ct)
    {
        return new JsonResult(Api.RenderedEmailDto.From(await templates.RenderForTicket(id, templateId, ct)));
    }

    /// <summary>The requester search as you type (htmx): active partners the user may see.</summary>
    public async Task<IActionResult> OnGetPartners(long id, string? partnerQ, CancellationToken ct)
    {
        await tickets.Get(id, ct);
        return Partial("_PartnerChoices", await SearchPartners(id, partnerQ, ct));
    }

    /// <summary>A partner's contacts for the contact select once another requester is chosen.</summary>
    public async Task<IActionResult> OnGetContacts(long id, long partnerId, CancellationToken ct)
    {
        await tickets.Get(id, ct);
        var partner = await partners.Get(partnerId, ct);
        return new JsonResult(partner.Contacts.Select(c => new { id = c.Id, name = c.Name }));
    }

    private async Task<PartnerChoices> SearchPartners(long id, string? q, CancellationToken ct) =>
        new(await partners.List(new PartnerFilter(q, null, null, true), null, 20, ct),
            PartnerPicker.ChooseUrl(id, TicketListContext.From(Request.Query, "from.").Query("from.")));

    public async Task<IActionResult> OnPostSave(long id, CancellationToken ct)
    {
        Tab = "timeline";
        try
        {
            var (ticket, email) = await tickets.Update(id, Version, Input.ToInput(await settings.TimeZone(ct)), ct);
            Flash($"{ticket.Reference} salvo.");
            FlashEmail(email);
            return Redirect($"/tickets/{id}{TicketListContext.From(Request.Query, "from.").Query("from.")}");
        }
        // The ticket form renames Core's fields (Input.Readable) and shows a stale version as its own notice with a reload.
        catch (ValidationException e)
        {
            ShowErrors(Input.Readable(e));
        }
        catch (StaleVersionException e)
        {
            StaleMessage = e.Message;
        }
        await Load(id, fromForm: true, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAction(long id, string action, CancellationToken ct)
    {
        var (message, email) = await TicketActions.Run(tickets, ticketFiles, id, action, ct);
        Flash(message);
        FlashEmail(email);
        return Redirect(action is "purge" ? TicketListContext.From(Request.Query, "from.").ListUrl() : Back());
    }

    /// <summary>The quick "Situação" in the header: <see cref="TicketService.ChangeStatus"/> with the page's version.</summary>
    public async Task<IActionResult> OnPostStatus(long id, TicketStatus? status, CancellationToken ct)
    {
        var (ticket, email) = await tickets.ChangeStatus(id, status ?? throw new ValidationException("status", "Escolha a situação."), Version, ct);
        Flash(email is null ? $"{ticket.Reference} já está {TicketView.Status(ticket.Status)}." : $"{ticket.Reference}: situação alterada para {TicketView.Status(ticket.Status)}.");
        FlashEmail(email);
        return Redirect(Back());
    }

    /// <summary>The quick "Responsável" in the header: <see cref="TicketService.Assign"/> (the form's checks and history) with the page's version.</summary>
    public async Task<IActionResult> OnPostAssign(long id, long? assigneeId, CancellationToken ct)
    {
        var before = (await tickets.Get(id, ct)).AssigneeId;
        var (ticket, name) = await tickets.Assign(id, Version, assigneeId, ct);
        Flash(before == ticket.AssigneeId
            ? $"{ticket.Reference}: o responsável já era {name ?? "nenhum"}."
            : name is null ? $"{ticket.Reference} ficou sem responsável." : $"{ticket.Reference}: responsável agora é {name}.");
        return Redirect(Back());
    }

    public async Task<IActionResult> OnPostInteraction(long id, string? body, bool @internal, bool notify, List<IFormFile> files, CancellationToken ct)
    {
        try
        {
            var (_, email) = await ticketFiles.PostInteraction(id, body, @internal, notify, Uploads(files), ct);
            Flash(@internal ? "Nota interna registrada." : "Interação registrada.");
            FlashEmail(email);
            return Redirect(Back("timeline"));
        }
        // The interaction form shows every refusal beside its text and keeps what was typed.
        catch (Exception e) when (e is ValidationException or ConflictException)
        {
            ModelState.AddModelError("body", e.Message);
            InteractionDraft = body;
            InteractionInternal = @internal;
        }
        Tab = "timeline";
        NewestFirst = Request.Cookies[OrderCookie] != "oldest";
        await Load(id, fromForm: false, ct);
        return Page();
    }

    /// <summary>Files dropped or chosen on the Arquivos tab.</summary>
    public async Task<IActionResult> OnPostUpload(long id, List<IFormFile> files, CancellationToken ct)
    {
        var added = await ticketFiles.Attach(id, Uploads(files), ct);
        Flash(added.Count == 1 ? "Arquivo anexado." : $"{added.Count} arquivos anexados.");
        return Redirect(Back("arquivos"));
    }

    public async Task<IActionResult> OnPostRemoveAttachment(long id, long attachmentId, CancellationToken ct)
    {
        await ticketFiles.RemoveAttachment(id, attachmentId, ct);
        Flash("Arquivo removido.");
        return Redirect(Back("arquivos"));
    }

    /// <summary>This ticket's page with the list the user came from (and a tab): where the header's actions come back to.</summary>
    private string Back(string? tab = null)
    {
        var from = TicketListContext.From(Request.Query, "from.").Query("from.");
        return $"/tickets/{RouteData.Values["id"]}{from}{(tab is null ? "" : (from.Length == 0 ? "?" : "&") + "tab=" + tab)}";
    }

    /// <summary>A refused header action (status, assignee, bin, files) comes back to this page with Core's message.</summary>
    public string? RefusedActionBack(string? handler, Exception refusal) => handler switch
    {
        "Action" or "Status" or "Assign" => Back(),
        "Upload" => Back("arquivos"),
        _ => null,
    };

    public string RefusedActionMessage(string? handler, Exception refusal, string message) => (handler, refusal) switch
    {
        ("Status", StaleVersionException) => $"{message} A situação não foi alterada.",
        ("Assign", StaleVersionException) => $"{message} O responsável não foi alterado.",
        _ => message,
    };

    private static List<Upload> Uploads(List<IFormFile> files) =>
        files.Where(f => f.Length > 0 || f.FileName.Length > 0).Select(f => new Upload(f.FileName, f.OpenReadStream())).ToList();

    public long MaxFileBytes => fileLimits.MaxBytes;

    public string? InteractionDraft { get; private set; }
    public string? PartnerQ { get; private set; }
    public PartnerChoices? Choices { get; private set; }
    public string OriginalPartnerName { get; private set; } = "";
    public bool PartnerMissing { get; private set; }
    public PartnerPicker Picker => new(Ticket.Id, Ticket.PartnerId, OriginalPartnerName, Context, PartnerQ, Choices, PartnerMissing);
    public bool InteractionInternal { get; private set; }
    /// <summary>The active custom templates "Inserir modelo" offers.</summary>
    public List<InsertableTemplate> Templates { get; private set; } = [];

    /// <param name="choosePartnerId">Another requester to put in the form, with its only contact or none.</param>
    private async Task Load(long id, bool fromForm, CancellationToken ct, long? choosePartnerId = null)
    {
        Ticket = await tickets.Get(id, ct);
        Zone = await settings.TimeZone(ct);
        if (!fromForm)
        {
            Input = TicketForm.From(Ticket, Zone);
            Version = Ticket.Version;
        }
        if (!Tabs.Any(x => x.Key == Tab))
        {
            Tab = "timeline";
        }
        Options = await TicketFormOptions.ForTicket(tickets, pipelines, settings, Ticket, ct);
        OriginalPartnerName = Options.PartnerName;
        if (choosePartnerId is { } chosen && chosen != Ticket.PartnerId)
        {
            Input.PartnerId = chosen;
            Input.ContactId = null;
        }
        PartnerMissing = Input.PartnerId is null;
        if (Input.PartnerId is { } partnerId && partnerId != Ticket.PartnerId)
        {
            try
            {
                Options = await Options.For(tickets, await partners.Get(partnerId, ct), ct);
                if (choosePartnerId is not null && Options.Contacts.Count == 1)
                {
                    Input.ContactId = Options.Contacts[0].Id;
                }
            }
            // A requester deleted or hidden meanwhile: the form still opens, with the error on the requester.
            catch (NotFoundException e)
            {
                PartnerMissing = true;
                if (ModelState["Input.PartnerId"] is not { Errors.Count: > 0 })
                {
                    ModelState.AddModelError("Input.PartnerId", e.Message);
                }
            }
        }
        List = TicketListContext.From(Request.Query, "from.");
        if (List.PipelineId is null)
        {
            List = List with { PipelineId = Ticket.PipelineId, Bin = Ticket.Bin };
        }
        Neighbors = await tickets.Neighbors(Ticket, List.Filter, ct);
        await LoadTab(ct);
        if (Tab != "timeline")
        {
            (InteractionCount, AttachmentCount) = await tickets.Counts(Ticket, ct);
        }
    }

    /// <summary>What the open tab shows, for <see cref="Ticket"/> as read through the visibility rules (not checked again).</summary>
    private async Task LoadTab(CancellationToken ct)
    {
        switch (Tab)
        {
            case "timeline":
                (Interactions, AttachmentCount) = await tickets.Timeline(Ticket, NewestFirst, ct);
                InteractionCount = Interactions.Count;
                (Emails, Sales) = await tickets.EmailsAndSales(Ticket, ct);
                NotifyBlock = Ticket.Bin == TicketBin.Trash ? null : await tickets.NotifyBlock(Ticket, ct);
                Conversations = await conversations.ListForTicket(Ticket, 20, ct);
                Templates = Ticket.Bin == TicketBin.Trash ? [] : await templates.Insertable(Ticket, ct);
                break;
            case "arquivos":
                Attachments = await tickets.Attachments(Ticket, ct);
                break;
            case "vendas":
                Quotes = await quotes.List(new Atende.Core.Sales.QuoteFilter(TicketId: Ticket.Id), null, QuotesShown, ct);
                break;
            case "compras":
                var ofTicket = new Atende.Core.Sales.PurchaseFilter(TicketId: Ticket.Id);
                Purchases = await purchases.List(ofTicket, null, PurchasesShown, ct);
                PurchaseTotals = Purchases.Next is null
                    ? new(Purchases.Items.Count(p => p.CanceledAt is null), Purchases.Items.Where(p => p.CanceledAt is null).Sum(p => p.Total))
                    : await purchases.Totals(ofTicket, ct);
                break;
            case "historico":
                History = await tickets.History(Ticket, 200, ct);
                break;
            case "chat":
                Chat = await Live.ChatPanel.Load(chat, Ticket.Id, caller.UserId, forCustomer: false, Zone, $"/tickets/{Ticket.Id}?handler=Chat",
                    Ticket.Bin == TicketBin.Trash ? "Este atendimento está na lixeira: restaure-o para conversar." : null, TempData["ChatDraft"] as string, ct);
                break;
        }
    }
}
