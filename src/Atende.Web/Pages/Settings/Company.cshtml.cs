using Atende.Core.Common;
using Atende.Core.Settings;
using Atende.Core.Tickets;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages.Settings;

public sealed class CompanyModel(SettingsService settings, PublicLinks links) : AppPage, IFormPage
{
    [BindProperty] public CompanyInput Input { get; set; } = new();

    /// <summary>True when the address field holds the address of this request as a suggestion, not a saved value.</summary>
    public bool SuggestedUrl { get; private set; }

    /// <summary>True when <c>Atende:PublicUrl</c> sets the address, so the saved one is not used.</summary>
    public bool ConfiguredUrl => links.Configured;

    public string Currency { get; private set; } = "BRL";

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        var company = await settings.Company(ct);
        Input = new CompanyInput
        {
            Name = company.Name, Email = company.Email, TimeZone = company.TimeZone, PublicUrl = company.PublicUrl,
            TaxId = company.TaxId, Phone = company.Phone, Address = company.Address.ToInput(),
        };
        if (company.PublicUrl is null && !links.Configured)
        {
            // Shown only to this admin, in their own browser: the address they reached the Atende at, confirmed by saving.
            Input.PublicUrl = $"{Request.Scheme}://{Request.Host}{Request.PathBase}";
            SuggestedUrl = true;
        }
        Currency = company.Currency;
        return Page();
    }

    public async Task<IActionResult> OnPost(CancellationToken ct)
    {
        await settings.UpdateCompany(Input, ct);
        Flash("Dados da empresa salvos.");
        return Redirect("/settings/company");
    }

    public async Task Redisplay(CancellationToken ct) => Currency = (await settings.Company(ct)).Currency;
}

/// <summary>The time zones offered on the company form: the Brazilian ones first, then every other zone the system knows.</summary>
public static class TimeZoneChoices
{
    public sealed record Choice(string Id, string Label);

    private static readonly (string Id, string Place)[] Brazil =
    [
        ("America/Sao_Paulo", "Brasília, São Paulo, Sul, Sudeste, GO, DF"),
        ("America/Manaus", "Manaus (AM)"),
        ("America/Belem", "Belém (PA, AP)"),
        ("America/Fortaleza", "Fortaleza (CE, RN, PB, MA, PI)"),
        ("America/Recife", "Recife (PE)"),
        ("America/Bahia", "Salvador (BA)"),
        ("America/Cuiaba", "Cuiabá (MT)"),
        ("America/Campo_Grande", "Campo Grande (MS)"),
        ("America/Porto_Velho", "Porto Velho (RO)"),
        ("America/Boa_Vista", "Boa Vista (RR)"),
        ("America/Rio_Branco", "Rio Branco (AC)"),
        ("America/Noronha", "Fernando de Noronha"),
    ];

    private static readonly Lazy<(List<Choice> Brazil, List<Choice> Others)> All = new(Load);

    public static IReadOnlyList<Choice> Brazilian => All.Value.Brazil;

    public static IReadOnlyList<Choice> Others => All.Value.Others;

    private static (List<Choice>, List<Choice>) Load()
    {
        var brazil = Brazil
            .Where(z => TimeZoneInfo.TryFindSystemTimeZoneById(z.Id, out _))
            .Select(z => new Choice(z.Id, $"{z.Place} · {Offset(z.Id)}"))
            .ToList();
        var brazilIds = Brazil.Select(z => z.Id).ToHashSet(StringComparer.Ordinal);
        var others = TimeZoneInfo.GetSystemTimeZones()
            .Where(z => !brazilIds.Contains(z.Id))
            .OrderBy(z => z.Id, StringComparer.Ordinal)
            .Select(z => new Choice(z.Id, $"{z.Id} · {Offset(z.Id)}"))
            .ToList();
        return (brazil, others);
    }

    /// <summary>"UTC−03:00", the zone's offset today.</summary>
    private static string Offset(string id)
    {
        var offset = TimeZoneInfo.FindSystemTimeZoneById(id).GetUtcOffset(DateTimeOffset.UtcNow);
        var sign = offset < TimeSpan.Zero ? "−" : "+";
        return $"UTC{sign}{offset.Duration():hh\\:mm}";
    }

    /// <summary>True when the zone is in one of the two lists (else the form adds it, so a saved value is never lost).</summary>
    public static bool Contains(string? id) =>
        id is not null && (Brazilian.Any(z => z.Id == id) || Others.Any(z => z.Id == id));
}
