using System.Globalization;
using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Identity;
using Microsoft.EntityFrameworkCore;
using ValidationException = Atende.Core.Common.ValidationException;

namespace Atende.Core.Partners;

public enum SpreadsheetExportFormat
{
    Csv,
    Xlsx,
}

/// <summary>
/// Partners and contacts as a spreadsheet, one row per contact (a partner without contacts has one row), in the order and
/// filter of the list. CSV for Excel pt-BR (UTF-8 with BOM, ';', cells that could start a formula prefixed with an
/// apostrophe) or XLSX (typed cells: text stays text, so codes, CEPs and phones keep their zeros; the id is a number).
/// <see cref="PartnerImport"/> reads both back: the Id column makes a re-import update the same partners.
/// </summary>
public sealed class PartnerSpreadsheet(AtendeDb db, Caller caller, PartnerService partners)
{
    public static readonly string[] Header =
    [
        "Domínio", "Nome", "Código", "Cliente", "Fornecedor", "Ativo", "Observações",
        "Inscrição estadual", "CEP", "Logradouro", "Número", "Complemento", "Bairro", "Cidade", "UF", "Contato",
        "Telefone 1", "Tipo 1", "Telefone 2", "Tipo 2", "Telefone 3", "Tipo 3", "E-mails",
        "Facebook", "Instagram", "LinkedIn", "Telegram", "WhatsApp", "Id",
    ];

    public static string FileName(SpreadsheetExportFormat format = SpreadsheetExportFormat.Csv) =>
        $"entidades-{DateTime.UtcNow:yyyy-MM-dd}.{(format == SpreadsheetExportFormat.Xlsx ? "xlsx" : "csv")}";

    public static string ContentType(SpreadsheetExportFormat format) =>
        format == SpreadsheetExportFormat.Xlsx ? Spreadsheet.XlsxContentType : "text/csv; charset=utf-8";

    /// <summary>"csv" (or nothing) and "xlsx", in any case; anything else is refused on <c>format</c>.</summary>
    public static SpreadsheetExportFormat ParseFormat(string? format) => format?.ToLowerInvariant() switch
    {
        null or "" or "csv" => SpreadsheetExportFormat.Csv,
        "xlsx" => SpreadsheetExportFormat.Xlsx,
        _ => throw new ValidationException("format", "Formato de exportação deve ser csv ou xlsx."),
    };

    public Task Export(Stream output, PartnerFilter filter, SpreadsheetExportFormat format, CancellationToken ct = default) =>
        format == SpreadsheetExportFormat.Xlsx ? ExportXlsx(output, filter, ct) : ExportCsv(output, filter, ct);

    /// <summary>CSV for Excel pt-BR (<see cref="Spreadsheet.WriteCsv"/>), streamed page by page.</summary>
    public Task ExportCsv(Stream output, PartnerFilter filter, CancellationToken ct = default)
    {
        caller.RequireStaff();
        return Spreadsheet.WriteCsv(output, Header, Rows(filter, ct), ct);
    }

    /// <summary>XLSX (<see cref="XlsxWriter"/>), streamed page by page: memory stays flat whatever the number of partners.</summary>
    public Task ExportXlsx(Stream output, PartnerFilter filter, CancellationToken ct = default)
    {
        caller.RequireStaff();
        return XlsxWriter.Write(output, "Entidades", Header, Rows(filter, ct), ct);
    }

    /// <summary>
    /// The rows of <see cref="Header"/>, read 200 partners at a time in the list's order and visibility
    /// (<see cref="PartnerService.ListForSheet"/>), then their contacts, phones, e-mails and profiles in four plain reads of
    /// only what the sheet shows, each with one array parameter (EF Core's split Include built a delegate per page: 100,000
    /// partners took 35 s; one parameter per id, 15 s).
    /// </summary>
    private async IAsyncEnumerable<object?[]> Rows(PartnerFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var workspaces = await db.Workspaces.ToDictionaryAsync(w => w.Id, w => w.Name, ct);
        string? after = null;
        do
        {
            // Measured at 100,000 partners (bench/README.md): PostgreSQL is fastest with 500 partners a round trip, SQLite (no
            // round trip) with 200.
            var page = await partners.ListForSheet(filter, after, db.IsPostgres ? 500 : 200, ct);
            var ids = page.Items.Select(p => p.Id).ToArray();
            var contacts = (await db.Contacts.Where(c => EF.Parameter(ids).Contains(c.PartnerId))
                .Select(c => new Contact { Id = c.Id, PartnerId = c.PartnerId, Name = c.Name }).ToListAsync(ct)).ToLookup(c => c.PartnerId);
            var contactIds = contacts.SelectMany(g => g).Select(c => c.Id).ToArray();
            var phonesOf = (await db.ContactPhones.Where(x => EF.Parameter(contactIds).Contains(x.ContactId))
                .Select(x => new ContactPhone { ContactId = x.ContactId, E164 = x.E164, Type = x.Type, Position = x.Position }).ToListAsync(ct)).ToLookup(x => x.ContactId);
            var emailsOf = (await db.ContactEmails.Where(x => EF.Parameter(contactIds).Contains(x.ContactId))
                .Select(x => new ContactEmail { ContactId = x.ContactId, Address = x.Address, Position = x.Position }).ToListAsync(ct)).ToLookup(x => x.ContactId);
            var profilesOf = (await db.SocialProfiles.Where(x => EF.Parameter(contactIds).Contains(x.ContactId))
                .Select(x => new SocialProfile { ContactId = x.ContactId, Network = x.Network, Handle = x.Handle }).ToListAsync(ct)).ToLookup(x => x.ContactId);
            foreach (var p in page.Items)
            {
                var ofPartner = contacts[p.Id].OrderBy(c => c.Id).ToList();
                foreach (var c in ofPartner.Count == 0 ? [null] : ofPartner.Cast<Contact?>())
                {
                    if (c is not null)
                    {
                        c.Phones = [.. phonesOf[c.Id]];
                        c.Emails = [.. emailsOf[c.Id]];
                        c.SocialProfiles = [.. profilesOf[c.Id]];
                    }
                    var phones = c?.Phones.OrderBy(x => x.Position).ToList() ?? [];
                    yield return
                    [
                        workspaces.GetValueOrDefault(p.WorkspaceId, ""), p.Name, p.Code,
                        p.Roles.HasFlag(PartnerRoles.Customer) ? "Sim" : "Não", p.Roles.HasFlag(PartnerRoles.Supplier) ? "Sim" : "Não",
                        p.Active ? "Sim" : "Não", p.Notes,
                        p.StateRegistration, p.Address.PostalCode, p.Address.Street, p.Address.Number, p.Address.Complement,
                        p.Address.District, p.Address.City, p.Address.State,
                        c?.Name ?? "",
                        .. Enumerable.Range(0, 3).SelectMany(i => i < phones.Count
                            ? new[] { PhoneRules.Display(phones[i].E164), phones[i].Type == PhoneType.Mobile ? "Móvel" : "Fixo" }
                            : ["", ""]),
                        string.Join(", ", c?.Emails.OrderBy(e => e.Position).Select(e => e.Address) ?? []),
                        .. Enum.GetValues<SocialNetwork>().Select(n => c?.SocialProfiles.FirstOrDefault(s => s.Network == n)?.Handle ?? ""),
                        p.Id,
                    ];
                }
            }
            after = page.Next;
        }
        while (after is not null);
    }
}
