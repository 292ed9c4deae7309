using System.Globalization;
using System.Net;
using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Identity;
using Atende.Core.Partners;
using Atende.Core.Settings;
using Atende.Core.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Portal;

/// <summary>Which of their requests a portal list shows: all, open, or finished (Finalizado, Cancelado, Rejeitado).</summary>
public enum PortalState { All, Open, Finished }

/// <summary>A request in a portal list.</summary>
public sealed record PortalRequestRow(long Id, string Reference, string Title, TicketStatus Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    string OpenedBy);

/// <summary>A file of a public message, as the portal shows it.</summary>
public sealed record PortalFile(long AttachmentId, string FileName, string ContentType, long Size);

/// <summary>A public message of a request: by the customer's side (<see cref="FromCustomer"/>) or by the company's staff.</summary>
public sealed record PortalMessage(long Id, string Body, string AuthorName, bool FromCustomer, DateTimeOffset CreatedAt, IReadOnlyList<PortalFile> Files);

/// <summary>A request's page: what the portal user may see of the ticket, and what they may do on it.</summary>
/// <param name="CanWrite">Open: they may add a message.</param>
/// <param name="CanReopen">Finished, and the settings let them reopen it with a new message.</param>
public sealed record PortalRequestView(long Id, string Reference, string Title, TicketStatus Status, string? Category, string? Subcategory,
    string? Channel, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string OpenedBy, IReadOnlyList<PortalMessage> Messages, bool CanWrite, bool CanReopen)
{
    public bool Finished => TicketService.IsClosed(Status);
}

/// <summary>What "Novo contato" sends.</summary>
public sealed class PortalRequestInput
{
    public long? CategoryId { get; set; }
    public long? SubcategoryId { get; set; }
    public long? ChannelId { get; set; }
    /// <summary>Optional: the message's first line when empty.</summary>
    public string? Subject { get; set; }
    public string? ContactName { get; set; }
    public string? Phone { get; set; }
    public string? Email { get; set; }
    public string? Message { get; set; }
}

/// <summary>A category of the form with its active subcategories.</summary>
public sealed record PortalCategory(long Id, string Name, IReadOnlyList<(long Id, string Name)> Subcategories);

/// <summary>What "Novo contato" offers: the lists, which second field it asks, and the caller's contact details to pre-fill.</summary>
/// <param name="Accepting">False when no portal pipeline is set (or it is inactive): the form says the company does not take requests here.</param>
public sealed record PortalFormOptions(bool Accepting, Core.Settings.PortalForm Mode, IReadOnlyList<PortalCategory> Categories, IReadOnlyList<(long Id, string Name)> Channels,
    string ContactName, string Phone, string Email);

/// <summary>
/// The customer portal ("Fale Conosco") for a Portal caller: their requests (tickets whose requester is their partner — those
/// they opened, or all of the partner's with "vê todos os pedidos da empresa"), read through <see cref="Visibility"/> only; the
/// public interactions and their files, never internal notes, files without a public message, history or staff e-mails.
/// </summary>
public sealed class PortalService(AtendeDb db, Caller caller, TicketService tickets, Files.FileService files)
{
    public const int MaxMessageLength = 10_000;
    public const int MaxFiles = 10;
    public const int MaxSubjectLength = 120;
    private static readonly CultureInfo PtBr = CultureInfo.GetCultureInfo("pt-BR");

    /// <summary>The caller's requests, newest activity first, a keyset page at a time.</summary>
    public async Task<Page<PortalRequestRow>> Requests(PortalState state, string? after, int limit = 25, CancellationToken ct = default)
    {
        RequirePortal();
        var query = Visibility.Tickets(db, caller).AsNoTracking();
        query = state switch
        {
            PortalState.Open => query.Where(t => t.Status != TicketStatus.Done && t.Status != TicketStatus.Canceled && t.Status != TicketStatus.Rejected),
            PortalState.Finished => query.Where(t => t.Status == TicketStatus.Done || t.Status == TicketStatus.Canceled || t.Status == TicketStatus.Rejected),
            _ => query,
        };
        if (Cursor.Decode(after) is { } cursor)
        {
            var at = cursor.KeyAsInstant();
            query = query.Where(t => t.UpdatedAt <= at && (t.UpdatedAt < at || t.Id < cursor.Id));
        }
        return await query.OrderByDescending(t => t.UpdatedAt).ThenByDescending(t => t.Id)
            .Select(t => new PortalRequestRow(t.Id, t.Reference, t.Title, t.Status, t.CreatedAt, t.UpdatedAt,
                db.Users.Where(u => u.Id == t.CreatedById && u.Role == UserRole.Portal).Select(u => u.Name).FirstOrDefault() ?? "Equipe"))
            .ToPageAsync(limit, 100, r => new Cursor(r.UpdatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture), r.Id), ct);
    }

    /// <summary>A request the caller sees, with its public messages oldest first; 404 otherwise (another partner's, another user's, in the trash).</summary>
    public async Task<PortalRequestView> Get(long id, CancellationToken ct = default)
    {
        RequirePortal();
        var ticket = await Visibility.Tickets(db, caller).AsNoTracking().Where(t => t.Id == id)
            .Select(t => new
            {
                t.Id, t.Reference, t.Title, t.Status, t.CreatedAt, t.UpdatedAt, t.CreatedById,
                Category = db.Categories.Where(c => c.Id == t.CategoryId).Select(c => c.Name).FirstOrDefault(),
                Subcategory = db.Subcategories.Where(c => c.Id == t.SubcategoryId).Select(c => c.Name).FirstOrDefault(),
                Channel = db.Channels.Where(c => c.Id == t.ChannelId).Select(c => c.Name).FirstOrDefault(),
                OpenedBy = db.Users.Where(u => u.Id == t.CreatedById && u.Role == UserRole.Portal).Select(u => u.Name).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct) ?? throw NotFound();
        var messages = await Visibility.Interactions(db, caller, id).AsNoTracking().OrderBy(i => i.Id)
            .Select(i => new
            {
                i.Id, i.Body, i.CreatedAt, i.FromName, i.FromAddress,
                Author = db.Users.Where(u => u.Id == i.AuthorId).Select(u => new { u.Name, u.Role }).FirstOrDefault(),
            })
            .ToListAsync(ct);
        var ids = messages.Select(m => m.Id).ToArray();
        var fileRows = await (
                from a in db.TicketAttachments.AsNoTracking()
                join f in db.StoredFiles on a.FileId equals f.Id
                where a.TicketId == id && a.InteractionId != null && EF.Parameter(ids).Contains(a.InteractionId.Value)
                orderby a.Id
                select new { InteractionId = a.InteractionId!.Value, File = new PortalFile(a.Id, f.FileName, f.ContentType, f.Size) })
            .ToListAsync(ct);
        var filesOf = fileRows.ToLookup(r => r.InteractionId, r => r.File);
        var reopen = await db.CompanyProfiles.AsNoTracking().Select(c => (PortalReopen?)c.PortalReopen).FirstOrDefaultAsync(ct) ?? PortalReopen.Requester;
        var finished = TicketService.IsClosed(ticket.Status);
        return new PortalRequestView(ticket.Id, ticket.Reference, ticket.Title, ticket.Status, ticket.Category, ticket.Subcategory, ticket.Channel,
            ticket.CreatedAt, ticket.UpdatedAt, ticket.OpenedBy ?? "Equipe",
            messages.Select(m => new PortalMessage(m.Id, m.Body,
                m.Author?.Name ?? m.FromName ?? m.FromAddress ?? "", m.Author is null || m.Author.Role == UserRole.Portal, m.CreatedAt, filesOf[m.Id].ToList())).ToList(),
            CanWrite: !finished, CanReopen: finished && MayReopen(reopen, ticket.CreatedById));
    }

    /// <summary>What "Novo contato" offers the caller.</summary>
    public async Task<PortalFormOptions> FormOptions(CancellationToken ct = default)
    {
        RequirePortal();
        var settings = await PortalSettings(ct);
        var categories = await db.Categories.AsNoTracking().Where(c => c.Active).OrderBy(c => c.Name).ThenBy(c => c.Id)
            .Select(c => new { c.Id, c.Name, Subs = c.Subcategories.Where(s => s.Active).OrderBy(s => s.Name).Select(s => new { s.Id, s.Name }).ToList() })
            .ToListAsync(ct);
        var channels = settings.Mode == Core.Settings.PortalForm.Channel
            ? await db.Channels.AsNoTracking().Where(c => c.Active).OrderBy(c => c.Name).Select(c => new { c.Id, c.Name }).ToListAsync(ct)
            : [];
        var me = await Me(ct);
        return new PortalFormOptions(settings.PipelineId is not null, settings.Mode,
            categories.Select(c => new PortalCategory(c.Id, c.Name, c.Subs.Select(s => (s.Id, s.Name)).ToList())).ToList(),
            channels.Select(c => (c.Id, c.Name)).ToList(), me.ContactName, me.Phone, me.Email);
    }

    /// <summary>
    /// "Novo contato": checks the form (category required; its subcategory, or an active channel, as the settings ask; contact
    /// name, phone and e-mail required; message up to 10,000 characters; at most <see cref="MaxFiles"/> files), stores the files
    /// and opens the ticket, all or nothing.
    /// </summary>
    public async Task<Ticket> Create(PortalRequestInput input, IReadOnlyList<Upload> uploads, CancellationToken ct = default)
    {
        RequirePortal();
        var settings = await PortalSettings(ct);
        if (settings.PipelineId is not { } pipelineId)
        {
            throw new ConflictException("A empresa ainda não recebe pedidos pelo portal. Entre em contato por e-mail ou telefone.");
        }
        var v = new Validation();
        var contactName = v.Text("contactName", "Pessoa de contato", input.ContactName, 200);
        var (phone, phoneError) = PhoneRules.NormalizeTyped(input.Phone);
        if (phoneError is not null)
        {
            v.Add("phone", phoneError);
        }
        var email = v.Text("email", "E-mail", input.Email, 254);
        if (email.Length > 0 && !PartnerService.IsValidEmail(email))
        {
            v.Add("email", $"E-mail inválido: {email}.");
        }
        var message = CheckMessage(v, input.Message, uploads);
        var subject = Data.SearchText.Clean(input.Subject ?? "");
        if (subject.Length > MaxSubjectLength)
        {
            v.Add("subject", $"O assunto pode ter no máximo {MaxSubjectLength} caracteres.");
        }
        CheckFiles(v, uploads);
        if (input.CategoryId is not { } categoryId)
        {
            v.Add("categoryId", "Escolha a classificação.");
        }
        else if (!await db.Categories.AnyAsync(c => c.Id == categoryId && c.Active, ct))
        {
            v.Add("categoryId", "Classificação não encontrada ou inativa.");
        }
        long? channelId = null;
        if (settings.Mode == Core.Settings.PortalForm.Subcategory)
        {
            if (input.SubcategoryId is not { } subId)
            {
                v.Add("subcategoryId", "Escolha a sub-classificação.");
            }
            else if (await db.Subcategories.Where(s => s.Id == subId).Select(s => new { s.CategoryId, s.Active }).FirstOrDefaultAsync(ct) is not { } sub || !sub.Active)
            {
                v.Add("subcategoryId", "Sub-classificação não encontrada ou inativa.");
            }
            else if (sub.CategoryId != input.CategoryId)
            {
                v.Add("subcategoryId", "A sub-classificação não pertence à classificação escolhida.");
            }
            channelId = await PortalChannel(ct);
        }
        else if (input.ChannelId is not { } chosen)
        {
            v.Add("channelId", "Escolha a forma de contato.");
        }
        else if (!await db.Channels.AnyAsync(c => c.Id == chosen && c.Active, ct))
        {
            v.Add("channelId", "Forma de contato não encontrada ou inativa.");
        }
        else
        {
            channelId = chosen;
        }
        v.ThrowIfAny();

        var title = subject.Length > 0 ? subject : SubjectOf(message);
        var input2 = new TicketInput
        {
            Title = title,
            Description = $"Aberto pelo portal por {caller.Name}.\nPessoa de contato: {contactName}\nTelefone: {PhoneRules.Display(phone!)}\nE-mail: {email}",
            PartnerId = caller.PartnerId, ContactId = await OwnContact(ct), CategoryId = input.CategoryId,
            SubcategoryId = settings.Mode == Core.Settings.PortalForm.Subcategory ? input.SubcategoryId : null, ChannelId = channelId,
        };
        return await files.InTransaction(async () => await tickets.OpenFromPortal(pipelineId, input2, MessageHtml(message), await Store(uploads, ct), ct), ct);
    }

    /// <summary>
    /// A message (and files) on a request the caller sees: on an open one; on a finished one only when the settings let them
    /// reopen it (<paramref name="reopen"/> true), which reopens it. Otherwise a conflict that says what to do.
    /// </summary>
    public async Task<long> AddMessage(long id, string? message, IReadOnlyList<Upload> uploads, bool reopen, CancellationToken ct = default)
    {
        var request = await Get(id, ct);
        var v = new Validation();
        var text = CheckMessage(v, message, uploads);
        CheckFiles(v, uploads);
        v.ThrowIfAny();
        if (request.Finished && !request.CanReopen)
        {
            throw new ConflictException($"Este pedido está {TicketService.StatusName(request.Status)} e não pode ser reaberto pelo portal. Abra um novo contato.");
        }
        if (request.Finished && !reopen)
        {
            throw new ConflictException($"Este pedido está {TicketService.StatusName(request.Status)}. Use \"Reabrir\" para enviar a mensagem e reabri-lo.");
        }
        var interaction = await files.InTransaction(async () =>
            await tickets.AddPortalMessage(id, MessageHtml(text), await Store(uploads, ct), request.Finished, ct), ct);
        return interaction.Id;
    }

    /// <summary>A file of a public message of a request the caller sees; 404 for any other (internal, without a message, another request's).</summary>
    public async Task<Files.StoredFile> File(long id, long attachmentId, CancellationToken ct = default)
    {
        RequirePortal();
        var publicMessages = Visibility.Interactions(db, caller, id);
        return await (
                from a in db.TicketAttachments
                join f in db.StoredFiles on a.FileId equals f.Id
                where a.TicketId == id && a.Id == attachmentId && publicMessages.Any(i => i.Id == a.InteractionId)
                select f).AsNoTracking().FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException("Arquivo não encontrado.");
    }

    /// <summary>The portal's settings as the requests read them.</summary>
    public async Task<(long? PipelineId, Core.Settings.PortalForm Mode)> PortalSettings(CancellationToken ct)
    {
        var row = await db.CompanyProfiles.AsNoTracking()
            .Select(c => new { c.PortalPipelineId, c.PortalForm, Active = db.Pipelines.Where(p => p.Id == c.PortalPipelineId).Select(p => p.Active).FirstOrDefault() })
            .FirstOrDefaultAsync(ct);
        return (row is { Active: true } ? row.PortalPipelineId : null, row?.PortalForm ?? Core.Settings.PortalForm.Subcategory);
    }

    private bool MayReopen(PortalReopen rule, long openedById) => rule switch
    {
        PortalReopen.Anyone => true,
        PortalReopen.Requester => openedById == caller.UserId,
        _ => false,
    };

    /// <summary>The caller's name, first phone and e-mail as their contact (or their user) has them: the form's defaults.</summary>
    private async Task<(string ContactName, string Phone, string Email)> Me(CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == caller.UserId).Select(u => new { u.Name, u.Email }).FirstAsync(ct);
        var contactId = await OwnContact(ct);
        var contact = contactId is null ? null : await db.Contacts.AsNoTracking().Where(c => c.Id == contactId)
            .Select(c => new { c.Name, Phone = c.Phones.OrderBy(p => p.Position).Select(p => p.E164).FirstOrDefault() })
            .FirstOrDefaultAsync(ct);
        return (contact?.Name ?? user.Name, contact?.Phone is { } e164 ? PhoneRules.Display(e164) : "", user.Email ?? "");
    }

    /// <summary>The caller's contact when it is still one of their partner's; null otherwise.</summary>
    private async Task<long?> OwnContact(CancellationToken ct) =>
        caller.ContactId is { } contactId && caller.PartnerId is { } partnerId
            ? await db.Contacts.Where(c => c.Id == contactId && c.PartnerId == partnerId).Select(c => (long?)c.Id).FirstOrDefaultAsync(ct)
            : null;

    /// <summary>The channel "Portal" that marks requests in the módulo Central form: the active one of that name, created when missing.</summary>
    private async Task<long> PortalChannel(CancellationToken ct)
    {
        var existing = await db.Channels.Where(c => c.Name == "Portal" && c.Active).Select(c => (long?)c.Id).FirstOrDefaultAsync(ct);
        if (existing is { } id)
        {
            return id;
        }
        var channel = new Channel { Name = "Portal" };
        db.Channels.Add(channel);
        await db.SaveChangesAsync(ct);
        return channel.Id;
    }

    /// <summary>The message as plain text (line breaks kept): required (also with files), at most <see cref="MaxMessageLength"/> characters.</summary>
    private static string CheckMessage(Validation v, string? message, IReadOnlyList<Upload> uploads)
    {
        var text = (message ?? "").Replace("\r\n", "\n").Trim();
        if (text.Length == 0)
        {
            v.Add("message", uploads.Count > 0 ? "Escreva a mensagem; os arquivos vão junto com ela." : "Escreva a mensagem.");
        }
        else if (text.Length > MaxMessageLength)
        {
            v.Add("message", $"A mensagem pode ter no máximo {MaxMessageLength.ToString("N0", PtBr)} caracteres (tem {text.Length.ToString("N0", PtBr)}).");
        }
        return text;
    }

    private static void CheckFiles(Validation v, IReadOnlyList<Upload> uploads)
    {
        if (uploads.Count > MaxFiles)
        {
            v.Add("files", $"Envie no máximo {MaxFiles} arquivos por mensagem (foram {uploads.Count}).");
        }
    }

    private Task<List<long>> Store(IReadOnlyList<Upload> uploads, CancellationToken ct) => files.SaveAll(uploads, ct);

    /// <summary>The message's first line, at most 100 characters: the request's title when no subject is given.</summary>
    private static string SubjectOf(string message)
    {
        var line = Data.SearchText.Clean(message.Split('\n', 2)[0]);
        return line.Length <= 100 ? line : line[..99].TrimEnd() + "…";
    }

    /// <summary>A plain-text message as the timeline's HTML: escaped, paragraphs and line breaks kept.</summary>
    private static string MessageHtml(string text) =>
        RichText.Sanitize(string.Concat(text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(p => "<p>" + WebUtility.HtmlEncode(p.Trim('\n')).Replace("\n", "<br>") + "</p>")));

    private void RequirePortal()
    {
        if (!caller.IsPortal)
        {
            throw new ForbiddenException("O portal é para os usuários das empresas clientes.");
        }
    }

    private static NotFoundException NotFound() => new("Pedido não encontrado.");
}
