using Atende.Core.Common;
using Atende.Core.Partners;
using Atende.Core.Workspaces;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Htmx;

namespace Atende.Web.Pages.Partners;

public sealed class IndexModel(PartnerService partners, WorkspaceService workspaces) : AppPage
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public long? WorkspaceId { get; set; }
    [BindProperty(SupportsGet = true)] public PartnerRoles? Role { get; set; }
    [BindProperty(SupportsGet = true)] public bool? Active { get; set; }
    [BindProperty(SupportsGet = true)] public string? After { get; set; }

    public Page<PartnerRow> Results { get; private set; } = new([], null);
    public List<Workspace> Workspaces { get; private set; } = [];
    public bool Filtered => !string.IsNullOrWhiteSpace(Q) || WorkspaceId is not null || Role is not null || Active is not null;

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        Workspaces = await workspaces.Visible(ct);
        try
        {
            Results = await partners.List(new PartnerFilter(Q, WorkspaceId, Role, Active), After, 50, ct);
        }
        // Not a refusal to show: a mangled "after" link opens the first page.
        catch (ValidationException)
        {
            After = null;
            Results = await partners.List(new PartnerFilter(Q, WorkspaceId, Role, Active), null, 50, ct);
        }
        // htmx (search as you type) swaps only the results.
        return Request.IsHtmx() ? Partial("_PartnerResults", this) : Page();
    }

    public string PageUrl(string? after) => QueryString(("q", Q), ("workspaceId", WorkspaceId?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("role", Role?.ToString()), ("active", Active?.ToString().ToLowerInvariant()), ("after", after));

    public string ExportUrl => "/partners/export" + QueryString(("q", Q), ("workspaceId", WorkspaceId?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("role", Role?.ToString()), ("active", Active?.ToString().ToLowerInvariant()));

    public string ExportXlsxUrl => ExportUrl + (ExportUrl.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "format=xlsx";

    private static string QueryString(params (string Key, string? Value)[] values) =>
        Microsoft.AspNetCore.Http.QueryString.Create(values.Where(v => !string.IsNullOrEmpty(v.Value)).Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).ToString();
}
