namespace Atende.Core.Pipelines;

/// <summary>Fluxo: a sales or service funnel holding tickets. Its alias prefixes the ticket references.</summary>
public class Pipeline
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    /// <summary>Pseudônimo: short upper-case letters/digits, unique; new tickets are referenced ALIAS-n.</summary>
    public string Alias { get; set; } = "";
    public string? Description { get; set; }
    public bool Active { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
    public int Version { get; set; }
    public List<PipelineUser> Users { get; set; } = [];
    public List<Tag> Tags { get; set; } = [];
}

/// <summary>Grants a user (an agent; admins see every pipeline anyway) one pipeline and its tickets.</summary>
public class PipelineUser
{
    public long PipelineId { get; set; }
    public long UserId { get; set; }
}

/// <summary>Etiqueta of a pipeline, ordered by <see cref="Position"/>. The "TODOS" filter is not a row.</summary>
public class Tag
{
    public long Id { get; set; }
    public long PipelineId { get; set; }
    public string Name { get; set; } = "";
    /// <summary>CSS hex color, "#RRGGBB".</summary>
    public string Color { get; set; } = "#6c757d";
    public int Position { get; set; }
    /// <summary>Moves on every edit; an update presents the one it read (If-Match).</summary>
    public int Version { get; set; } = 1;
}

/// <summary>
/// The last number handed out for a reference prefix. Numbers come from here, never from MAX(n)+1, so a reference is
/// never reused: not after a delete, not after an alias moves to another pipeline, not under concurrent creation.
/// </summary>
public class ReferenceCounter
{
    public string Alias { get; set; } = "";
    public long Last { get; set; }
}
