using System.Globalization;
using Atende.Core.Common;
using Atende.Core.Conversations;
using Atende.Core.Files;
using Atende.Core.Identity;
using Atende.Core.Partners;
using Atende.Core.Settings;
using Atende.Core.Tickets;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Atende.Web.Pages.Conversations;

/// <summary>The form fields; the date and time are typed as a wall-clock time in the company's time zone.</summary>
public sealed class ConversationForm
{
    public long? PartnerId { get; set; }
    public long? ChannelId { get; set; }
    public long? OpportunityTypeId { get; set; }
    public string? Subject { get; set; }
    public string? Description { get; set; }
    public long? SellerId { get; set; }
    /// <summary>"22/11/2026 14:30", in the company's time zone.</summary>
    public string? At { get; set; }
    public string? TicketReference { get; set; }
}

/// <summary>
/// The one conversation form every entry point opens (partner page, agenda button, "sem conversa" list, calendar
/// slot), pre-filled from the query string; a concluded conversation shows read-only.
/// </summary>
public sealed class EditModel(ConversationService conversations, ConversationFiles conversationFiles, PartnerService partners, SettingsService settings,
    UserService users, Caller caller, Atende.Core.Data.AtendeDb db, FileLimits fileLimits) : AppPage, IActionPage
{
    /// <summary>A day typed without a time, or picked on the agenda's month view, starts the working day.</summary>
    private static readonly TimeOnly DayStart = new(9, 0);

    [BindProperty] public ConversationForm Input { get; set; } = new();
    [BindProperty] public int Version { get; set; }
    /// <summary>Where to go after saving or cancelling (a local URL: the agenda or the partner page).</summary>
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    /// <summary>The partner search box of the form.</summary>
    [BindProperty] public string? PartnerQuery { get; set; }

    public long? Id { get; private set; }
    public ConversationDetails? Details { get; private set; }
    public bool ReadOnly => Details?.Conversation.Concluded == true;
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;
    public List<Channel> Channels { get; private set; } = [];
    public List<OpportunityType> OpportunityTypes { get; private set; } = [];
    public List<User> Sellers { get; private set; } = [];
    /// <summary>The partners offered as radio buttons: the chosen one first, then the search results.</summary>
    public List<PartnerToCall> PartnerChoices { get; private set; } = [];
    public bool PartnerSearched { get; private set; }
    public bool Stale { get; private set; }
    public List<ConversationAttachmentRow> Attachments { get; private set; } = [];
    public long MaxFileBytes => fileLimits.MaxBytes;
    /// <summary>
    /// Names of the files chosen when the save was refused: a browser cannot put files back on a form, and the file store
    /// has no pending uploads, so the page names them to be chosen again.
    /// </summary>
    public List<string> FilesToPickAgain { get; private set; } = [];
    public string? Notice { get; private set; }

    /// <summary>The error summary's lines, in the form's order; the pick-again reminder for files comes last.</summary>
    public List<FormError> Errors => _errors ??= ErrorsInFormOrder();

    private List<FormError>? _errors;

    private List<FormError> ErrorsInFormOrder()
    {
        var errors = FormErrors.InOrder(ModelState,
        [
            ("Input.PartnerId", PartnerFieldId), ("Input.ChannelId", "Input_ChannelId"), ("Input.OpportunityTypeId", "Input_OpportunityTypeId"),
            ("Input.SellerId", "Input_SellerId"), ("Input.At", "Input_At"), ("Input.TicketId", "Input_TicketReference"),
            ("Input.TicketReference", "Input_TicketReference"), ("Input.Subject", "Input_Subject"), ("Input.Description", "Input_Description"),
            ("Input.File", FilesFieldId),
        ]);
        if (errors.Count > 0 && FilesToPickAgain.Count > 0)
        {
            errors.Add(new FormError(FilesFieldId, PickAgainMessage));
        }
        return errors;
    }

    /// <summary>The field the page focuses on load: the first one with an error, else null.</summary>
    public string? FirstInvalidFieldId => Errors.FirstOrDefault(e => e.FieldId is not null && e.Message != PickAgainMessage)?.FieldId;

    /// <summary>Autofocus for a field: the first invalid one after a refused save, else <paramref name="otherwise"/>.</summary>
    public bool Autofocus(string fieldId, bool otherwise = false) => FirstInvalidFieldId is { } first ? first == fieldId : otherwise;

    public const string FilesFieldId = "conversation-files";

    public string PickAgainMessage => $"Anexos: escolha de novo {Names(FilesToPickAgain)}; o navegador não guarda os arquivos escolhidos quando o formulário volta com erros.";

    /// <summary>The partner error links to the first partner offered, or to the search box when none is.</summary>
    public string PartnerFieldId => PartnerChoices.Count > 0 ? $"partner_{PartnerChoices[0].Id}" : "PartnerQuery";

    /// <summary>"a.pdf", "a.pdf e b.png", "a.pdf, b.png e c.txt".</summary>
    private static string Names(List<string> names) =>
        names.Count <= 1 ? string.Concat(names) : string.Join(", ", names.Take(names.Count - 1)) + " e " + names[^1];

    public string BackUrl => SafeReturnUrl ?? (Id is not null ? $"/partners/{Details?.Conversation.PartnerId}?tab=conversas" : "/agenda");

    public string? SafeReturnUrl => !string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : null;

    public async Task<IActionResult> OnGet(long? id, long? partnerId, string? at, long? ticketId, CancellationToken ct)
    {
        Id = id;
        Zone = await settings.TimeZone(ct);
        if (id is { } existing)
        {
            Details = await conversations.Details(existing, ct);
            var c = Details.Conversation;
            Version = c.Version;
            Input = new ConversationForm
            {
                PartnerId = c.PartnerId, ChannelId = c.ChannelId, OpportunityTypeId = c.OpportunityTypeId, Subject = c.Subject, Description = c.Description,
                SellerId = c.SellerId, At = DateTimeInput.Show(c.At, Zone), TicketReference = Details.TicketReference,
            };
        }
        else
        {
            caller.RequireStaff();
            Input.SellerId = caller.UserId;
            Input.At = DefaultAt(at);
            if (ticketId is { } tid)
            {
                var ticket = await Visibility.Tickets(db, caller).Where(t => t.Id == tid).Select(t => new { t.Reference, t.PartnerId }).FirstOrDefaultAsync(ct)
                    ?? throw new NotFoundException("Atendimento não encontrado.");
                Input.TicketReference = ticket.Reference;
                partnerId ??= ticket.PartnerId;
            }
            if (partnerId is { } pid)
            {
                // A partner the caller may not see is a 404 here too.
                Input.PartnerId = (await conversations.PartnerBrief(pid, ct) ?? throw new NotFoundException("Entidade não encontrada.")).Id;
            }
        }
        await LoadLists(ct);
        return Page();
    }

    /// <summary>"Salvar" (<paramref name="action"/> empty) keeps it editable; "conclude" (Concluir e salvar) locks it.</summary>
    public async Task<IActionResult> OnPost(long? id, string? action, List<IFormFile> files, CancellationToken ct)
    {
        Id = id;
        Zone = await settings.TimeZone(ct);
        var conclude = action == "conclude";
        if (id is { } existing)
        {
            Details = await conversations.Details(existing, ct);
        }
        if (!ReadOnly)
        {
            var at = ParseAt();
            // A date that can't be read still goes to the service, as a date it refuses (years 2000–2100), so the other
            // fields' errors show in the same round; nothing is saved, and the date's own message replaces the service's.
            var onlyTheDateIsWrong = at is null && ModelState.ErrorCount == ModelState["Input.At"]!.Errors.Count;
            if (ModelState.IsValid || onlyTheDateIsWrong)
            {
                try
                {
                    var input = new ConversationInput
                    {
                        PartnerId = Input.PartnerId, ChannelId = Input.ChannelId, OpportunityTypeId = Input.OpportunityTypeId, Subject = Input.Subject,
                        Description = Input.Description, SellerId = Input.SellerId, At = at ?? DateTimeOffset.MinValue, TicketReference = Input.TicketReference,
                    };
                    var saved = await conversationFiles.Save(id, Version, input, conclude, Uploads(files), ct);
                    Flash(conclude ? "Conversa concluída. A partir de agora ela não pode mais ser alterada."
                        : id is null ? "Conversa registrada." : "Conversa atualizada.");
                    return Redirect(SafeReturnUrl ?? $"/conversations/{saved.Id}");
                }
                // The form drops Core's "at" error when the date typed could not be read (its own message is shown),
                // marks a stale version for its reload link, and reloads the conversation on a conflict.
                catch (ValidationException e)
                {
                    ShowErrors(at is null ? new ValidationException(e.Errors.Where(x => x.Key != "at").ToDictionary()) : e);
                }
                catch (StaleVersionException e)
                {
                    Stale = true;
                    ModelState.AddModelError("", e.Message);
                }
                catch (ConflictException e)
                {
                    ModelState.AddModelError("", e.Message);
                    Details = await conversations.Details(id!.Value, ct);
                }
            }
        }
        else
        {
            ModelState.AddModelError("", "Esta conversa foi concluída e não pode mais ser alterada.");
        }
        FilesToPickAgain = ReadOnly ? [] : (files ?? []).Where(f => f.Length > 0 || f.FileName.Length > 0).Select(f => FileService.CleanFileName(f.FileName)).ToList();
        Response.StatusCode = ReadOnly ? StatusCodes.Status409Conflict : StatusCodes.Status200OK;
        await LoadLists(ct);
        return Page();
    }

    /// <summary>"Remover" next to a file: removes it and shows the form again with everything typed kept.</summary>
    public async Task<IActionResult> OnPostRemoveAttachment(long id, long attachmentId, CancellationToken ct)
    {
        Id = id;
        Zone = await settings.TimeZone(ct);
        try
        {
            var name = (await conversations.Attachments(id, ct)).FirstOrDefault(a => a.Id == attachmentId)?.FileName;
            await conversationFiles.RemoveAttachment(id, attachmentId, ct);
            Notice = $"Arquivo \"{name}\" removido.";
        }
        // "Remover" is a button inside the form: a refusal shows the form again with everything typed kept.
        catch (ConflictException e)
        {
            ModelState.AddModelError("", e.Message);
        }
        Details = await conversations.Details(id, ct);
        ModelState.Remove(nameof(Version));
        await LoadLists(ct);
        return Page();
    }

    /// <summary>Without JavaScript, "Buscar" posts the form here: it comes back with the matching partners and everything typed kept.</summary>
    public async Task<IActionResult> OnPostFindPartner(long? id, CancellationToken ct)
    {
        Id = id;
        Zone = await settings.TimeZone(ct);
        if (id is { } existing)
        {
            Details = await conversations.Details(existing, ct);
        }
        ModelState.Clear();
        await LoadLists(ct);
        return Page();
    }

    /// <summary>Search as you type (htmx): the radio list of partners only.</summary>
    public async Task<IActionResult> OnGetPartners(string? partnerQuery, [FromQuery(Name = "Input.PartnerId")] long? selected, CancellationToken ct)
    {
        PartnerQuery = partnerQuery;
        Input.PartnerId = selected;
        await LoadPartnerChoices(ct);
        return Partial("_PartnerChoices", this);
    }

    public async Task<IActionResult> OnPostDelete(long id, CancellationToken ct)
    {
        await conversationFiles.Delete(id, ct);
        Flash("Conversa excluída.");
        return Redirect(SafeReturnUrl ?? "/agenda");
    }

    /// <summary>A refused delete (a concluded conversation) comes back to it with Core's message.</summary>
    public string? RefusedActionBack(string? handler, Exception refusal) => handler == "Delete" ? $"/conversations/{RouteData.Values["id"]}" : null;

    private static List<Upload> Uploads(List<IFormFile>? files) =>
        (files ?? []).Where(f => f.Length > 0 || f.FileName.Length > 0).Select(f => new Upload(f.FileName, f.OpenReadStream())).ToList();

    private string DefaultAt(string? at)
    {
        if (!string.IsNullOrWhiteSpace(at) && ZoneTime.TryParse(at, Zone, out var given))
        {
            var local = ZoneTime.ToLocal(given, Zone);
            var wall = at.Trim().Length == 10 ? local.Date.Add(DayStart.ToTimeSpan()) : local.DateTime;
            return wall.ToString(DateTimeInput.Format, CultureInfo.InvariantCulture);
        }
        return DateTimeInput.Show(Clock.Now(), Zone);
    }

    private DateTimeOffset? ParseAt()
    {
        if (string.IsNullOrWhiteSpace(Input.At))
        {
            ModelState.AddModelError("Input.At", "Data e hora são obrigatórias.");
            return null;
        }
        if (!DateTimeInput.TryParse(Input.At, "Data e hora", DayStart, out var local, out var error))
        {
            ModelState.AddModelError("Input.At", error);
            return null;
        }
        return ZoneTime.FromLocal(local, Zone);
    }

    private async Task LoadLists(CancellationToken ct)
    {
        var channels = await settings.List<Channel>(ct: ct);
        var types = await settings.List<OpportunityType>(ct: ct);
        // Deactivated values stay selectable only where they are already in use.
        Channels = channels.Where(x => x.Active || x.Id == Details?.Conversation.ChannelId).ToList();
        OpportunityTypes = types.Where(x => x.Active || x.Id == Details?.Conversation.OpportunityTypeId).ToList();
        Sellers = await users.ActiveStaff(ct);
        if (Details is { } d && Sellers.All(u => u.Id != d.Conversation.SellerId))
        {
            Sellers.Add(new User { Id = d.Conversation.SellerId, Name = d.SellerName });
        }
        await LoadPartnerChoices(ct);
        if (Details is { } current)
        {
            Attachments = await conversations.Attachments(current.Conversation.Id, ct);
        }
    }

    private async Task LoadPartnerChoices(CancellationToken ct)
    {
        PartnerChoices = [];
        if (Input.PartnerId is { } selected && await conversations.PartnerBrief(selected, ct) is { } chosen)
        {
            PartnerChoices.Add(chosen);
        }
        if (!string.IsNullOrWhiteSpace(PartnerQuery))
        {
            PartnerSearched = true;
            var found = await partners.List(new PartnerFilter(PartnerQuery, null, null, true), null, 8, ct);
            PartnerChoices.AddRange(found.Items.Where(p => p.Id != Input.PartnerId)
                .Select(p => new PartnerToCall(p.Id, p.Name, p.Code, p.WorkspaceId, p.WorkspaceName, null)));
        }
    }
}
