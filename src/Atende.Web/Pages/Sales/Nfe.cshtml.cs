using System.Text.Json;
using Atende.Core.Common;
using Atende.Core.Sales;
using Atende.Core.Settings;
using Atende.Web.Api;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages.Sales;

/// <summary>"Ver dados da NF-e" of a sale: the customer and item data an NF-e needs, the checklist of what is missing, "pronta para emissão" and the JSON export.</summary>
[Authorize(Policy = Auth.StaffPolicy)]
public sealed class NfeModel(QuoteService quotes, SettingsService settings) : AppPage
{
    public NfeData Data { get; private set; } = null!;
    public Quote Quote { get; private set; } = null!;
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public async Task OnGet(long id, CancellationToken ct) => await Load(id, ct);

    /// <summary>The data as the API answers it (<c>GET /api/v1/quotes/{id}/nfe</c>), as a file for the ERP.</summary>
    public async Task<IActionResult> OnGetJson(long id, CancellationToken ct)
    {
        var data = await quotes.Nfe(id, ct);
        var json = JsonSerializer.SerializeToUtf8Bytes(QuotesApi.ToDto(id, data), ApiJson.Options(HttpContext));
        return File(json, "application/json", $"{data.Number}-nfe.json");
    }

    public async Task<IActionResult> OnPostReady(long id, int revision, CancellationToken ct)
    {
        try
        {
            await quotes.MarkReadyForNfe(id, revision, ct);
            Flash("Dados da NF-e conferidos: a venda está pronta para emissão.");
            return RedirectToPage(new { id });
        }
        catch (ValidationException e)
        {
            FlashError("Ainda não: " + string.Join(" ", e.Errors.SelectMany(x => x.Value)));
            return RedirectToPage(new { id });
        }
        catch (Exception e) when (e is ConflictException or StaleVersionException)
        {
            FlashError(e.Message);
            return RedirectToPage(new { id });
        }
    }

    /// <summary>"Desmarcar": the sale is no longer ready for emission while its data is corrected.</summary>
    public async Task<IActionResult> OnPostUnready(long id, int revision, CancellationToken ct)
    {
        try
        {
            await quotes.UnmarkReadyForNfe(id, revision, ct);
            Flash("Desmarcada: a venda não está mais pronta para emissão. Corrija os dados e marque de novo.");
        }
        catch (Exception e) when (e is ConflictException or StaleVersionException)
        {
            FlashError(e.Message);
        }
        return RedirectToPage(new { id });
    }

    private async Task Load(long id, CancellationToken ct)
    {
        Data = await quotes.Nfe(id, ct);
        Quote = await quotes.Get(id, ct);
        Zone = await settings.TimeZone(ct);
    }
}
