using Atende.Core.Common;
using Atende.Core.Partners;
using Atende.Core.Workspaces;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages.Partners;

/// <summary>CSV import in two steps: a preview (nothing saved, per-row report), then the import of the good rows.</summary>
public sealed class ImportModel(PartnerCsv csv, WorkspaceService workspaces) : AppPage
{
    public const long MaxFileBytes = 3 * 1024 * 1024;

    [BindProperty] public long? WorkspaceId { get; set; }
    /// <summary>The uploaded file's text, carried from the preview to the confirmation.</summary>
    [BindProperty] public string? CsvText { get; set; }
    [BindProperty] public string? FileName { get; set; }

    public List<Workspace> Workspaces { get; private set; } = [];
    public ImportReport? Report { get; private set; }

    public async Task OnGet(CancellationToken ct) => Workspaces = await workspaces.Visible(ct);

    public async Task<IActionResult> OnPostPreview(IFormFile? file, CancellationToken ct)
    {
        Workspaces = await workspaces.Visible(ct);
        if (file is null || file.Length == 0)
        {
            ModelState.AddModelError("file", "Escolha um arquivo CSV.");
            return Page();
        }
        if (file.Length > MaxFileBytes)
        {
            ModelState.AddModelError("file", "O arquivo pode ter no máximo 3 MB.");
            return Page();
        }
        using var reader = new StreamReader(file.OpenReadStream(), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        CsvText = await reader.ReadToEndAsync(ct);
        FileName = Path.GetFileName(file.FileName);
        return await Run(dryRun: true, ct);
    }

    public async Task<IActionResult> OnPostImport(CancellationToken ct)
    {
        Workspaces = await workspaces.Visible(ct);
        if (string.IsNullOrEmpty(CsvText))
        {
            ModelState.AddModelError("file", "Envie o arquivo novamente.");
            return Page();
        }
        var result = await Run(dryRun: false, ct);
        if (Report is { } report)
        {
            Flash($"Importação concluída: {report.PartnersCreated} entidades e {report.ContactsCreated} contatos criados"
                + (report.RowsWithErrors > 0 ? $"; {report.RowsWithErrors} linhas com erro não foram importadas (veja abaixo)." : "."));
            if (report.RowsWithErrors == 0)
            {
                return Redirect("/partners");
            }
        }
        return result;
    }

    private async Task<IActionResult> Run(bool dryRun, CancellationToken ct)
    {
        try
        {
            await using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(CsvText!));
            Report = await csv.Import(stream, WorkspaceId, dryRun, ct);
        }
        // Every refusal of the file is shown on the file field, whatever Core names.
        catch (ValidationException e)
        {
            foreach (var message in e.Errors.SelectMany(x => x.Value))
            {
                ModelState.AddModelError("file", message);
            }
        }
        return Page();
    }
}
