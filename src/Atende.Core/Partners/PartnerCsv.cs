using System.Globalization;
using System.Text;
using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Identity;
using CsvHelper;
using CsvHelper.Configuration;
using ValidationException = Atende.Core.Common.ValidationException;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Partners;

public sealed record ImportRow(int Line, string Partner, string Contact, bool Ok, IReadOnlyList<string> Errors);
public sealed record ImportReport(bool DryRun, int PartnersCreated, int ContactsCreated, int RowsWithErrors, IReadOnlyList<ImportRow> Rows);

/// <summary>
/// CSV of partners and contacts, one row per contact (a partner without contacts has one row).
/// Written for Excel pt-BR (UTF-8 with BOM, ';'), cells that could start a formula are prefixed with an apostrophe.
/// </summary>
public sealed class PartnerCsv(AtendeDb db, Caller caller, PartnerService partners)
{
    public static readonly string[] Header =
    [
        "Domínio", "Nome", "Código", "Cliente", "Fornecedor", "Ativo", "Observações",
        "Inscrição estadual", "CEP", "Logradouro", "Número", "Complemento", "Bairro", "Cidade", "UF", "Contato",
        "Telefone 1", "Tipo 1", "Telefone 2", "Tipo 2", "Telefone 3", "Tipo 3", "E-mails",
        "Facebook", "Instagram", "LinkedIn", "Telegram", "WhatsApp",
    ];

    private const int MaxImportRows = 20_000;

    public static string FileName() => $"entidades-{DateTime.UtcNow:yyyy-MM-dd}.csv";

    public async Task Export(Stream output, PartnerFilter filter, CancellationToken ct = default)
    {
        caller.RequireStaff();
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true);
        await using var csv = new CsvWriter(writer, Config());
        foreach (var h in Header)
        {
            csv.WriteField(h);
        }
        await csv.NextRecordAsync();
        var workspaces = await db.Workspaces.ToDictionaryAsync(w => w.Id, w => w.Name, ct);
        string? after = null;
        do
        {
            var page = await partners.List(filter, after, 200, ct);
            var ids = page.Items.Select(p => p.Id).ToArray();
            var full = await db.Partners.AsNoTracking().Where(p => ids.Contains(p.Id))
                .Include(p => p.Contacts).ThenInclude(c => c.Phones)
                .Include(p => p.Contacts).ThenInclude(c => c.Emails)
                .Include(p => p.Contacts).ThenInclude(c => c.SocialProfiles)
                .AsSplitQuery().ToDictionaryAsync(p => p.Id, ct);
            foreach (var row in page.Items)
            {
                var p = full[row.Id];
                var contacts = p.Contacts.OrderBy(c => c.Id).ToList();
                foreach (var c in contacts.Count == 0 ? [null] : contacts.Cast<Contact?>())
                {
                    var phones = c?.Phones.OrderBy(x => x.Position).ToList() ?? [];
                    string[] fields =
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
                    ];
                    foreach (var f in fields)
                    {
                        csv.WriteField(SafeCell(f));
                    }
                    await csv.NextRecordAsync();
                }
            }
            after = page.Next;
        }
        while (after is not null);
    }

    /// <summary>Neutralizes cells a spreadsheet would run as a formula (=, +, -, @, tab, CR).</summary>
    public static string SafeCell(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;

    private static string UnsafeCell(string value) =>
        value.Length > 1 && value[0] == '\'' && value[1] is '=' or '+' or '-' or '@' or '\t' or '\r' ? value[1..] : value;

    /// <summary>
    /// Imports rows; consecutive rows with the same domain, name and code form one partner.
    /// Each partner is saved in its own transaction: a bad row is reported and never blocks the good ones.
    /// With <paramref name="dryRun"/> nothing is saved and the report says what would happen.
    /// </summary>
    public async Task<ImportReport> Import(Stream file, long? defaultWorkspaceId, bool dryRun, CancellationToken ct = default)
    {
        caller.RequireStaff();
        var records = await Read(file, ct);
        var workspaces = await Visibility.Workspaces(db, caller).AsNoTracking().ToListAsync(ct);
        var report = new List<ImportRow>();
        int partnersCreated = 0, contactsCreated = 0;
        foreach (var group in GroupRows(records))
        {
            var first = group[0];
            var errors = new List<string>();
            var workspaceName = first.Get("Domínio");
            long? workspaceId = workspaceName.Length == 0
                ? defaultWorkspaceId ?? (workspaces.Count == 1 ? workspaces[0].Id : null)
                : workspaces.FirstOrDefault(w => SearchText.Normalize(w.Name) == SearchText.Normalize(workspaceName))?.Id;
            if (workspaceId is null)
            {
                errors.Add(workspaceName.Length == 0 ? "Domínio: informe o domínio na coluna ou na importação." : $"Domínio \"{workspaceName}\" inexistente ou sem acesso.");
            }
            var input = new PartnerInput
            {
                Name = first.Get("Nome"), Code = first.Get("Código"), WorkspaceId = workspaceId,
                Customer = Yes(first.Get("Cliente"), true), Supplier = Yes(first.Get("Fornecedor"), false),
                Active = Yes(first.Get("Ativo"), true), Notes = first.Get("Observações"),
                StateRegistration = first.Get("Inscrição estadual"),
                Address = new AddressInput
                {
                    PostalCode = first.Get("CEP"), Street = first.Get("Logradouro"), Number = first.Get("Número"), Complement = first.Get("Complemento"),
                    District = first.Get("Bairro"), City = first.Get("Cidade"), State = first.Get("UF"),
                },
            };
            if (errors.Count == 0)
            {
                errors.AddRange(await ExistingPartner(input, ct));
            }
            var rowErrors = group.ToDictionary(r => r.Line, _ => new List<string>());
            var created = 0;
            if (errors.Count == 0)
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                try
                {
                    var partner = await partners.Create(input, confirmDuplicates: false, ct);
                    foreach (var row in group.Where(r => r.Get("Contato").Length > 0 || r.HasContactData))
                    {
                        try
                        {
                            await partners.AddContact(partner.Id, ContactOf(row), confirmDuplicates: true, ct);
                            created++;
                        }
                        catch (ValidationException e)
                        {
                            rowErrors[row.Line].AddRange(e.Errors.SelectMany(x => x.Value));
                            db.ChangeTracker.Clear();
                        }
                    }
                    if (rowErrors.Values.Any(v => v.Count > 0) || dryRun)
                    {
                        await tx.RollbackAsync(ct);
                    }
                    else
                    {
                        await tx.CommitAsync(ct);
                    }
                }
                catch (Exception e) when (e is ValidationException or DuplicateException)
                {
                    await tx.RollbackAsync(ct);
                    errors.AddRange(e is ValidationException v ? v.Errors.SelectMany(x => x.Value) : [e.Message]);
                }
                finally
                {
                    db.ChangeTracker.Clear();
                }
            }
            var failed = errors.Count > 0 || rowErrors.Values.Any(v => v.Count > 0);
            if (!failed)
            {
                partnersCreated++;
                contactsCreated += created;
            }
            foreach (var row in group)
            {
                var messages = errors.Concat(rowErrors[row.Line]).ToList();
                if (failed && messages.Count == 0)
                {
                    messages.Add("Não importada: outra linha desta entidade tem erro.");
                }
                report.Add(new ImportRow(row.Line, input.Name ?? "", row.Get("Contato"), !failed, messages));
            }
        }
        return new ImportReport(dryRun, partnersCreated, contactsCreated, report.Count(r => !r.Ok), report);
    }

    private async Task<List<string>> ExistingPartner(PartnerInput input, CancellationToken ct)
    {
        var (kind, code, _) = TaxId.Parse(input.Code);
        if (kind != TaxIdKind.None)
        {
            var key = TaxId.DuplicateKey(code);
            if (await Visibility.Partners(db, caller).AnyAsync(p => p.CodeKey == key, ct))
            {
                return [$"Já existe uma entidade com o código {code}."];
            }
            return [];
        }
        var sortName = SearchText.Normalize(input.Name);
        if (sortName.Length > 0 && await Visibility.Partners(db, caller).AnyAsync(p => p.WorkspaceId == input.WorkspaceId && p.SortName == sortName, ct))
        {
            return [$"Já existe uma entidade chamada \"{SearchText.Clean(input.Name)}\" neste domínio."];
        }
        return [];
    }

    private static ContactInput ContactOf(CsvRow row)
    {
        var contact = new ContactInput { Name = row.Get("Contato") };
        for (var i = 1; i <= 3; i++)
        {
            var text = row.Get($"Telefone {i}");
            if (text.Length == 0)
            {
                continue;
            }
            var digits = new string(text.Where(char.IsAsciiDigit).ToArray());
            var (country, area, number) = text.TrimStart().StartsWith('+') ? PhoneRules.Split("+" + digits) : ("BR", digits.Length > 2 ? digits[..2] : "", digits.Length > 2 ? digits[2..] : digits);
            var type = SearchText.Normalize(row.Get($"Tipo {i}")).StartsWith('f') ? PhoneType.Fixed : PhoneType.Mobile;
            contact.Phones.Add(new PhoneInput { Country = country, AreaCode = area, Number = number, Type = type });
        }
        contact.Emails = row.Get("E-mails").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries).Select(e => (string?)e).ToList();
        foreach (var network in Enum.GetValues<SocialNetwork>())
        {
            var handle = row.Get(network.ToString());
            if (handle.Length > 0)
            {
                contact.SocialProfiles.Add(new SocialProfileInput { Network = network, Handle = handle });
            }
        }
        return contact;
    }

    private static bool Yes(string value, bool empty)
    {
        var v = SearchText.Normalize(value);
        return v.Length == 0 ? empty : v is "sim" or "s" or "x" or "yes" or "true" or "1";
    }

    private static IEnumerable<List<CsvRow>> GroupRows(List<CsvRow> rows)
    {
        List<CsvRow>? current = null;
        foreach (var row in rows)
        {
            if (current is not null && SameKey(current[0], row))
            {
                current.Add(row);
                continue;
            }
            if (current is not null)
            {
                yield return current;
            }
            current = [row];
        }
        if (current is not null)
        {
            yield return current;
        }
    }

    private static bool SameKey(CsvRow a, CsvRow b) =>
        SearchText.Normalize(a.Get("Domínio")) == SearchText.Normalize(b.Get("Domínio"))
        && SearchText.Normalize(a.Get("Nome")) == SearchText.Normalize(b.Get("Nome"))
        && SearchText.Normalize(a.Get("Código")) == SearchText.Normalize(b.Get("Código"));

    private static async Task<List<CsvRow>> Read(Stream input, CancellationToken ct)
    {
        using var reader = new StreamReader(input, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var text = await reader.ReadToEndAsync(ct);
        var firstLine = text.Split('\n', 2)[0];
        var config = Config();
        config.Delimiter = firstLine.Count(c => c == ';') >= firstLine.Count(c => c == ',') ? ";" : ",";
        using var csv = new CsvReader(new StringReader(text), config);
        if (!await csv.ReadAsync())
        {
            throw new ValidationException("file", "Arquivo vazio: a primeira linha deve ter os cabeçalhos (Domínio;Nome;Código;…).");
        }
        csv.ReadHeader();
        var headers = (csv.HeaderRecord ?? []).Select(h => SearchText.Normalize(h)).ToArray();
        if (!headers.Contains("nome"))
        {
            throw new ValidationException("file", "Cabeçalho sem a coluna \"Nome\". Exporte uma planilha para ver o formato esperado.");
        }
        var rows = new List<CsvRow>();
        while (await csv.ReadAsync())
        {
            if (rows.Count >= MaxImportRows)
            {
                throw new ValidationException("file", $"O arquivo pode ter no máximo {MaxImportRows} linhas; divida-o em partes.");
            }
            var values = new Dictionary<string, string>();
            for (var i = 0; i < headers.Length; i++)
            {
                values[headers[i]] = UnsafeCell(SearchText.Clean(csv.GetField(i)));
            }
            if (values.Values.All(v => v.Length == 0))
            {
                continue;
            }
            rows.Add(new CsvRow(csv.Parser.RawRow, values));
        }
        return rows;
    }

    private static CsvConfiguration Config() => new(CultureInfo.GetCultureInfo("pt-BR"))
    {
        Delimiter = ";",
        HasHeaderRecord = true,
        MissingFieldFound = null,
        BadDataFound = null,
        DetectColumnCountChanges = false,
        TrimOptions = TrimOptions.Trim,
    };

    private sealed record CsvRow(int Line, Dictionary<string, string> Values)
    {
        public string Get(string header) => Values.GetValueOrDefault(SearchText.Normalize(header), "");

        public bool HasContactData => Values.Any(v => v.Value.Length > 0 && (v.Key.StartsWith("telefone", StringComparison.Ordinal) || v.Key == "e-mails"));
    }
}
