using System.Text.RegularExpressions;
using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Pipelines;

public sealed class PipelineInput
{
    public string? Name { get; set; }
    public string? Alias { get; set; }
    public string? Description { get; set; }
    public bool Active { get; set; } = true;
    public List<long> AuthorizedUserIds { get; set; } = [];
}

public sealed class TagInput
{
    public string? Name { get; set; }
    public string? Color { get; set; }
}

/// <summary>A pipeline as a list shows it; with counts, how many tickets it lists and how many active users are authorized on it.</summary>
public sealed record PipelineSummary(long Id, string Name, string Alias, string? Description, bool Active, int? TicketCount, int? UserCount = null);

/// <summary>Pipelines (fluxos) and their tags. Admins manage them; agents see only the pipelines they are authorized on.</summary>
public sealed partial class PipelineService(AtendeDb db, Caller caller, VersionedCache? cache = null)
{
    public const int MaxAliasLength = 10;
    public const int MaxTags = 100;
    public const string DefaultTagColor = "#6c757d";

    /// <summary>Colors offered for new tags, in turn.</summary>
    public static readonly string[] Palette = ["#0d6efd", "#198754", "#dc3545", "#fd7e14", "#6f42c1", "#20c997", "#d63384", "#0dcaf0", "#6c757d", "#ffc107"];

    /// <summary>Pipelines the caller may see, by name, with how many tickets sit in each list (archived and trash excluded).</summary>
    /// <param name="withCounts">Counting reads every ticket of the pipelines: for the pipelines page and API, not for every list.</param>
    public async Task<List<PipelineSummary>> List(bool activeOnly = false, bool withCounts = false, CancellationToken ct = default)
    {
        var query = Visibility.Pipelines(db, caller).AsNoTracking();
        if (activeOnly)
        {
            query = query.Where(p => p.Active);
        }
        var pipelines = await query.OrderBy(p => p.Name).Select(p => new { p.Id, p.Name, p.Alias, p.Description, p.Active }).ToListAsync(ct);
        var ids = pipelines.Select(p => p.Id).ToArray();
        if (!withCounts)
        {
            return pipelines.Select(p => new PipelineSummary(p.Id, p.Name, p.Alias, p.Description, p.Active, null)).ToList();
        }
        // An agent's counts are read from the grants index alone (their workspaces × pipelines, active bin), not row by row.
        var counts = await Visibility.Tickets(db, caller, useGrantsIndex: true)
            .Where(t => ids.Contains(t.PipelineId) && t.Bin == Tickets.TicketBin.Active)
            .GroupBy(t => t.PipelineId)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var userCounts = await db.PipelineUsers
            .Where(g => ids.Contains(g.PipelineId) && db.Users.Any(u => u.Id == g.UserId && u.Active))
            .GroupBy(g => g.PipelineId)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        return pipelines.Select(p => new PipelineSummary(p.Id, p.Name, p.Alias, p.Description, p.Active,
            counts.GetValueOrDefault(p.Id), userCounts.GetValueOrDefault(p.Id))).ToList();
    }

    public async Task<Pipeline> Get(long id, CancellationToken ct = default) =>
        await Visibility.Pipelines(db, caller).Include(p => p.Users).Include(p => p.Tags.OrderBy(t => t.Position).ThenBy(t => t.Id))
            .AsSplitQuery().FirstOrDefaultAsync(p => p.Id == id, ct)
        ?? throw new NotFoundException("Fluxo não encontrado.");

    /// <summary>
    /// A pipeline the caller may see with its tags in order, without its grants (the ticket list and form): whether they may
    /// see it is answered from their grants; the pipeline comes from <see cref="VersionedCache"/> while no pipeline or tag
    /// changed, else in one statement. Shared between requests: read it, never change it.
    /// </summary>
    public async Task<Pipeline> GetWithTags(long id, CancellationToken ct = default)
    {
        if (!Visibility.SeesPipeline(caller, id))
        {
            throw new NotFoundException("Fluxo não encontrado.");
        }
        var load = async () => await db.Pipelines.AsNoTracking().Include(p => p.Tags.OrderBy(t => t.Position).ThenBy(t => t.Id))
            .AsSingleQuery().FirstOrDefaultAsync(p => p.Id == id, ct);
        var pipeline = cache is null ? await load() : await cache.Get(caller, "pipeline-with-tags:" + id.ToString(System.Globalization.CultureInfo.InvariantCulture), load);
        return pipeline ?? throw new NotFoundException("Fluxo não encontrado.");
    }

    public async Task<Pipeline> Create(PipelineInput input, CancellationToken ct = default)
    {
        caller.RequireAdmin();
        var pipeline = new Pipeline { CreatedAt = Clock.Now(), Version = 1 };
        await Apply(pipeline, input, ct);
        db.Pipelines.Add(pipeline);
        await Save(ct);
        return pipeline;
    }

    public async Task<Pipeline> Update(long id, int version, PipelineInput input, CancellationToken ct = default)
    {
        caller.RequireAdmin();
        var pipeline = await Get(id, ct);
        if (!Versions.Matches(pipeline.Version, version))
        {
            throw new StaleVersionException("Este fluxo foi alterado por outra pessoa enquanto você editava. Recarregue e tente de novo.");
        }
        await Apply(pipeline, input, ct);
        pipeline.Version++;
        await Save(ct);
        return pipeline;
    }

    /// <summary>Deletes an empty pipeline; one that still holds tickets (any bin) is refused with their count.</summary>
    public async Task Delete(long id, CancellationToken ct = default)
    {
        caller.RequireAdmin();
        var pipeline = await Get(id, ct);
        var count = await db.Tickets.CountAsync(t => t.PipelineId == id, ct);
        if (count > 0)
        {
            throw new ConflictException(count == 1
                ? $"O fluxo \"{pipeline.Name}\" ainda tem 1 atendimento (contando arquivados e lixeira). Mova-o ou exclua-o antes."
                : $"O fluxo \"{pipeline.Name}\" ainda tem {count} atendimentos (contando arquivados e lixeira). Mova-os ou exclua-os antes.");
        }
        db.Pipelines.Remove(pipeline);
        await db.SaveChangesAsync(ct);
    }

    private async Task Apply(Pipeline pipeline, PipelineInput input, CancellationToken ct)
    {
        var v = new Validation();
        var name = v.Text("name", "Nome do fluxo", input.Name, 100);
        var alias = v.Text("alias", "Pseudônimo", input.Alias, MaxAliasLength).ToUpperInvariant();
        var description = v.Text("description", "Descrição", input.Description, 500, required: false);
        if (alias.Length > 0 && !AliasPattern().IsMatch(alias))
        {
            v.Add("alias", "Pseudônimo deve ter só letras sem acento e números, começando por letra (ex.: VND).");
        }
        var userIds = (input.AuthorizedUserIds ?? []).Distinct().ToList();
        if (userIds.Count > 0)
        {
            var staff = await db.Users.Where(u => userIds.Contains(u.Id) && u.Role != UserRole.Portal).Select(u => u.Id).ToListAsync(ct);
            var unknown = userIds.Except(staff).ToList();
            if (unknown.Count > 0)
            {
                v.Add("authorizedUserIds", $"Usuário inexistente ou do portal: {string.Join(", ", unknown)}.");
            }
        }
        if (name.Length > 0 && await db.Pipelines.AnyAsync(p => p.Id != pipeline.Id && p.Name == name, ct))
        {
            v.Add("name", $"Já existe um fluxo chamado \"{name}\".");
        }
        if (alias.Length > 0 && await db.Pipelines.AnyAsync(p => p.Id != pipeline.Id && p.Alias == alias, ct))
        {
            v.Add("alias", $"O pseudônimo {alias} já é usado por outro fluxo.");
        }
        v.ThrowIfAny();
        pipeline.Name = name;
        pipeline.Alias = alias;
        pipeline.Description = description.Length == 0 ? null : description;
        pipeline.Active = input.Active;
        pipeline.Users.RemoveAll(u => !userIds.Contains(u.UserId));
        foreach (var userId in userIds.Where(id => pipeline.Users.All(u => u.UserId != id)))
        {
            pipeline.Users.Add(new PipelineUser { UserId = userId });
        }
    }

    private async Task Save(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new StaleVersionException("Este fluxo foi alterado por outra pessoa enquanto você editava. Recarregue e tente de novo.");
        }
        catch (DbUpdateException)
        {
            throw new ValidationException("alias", "Nome ou pseudônimo já usado por outro fluxo.");
        }
    }

    // Tags

    public async Task<List<Tag>> Tags(long pipelineId, CancellationToken ct = default)
    {
        await RequireVisible(pipelineId, ct);
        return await db.Tags.AsNoTracking().Where(t => t.PipelineId == pipelineId).OrderBy(t => t.Position).ThenBy(t => t.Id).ToListAsync(ct);
    }

    public async Task<Tag> GetTag(long pipelineId, long tagId, CancellationToken ct = default)
    {
        await RequireVisible(pipelineId, ct);
        return await db.Tags.AsNoTracking().FirstOrDefaultAsync(t => t.Id == tagId && t.PipelineId == pipelineId, ct)
            ?? throw new NotFoundException("Etiqueta não encontrada.");
    }

    /// <summary>Adds a tag at the end. Agents authorized on the pipeline may manage its tags, as they work with them all day.</summary>
    public async Task<Tag> CreateTag(long pipelineId, TagInput input, CancellationToken ct = default)
    {
        await RequireVisible(pipelineId, ct);
        var existing = await db.Tags.Where(t => t.PipelineId == pipelineId).Select(t => new { t.Name, t.Position }).ToListAsync(ct);
        var v = new Validation();
        var name = ValidTagName(v, input.Name, existing.Select(e => e.Name), null);
        if (existing.Count >= MaxTags)
        {
            v.Add("name", $"Um fluxo pode ter no máximo {MaxTags} etiquetas.");
        }
        var color = ValidColor(v, input.Color) ?? Palette[existing.Count % Palette.Length];
        v.ThrowIfAny();
        var tag = new Tag { PipelineId = pipelineId, Name = name, Color = color, Position = existing.Count == 0 ? 1 : existing.Max(e => e.Position) + 1 };
        db.Tags.Add(tag);
        await SaveTag(ct);
        return tag;
    }

    public async Task<Tag> UpdateTag(long pipelineId, long tagId, int version, TagInput input, CancellationToken ct = default)
    {
        await RequireVisible(pipelineId, ct);
        var tag = await db.Tags.FirstOrDefaultAsync(t => t.Id == tagId && t.PipelineId == pipelineId, ct) ?? throw new NotFoundException("Etiqueta não encontrada.");
        Versions.Check(tag.Version, version, StaleTag);
        var v = new Validation();
        if (input.Name is not null)
        {
            var others = await db.Tags.Where(t => t.PipelineId == pipelineId && t.Id != tagId).Select(t => t.Name).ToListAsync(ct);
            tag.Name = ValidTagName(v, input.Name, others, tagId);
        }
        if (input.Color is not null)
        {
            tag.Color = ValidColor(v, input.Color) ?? tag.Color;
        }
        v.ThrowIfAny();
        tag.Version++;
        await SaveTag(ct);
        return tag;
    }

    private const string StaleTag = "Esta etiqueta foi alterada por outra pessoa enquanto você editava. Recarregue e tente de novo.";

    /// <summary>Deletes a tag; tickets simply lose it.</summary>
    public async Task DeleteTag(long pipelineId, long tagId, CancellationToken ct = default)
    {
        await RequireVisible(pipelineId, ct);
        var deleted = await db.Tags.Where(t => t.Id == tagId && t.PipelineId == pipelineId).ExecuteDeleteAsync(ct);
        if (deleted == 0)
        {
            throw new NotFoundException("Etiqueta não encontrada.");
        }
    }

    /// <summary>Sets the order of the pipeline's tags; <paramref name="tagIds"/> must name each of them once.</summary>
    public async Task<List<Tag>> ReorderTags(long pipelineId, IReadOnlyList<long> tagIds, CancellationToken ct = default)
    {
        await RequireVisible(pipelineId, ct);
        var tags = await db.Tags.Where(t => t.PipelineId == pipelineId).ToListAsync(ct);
        if (tagIds.Count != tags.Count || tagIds.Distinct().Count() != tags.Count || tags.Any(t => !tagIds.Contains(t.Id)))
        {
            throw new ValidationException("tagIds", "Informe cada etiqueta do fluxo uma única vez, na nova ordem.");
        }
        foreach (var tag in tags)
        {
            tag.Position = tagIds.ToList().IndexOf(tag.Id) + 1;
        }
        await db.SaveChangesAsync(ct);
        return tags.OrderBy(t => t.Position).ToList();
    }

    public async Task RequireVisible(long pipelineId, CancellationToken ct)
    {
        if (!Visibility.SeesPipeline(caller, pipelineId) || !await db.Pipelines.AnyAsync(p => p.Id == pipelineId, ct))
        {
            throw new NotFoundException("Fluxo não encontrado.");
        }
    }

    /// <summary>Tag names are compared accent- and case-blind; "TODOS" is the all-tickets filter and cannot be a tag.</summary>
    internal static string ValidTagName(Validation v, string? name, IEnumerable<string> others, long? exceptId)
    {
        var clean = v.Text("name", "Nome da etiqueta", name, 50);
        if (clean.Length == 0)
        {
            return clean;
        }
        if (SearchText.Normalize(clean) == "todos")
        {
            v.Add("name", "TODOS é o filtro de todos os atendimentos e não pode ser uma etiqueta.");
        }
        else if (others.Any(o => SearchText.Normalize(o) == SearchText.Normalize(clean)))
        {
            v.Add("name", $"Já existe a etiqueta \"{clean}\" neste fluxo.");
        }
        return clean;
    }

    private static string? ValidColor(Validation v, string? color)
    {
        var clean = SearchText.Clean(color);
        if (clean.Length == 0)
        {
            return null;
        }
        if (!ColorPattern().IsMatch(clean))
        {
            v.Add("color", "Cor deve estar no formato #RRGGBB.");
            return null;
        }
        return clean.ToLowerInvariant();
    }

    private async Task SaveTag(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new StaleVersionException(StaleTag);
        }
        catch (DbUpdateException)
        {
            throw new ValidationException("name", "Já existe uma etiqueta com este nome neste fluxo.");
        }
    }

    [GeneratedRegex("^[A-Z][A-Z0-9]*$")]
    private static partial Regex AliasPattern();

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex ColorPattern();
}
