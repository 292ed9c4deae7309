using System.Globalization;
using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Events;
using Atende.Core.Files;
using Atende.Core.Identity;
using Atende.Core.Partners;
using Atende.Core.Settings;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Conversations;

/// <summary>
/// Conversations with partners and the agenda, always scoped to the caller's workspaces (through the partner's
/// workspace, kept on each conversation). A concluded conversation never changes again.
/// </summary>
public sealed class ConversationService(AtendeDb db, Caller caller, PartnerService partners, SettingsService settings, EventLog events)
{
    public const int MaxSubjectLength = 200;
    public const int MaxDescriptionLength = 10_000;

    /// <summary>The most events one agenda request returns (the first ones by date); filters narrow the rest.</summary>
    public const int MaxAgendaEvents = 1000;

    private const string ConcludedMessage = "Esta conversa foi concluída e não pode mais ser alterada.";
    private const string StaleMessage = "Esta conversa foi alterada por outra pessoa enquanto você editava. Recarregue e tente de novo.";

    public async Task<Conversation> Get(long id, CancellationToken ct = default) =>
        await Visibility.Conversations(db, caller).FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw new NotFoundException("Conversa não encontrada.");

    /// <summary>A conversation with the names of what it points to, for its page.</summary>
    public async Task<ConversationDetails> Details(long id, CancellationToken ct = default)
    {
        var tickets = Visibility.Tickets(db, caller);
        var found = await Visibility.Conversations(db, caller).AsNoTracking().Where(c => c.Id == id)
            .Select(c => new
            {
                Conversation = c,
                Workspace = db.Workspaces.Where(w => w.Id == c.WorkspaceId).Select(w => w.Name).First(),
                Channel = db.Channels.Where(x => x.Id == c.ChannelId).Select(x => x.Name).First(),
                Type = db.OpportunityTypes.Where(x => x.Id == c.OpportunityTypeId).Select(x => x.Name).First(),
                Seller = db.Users.Where(u => u.Id == c.SellerId).Select(u => u.Name).First(),
                Ticket = tickets.Where(t => t.Id == c.TicketId).Select(t => new { t.Reference, t.Title }).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct) ?? throw new NotFoundException("Conversa não encontrada.");
        return new ConversationDetails(found.Conversation, found.Conversation.PartnerName, found.Workspace, found.Channel, found.Type, found.Seller,
            found.Ticket?.Reference, found.Ticket?.Title);
    }

    /// <summary>Registers a conversation; <paramref name="conclude"/> ("Concluir e salvar") locks it at once.</summary>
    /// <param name="fileIds">Files the caller just uploaded (FileService.Save), attached in the same transaction.</param>
    public async Task<Conversation> Create(ConversationInput input, bool conclude = false, CancellationToken ct = default, IReadOnlyCollection<long>? fileIds = null)
    {
        caller.RequireStaff();
        var now = Clock.Now();
        var conversation = new Conversation { CreatedAt = now, CreatedById = caller.UserId, UpdatedAt = now, UpdatedById = caller.UserId, Version = 1 };
        await Apply(conversation, input, now, ct);
        if (conclude)
        {
            conversation.Concluded = true;
            conversation.ConcludedAt = now;
        }
        await using var tx = await UnitOfWork.Begin(db.Database, ct);
        await LockPartners([conversation.PartnerId], ct);
        db.Conversations.Add(conversation);
        await db.SaveChangesAsync(ct);
        await AttachStoredFiles(conversation.Id, fileIds, ct);
        await RefreshLastConversation([conversation.PartnerId], ct);
        await Raise(conversation, created: true, concluded: conclude, ct);
        await tx.Commit(ct);
        return conversation;
    }

    /// <summary>Changes a conversation ("Salvar"); <paramref name="conclude"/> also locks it. A concluded one is refused (409).</summary>
    public async Task<Conversation> Update(long id, int version, ConversationInput input, bool conclude = false, CancellationToken ct = default,
        IReadOnlyCollection<long>? fileIds = null)
    {
        caller.RequireStaff();
        var conversation = await Editable(id, version, ct);
        var oldPartnerId = conversation.PartnerId;
        var now = Clock.Now();
        await Apply(conversation, input, now, ct);
        if (conclude)
        {
            conversation.Concluded = true;
            conversation.ConcludedAt = now;
        }
        await Save(conversation, now, [oldPartnerId, conversation.PartnerId], ct, fileIds, concluding: conclude);
        return conversation;
    }

    /// <summary>Concludes a conversation as it is (locks it).</summary>
    public async Task<Conversation> Conclude(long id, int version, CancellationToken ct = default)
    {
        caller.RequireStaff();
        var conversation = await Editable(id, version, ct);
        var now = Clock.Now();
        conversation.Concluded = true;
        conversation.ConcludedAt = now;
        await Save(conversation, now, [conversation.PartnerId], ct, concluding: true);
        return conversation;
    }

    /// <summary>Moves a pending conversation to another date and time (the agenda's drag and drop).</summary>
    public async Task<Conversation> Reschedule(long id, int version, DateTimeOffset at, CancellationToken ct = default)
    {
        caller.RequireStaff();
        var conversation = await Editable(id, version, ct);
        var v = new Validation();
        CheckDate(v, at);
        v.ThrowIfAny();
        conversation.At = at.ToUniversalTime();
        await Save(conversation, Clock.Now(), [conversation.PartnerId], ct);
        return conversation;
    }

    /// <summary>
    /// Deletes a pending conversation (one that will not happen) with its files' rows; a concluded one stays forever (409).
    /// Returns the storage keys of its files, whose bytes the caller deletes once this is committed (ConversationFiles).
    /// </summary>
    public async Task<List<string>> Delete(long id, CancellationToken ct = default)
    {
        caller.RequireStaff();
        var conversation = await Get(id, ct);
        RequirePending(conversation);
        await using var tx = await UnitOfWork.Begin(db.Database, ct);
        await LockPartners([conversation.PartnerId], ct);
        var files = await db.ConversationAttachments.Where(a => a.ConversationId == id)
            .Join(db.StoredFiles, a => a.FileId, f => f.Id, (a, f) => new { f.Id, f.StorageKey }).ToListAsync(ct);
        db.Conversations.Remove(conversation);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new StaleVersionException(StaleMessage);
        }
        var fileIds = files.Select(f => f.Id).ToList();
        await db.StoredFiles.Where(f => fileIds.Contains(f.Id)).ExecuteDeleteAsync(ct);
        await RefreshLastConversation([conversation.PartnerId], ct);
        await tx.Commit(ct);
        return files.Select(f => f.StorageKey).ToList();
    }

    /// <summary>The files of a conversation, newest first; 404 for one the caller may not see.</summary>
    public async Task<List<ConversationAttachmentRow>> Attachments(long conversationId, CancellationToken ct = default)
    {
        await RequireVisible(conversationId, ct);
        return await (
                from a in db.ConversationAttachments.AsNoTracking()
                join f in db.StoredFiles on a.FileId equals f.Id
                where a.ConversationId == conversationId
                orderby a.Id descending
                select new ConversationAttachmentRow(a.Id, f.FileName, f.ContentType, f.Size, f.CreatedAt,
                    db.Users.Where(u => u.Id == f.CreatedById).Select(u => u.Name).FirstOrDefault()))
            .ToListAsync(ct);
    }

    /// <summary>The stored file of one of this conversation's attachments; another conversation's attachment is not found.</summary>
    public async Task<StoredFile> AttachmentFile(long conversationId, long attachmentId, CancellationToken ct = default)
    {
        await RequireVisible(conversationId, ct);
        return await (
                from a in db.ConversationAttachments
                join f in db.StoredFiles on a.FileId equals f.Id
                where a.ConversationId == conversationId && a.Id == attachmentId
                select f).AsNoTracking().FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException("Anexo não encontrado.");
    }

    /// <summary>Attaches files the caller just uploaded to a pending conversation (409 once concluded); returns the new attachments' ids.</summary>
    public async Task<List<long>> Attach(long conversationId, IReadOnlyCollection<long> fileIds, CancellationToken ct = default)
    {
        caller.RequireStaff();
        var conversation = await Get(conversationId, ct);
        await using var tx = await UnitOfWork.Begin(db.Database, ct);
        await RequirePendingLocked(conversation, ct);
        var added = await AttachStoredFiles(conversationId, fileIds, ct);
        await tx.Commit(ct);
        return added;
    }

    /// <summary>Removes a file from a pending conversation (409 once concluded); returns its storage key, for its bytes.</summary>
    public async Task<string> RemoveAttachment(long conversationId, long attachmentId, CancellationToken ct = default)
    {
        caller.RequireStaff();
        var conversation = await Get(conversationId, ct);
        var file = await AttachmentFile(conversationId, attachmentId, ct);
        await using var tx = await UnitOfWork.Begin(db.Database, ct);
        await RequirePendingLocked(conversation, ct);
        await db.ConversationAttachments.Where(a => a.Id == attachmentId && a.ConversationId == conversationId).ExecuteDeleteAsync(ct);
        await db.StoredFiles.Where(f => f.Id == file.Id).ExecuteDeleteAsync(ct);
        await tx.Commit(ct);
        return file.StorageKey;
    }

    /// <summary>Conversations newest first, by keyset (date, id). Filtering by a partner the caller may not see is a 404.</summary>
    public async Task<Page<ConversationRow>> List(ConversationFilter filter, string? after, int limit = 50, CancellationToken ct = default)
    {
        var query = Visibility.Conversations(db, caller);
        if (filter.PartnerId is { } partnerId)
        {
            if (!await Visibility.Partners(db, caller).AnyAsync(p => p.Id == partnerId, ct))
            {
                throw new NotFoundException("Entidade não encontrada.");
            }
            query = query.Where(c => c.PartnerId == partnerId);
        }
        if (filter.SellerId is { } sellerId)
        {
            query = query.Where(c => c.SellerId == sellerId);
        }
        if (filter.TicketId is { } ticketId)
        {
            query = query.Where(c => c.TicketId == ticketId);
        }
        if (filter.Concluded is { } concluded)
        {
            query = query.Where(c => c.Concluded == concluded);
        }
        if (filter.From is { } from)
        {
            query = query.Where(c => c.At >= from);
        }
        if (filter.To is { } to)
        {
            query = query.Where(c => c.At < to);
        }
        if (Cursor.Decode(after) is { } cursor)
        {
            var at = cursor.KeyAsInstant();
            query = query.Where(c => c.At <= at && (c.At < at || c.Id < cursor.Id));
        }
        var tickets = Visibility.Tickets(db, caller);
        return await query
            .OrderByDescending(c => c.At).ThenByDescending(c => c.Id)
            .Select(c => new ConversationRow(
                c.Id, c.PartnerId, c.PartnerName,
                c.ChannelId, db.Channels.Where(x => x.Id == c.ChannelId).Select(x => x.Name).First(),
                c.OpportunityTypeId, db.OpportunityTypes.Where(x => x.Id == c.OpportunityTypeId).Select(x => x.Name).First(),
                c.Subject, c.SellerId, db.Users.Where(u => u.Id == c.SellerId).Select(u => u.Name).First(),
                c.At, c.Concluded, c.TicketId, tickets.Where(t => t.Id == c.TicketId).Select(t => t.Reference).FirstOrDefault()))
            .ToPageAsync(limit, r => new Cursor(r.At.UtcTicks.ToString(CultureInfo.InvariantCulture), r.Id), ct);
    }

    /// <summary>The conversations of one partner, newest first (its page's "Conversas" tab). 404 for a partner the caller may not see.</summary>
    public Task<Page<ConversationRow>> ListForPartner(long partnerId, string? after, int limit = 20, CancellationToken ct = default) =>
        List(new ConversationFilter(PartnerId: partnerId), after, limit, ct);

    /// <summary>
    /// The conversations linked to a ticket, newest first (the ticket page), among those the caller may see. 404 for a ticket
    /// the caller may not see.
    /// </summary>
    public async Task<Page<ConversationRow>> ListForTicket(long ticketId, int limit = 20, CancellationToken ct = default)
    {
        if (!await Visibility.Tickets(db, caller).AnyAsync(t => t.Id == ticketId, ct))
        {
            throw new NotFoundException("Atendimento não encontrado.");
        }
        return await List(new ConversationFilter(TicketId: ticketId), null, limit, ct);
    }

    /// <summary>The conversations linked to a ticket already read through the caller's visibility (<c>TicketService.Get</c>).</summary>
    public Task<Page<ConversationRow>> ListForTicket(Tickets.Ticket visible, int limit = 20, CancellationToken ct = default) =>
        List(new ConversationFilter(TicketId: visible.Id), null, limit, ct);

    /// <summary>The agenda: conversations in [Start, End), by date, narrowed by seller, channel and opportunity type.</summary>
    public async Task<AgendaEvents> AgendaEvents(AgendaFilter filter, CancellationToken ct = default)
    {
        var v = new Validation();
        if (filter.End <= filter.Start)
        {
            v.Add("end", "O fim do período deve ser depois do início.");
        }
        else if (filter.End - filter.Start > TimeSpan.FromDays(62))
        {
            v.Add("end", "O período pode ter no máximo 62 dias.");
        }
        v.ThrowIfAny();
        var limit = Math.Clamp(filter.Limit, 1, MaxAgendaEvents);
        var start = filter.Start.ToUniversalTime();
        var end = filter.End.ToUniversalTime();
        var query = filter.SellerId is { } sellerId
            ? Visibility.Conversations(db, caller, useWorkspaceIndex: false).Where(c => c.SellerId == sellerId)
            : Visibility.Conversations(db, caller);
        query = query.Where(c => c.At >= start && c.At < end);
        if (filter.ChannelId is { } channelId)
        {
            query = query.Where(c => c.ChannelId == channelId);
        }
        if (filter.OpportunityTypeId is { } typeId)
        {
            query = query.Where(c => c.OpportunityTypeId == typeId);
        }
        var events = await query
            .OrderBy(c => c.At).ThenBy(c => c.Id)
            .Take(limit + 1)
            .Select(c => new AgendaEvent(c.Id, c.At, c.Subject, c.PartnerId, c.PartnerName, c.ChannelId, c.OpportunityTypeId, c.SellerId, c.Concluded, c.Version))
            .ToListAsync(ct);
        var truncated = Keyset.CutToLimit(events, limit);
        return new AgendaEvents(events, truncated);
    }

    /// <summary>
    /// Active partners the caller may see with no conversation dated from the start of today (company time zone) on,
    /// by name, searchable like the partner list: who still needs a call.
    /// </summary>
    public async Task<Page<PartnerToCall>> PartnersWithoutConversation(string? q, string? after, int limit = 20, CancellationToken ct = default)
    {
        caller.RequireStaff();
        var today = ZoneTime.StartOfToday(await settings.TimeZone(ct), Clock.Now());
        var query = partners.Search(Visibility.Partners(db, caller), q)
            .Where(p => p.Active && (p.LastConversationAt == null || p.LastConversationAt < today));
        var ordered = await partners.InNameOrder(query, q, after, ct);
        var page = await ordered
            .Select(p => new
            {
                p.SortName,
                Row = new PartnerToCall(p.Id, p.Name, p.Code, p.WorkspaceId,
                    db.Workspaces.Where(w => w.Id == p.WorkspaceId).Select(w => w.Name).First(), p.LastConversationAt),
            })
            .ToPageAsync(limit, r => new Cursor(r.SortName, r.Row.Id), ct);
        return page.Map(r => r.Row);
    }

    /// <summary>Refuses any change to a concluded conversation (409).</summary>
    public static void RequirePending(Conversation conversation)
    {
        if (conversation.Concluded)
        {
            throw new ConflictException(ConcludedMessage);
        }
    }

    /// <summary>A partner the caller may see, briefly (name, code, workspace), or null.</summary>
    public Task<PartnerToCall?> PartnerBrief(long partnerId, CancellationToken ct = default)
    {
        caller.RequireStaff();
        return Visibility.Partners(db, caller).Where(p => p.Id == partnerId)
            .Select(p => new PartnerToCall(p.Id, p.Name, p.Code, p.WorkspaceId, db.Workspaces.Where(w => w.Id == p.WorkspaceId).Select(w => w.Name).First(), p.LastConversationAt))
            .FirstOrDefaultAsync(ct);
    }

    private async Task RequireVisible(long conversationId, CancellationToken ct)
    {
        if (!await Visibility.Conversations(db, caller).AnyAsync(c => c.Id == conversationId, ct))
        {
            throw new NotFoundException("Conversa não encontrada.");
        }
    }

    /// <summary>Concluding takes the partner's lock too: under it, the conversation read again is still pending or never will be.</summary>
    private async Task RequirePendingLocked(Conversation conversation, CancellationToken ct)
    {
        await LockPartners([conversation.PartnerId], ct);
        if (await db.Conversations.AsNoTracking().AnyAsync(c => c.Id == conversation.Id && c.Concluded, ct))
        {
            throw new ConflictException(ConcludedMessage);
        }
    }

    /// <summary>Links files to a conversation: only the caller's own uploads that nothing holds yet.</summary>
    private async Task<List<long>> AttachStoredFiles(long conversationId, IReadOnlyCollection<long>? fileIds, CancellationToken ct)
    {
        if (fileIds is null || fileIds.Count == 0)
        {
            return [];
        }
        var ids = fileIds.Distinct().ToList();
        var usable = await db.StoredFiles
            .Where(f => ids.Contains(f.Id) && f.CreatedById == caller.UserId
                && !db.ConversationAttachments.Any(a => a.FileId == f.Id) && !db.TicketAttachments.Any(a => a.FileId == f.Id))
            .Select(f => f.Id).ToListAsync(ct);
        var refused = ids.Except(usable).ToList();
        if (refused.Count > 0)
        {
            throw new ValidationException("file", $"Arquivo inexistente ou já anexado a outro registro: {string.Join(", ", refused)}.");
        }
        var attachments = ids.Select(id => new ConversationAttachment { ConversationId = conversationId, FileId = id }).ToList();
        db.ConversationAttachments.AddRange(attachments);
        await db.SaveChangesAsync(ct);
        return attachments.Select(a => a.Id).ToList();
    }

    /// <summary>A visible, pending conversation at the version the caller read, tracked for a change.</summary>
    private async Task<Conversation> Editable(long id, int version, CancellationToken ct)
    {
        var conversation = await Get(id, ct);
        RequirePending(conversation);
        if (!Versions.Matches(conversation.Version, version))
        {
            throw new StaleVersionException(StaleMessage);
        }
        return conversation;
    }

    private async Task Save(Conversation conversation, DateTimeOffset now, long[] partnerIds, CancellationToken ct, IReadOnlyCollection<long>? fileIds = null,
        bool concluding = false)
    {
        conversation.UpdatedAt = now;
        conversation.UpdatedById = caller.UserId;
        conversation.Version++;
        await using var tx = await UnitOfWork.Begin(db.Database, ct);
        var ids = partnerIds.Distinct().ToArray();
        await LockPartners(ids, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new StaleVersionException(StaleMessage);
        }
        await AttachStoredFiles(conversation.Id, fileIds, ct);
        await RefreshLastConversation(ids, ct);
        await Raise(conversation, created: false, concluded: concluding, ct);
        await tx.Commit(ct);
    }

    /// <summary>
    /// The conversation events (conversation.created, conversation.concluded), raised once here in the change's transaction,
    /// after the conversation and its files are saved.
    /// </summary>
    private async Task Raise(Conversation conversation, bool created, bool concluded, CancellationToken ct)
    {
        if (!created && !concluded)
        {
            return;
        }
        var data = events.Json.Conversation(conversation, await Attachments(conversation.Id, ct));
        if (created)
        {
            await events.Raise(EventTypes.ConversationCreated, EventSubject.Of(conversation), data, caller.UserId, ct);
        }
        if (concluded)
        {
            await events.Raise(EventTypes.ConversationConcluded, EventSubject.Of(conversation), data, caller.UserId, ct);
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Serializes conversation writes per partner, so <see cref="RefreshLastConversation"/> sees every committed
    /// conversation. SQLite needs nothing: its transactions start with BEGIN IMMEDIATE and so run one at a time.
    /// </summary>
    private async Task LockPartners(long[] partnerIds, CancellationToken ct)
    {
        if (db.IsPostgres)
        {
            var ids = partnerIds.Distinct().Order().ToArray();
            await db.Database.ExecuteSqlInterpolatedAsync($"SELECT 1 FROM \"Partners\" WHERE \"Id\" = ANY({ids}) ORDER BY \"Id\" FOR NO KEY UPDATE", ct);
        }
    }

    /// <summary>Partner.LastConversationAt = the latest date of its conversations, read from the (PartnerId, At) index.</summary>
    private async Task RefreshLastConversation(long[] partnerIds, CancellationToken ct)
    {
        foreach (var partnerId in partnerIds.Distinct())
        {
            await db.Partners.Where(p => p.Id == partnerId).ExecuteUpdateAsync(s => s.SetProperty(p => p.LastConversationAt,
                p => db.Conversations.Where(c => c.PartnerId == p.Id).OrderByDescending(c => c.At).Select(c => (DateTimeOffset?)c.At).FirstOrDefault()), ct);
        }
    }

    private async Task Apply(Conversation conversation, ConversationInput input, DateTimeOffset now, CancellationToken ct)
    {
        var v = new Validation();
        long? workspaceId = null;
        var partnerName = "";
        if (input.PartnerId is not { } partnerId)
        {
            v.Add("partnerId", "Entidade é obrigatória.");
        }
        else
        {
            var partner = await Visibility.Partners(db, caller).Where(p => p.Id == partnerId).Select(p => new { p.WorkspaceId, p.Name }).FirstOrDefaultAsync(ct);
            if (partner is null)
            {
                v.Add("partnerId", "Entidade inexistente ou sem acesso para você.");
            }
            else
            {
                workspaceId = partner.WorkspaceId;
                partnerName = partner.Name;
            }
        }

        if (input.ChannelId is not { } channelId)
        {
            v.Add("channelId", "Canal de comunicação é obrigatório.");
        }
        else if (!await db.Channels.AnyAsync(x => x.Id == channelId && (x.Active || x.Id == conversation.ChannelId), ct))
        {
            v.Add("channelId", "Canal de comunicação inexistente ou desativado.");
        }
        if (input.OpportunityTypeId is not { } typeId)
        {
            v.Add("opportunityTypeId", "Tipo de oportunidade é obrigatório.");
        }
        else if (!await db.OpportunityTypes.AnyAsync(x => x.Id == typeId && (x.Active || x.Id == conversation.OpportunityTypeId), ct))
        {
            v.Add("opportunityTypeId", "Tipo de oportunidade inexistente ou desativado.");
        }

        var subject = v.Text("subject", "Assunto", input.Subject, MaxSubjectLength);
        var description = v.Text("description", "Descrição", input.Description, MaxDescriptionLength, required: false);
        if (Validation.IsBlank(description))
        {
            v.Add("description", "Descrição é obrigatória.");
        }

        var sellerId = input.SellerId ?? caller.UserId;
        var seller = await db.Users.AsNoTracking().Where(u => u.Id == sellerId)
            .Select(u => new { u.Name, u.Active, u.Role, Workspaces = u.Workspaces.Select(w => w.WorkspaceId).ToList() })
            .FirstOrDefaultAsync(ct);
        if (seller is null || seller.Role == UserRole.Portal || (!seller.Active && sellerId != conversation.SellerId))
        {
            v.Add("sellerId", "Vendedor deve ser um usuário ativo da equipe.");
        }
        else if (workspaceId is { } ws && seller.Role != UserRole.Admin && !seller.Workspaces.Contains(ws))
        {
            v.Add("sellerId", $"O vendedor {seller.Name} não tem acesso ao domínio desta entidade.");
        }

        var at = (input.At ?? now).ToUniversalTime();
        CheckDate(v, at);

        long? ticketId = null;
        var reference = SearchText.Clean(input.TicketReference);
        if (input.TicketId is not null || reference.Length > 0)
        {
            // The ticket already linked stays linked even if the caller lost sight of its pipeline meanwhile.
            var tickets = input.TicketId is { } same && same == conversation.TicketId ? db.Tickets : Visibility.Tickets(db, caller);
            var key = reference.ToUpperInvariant().Replace(' ', '-');
            var ticket = await (input.TicketId is { } id ? tickets.Where(t => t.Id == id) : tickets.Where(t => t.Reference == key))
                .Select(t => new { t.Id, t.PartnerId, t.Reference })
                .FirstOrDefaultAsync(ct);
            if (ticket is null)
            {
                v.Add("ticketId", input.TicketId is null
                    ? $"Atendimento {reference} não encontrado ou sem acesso para você."
                    : "Atendimento inexistente ou sem acesso para você.");
            }
            else if (input.PartnerId is { } pid && ticket.PartnerId != pid)
            {
                v.Add("ticketId", $"O atendimento {ticket.Reference} é de outra entidade.");
            }
            else
            {
                ticketId = ticket.Id;
            }
        }
        v.ThrowIfAny();

        conversation.PartnerId = input.PartnerId!.Value;
        conversation.WorkspaceId = workspaceId!.Value;
        conversation.PartnerName = partnerName;
        conversation.ChannelId = input.ChannelId!.Value;
        conversation.OpportunityTypeId = input.OpportunityTypeId!.Value;
        conversation.Subject = subject;
        conversation.Description = description;
        conversation.SellerId = sellerId;
        conversation.At = at;
        conversation.TicketId = ticketId;
    }

    private static void CheckDate(Validation v, DateTimeOffset at)
    {
        if (at.Year is < 2000 or > 2100)
        {
            v.Add("at", "Data e hora devem estar entre os anos 2000 e 2100.");
        }
    }
}
