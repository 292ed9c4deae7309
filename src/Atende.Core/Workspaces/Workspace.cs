namespace Atende.Core.Workspaces;

/// <summary>A partition of the customer base (UI: Domínio).</summary>
public class Workspace
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public bool Active { get; set; } = true;
}
