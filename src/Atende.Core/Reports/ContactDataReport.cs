using System.Globalization;
using System.Text;
using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Identity;
using Atende.Core.Partners;
using Atende.Core.Settings;
using Atende.Core.Tickets;
using Microsoft.EntityFrameworkCore;
using ValidationException = Atende.Core.Common.ValidationException;

namespace Atende.Core.Reports;

/// <summary>One ticket of the contact-data report.</summary>
public sealed record ContactDataRow(
    long TicketId,
    string Reference,
    string Title,
    string PartnerName,
    string ContactName,
    IReadOnlyList<string> Phones,
    IReadOnlyList<string> Emails,
    FirstInteraction? First);

/// <summary>A ticket's first interaction: its text (plain), who wrote it and when.</summary>
public sealed record FirstInteraction(string Text, string AuthorName, DateTimeOffset At);

/// <summary>The report: its rows in the order asked, and the company time zone its dates are shown in.</summary>
public sealed record ContactData(IReadOnlyList<ContactDataRow> Rows, TimeZoneInfo Zone);

/// <summary>
/// "Relatórios → Dados do contato" (seed 003): for tickets picked on a list, each one's reference, title, partner, contact
/// name, phones and e-mails, and its first interaction; on screen, as text, CSV (Excel pt-BR) or XLSX. Only tickets the
/// caller sees are in it (the list's own rule, <see cref="Visibility.Tickets"/>); the others are left out as if not asked.
/// Read in four statements whatever the number of tickets (tickets, phones, e-mails, first interactions).
/// </summary>
public sealed class ContactDataReport(AtendeDb db, Caller caller, SettingsService settings, TicketService tickets)
{
    /// <summary>The most tickets one report holds ("selecionar todos os N do filtro" stops there).</summary>
    public const int MaxTickets = 1000;

    private static readonly CultureInfo PtBr = CultureInfo.GetCultureInfo("pt-BR");

    public static readonly string[] Header =
        ["Referência", "Título", "Entidade", "Contato", "Telefones", "E-mails", "Primeira interação", "Autor", "Data"];

    /// <summary>The report of <paramref name="ids"/> (in that order, repeated ids once).</summary>
    public Task<ContactData> Build(IReadOnlyCollection<long> ids, CancellationToken ct = default) =>
        ids.Count == 0 ? throw new ValidationException("ids", "Selecione ao menos um atendimento.") : Rows(ids, ct);

    /// <summary>
    /// The report of a list's filter: its first <see cref="MaxTickets"/> tickets in the list's order (none is not an
    /// error: the filter may hold nothing), and how many it holds in all ("os primeiros 1.000 dos 4.321 do filtro").
    /// </summary>
    public async Task<(ContactData Report, int Total)> Build(TicketFilter filter, CancellationToken ct = default)
    {
        var (ids, total) = await IdsOf(filter, ct);
        return (await Rows(ids, ct), total);
    }

    private async Task<ContactData> Rows(IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        caller.RequireStaff();
        var wanted = ids.Distinct().ToList();
        if (wanted.Count > MaxTickets)
        {
            throw new ValidationException("ids",
                $"O relatório aceita até {MaxTickets.ToString("N0", PtBr)} atendimentos (foram {wanted.Count.ToString("N0", PtBr)}). Refine o filtro.");
        }
        var found = await Visibility.Tickets(db, caller)
            .Where(t => wanted.Contains(t.Id))
            .Select(t => new
            {
                t.Id, t.Reference, t.Title, t.ContactId, t.RequesterName,
                PartnerName = db.Partners.Where(p => p.Id == t.PartnerId).Select(p => p.Name).FirstOrDefault() ?? "",
                ContactName = db.Contacts.Where(c => c.Id == t.ContactId).Select(c => c.Name).FirstOrDefault(),
            })
            .ToDictionaryAsync(t => t.Id, ct);
        var contactIds = found.Values.Where(t => t.ContactId is not null).Select(t => t.ContactId!.Value).Distinct().ToList();
        var phones = (await db.ContactPhones.Where(p => contactIds.Contains(p.ContactId)).OrderBy(p => p.ContactId).ThenBy(p => p.Position)
                .Select(p => new { p.ContactId, p.E164 }).ToListAsync(ct))
            .ToLookup(p => p.ContactId, p => PhoneRules.DisplayNational(p.E164));
        var emails = (await db.ContactEmails.Where(e => contactIds.Contains(e.ContactId)).OrderBy(e => e.ContactId).ThenBy(e => e.Position)
                .Select(e => new { e.ContactId, e.Address }).ToListAsync(ct))
            .ToLookup(e => e.ContactId, e => e.Address);
        var ticketIds = found.Keys.ToList();
        var firsts = await db.Interactions.Where(i => ticketIds.Contains(i.TicketId))
            .GroupBy(i => i.TicketId)
            .Select(g => g.OrderBy(i => i.CreatedAt).ThenBy(i => i.Id).Select(i => new
            {
                i.TicketId, i.Body, i.CreatedAt, i.FromName, i.FromAddress,
                Author = db.Users.Where(u => u.Id == i.AuthorId).Select(u => u.Name).FirstOrDefault(),
            }).First())
            .ToDictionaryAsync(i => i.TicketId, ct);
        var rows = new List<ContactDataRow>(found.Count);
        foreach (var id in wanted)
        {
            if (!found.TryGetValue(id, out var t))
            {
                continue;
            }
            var contact = t.ContactId ?? 0;
            var first = firsts.GetValueOrDefault(id) is { } i
                ? new FirstInteraction(RichText.PlainText(i.Body), i.Author ?? i.FromName ?? i.FromAddress ?? "", i.CreatedAt)
                : null;
            rows.Add(new ContactDataRow(t.Id, t.Reference, t.Title, t.PartnerName, t.ContactName ?? t.RequesterName,
                [.. phones[contact]], [.. emails[contact]], first));
        }
        return new ContactData(rows, await settings.TimeZone(ct));
    }

    /// <summary>
    /// The ids of the first <see cref="MaxTickets"/> tickets of a list's filter, in its order, and how many the filter
    /// holds in all ("selecionar todos os N do filtro").
    /// </summary>
    private async Task<(IReadOnlyList<long> Ids, int Total)> IdsOf(TicketFilter filter, CancellationToken ct)
    {
        var total = await tickets.Count(filter, ct);
        var ids = new List<long>(Math.Min(total, MaxTickets));
        string? after = null;
        while (ids.Count < MaxTickets)
        {
            var page = await tickets.List(filter, after, Math.Min(Keyset.MaxLimit, MaxTickets - ids.Count), ct);
            ids.AddRange(page.Items.Select(t => t.Id));
            if (page.Next is null)
            {
                break;
            }
            after = page.Next;
        }
        return (ids, total);
    }

    /// <summary>"22/11/2026 14:30" in the company's zone.</summary>
    public static string When(DateTimeOffset at, TimeZoneInfo zone) => ZoneTime.ToLocal(at, zone).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);

    public static string FileName(string extension) => $"dados-do-contato-{DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.{extension}";

    /// <summary>Plain text: one block per ticket, separated by a line, readable in any editor or pasted into an e-mail.</summary>
    public static async Task WriteText(Stream output, ContactData report, CancellationToken ct = default)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\r\n" };
        foreach (var row in report.Rows)
        {
            await writer.WriteLineAsync($"{row.Reference} — {row.Title}");
            await writer.WriteLineAsync($"Entidade: {row.PartnerName}");
            await writer.WriteLineAsync($"Contato: {Or(row.ContactName)}");
            await writer.WriteLineAsync($"Telefones: {Or(string.Join(" / ", row.Phones))}");
            await writer.WriteLineAsync($"E-mails: {Or(string.Join(" / ", row.Emails))}");
            if (row.First is { } first)
            {
                await writer.WriteLineAsync($"Primeira interação ({Or(first.AuthorName)}, {When(first.At, report.Zone)}):");
                await writer.WriteLineAsync(first.Text);
            }
            else
            {
                await writer.WriteLineAsync("Primeira interação: —");
            }
            await writer.WriteLineAsync(new string('-', 60));
            ct.ThrowIfCancellationRequested();
        }
    }

    /// <summary>CSV for Excel pt-BR (<see cref="Spreadsheet.WriteCsv"/>).</summary>
    public static Task WriteCsv(Stream output, ContactData report, CancellationToken ct = default) =>
        Spreadsheet.WriteCsv(output, Header, report.Rows.Select(row => Cells(row, row.First is { } f ? When(f.At, report.Zone) : "")).ToAsyncEnumerable(), ct);

    /// <summary>
    /// XLSX (<see cref="XlsxWriter"/>): text cells for text (a phone "(11) 98765-4321" stays as typed, without a leading
    /// quote, and nothing is ever a formula), the first interaction's date a real date cell in the company's zone.
    /// </summary>
    public static Task WriteXlsx(Stream output, ContactData report, CancellationToken ct = default) =>
        XlsxWriter.Write(output, "Dados do contato", Header,
            report.Rows.Select(row => Cells(row, row.First is { } f ? ZoneTime.ToLocal(f.At, report.Zone).DateTime : null)), ct);

    private static object?[] Cells(ContactDataRow row, object? firstAt) =>
    [
        row.Reference, row.Title, row.PartnerName, row.ContactName, string.Join(" / ", row.Phones), string.Join(" / ", row.Emails),
        row.First?.Text ?? "", row.First?.AuthorName ?? "", firstAt,
    ];

    private static string Or(string text) => text.Length == 0 ? "—" : text;
}
