using System.Globalization;
using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Identity;
using Atende.Core.Pipelines;
using Atende.Core.Settings;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Tickets;

// What users do to a ticket: create, edit, change status, reopen, tags, move, archive, trash, restore, purge, notify;
// the form rules shared by create and edit; versions and stale saves.
public sealed partial class TicketService
{
    public async Task<Ticket> Create(long pipelineId, TicketInput input, CancellationToken ct = default)
    {
        caller.RequireStaff();
        var pipeline = await db.Pipelines.AsNoTracking().FirstOrDefaultAsync(p => p.Id == pipelineId, ct);
        if (pipeline is null || !Visibility.SeesPipeline(caller, pipelineId))
        {
            throw new NotFoundException("Fluxo não encontrado.");
        }
        if (!pipeline.Active)
        {
            throw new ValidationException("pipelineId", $"O fluxo \"{pipeline.Name}\" está inativo e não aceita novos atendimentos.");
        }
        var now = Clock.Now();
        var ticket = new Ticket
        {
            PipelineId = pipelineId, Status = TicketStatus.Open, CreatedAt = now, UpdatedAt = now, EditedAt = now, CreatedById = caller.UserId, Version = 1,
        };
        var resolved = await Apply(ticket, input, creating: true, ct);
        await using var tx = await UnitOfWork.Begin(db.Database, ct);
        ticket.Number = await NextNumber(pipeline.Alias, ct);
        ticket.Reference = pipeline.Alias + "-" + ticket.Number.ToString(CultureInfo.InvariantCulture);
        ticket.SearchText = BuildSearchText(ticket, resolved.PartnerName);
        db.Tickets.Add(ticket);
        await db.SaveChangesAsync(ct);
        await Created(ticket, ct);
        await db.SaveChangesAsync(ct);
        await tx.Commit(ct);
        return ticket;
    }

    /// <summary>Saves the form; a status change in it e-mails the requester like <see cref="ChangeStatus"/> (Email null otherwise).</summary>
    public async Task<(Ticket Ticket, EmailOutcome? Email)> Update(long id, int version, TicketInput input, CancellationToken ct = default)
    {
        caller.RequireStaff();
        var ticket = await Get(id, ct);
        await CheckVersion(ticket, version, ct);
        if (ticket.Bin == TicketBin.Trash)
        {
            throw new ConflictException("Este atendimento está na lixeira. Restaure-o antes de editar.");
        }
        var before = Snapshot(ticket);
        var resolved = await Apply(ticket, input, creating: false, ct);
        var changes = await Describe(before, Snapshot(ticket), ct);
        var previousStatus = ticket.Status;
        if (input.Status is { } status)
        {
            ticket.Status = status;
        }
        if (changes.Count == 0 && ticket.Status == previousStatus)
        {
            return (ticket, null);
        }
        ticket.SearchText = BuildSearchText(ticket, resolved.PartnerName);
        Touch(ticket);
        if (changes.Count > 0)
        {
            await Changed(ticket, changes, ct);
        }
        var email = ticket.Status != previousStatus ? await StatusChanged(ticket, previousStatus, ct) : null;
        await Save(ticket, ct);
        return (ticket, email);
    }

    /// <summary>Changes the status and e-mails the requester's contact in the same transaction (Email null when the status was already that).</summary>
    public async Task<(Ticket Ticket, EmailOutcome? Email)> ChangeStatus(long id, TicketStatus status, int? version = null, CancellationToken ct = default)
    {
        caller.RequireStaff();
        var ticket = await Get(id, ct);
        if (version is { } v)
        {
            await CheckVersion(ticket, v, ct);
        }
        if (!Enum.IsDefined(status))
        {
            throw new ValidationException("status", "Situação desconhecida.");
        }
        if (ticket.Bin == TicketBin.Trash)
        {
            throw new ConflictException("Este atendimento está na lixeira. Restaure-o antes de mudar a situação.");
        }
        if (ticket.Status == status)
        {
            return (ticket, null);
        }
        var previousStatus = ticket.Status;
        ticket.Status = status;
        Touch(ticket);
        var email = await StatusChanged(ticket, previousStatus, ct);
        await Save(ticket, ct);
        return (ticket, email);
    }

    /// <summary>Reabrir: a finished, canceled or rejected ticket becomes Reaberto.</summary>
    public async Task<(Ticket Ticket, EmailOutcome? Email)> Reopen(long id, CancellationToken ct = default)
    {
        var ticket = await Get(id, ct);
        if (!IsClosed(ticket.Status))
        {
            throw new ConflictException($"Só é possível reabrir atendimentos finalizados, cancelados ou rejeitados; este está {StatusName(ticket.Status)}.");
        }
        return await ChangeStatus(id, TicketStatus.Reopened, ct: ct);
    }

    /// <summary>Sets the ticket's tags (drag and drop, picker, board). Tags of another pipeline are refused.</summary>
    public async Task<Ticket> SetTags(long id, IReadOnlyCollection<long> tagIds, CancellationToken ct = default)
    {
        caller.RequireStaff();
        var ticket = await Get(id, ct);
        RefuseInTrash(ticket, "trocar as etiquetas");
        var wanted = tagIds.Distinct().ToList();
        var names = await TagNames(ticket.PipelineId, wanted, ct);
        var current = ticket.Tags.Select(t => t.TagId).ToList();
        if (current.Order().SequenceEqual(wanted.Order()))
        {
            return ticket;
        }
        var oldNames = await TagNames(ticket.PipelineId, current, ct);
        ticket.Tags.RemoveAll(t => !wanted.Contains(t.TagId));
        foreach (var tagId in wanted.Where(w => !current.Contains(w)))
        {
            ticket.Tags.Add(new TicketTag { TicketId = id, TagId = tagId });
        }
        Touch(ticket);
        await Changed(ticket, [new("tags", JoinOrNull(oldNames), JoinOrNull(names), IdsCode(current.Order()), IdsCode(wanted.Order()))], ct);
        await Save(ticket, ct);
        return ticket;
    }

    /// <summary>A ticket in the trash is read-only until restored: tags and moves are refused like edits.</summary>
    private static void RefuseInTrash(Ticket ticket, string action)
    {
        if (ticket.Bin == TicketBin.Trash)
        {
            throw new ConflictException($"{ticket.Reference} está na lixeira. Restaure-o antes de {action}.");
        }
    }

    public async Task<Ticket> AddTag(long id, long tagId, CancellationToken ct = default)
    {
        var ticket = await Get(id, ct);
        return await SetTags(id, ticket.Tags.Select(t => t.TagId).Append(tagId).ToList(), ct);
    }

    public async Task<Ticket> RemoveTag(long id, long tagId, CancellationToken ct = default)
    {
        var ticket = await Get(id, ct);
        return await SetTags(id, ticket.Tags.Select(t => t.TagId).Where(t => t != tagId).ToList(), ct);
    }

    /// <summary>Moves a ticket to another pipeline; its tags follow, reused by name or created there. The reference stays.</summary>
    public async Task<Ticket> Move(long id, long targetPipelineId, CancellationToken ct = default)
    {
        caller.RequireStaff();
        var ticket = await Get(id, ct);
        RefuseInTrash(ticket, "mover");
        if (ticket.PipelineId == targetPipelineId)
        {
            return ticket;
        }
        var target = await db.Pipelines.Include(p => p.Tags).FirstOrDefaultAsync(p => p.Id == targetPipelineId, ct);
        if (target is null || !Visibility.SeesPipeline(caller, targetPipelineId))
        {
            throw new ValidationException("pipelineId", "Fluxo de destino não encontrado.");
        }
        if (!target.Active)
        {
            throw new ValidationException("pipelineId", $"O fluxo \"{target.Name}\" está inativo e não aceita atendimentos.");
        }
        if (ticket.AssigneeId is { } assigneeId && !await Visibility.UsersWhoSee(db, target.Id, ticket.WorkspaceId).AnyAsync(u => u.Id == assigneeId, ct))
        {
            var name = await db.Users.Where(u => u.Id == assigneeId).Select(u => u.Name).FirstAsync(ct);
            throw new ValidationException("pipelineId", $"O responsável {name} não tem acesso ao fluxo \"{target.Name}\": troque o responsável antes de mover.");
        }
        var sourcePipelineId = ticket.PipelineId;
        var sourceName = await db.Pipelines.Where(p => p.Id == sourcePipelineId).Select(p => p.Name).FirstAsync(ct);
        var currentTagIds = ticket.Tags.Select(t => t.TagId).ToList();
        var currentTags = await db.Tags.Where(t => currentTagIds.Contains(t.Id)).OrderBy(t => t.Position).ToListAsync(ct);
        await using var tx = await UnitOfWork.Begin(db.Database, ct);
        var targetTags = new List<Tag>();
        foreach (var tag in currentTags)
        {
            var same = target.Tags.FirstOrDefault(t => SearchText.Normalize(t.Name) == SearchText.Normalize(tag.Name));
            if (same is null)
            {
                same = new Tag { PipelineId = target.Id, Name = tag.Name, Color = tag.Color, Position = target.Tags.Count == 0 ? 1 : target.Tags.Max(t => t.Position) + 1 };
                target.Tags.Add(same);
            }
            targetTags.Add(same);
        }
        await db.SaveChangesAsync(ct);
        ticket.Tags.Clear();
        foreach (var tag in targetTags)
        {
            ticket.Tags.Add(new TicketTag { TicketId = id, TagId = tag.Id });
        }
        ticket.PipelineId = target.Id;
        Touch(ticket);
        await Moved(ticket, sourcePipelineId, sourceName, target.Name, ct);
        await Save(ticket, ct);
        await tx.Commit(ct);
        return ticket;
    }

    public Task<Ticket> Archive(long id, CancellationToken ct = default) => MoveToBin(id, TicketBin.Active, TicketBin.Archived, "archived", ct);

    public Task<Ticket> Unarchive(long id, CancellationToken ct = default) => MoveToBin(id, TicketBin.Archived, TicketBin.Active, "unarchived", ct);

    /// <summary>Delete: the ticket goes to the trash (Lixeira), from the list or from the archive.</summary>
    public Task<Ticket> Trash(long id, CancellationToken ct = default) => MoveToBin(id, null, TicketBin.Trash, "trashed", ct);

    public Task<Ticket> Restore(long id, CancellationToken ct = default) => MoveToBin(id, TicketBin.Trash, TicketBin.Active, "restored", ct);

    private async Task<Ticket> MoveToBin(long id, TicketBin? from, TicketBin to, string action, CancellationToken ct)
    {
        caller.RequireStaff();
        var ticket = await Get(id, ct);
        if (ticket.Bin == to)
        {
            return ticket;
        }
        if (from is { } expected && ticket.Bin != expected)
        {
            throw new ConflictException(ticket.Bin switch
            {
                TicketBin.Trash => "Este atendimento está na lixeira.",
                TicketBin.Archived => "Este atendimento está arquivado.",
                _ => "Este atendimento não está arquivado nem na lixeira.",
            });
        }
        var previousBin = ticket.Bin;
        ticket.Bin = to;
        Touch(ticket);
        await Changed(ticket, [new(action, BinName(previousBin), BinName(to), previousBin.ToString(), to.ToString())], ct);
        await Save(ticket, ct);
        return ticket;
    }

    /// <summary>Removes a ticket in the trash for good (admins only); returns the storage keys of its files to delete.</summary>
    public async Task<List<string>> Purge(long id, CancellationToken ct = default)
    {
        caller.RequireAdmin();
        var ticket = await Get(id, ct);
        if (ticket.Bin != TicketBin.Trash)
        {
            throw new ConflictException("Só atendimentos na lixeira podem ser excluídos definitivamente.");
        }
        await using var tx = await UnitOfWork.Begin(db.Database, ct);
        var fileIds = await db.TicketAttachments.Where(a => a.TicketId == id).Select(a => a.FileId).ToListAsync(ct);
        var keys = await db.StoredFiles.Where(f => fileIds.Contains(f.Id)).Select(f => f.StorageKey).ToListAsync(ct);
        await db.TicketAttachments.Where(a => a.TicketId == id).ExecuteDeleteAsync(ct);
        await db.StoredFiles.Where(f => fileIds.Contains(f.Id)).ExecuteDeleteAsync(ct);
        await db.Tickets.Where(t => t.Id == id).ExecuteDeleteAsync(ct);
        await tx.Commit(ct);
        return keys;
    }

    /// <summary>
    /// Notificar: allowed only while the ticket was never edited (it marks a brand-new ticket). The assignee gets an in-app
    /// notification and an e-mail with the link, both in the same transaction.
    /// </summary>
    public async Task<(Ticket Ticket, EmailOutcome Email)> Notify(long id, CancellationToken ct = default)
    {
        caller.RequireStaff();
        var ticket = await Get(id, ct);
        if (ticket.Edited)
        {
            throw new ConflictException("Este atendimento já foi alterado depois de criado; a notificação só vale para atendimentos novos.");
        }
        ticket.NotifiedAt = Clock.Now();
        var email = await AssigneeNotified(ticket, ct);
        await Save(ticket, ct);
        return (ticket, email);
    }

    private sealed record Resolved(string PartnerName);

    private async Task<Resolved> Apply(Ticket ticket, TicketInput input, bool creating, CancellationToken ct)
    {
        var v = new Validation();
        var title = v.Text("title", "Título", input.Title, 200);
        var description = RichText.CleanLines(input.Description);
        if (description.Length > 20000)
        {
            v.Add("description", "Descrição pode ter no máximo 20.000 caracteres.");
        }
        if (input.Status is { } status && !Enum.IsDefined(status))
        {
            v.Add("status", "Situação desconhecida.");
        }
        if (input.Value is < 0)
        {
            v.Add("value", "Valor não pode ser negativo.");
        }
        if (input.DueAt is { Year: < 2000 or > 2100 })
        {
            v.Add("dueAt", "Vencimento deve estar entre os anos 2000 e 2100.");
        }
        else if (input.Value is > 999_999_999_999m)
        {
            v.Add("value", "Valor muito alto.");
        }

        var partner = input.PartnerId is { } partnerId
            ? await Visibility.Partners(db, caller).AsNoTracking().Where(p => p.Id == partnerId)
                .Select(p => new { p.Id, p.Name, p.WorkspaceId, p.AccountManagerId, p.Active }).FirstOrDefaultAsync(ct)
            : null;
        if (input.PartnerId is null)
        {
            v.Add("partnerId", "Solicitante (entidade) é obrigatório.");
        }
        else if (partner is null)
        {
            v.Add("partnerId", "Entidade não encontrada.");
        }
        string? contactName = null;
        if (input.ContactId is { } contactId)
        {
            contactName = partner is null ? null : await db.Contacts.Where(c => c.Id == contactId && c.PartnerId == partner.Id).Select(c => c.Name).FirstOrDefaultAsync(ct);
            if (contactName is null && partner is not null)
            {
                var ofPreviousPartner = !creating && partner.Id != ticket.PartnerId && contactId == ticket.ContactId;
                v.Add("contactId", ofPreviousPartner
                    ? "O contato atual é da entidade anterior: escolha um contato da nova entidade ou deixe sem contato."
                    : "O contato escolhido não pertence a esta entidade.");
            }
        }
        decimal? defaultPrice = null;
        if (input.CatalogItemId is { } itemId)
        {
            var item = await db.CatalogItems.Where(i => i.Id == itemId).Select(i => new { i.Active, i.DefaultPrice }).FirstOrDefaultAsync(ct);
            if (item is null || (!item.Active && itemId != ticket.CatalogItemId))
            {
                v.Add("catalogItemId", "Serviço/produto não encontrado ou inativo.");
            }
            defaultPrice = item?.DefaultPrice;
        }
        var assigneeFound = false;
        foreach (var (field, label, userId) in new[] { ("assigneeId", "Responsável", input.AssigneeId), ("accountManagerId", "Contador", input.AccountManagerId) })
        {
            if (userId is { } uid && !await db.Users.AnyAsync(u => u.Id == uid && u.Active && u.Role != UserRole.Portal, ct))
            {
                v.Add(field, $"{label}: usuário não encontrado ou inativo.");
            }
            else if (userId is not null && field == "assigneeId")
            {
                assigneeFound = true;
            }
        }
        // The assignee is told about the ticket (Notificar, e-mail replies): they must see it, also when the requester changes.
        if (input.AssigneeId is { } assigneeId && assigneeFound && partner is not null
            && (input.AssigneeId != ticket.AssigneeId || partner.WorkspaceId != ticket.WorkspaceId)
            && !await Visibility.UsersWhoSee(db, ticket.PipelineId, partner.WorkspaceId).AnyAsync(u => u.Id == assigneeId, ct))
        {
            v.Add("assigneeId", await Visibility.NoAccess(db, assigneeId, ticket.PipelineId, partner.WorkspaceId, ct));
        }
        await CheckListItem<Channel>(v, "channelId", "Canal", input.ChannelId, ticket.ChannelId, ct);
        await CheckListItem<Category>(v, "categoryId", "Classificação", input.CategoryId, ticket.CategoryId, ct);
        if (input.SubcategoryId is { } subId)
        {
            var categoryOfSub = await db.Subcategories.Where(s => s.Id == subId).Select(s => (long?)s.CategoryId).FirstOrDefaultAsync(ct);
            if (categoryOfSub is null)
            {
                v.Add("subcategoryId", "Sub-classificação não encontrada.");
            }
            else if (categoryOfSub != input.CategoryId)
            {
                v.Add("subcategoryId", "A sub-classificação não pertence à classificação escolhida.");
            }
        }
        var tagIds = (input.TagIds ?? []).Distinct().ToList();
        if (tagIds.Count > 0)
        {
            var known = await db.Tags.Where(t => t.PipelineId == ticket.PipelineId && tagIds.Contains(t.Id)).Select(t => t.Id).ToListAsync(ct);
            if (known.Count != tagIds.Count)
            {
                v.Add("tagIds", "Etiqueta inexistente neste fluxo.");
            }
        }
        v.ThrowIfAny();

        ticket.Title = title;
        ticket.TitleSort = SearchText.Normalize(title);
        ticket.Description = description.Length == 0 ? null : description;
        ticket.PartnerId = partner!.Id;
        ticket.WorkspaceId = partner.WorkspaceId;
        ticket.ContactId = input.ContactId;
        ticket.RequesterName = contactName ?? partner.Name;
        ticket.RequesterSort = SearchText.Normalize(ticket.RequesterName);
        ticket.CatalogItemId = input.CatalogItemId;
        ticket.Value = input.Value ?? (creating ? defaultPrice ?? 0m : ticket.Value);
        ticket.Value = decimal.Round(ticket.Value, 2, MidpointRounding.AwayFromZero);
        if (input.AssigneeId != ticket.AssigneeId)
        {
            ticket.AssigneeSort = input.AssigneeId is { } newAssigneeId
                ? SearchText.Normalize(await db.Users.Where(u => u.Id == newAssigneeId).Select(u => u.Name).FirstAsync(ct))
                : "";
        }
        ticket.AssigneeId = input.AssigneeId;
        ticket.AccountManagerId = creating ? input.AccountManagerId ?? partner.AccountManagerId : input.AccountManagerId;
        ticket.CategoryId = input.CategoryId;
        ticket.SubcategoryId = input.SubcategoryId;
        ticket.ChannelId = input.ChannelId;
        ticket.DueAt = input.DueAt?.ToUniversalTime();
        var current = ticket.Tags.Select(t => t.TagId).ToList();
        ticket.Tags.RemoveAll(t => !tagIds.Contains(t.TagId));
        foreach (var tagId in tagIds.Where(t => !current.Contains(t)))
        {
            ticket.Tags.Add(new TicketTag { TicketId = ticket.Id, TagId = tagId });
        }
        return new Resolved(partner.Name);
    }

    private async Task CheckListItem<T>(Validation v, string field, string label, long? id, long? currentId, CancellationToken ct) where T : ListItem
    {
        if (id is { } value && id != currentId && !await db.Set<T>().AnyAsync(x => x.Id == value && x.Active, ct))
        {
            v.Add(field, $"{label} não encontrado ou inativo.");
        }
    }

    private void Touch(Ticket ticket)
    {
        ticket.UpdatedAt = ticket.EditedAt = Clock.Now();
        ticket.EditedById = caller.UserId;
        ticket.Edited = true;
        ticket.Version++;
    }

    private async Task CheckVersion(Ticket ticket, int presented, CancellationToken ct)
    {
        if (!Versions.Matches(ticket.Version, presented))
        {
            throw await Stale(ticket.Id, ct);
        }
    }

    /// <summary>
    /// "Este atendimento foi alterado por Bruno em 22/11/2026 às 14:30": who made the edit that moved the version, so the user
    /// knows what to reload (an interaction or a file added since moves UpdatedAt, not EditedAt).
    /// </summary>
    private async Task<StaleVersionException> Stale(long ticketId, CancellationToken ct)
    {
        var last = await db.Tickets.AsNoTracking().Where(t => t.Id == ticketId)
            .Select(t => new { t.EditedAt, Name = db.Users.Where(u => u.Id == t.EditedById).Select(u => u.Name).FirstOrDefault() })
            .FirstOrDefaultAsync(ct);
        if (last is null)
        {
            return new StaleVersionException("Este atendimento foi alterado por outra pessoa. Recarregue para ver a versão atual.");
        }
        var local = TimeZoneInfo.ConvertTime(last.EditedAt, await CompanyZone(ct));
        return new StaleVersionException(
            $"Este atendimento foi alterado por {last.Name ?? "outra pessoa"} em {local.ToString("dd/MM/yyyy", PtBr)} às {local.ToString("HH:mm", PtBr)}. Recarregue para ver a versão atual.");
    }

    private async Task Save(Ticket ticket, CancellationToken ct)
    {
        // A ticket that changed pipeline or workspace takes its quotes and purchases along, in the same transaction.
        var entry = db.Entry(ticket);
        var moved = entry.State == EntityState.Modified && (entry.Property(t => t.PipelineId).IsModified || entry.Property(t => t.WorkspaceId).IsModified);
        try
        {
            await using var tx = moved ? await UnitOfWork.Begin(db.Database, ct) : null;
            await db.SaveChangesAsync(ct);
            if (tx is not null)
            {
                await Sales.QuoteService.FollowTicket(db, ticket.Id, ticket.PipelineId, ticket.WorkspaceId, ct);
                await Sales.PurchaseService.FollowTicket(db, ticket.Id, ticket.PipelineId, ticket.WorkspaceId, ct);
                await tx.Commit(ct);
            }
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            throw await Stale(ticket.Id, ct);
        }
    }
}
