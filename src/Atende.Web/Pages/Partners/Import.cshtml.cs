using Atende.Core.Common;
using Atende.Core.Partners;
using Atende.Core.Workspaces;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages.Partners;

/// <summary>
/// Spreadsheet import (CSV or XLSX) in two steps: a preview (nothing saved, per-row report), then the import of the good
/// partners. The uploaded file travels from the preview to the confirmation in a hidden field (base64), so the server keeps
/// nothing between the two.
/// The confirmation posts it as multipart (no percent-encoding): base64 of <see cref="Spreadsheet.MaxBytes"/> (3 MiB) is
/// exactly 4 MiB, the default limit of a form value (a page attribute cannot raise it: anti-forgery reads the form first).
/// </summary>
public sealed class ImportModel(PartnerImport import, WorkspaceService workspaces) : AppPage
{
    [BindProperty] public long? WorkspaceId { get; set; }
    /// <summary>The uploaded file (base64), carried from the preview to the confirmation.</summary>
    [BindProperty] public string? FileContent { get; set; }
    [BindProperty] public string? FileName { get; set; }

    public List<Workspace> Workspaces { get; private set; } = [];
    public ImportReport? Report { get; private set; }

    public async Task OnGet(CancellationToken ct) => Workspaces = await workspaces.Visible(ct);

    public async Task<IActionResult> OnPostPreview(IFormFile? file, CancellationToken ct)
    {
        Workspaces = await workspaces.Visible(ct);
        if (file is null || (file.Length == 0 && string.IsNullOrEmpty(file.FileName)))
        {
            ModelState.AddModelError("file", "Escolha um arquivo CSV ou XLSX.");
            return Page();
        }
        FileName = Path.GetFileName(file.FileName);
        try
        {
            if (file.Length > Spreadsheet.MaxBytes)
            {
                throw Spreadsheet.TooLarge();
            }
            await using var stream = file.OpenReadStream();
            var bytes = await Spreadsheet.ReadUpload(stream, ct);
            FileContent = Convert.ToBase64String(bytes);
            await Run(bytes, dryRun: true, ct);
        }
        catch (ValidationException e)
        {
            ShowOnFile(e);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostImport(CancellationToken ct)
    {
        Workspaces = await workspaces.Visible(ct);
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(FileContent ?? "");
        }
        catch (FormatException)
        {
            bytes = [];
        }
        if (bytes.Length == 0)
        {
            ModelState.AddModelError("file", "Envie o arquivo novamente.");
            return Page();
        }
        try
        {
            await Run(bytes, dryRun: false, ct);
        }
        catch (ValidationException e)
        {
            ShowOnFile(e);
            return Page();
        }
        var report = Report!;
        Flash($"Importação concluída: {Summary(report)}"
            + (report.RowsWithErrors > 0 ? $"; {report.RowsWithErrors} linhas com erro não foram importadas (veja abaixo)." : "."));
        return report.RowsWithErrors == 0 ? Redirect("/partners") : Page();
    }

    private async Task Run(byte[] bytes, bool dryRun, CancellationToken ct) =>
        Report = await import.Import(bytes, WorkspaceId, dryRun, ct);

    /// <summary>Every refusal of the file is shown on the file field, whatever Core names.</summary>
    private void ShowOnFile(ValidationException e)
    {
        foreach (var message in e.Errors.SelectMany(x => x.Value))
        {
            ModelState.AddModelError("file", message);
        }
    }

    /// <summary>"1 nova, 2 atualizadas, 3 sem alteração, 0 com erro; contatos: 2 novos, 0 atualizados".</summary>
    public static string Summary(ImportReport r) =>
        $"{Count(r.PartnersCreated, "nova", "novas")}, {Count(r.PartnersUpdated, "atualizada", "atualizadas")}, "
        + $"{r.PartnersUnchanged} sem alteração, {r.PartnersWithErrors} com erro; "
        + $"contatos: {Count(r.ContactsCreated, "novo", "novos")}, {Count(r.ContactsUpdated, "atualizado", "atualizados")}";

    public static string Count(int n, string one, string many) => $"{n} {(n == 1 ? one : many)}";
}
