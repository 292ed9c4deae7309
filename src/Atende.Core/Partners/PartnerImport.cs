using System.Globalization;
using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Identity;
using Atende.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using ValidationException = Atende.Core.Common.ValidationException;

namespace Atende.Core.Partners;

/// <summary>What an import did (or, in a dry run, would do) with the partner of a row.</summary>
public enum ImportOutcome
{
    Created,
    Updated,
    Unchanged,
    Failed,
}

/// <summary>One row of the file: <see cref="Errors"/> lists every error found in it, not only the first.</summary>
public sealed record ImportRow(int Line, string Partner, string Contact, bool Ok, IReadOnlyList<string> Errors, ImportOutcome Outcome);

/// <summary>
/// The report of an import. Partner counts are per partner (rows of one partner count once); <see cref="ReadAs"/> says how the
/// file was read and <see cref="IgnoredColumns"/> names the columns of its header that are not ours.
/// </summary>
public sealed record ImportReport(
    bool DryRun, int PartnersCreated, int ContactsCreated, int RowsWithErrors, IReadOnlyList<ImportRow> Rows,
    int PartnersUpdated, int PartnersUnchanged, int PartnersWithErrors, int ContactsUpdated,
    SpreadsheetFormat ReadAs, IReadOnlyList<string> IgnoredColumns);

/// <summary>
/// Imports partners and contacts from a spreadsheet laid out as <see cref="PartnerSpreadsheet"/> exports it (CSV or XLSX,
/// see <see cref="Spreadsheet.Read"/>). Consecutive rows of one partner (same Id, or when there is none the same domain, name
/// and code) form one partner. A row whose Id or code is a partner the caller sees updates it: columns the file leaves out keep
/// their values, an empty cell clears a text, and contacts are matched by name (the file's other contacts are added, none is
/// removed). Everything is saved through <see cref="PartnerService"/>, so an import follows the form's rules and raises the
/// same events, and saving what is already there changes nothing. Each partner is saved in its own transaction: a bad row is
/// reported with all its errors and never blocks the good ones. With a dry run nothing is saved.
/// </summary>
public sealed class PartnerImport(AtendeDb db, Caller caller, PartnerService partners)
{
    public const int MaxRows = 20_000;

    private static readonly HashSet<string> KnownColumns = PartnerSpreadsheet.Header.Select(h => SearchText.Normalize(h)).ToHashSet();

    public async Task<ImportReport> Import(byte[] file, long? defaultWorkspaceId, bool dryRun, CancellationToken ct = default)
    {
        caller.RequireStaff();
        var table = Spreadsheet.Read(file, MaxRows);
        var (rows, ignored) = Rows(table);
        var workspaces = await Visibility.Workspaces(db, caller).AsNoTracking().ToListAsync(ct);
        var report = new List<ImportRow>();
        var counts = new Dictionary<ImportOutcome, int>();
        int contactsCreated = 0, contactsUpdated = 0;
        foreach (var group in GroupRows(rows))
        {
            var result = await Save(group, defaultWorkspaceId, workspaces, dryRun, ct);
            counts[result.Outcome] = counts.GetValueOrDefault(result.Outcome) + 1;
            if (result.Outcome != ImportOutcome.Failed)
            {
                contactsCreated += result.ContactsCreated;
                contactsUpdated += result.ContactsUpdated;
            }
            report.AddRange(result.Rows);
        }
        return new ImportReport(dryRun, counts.GetValueOrDefault(ImportOutcome.Created), contactsCreated, report.Count(r => !r.Ok), report,
            counts.GetValueOrDefault(ImportOutcome.Updated), counts.GetValueOrDefault(ImportOutcome.Unchanged), counts.GetValueOrDefault(ImportOutcome.Failed),
            contactsUpdated, table.Format, ignored);
    }

    private sealed record GroupResult(ImportOutcome Outcome, List<ImportRow> Rows, int ContactsCreated, int ContactsUpdated);

    private async Task<GroupResult> Save(List<SheetRow> group, long? defaultWorkspaceId, List<Workspace> workspaces, bool dryRun, CancellationToken ct)
    {
        var first = group[0];
        var errors = new List<string>();
        var rowErrors = group.ToDictionary(r => r.Line, _ => new List<string>());
        var contactRows = group.Where(r => r.Get("Contato").Length > 0 || r.HasContactData).ToList();
        int contactsCreated = 0, contactsUpdated = 0;
        var outcome = ImportOutcome.Failed;
        var partnerName = first.Get("Nome");
        try
        {
            var existing = await Match(first, errors, ct);
            var workspaceId = WorkspaceOf(first, existing, defaultWorkspaceId, workspaces, errors);
            var input = InputOf(first, existing, workspaceId);
            partnerName = input.Name ?? "";
            if (existing is null && errors.Count == 0)
            {
                errors.AddRange(await SameName(input, ct));
            }
            if (errors.Count > 0)
            {
                // Not saved, but every field is still checked so that the row lists all its errors at once.
                await Check(input, skipWorkspace: workspaceId is null, errors, ct);
                await CheckContacts(contactRows, rowErrors, ct);
                return Result();
            }

            // Read before saving: the service changes this same tracked instance.
            var versionBefore = existing?.Version;
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            Partner partner;
            try
            {
                partner = existing is null
                    ? await partners.Create(input, confirmDuplicates: false, ct)
                    : await partners.Update(existing.Id, existing.Version, input, confirmDuplicates: false, ct);
            }
            catch (Exception e) when (IsRefusal(e))
            {
                errors.AddRange(Messages(e));
                await tx.RollbackAsync(ct);
                db.ChangeTracker.Clear();
                await CheckContacts(contactRows, rowErrors, ct);
                return Result();
            }
            var unmatched = existing?.Contacts.OrderBy(c => c.Id).ToList() ?? [];
            foreach (var row in contactRows)
            {
                var name = SearchText.Normalize(row.Get("Contato"));
                var current = name.Length == 0 ? null : unmatched.FirstOrDefault(c => SearchText.Normalize(c.Name) == name);
                try
                {
                    if (current is null)
                    {
                        await partners.AddContact(partner.Id, ContactOf(row, null), confirmDuplicates: true, ct);
                        contactsCreated++;
                    }
                    else
                    {
                        unmatched.Remove(current);
                        var before = current.Version;
                        var saved = await partners.UpdateContact(partner.Id, current.Id, before, ContactOf(row, current), confirmDuplicates: true, ct);
                        contactsUpdated += saved.Version != before ? 1 : 0;
                    }
                }
                catch (Exception e) when (IsRefusal(e))
                {
                    rowErrors[row.Line].AddRange(Messages(e));
                    db.ChangeTracker.Clear();
                }
            }
            if (rowErrors.Values.Any(v => v.Count > 0))
            {
                await tx.RollbackAsync(ct);
                return Result();
            }
            var version = await db.Partners.Where(p => p.Id == partner.Id).Select(p => p.Version).FirstAsync(ct);
            outcome = versionBefore is null ? ImportOutcome.Created : version != versionBefore ? ImportOutcome.Updated : ImportOutcome.Unchanged;
            if (dryRun)
            {
                await tx.RollbackAsync(ct);
            }
            else
            {
                await tx.CommitAsync(ct);
            }
            return Result();
        }
        finally
        {
            db.ChangeTracker.Clear();
        }

        GroupResult Result()
        {
            var failed = outcome == ImportOutcome.Failed;
            var rows = group.Select(row =>
            {
                var messages = (row == first ? errors : []).Concat(rowErrors[row.Line]).Distinct().ToList();
                if (failed && messages.Count == 0)
                {
                    messages.Add("Não importada: outra linha desta entidade tem erro.");
                }
                return new ImportRow(row.Line, partnerName, row.Get("Contato"), !failed, messages, outcome);
            }).ToList();
            return new GroupResult(outcome, rows, contactsCreated, contactsUpdated);
        }
    }

    /// <summary>The visible partner the row names by its Id, else by its code; null for a new one.</summary>
    private async Task<Partner?> Match(SheetRow row, List<string> errors, CancellationToken ct)
    {
        var idText = row.Get("Id");
        if (idText.Length > 0)
        {
            if (long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                && await Visibility.Partners(db, caller).AnyAsync(p => p.Id == id, ct))
            {
                return await partners.Get(id, ct);
            }
            errors.Add($"Id {idText}: entidade não encontrada. Para cadastrar uma entidade nova, deixe a coluna Id vazia.");
            return null;
        }
        var (kind, code, codeError) = TaxId.Parse(row.Get("Código"));
        if (kind == TaxIdKind.None || codeError is not null)
        {
            return null;
        }
        var key = TaxId.DuplicateKey(code);
        var matches = await Visibility.Partners(db, caller).Where(p => p.CodeKey == key).OrderBy(p => p.Id).Select(p => new { p.Id, p.Name }).Take(3).ToListAsync(ct);
        if (matches.Count > 1)
        {
            errors.Add($"O código {code} está em mais de uma entidade ({string.Join(", ", matches.Select(m => m.Name))}): "
                + "preencha a coluna Id para dizer qual atualizar.");
            return null;
        }
        return matches.Count == 1 ? await partners.Get(matches[0].Id, ct) : null;
    }

    /// <summary>Without an Id or code to match, a name already used in the workspace is refused rather than duplicated.</summary>
    private async Task<List<string>> SameName(PartnerInput input, CancellationToken ct)
    {
        if (TaxId.Parse(input.Code).Kind != TaxIdKind.None)
        {
            return [];
        }
        var sortName = SearchText.Normalize(input.Name);
        if (sortName.Length > 0 && await Visibility.Partners(db, caller).AnyAsync(p => p.WorkspaceId == input.WorkspaceId && p.SortName == sortName, ct))
        {
            return [$"Já existe uma entidade chamada \"{SearchText.Clean(input.Name)}\" neste domínio. Para atualizá-la, preencha a coluna Id "
                + "(exporte as entidades para obtê-la) ou o código."];
        }
        return [];
    }

    /// <summary>The row's domain; an empty one keeps the partner's own, or takes the import's default (or the only one).</summary>
    private static long? WorkspaceOf(SheetRow row, Partner? existing, long? defaultWorkspaceId, List<Workspace> workspaces, List<string> errors)
    {
        var name = row.Get("Domínio");
        if (name.Length == 0)
        {
            var id = existing?.WorkspaceId ?? defaultWorkspaceId ?? (workspaces.Count == 1 ? workspaces[0].Id : null);
            if (id is null)
            {
                errors.Add("Domínio: informe o domínio na coluna ou na importação.");
            }
            return id;
        }
        var found = workspaces.FirstOrDefault(w => SearchText.Normalize(w.Name) == SearchText.Normalize(name))?.Id;
        if (found is null)
        {
            errors.Add($"Domínio \"{name}\" inexistente ou sem acesso.");
        }
        return found;
    }

    /// <summary>The partner the row describes: a column the file has sets its field, one it lacks keeps the partner's value.</summary>
    private static PartnerInput InputOf(SheetRow row, Partner? existing, long? workspaceId)
    {
        string Text(string column, string? current) => current is null || row.Has(column) ? row.Get(column) : current;
        bool Flag(string column, bool? current, bool empty) => row.Get(column) is { Length: > 0 } cell ? Yes(cell) : current ?? empty;
        var address = existing?.Address;
        return new PartnerInput
        {
            Name = Text("Nome", existing?.Name), Code = Text("Código", existing?.Code), WorkspaceId = workspaceId,
            Customer = Flag("Cliente", existing?.Roles.HasFlag(PartnerRoles.Customer), true),
            Supplier = Flag("Fornecedor", existing?.Roles.HasFlag(PartnerRoles.Supplier), false),
            Active = Flag("Ativo", existing?.Active, true),
            Notes = Text("Observações", existing?.Notes), StateRegistration = Text("Inscrição estadual", existing?.StateRegistration),
            AccountManagerId = existing?.AccountManagerId,
            Address = new AddressInput
            {
                PostalCode = Text("CEP", address?.PostalCode), Street = Text("Logradouro", address?.Street), Number = Text("Número", address?.Number),
                Complement = Text("Complemento", address?.Complement), District = Text("Bairro", address?.District), City = Text("Cidade", address?.City),
                State = Text("UF", address?.State),
            },
        };
    }

    /// <summary>The contact of a row; for an existing contact, what the file has no column for stays as it is.</summary>
    private static ContactInput ContactOf(SheetRow row, Contact? current)
    {
        var contact = new ContactInput { Name = row.Get("Contato") };
        if (current is not null && !Enumerable.Range(1, 3).Any(i => row.Has($"Telefone {i}")))
        {
            contact.Phones = current.Phones.OrderBy(p => p.Position).Select(p =>
            {
                var (country, area, number) = PhoneRules.Split(p.E164);
                return new PhoneInput { Country = country, AreaCode = area, Number = number, Type = p.Type };
            }).ToList();
        }
        else
        {
            for (var i = 1; i <= 3; i++)
            {
                var text = row.Get($"Telefone {i}");
                if (text.Length == 0)
                {
                    continue;
                }
                var digits = new string(text.Where(char.IsAsciiDigit).ToArray());
                var (country, area, number) = text.StartsWith('+') ? PhoneRules.Split("+" + digits) : ("BR", digits.Length > 2 ? digits[..2] : "", digits.Length > 2 ? digits[2..] : digits);
                var type = SearchText.Normalize(row.Get($"Tipo {i}")).StartsWith('f') ? PhoneType.Fixed : PhoneType.Mobile;
                contact.Phones.Add(new PhoneInput { Country = country, AreaCode = area, Number = number, Type = type });
            }
        }
        contact.Emails = current is not null && !row.Has("E-mails")
            ? current.Emails.OrderBy(e => e.Position).Select(e => (string?)e.Address).ToList()
            : row.Get("E-mails").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries).Select(e => (string?)e).ToList();
        foreach (var network in Enum.GetValues<SocialNetwork>())
        {
            var handle = current is not null && !row.Has(network.ToString())
                ? current.SocialProfiles.FirstOrDefault(s => s.Network == network)?.Handle ?? ""
                : row.Get(network.ToString());
            if (handle.Length > 0)
            {
                contact.SocialProfiles.Add(new SocialProfileInput { Network = network, Handle = handle });
            }
        }
        return contact;
    }

    private async Task Check(PartnerInput input, bool skipWorkspace, List<string> errors, CancellationToken ct)
    {
        try
        {
            await partners.Check(input, ct);
        }
        catch (ValidationException e)
        {
            // An unknown domain is already reported in the import's own words.
            errors.AddRange(e.Errors.Where(x => !(skipWorkspace && x.Key == "workspaceId")).SelectMany(x => x.Value));
        }
    }

    private async Task CheckContacts(List<SheetRow> rows, Dictionary<int, List<string>> rowErrors, CancellationToken ct)
    {
        foreach (var row in rows)
        {
            try
            {
                await partners.CheckContact(ContactOf(row, null), ct);
            }
            catch (ValidationException e)
            {
                rowErrors[row.Line].AddRange(e.Errors.SelectMany(x => x.Value));
            }
        }
    }

    private static bool IsRefusal(Exception e) => e is ValidationException or DuplicateException or StaleVersionException or NotFoundException;

    private static IEnumerable<string> Messages(Exception e) => e is ValidationException v ? v.Errors.SelectMany(x => x.Value) : [e.Message];

    private static bool Yes(string value) => SearchText.Normalize(value) is "sim" or "s" or "x" or "yes" or "true" or "1" or "verdadeiro";

    /// <summary>The file's rows keyed by normalized column name, and the header's columns that are not ours.</summary>
    private static (List<SheetRow> Rows, List<string> Ignored) Rows(SpreadsheetTable table)
    {
        var headers = table.Headers.Select(h => SearchText.Normalize(h)).ToArray();
        if (!headers.Contains("nome") && !headers.Contains("id"))
        {
            throw new ValidationException("file", "Cabeçalho sem a coluna \"Nome\". Exporte as entidades para ver o formato esperado.");
        }
        var ignored = table.Headers.Where(h => h.Trim().Length > 0 && !KnownColumns.Contains(SearchText.Normalize(h))).Select(SearchText.Clean).Distinct().ToList();
        var rows = table.Rows.Select(r =>
        {
            var values = new Dictionary<string, string>();
            for (var i = 0; i < headers.Length; i++)
            {
                if (KnownColumns.Contains(headers[i]))
                {
                    values.TryAdd(headers[i], Spreadsheet.UnsafeCell(SearchText.Clean(i < r.Cells.Count ? r.Cells[i] : "")));
                }
            }
            return new SheetRow(r.Line, values);
        }).Where(r => r.Values.Values.Any(v => v.Length > 0)).ToList();
        return (rows, ignored);
    }

    /// <summary>Consecutive rows with the same Id, or without Id the same domain, name and code, are one partner.</summary>
    private static IEnumerable<List<SheetRow>> GroupRows(List<SheetRow> rows)
    {
        List<SheetRow>? current = null;
        foreach (var row in rows)
        {
            if (current is not null && current[0].Key == row.Key)
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

    private sealed record SheetRow(int Line, Dictionary<string, string> Values)
    {
        public string Get(string column) => Values.GetValueOrDefault(SearchText.Normalize(column), "");

        /// <summary>Whether the file has this column at all (an empty cell of it clears the field).</summary>
        public bool Has(string column) => Values.ContainsKey(SearchText.Normalize(column));

        public string Key => Get("Id") is { Length: > 0 } id
            ? "id:" + id
            : string.Join('\u001f', SearchText.Normalize(Get("Domínio")), SearchText.Normalize(Get("Nome")), SearchText.Normalize(Get("Código")));

        public bool HasContactData => Values.Any(v => v.Value.Length > 0 && (v.Key.StartsWith("telefone", StringComparison.Ordinal) || v.Key == "e-mails"));
    }
}
