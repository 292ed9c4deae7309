namespace Atende.Core.Workspaces;

/// <summary>A partition of the customer base (UI: Domínio).</summary>
public class Workspace
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public bool Active { get; set; } = true;
    /// <summary>Moves on every edit; an update presents the one it read (If-Match).</summary>
    public int Version { get; set; } = 1;
}
