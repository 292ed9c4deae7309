using System.Net.Mail;
using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Events;
using Atende.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Partners;

/// <summary>Partners and their contacts, always scoped to the caller's workspaces.</summary>
public sealed class PartnerService(AtendeDb db, Caller caller, EventLog events)
{
    public const int MaxPhones = 3;
    public const int MaxSocialProfiles = 5;
    public const int MaxEmails = 20;

    /// <summary>Words shorter than this are too common to search as substrings (see <see cref="Search"/>).</summary>
    public const int MinSubstringLength = 3;

    /// <summary>Up to this many search matches are sorted directly instead of walking the name index (PostgreSQL).</summary>
    private const int FewMatches = 2000;

    /// <summary>
    /// The partners this staff service works on: <see cref="Visibility.Partners"/>, for staff only. A Portal caller is refused
    /// here (the customer portal reads its own partner through <see cref="Visibility"/>), so no staff list, search or export
    /// can show a Portal user anything.
    /// </summary>
    private IQueryable<Partner> Visible()
    {
        caller.RequireStaff();
        return Visibility.Partners(db, caller);
    }

    public async Task<Page<PartnerRow>> List(PartnerFilter filter, string? after, int limit = 50, CancellationToken ct = default)
    {
        var ordered = await InNameOrder(Filtered(filter), filter.Q, after, ct);
        var page = await ordered
            .Select(p => new
            {
                p.SortName,
                Row = new PartnerRow(
                    p.Id, p.Name, p.Code, p.WorkspaceId,
                    db.Workspaces.Where(w => w.Id == p.WorkspaceId).Select(w => w.Name).First(),
                    p.Roles, p.Active, p.AccountManagerId,
                    db.Users.Where(u => u.Id == p.AccountManagerId).Select(u => u.Name).FirstOrDefault(),
                    p.Contacts.Count,
                    p.Contacts.OrderBy(c => c.Id).Select(c => c.Name).FirstOrDefault()),
            })
            .ToPageAsync(limit, r => new Cursor(r.SortName, r.Row.Id), ct);
        return page.Map(r => r.Row);
    }

    /// <summary>
    /// A page of partners with only the columns the spreadsheet shows (same filter, visibility, order and cursor as
    /// <see cref="List"/>): the export's pages.
    /// </summary>
    internal async Task<Page<Partner>> ListForSheet(PartnerFilter filter, string? after, int limit, CancellationToken ct = default)
    {
        var ordered = await InNameOrder(Filtered(filter), filter.Q, after, ct);
        var page = await ordered
            .Select(p => new
            {
                p.SortName,
                Row = new Partner
                {
                    Id = p.Id, WorkspaceId = p.WorkspaceId, Name = p.Name, Code = p.Code, Roles = p.Roles, Active = p.Active, Notes = p.Notes,
                    StateRegistration = p.StateRegistration, Address = p.Address,
                },
            })
            .ToPageAsync(limit, r => new Cursor(r.SortName, r.Row.Id), ct);
        return page.Map(r => r.Row);
    }

    /// <summary>How many partners the list of <paramref name="filter"/> holds (all pages): the same visible, searched query.</summary>
    public Task<int> Count(PartnerFilter filter, CancellationToken ct = default) => Filtered(filter).CountAsync(ct);

    /// <summary>The partners the caller may see that match the filter, in no order.</summary>
    private IQueryable<Partner> Filtered(PartnerFilter filter)
    {
        var query = Search(Visible(), filter.Q);
        if (filter.WorkspaceId is { } workspaceId)
        {
            query = query.Where(p => p.WorkspaceId == workspaceId);
        }
        if (filter.Role is { } role && role != PartnerRoles.None)
        {
            var roleValue = role;
            query = query.Where(p => (p.Roles & roleValue) == roleValue);
        }
        if (filter.Active is { } active)
        {
            query = query.Where(p => p.Active == active);
        }
        return query;
    }

    /// <summary>
    /// A partner query (already searched with <paramref name="q"/> and filtered) in list order, (SortName, Id), after the
    /// keyset cursor <paramref name="after"/>.
    /// </summary>
    internal async Task<IQueryable<Partner>> InNameOrder(IQueryable<Partner> query, string? q, string? after, CancellationToken ct)
    {
        var cursor = Cursor.Decode(after);
        var sortMatchesOnly = false;
        if (db.IsPostgres && SearchTerms(q).Any(t => t.Length >= MinSubstringLength))
        {
            // When a search matches few rows that sit together in name order ("Padaria …"), walking the name index
            // filters most of the table (130 ms at 100k, see bench/README.md). Fetch the matches first through the
            // trigram index; when they are few, sort just those.
            var matches = await query.Select(p => p.Id).Take(FewMatches + 1).ToListAsync(ct);
            if (matches.Count <= FewMatches)
            {
                query = db.Partners.Where(p => matches.Contains(p.Id));
                sortMatchesOnly = true;
            }
        }
        if (cursor is not null)
        {
            // "name >= key AND (name > key OR id > last)", not "name > key OR (name = key AND id > last)": PostgreSQL starts the
            // index scan at the key only for the first form; with the second it filtered every row before the page (22 ms
            // at row 60,000 of 100,000 instead of 0.2 ms; the export's 500 pages took 25 s).
            query = query.Where(p => string.Compare(p.SortName, cursor.Key) >= 0 && (string.Compare(p.SortName, cursor.Key) > 0 || p.Id > cursor.Id));
        }
        // Same order either way; "SortName || ''" only keeps PostgreSQL from walking the name index for a few ids.
        return sortMatchesOnly ? query.OrderBy(p => p.SortName + "").ThenBy(p => p.Id) : query.OrderBy(p => p.SortName).ThenBy(p => p.Id);
    }

    /// <summary>
    /// Accent- and case-blind substring search over name, code, contact names, e-mails and phones.
    /// Each word must match; words made of digits and separators match digits only, so
    /// "(11) 98765-4321" finds "+5511987654321" and "529.982" finds the CPF 529.982.247-25. Words of one or two
    /// characters are left out ("joao da silva" searches "joao" and "silva"); a query made only of them finds names
    /// that start with it.
    /// </summary>
    internal IQueryable<Partner> Search(IQueryable<Partner> query, string? q)
    {
        var terms = SearchTerms(q);
        var indexed = terms.Where(t => t.Length >= MinSubstringLength).ToList();
        if (indexed.Count == 0)
        {
            // One- and two-letter words are in almost every row and no trigram index can narrow them: a query made
            // only of them lists the names that start with it, read in order from the (SortName, Id) index.
            var prefix = SearchText.Normalize(q);
            if (prefix.Length == 0)
            {
                return query;
            }
            var upper = prefix[..^1] + (char)(prefix[^1] + 1);
            return query.Where(p => string.Compare(p.SortName, prefix) >= 0 && string.Compare(p.SortName, upper) < 0);
        }
        if (db.IsPostgres)
        {
            // The GIN gin_trgm_ops index on SearchText answers LIKE '%term%'.
            foreach (var term in indexed)
            {
                var pattern = "%" + term + "%";
                query = query.Where(p => EF.Functions.Like(p.SearchText, pattern));
            }
            return query;
        }
        // SQLite: the FTS5 trigram table PartnerSearch (see the SQLite migration). A quoted phrase MATCH is a substring
        // search answered from the index alone; LIKE would make FTS5 re-read and re-check every candidate row of the
        // external-content table Partners, 5-40x slower on common words (see bench/README.md).
        var match = string.Join(" AND ", indexed.Select(t => "\"" + t.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
        var ids = db.Database.SqlQuery<long>($"SELECT rowid AS \"Value\" FROM PartnerSearch WHERE PartnerSearch MATCH {match}");
        return query.Where(p => ids.Contains(p.Id));
    }

    internal static List<string> SearchTerms(string? q)
    {
        var terms = new List<string>();
        foreach (var word in SearchText.Normalize(q).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var isNumberLike = word.Any(char.IsAsciiDigit) && word.All(c => char.IsAsciiDigit(c) || ".-/()+".Contains(c));
            var term = isNumberLike
                ? new string(word.Where(char.IsAsciiDigit).ToArray())
                : new string(word.Where(c => c is not ('%' or '_' or '\\')).ToArray());
            if (term.Length > 0 && !terms.Contains(term))
            {
                terms.Add(term);
            }
        }
        return terms.Take(8).ToList();
    }

    public async Task<Partner> Get(long id, CancellationToken ct = default)
    {
        var partner = await Visible()
            .Include(p => p.Contacts.OrderBy(c => c.Id)).ThenInclude(c => c.Phones.OrderBy(x => x.Position))
            .Include(p => p.Contacts).ThenInclude(c => c.Emails.OrderBy(x => x.Position))
            .Include(p => p.Contacts).ThenInclude(c => c.SocialProfiles)
            .AsSplitQuery()
            .FirstOrDefaultAsync(p => p.Id == id, ct);
        return partner ?? throw new NotFoundException("Entidade não encontrada.");
    }

    public async Task<Partner> Create(PartnerInput input, bool confirmDuplicates = false, CancellationToken ct = default)
    {
        caller.RequireStaff();
        var partner = new Partner { CreatedAt = Clock.Now() };
        await Apply(partner, input, confirmDuplicates, ct);
        partner.UpdatedAt = partner.CreatedAt;
        partner.Version = 1;
        await using var tx = await UnitOfWork.Begin(db.Database, ct);
        db.Partners.Add(partner);
        await db.SaveChangesAsync(ct);
        await Raise(partner, EventTypes.PartnerCreated, ct);
        await db.SaveChangesAsync(ct);
        await tx.Commit(ct);
        return partner;
    }

    public async Task<Partner> Update(long id, int version, PartnerInput input, bool confirmDuplicates = false, CancellationToken ct = default)
    {
        caller.RequireStaff();
        var partner = await Get(id, ct);
        CheckVersion(partner.Version, version);
        var (oldWorkspaceId, oldName) = (partner.WorkspaceId, partner.Name);
        await Apply(partner, input, confirmDuplicates, ct);
        if (!db.ChangeTracker.HasChanges())
        {
            // Saving what is already there (a form saved as it was, a spreadsheet imported again) changes nothing: no new
            // version, no partner.updated.
            return partner;
        }
        await Touch(partner, ct);
        if (partner.WorkspaceId == oldWorkspaceId && partner.Name == oldName)
        {
            await Save(ct);
            return partner;
        }
        // The partner's tickets and conversations carry its workspace (they are scoped by it) and its name (requester,
        // search text, the agenda): they follow it, in one transaction.
        await using var tx = await UnitOfWork.Begin(db.Database, ct);
        await Save(ct);
        await Tickets.TicketService.FollowPartner(db, partner, ct);
        await Sales.QuoteService.FollowPartner(db, partner.Id, partner.WorkspaceId, ct);
        await Sales.PurchaseService.FollowPartner(db, partner.Id, partner.WorkspaceId, ct);
        var (workspaceId, name) = (partner.WorkspaceId, partner.Name);
        await db.Conversations.Where(c => c.PartnerId == id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.WorkspaceId, workspaceId).SetProperty(c => c.PartnerName, name), ct);
        await tx.Commit(ct);
        return partner;
    }

    public async Task<Contact> AddContact(long partnerId, ContactInput input, bool confirmDuplicates = false, CancellationToken ct = default)
    {
        caller.RequireStaff();
        var partner = await Get(partnerId, ct);
        var contact = new Contact { PartnerId = partner.Id, CreatedAt = Clock.Now(), Version = 1 };
        contact.UpdatedAt = contact.CreatedAt;
        await ApplyContact(contact, input, confirmDuplicates, ct);
        partner.Contacts.Add(contact);
        await Touch(partner, ct);
        await Save(ct);
        return contact;
    }

    public async Task<Contact> UpdateContact(long partnerId, long contactId, int version, ContactInput input, bool confirmDuplicates = false, CancellationToken ct = default)
    {
        caller.RequireStaff();
        var partner = await Get(partnerId, ct);
        var contact = partner.Contacts.FirstOrDefault(c => c.Id == contactId) ?? throw new NotFoundException("Contato não encontrado.");
        CheckVersion(contact.Version, version);
        var oldName = contact.Name;
        await ApplyContact(contact, input, confirmDuplicates, ct);
        if (!db.ChangeTracker.HasChanges())
        {
            return contact;
        }
        contact.Version++;
        contact.UpdatedAt = Clock.Now();
        await Touch(partner, ct);
        if (contact.Name == oldName)
        {
            await Save(ct);
            return contact;
        }
        // The contact's tickets show its name as their requester: they follow it, in one transaction.
        await using var tx = await UnitOfWork.Begin(db.Database, ct);
        await Save(ct);
        await Tickets.TicketService.FollowContact(db, partner, contactId, contact, ct);
        await tx.Commit(ct);
        return contact;
    }

    public async Task RemoveContact(long partnerId, long contactId, CancellationToken ct = default)
    {
        caller.RequireStaff();
        var partner = await Get(partnerId, ct);
        var contact = partner.Contacts.FirstOrDefault(c => c.Id == contactId) ?? throw new NotFoundException("Contato não encontrado.");
        partner.Contacts.Remove(contact);
        db.Contacts.Remove(contact);
        await Touch(partner, ct);
        // The contact's tickets get the partner as their requester first (deleting the contact would only clear their
        // contact), then the contact goes, in one transaction.
        await using var tx = await UnitOfWork.Begin(db.Database, ct);
        await Tickets.TicketService.FollowContact(db, partner, contactId, null, ct);
        await Save(ct);
        await tx.Commit(ct);
    }

    /// <summary>
    /// Checks a partner as <see cref="Create"/> and <see cref="Update"/> would (all field errors at once, as a
    /// <see cref="ValidationException"/>), saving nothing: for an import that reports every error of a row it cannot save.
    /// </summary>
    public async Task Check(PartnerInput input, CancellationToken ct = default)
    {
        caller.RequireStaff();
        await Apply(new Partner(), input, confirmDuplicates: true, ct);
    }

    /// <summary>Checks a contact as <see cref="AddContact"/> would, saving nothing (see <see cref="Check"/>).</summary>
    public async Task CheckContact(ContactInput input, CancellationToken ct = default)
    {
        caller.RequireStaff();
        await ApplyContact(new Contact(), input, confirmDuplicates: true, ct);
    }

    /// <summary>Other visible partners already using this code (for the duplicate warning).</summary>
    public async Task<List<DuplicateWarning>> FindDuplicateCode(string code, long? exceptPartnerId, CancellationToken ct = default)
    {
        var (kind, normalized, _) = TaxId.Parse(code);
        if (kind == TaxIdKind.None)
        {
            return [];
        }
        var key = TaxId.DuplicateKey(normalized);
        var label = kind switch { TaxIdKind.Cpf => "CPF", TaxIdKind.Cnpj => "CNPJ", _ => "código" };
        var matches = await Visible()
            .Where(p => p.CodeKey == key && p.Id != exceptPartnerId)
            .OrderBy(p => p.Id).Take(5)
            .Select(p => new { p.Id, p.Name })
            .ToListAsync(ct);
        return matches.Select(m => new DuplicateWarning("code", $"O {label} {normalized} já está cadastrado em \"{m.Name}\".", m.Id, m.Name)).ToList();
    }

    private async Task Apply(Partner partner, PartnerInput input, bool confirmDuplicates, CancellationToken ct)
    {
        var v = new Validation();
        var name = v.Text("name", "Nome", input.Name, 200);
        var notes = v.Text("notes", "Observações", input.Notes, 4000, required: false);
        var (kind, code, codeError) = TaxId.Parse(input.Code);
        if (codeError is not null)
        {
            v.Add("code", codeError);
        }
        var (stateRegistration, stateRegistrationError) = StateRegistrationRules.Parse(input.StateRegistration);
        if (stateRegistrationError is not null)
        {
            v.Add("stateRegistration", stateRegistrationError);
        }
        var address = PostalAddress.Validate(input.Address, v);
        if (input.WorkspaceId is not { } workspaceId)
        {
            v.Add("workspaceId", "Domínio é obrigatório.");
        }
        else if (!Visibility.SeesWorkspace(caller, workspaceId) || !await db.Workspaces.AnyAsync(w => w.Id == workspaceId, ct))
        {
            v.Add("workspaceId", "Domínio inexistente ou sem acesso para você.");
        }
        var roles = (input.Customer ? PartnerRoles.Customer : PartnerRoles.None) | (input.Supplier ? PartnerRoles.Supplier : PartnerRoles.None);
        if (roles == PartnerRoles.None)
        {
            v.Add("roles", "Marque ao menos um papel: cliente ou fornecedor.");
        }
        if (input.AccountManagerId is { } managerId
            && !await db.Users.AnyAsync(u => u.Id == managerId && u.Active && u.Role != UserRole.Portal, ct))
        {
            v.Add("accountManagerId", "Responsável pela conta deve ser um usuário ativo da equipe.");
        }
        v.ThrowIfAny();

        if (!confirmDuplicates && kind != TaxIdKind.None && TaxId.DuplicateKey(code) != partner.CodeKey)
        {
            var duplicates = await FindDuplicateCode(code, partner.Id == 0 ? null : partner.Id, ct);
            if (duplicates.Count > 0)
            {
                throw new DuplicateException(duplicates);
            }
        }

        partner.Name = name;
        partner.SortName = SearchText.Normalize(name);
        partner.Notes = notes;
        partner.Code = code;
        partner.CodeKey = TaxId.DuplicateKey(code);
        partner.StateRegistration = stateRegistration;
        partner.Address = address;
        partner.WorkspaceId = input.WorkspaceId!.Value;
        partner.Roles = roles;
        partner.AccountManagerId = input.AccountManagerId;
        partner.Active = input.Active;
        partner.SearchText = BuildSearchText(partner);
    }

    private async Task ApplyContact(Contact contact, ContactInput input, bool confirmDuplicates, CancellationToken ct)
    {
        var v = new Validation();
        var name = v.Text("name", "Nome do contato", input.Name, 200);

        var phoneInputs = input.Phones.Where(p => !string.IsNullOrWhiteSpace(p.Number) || !string.IsNullOrWhiteSpace(p.AreaCode)).ToList();
        if (phoneInputs.Count > MaxPhones)
        {
            v.Add("phones", $"Um contato pode ter no máximo {MaxPhones} telefones.");
        }
        var phones = new List<ContactPhone>();
        for (var i = 0; i < phoneInputs.Count && i < MaxPhones; i++)
        {
            var p = phoneInputs[i];
            var (e164, error) = PhoneRules.Normalize(p.Country, p.AreaCode, p.Number, p.Type);
            if (error is not null)
            {
                v.Add($"phones[{i}]", $"Telefone {i + 1}: {error}");
            }
            else if (phones.Any(x => x.E164 == e164))
            {
                v.Add($"phones[{i}]", $"Telefone {i + 1}: número repetido neste contato.");
            }
            else
            {
                phones.Add(new ContactPhone { E164 = e164!, Type = p.Type, Position = phones.Count });
            }
        }

        var emails = new List<ContactEmail>();
        var emailInputs = input.Emails.Select(SearchText.Clean).Where(e => e.Length > 0).ToList();
        if (emailInputs.Count > MaxEmails)
        {
            v.Add("emails", $"Um contato pode ter no máximo {MaxEmails} e-mails.");
        }
        for (var i = 0; i < emailInputs.Count; i++)
        {
            var address = emailInputs[i];
            if (!IsValidEmail(address))
            {
                v.Add($"emails[{i}]", $"E-mail inválido: \"{Shorten(address)}\".");
            }
            else if (emails.Any(e => e.AddressKey == address.ToLowerInvariant()))
            {
                v.Add($"emails[{i}]", $"E-mail repetido neste contato: {address}.");
            }
            else
            {
                emails.Add(new ContactEmail { Address = address, AddressKey = address.ToLowerInvariant(), Position = emails.Count });
            }
        }

        var profiles = new List<SocialProfile>();
        var profileInputs = input.SocialProfiles.Where(s => s.Network is not null || !string.IsNullOrWhiteSpace(s.Handle)).ToList();
        if (profileInputs.Count > MaxSocialProfiles)
        {
            v.Add("socialProfiles", $"Um contato pode ter no máximo {MaxSocialProfiles} redes sociais.");
        }
        for (var i = 0; i < profileInputs.Count; i++)
        {
            var s = profileInputs[i];
            var handle = SearchText.Clean(s.Handle);
            if (s.Network is not { } network)
            {
                v.Add($"socialProfiles[{i}]", $"Rede social {i + 1}: escolha a rede.");
            }
            else if (handle.Length == 0)
            {
                v.Add($"socialProfiles[{i}]", $"Rede social {i + 1}: informe o identificador no {network}.");
            }
            else if (handle.Length > 100)
            {
                v.Add($"socialProfiles[{i}]", $"Rede social {i + 1}: o identificador pode ter no máximo 100 caracteres.");
            }
            else if (profiles.Any(p => p.Network == network))
            {
                v.Add($"socialProfiles[{i}]", $"Só pode haver um perfil de {network} por contato.");
            }
            else
            {
                profiles.Add(new SocialProfile { Network = network, Handle = handle });
            }
        }
        v.ThrowIfAny();

        if (!confirmDuplicates)
        {
            var duplicates = await FindContactDuplicates(contact.Id, emails.Select(e => e.AddressKey).ToArray(), phones.Select(p => p.E164).ToArray(), ct);
            if (duplicates.Count > 0)
            {
                throw new DuplicateException(duplicates);
            }
        }

        contact.Name = name;
        ReplaceChildren(contact.Phones, phones, (a, b) => a.E164 == b.E164 && a.Type == b.Type && a.Position == b.Position);
        ReplaceChildren(contact.Emails, emails, (a, b) => a.Address == b.Address && a.Position == b.Position);
        ReplaceChildren(contact.SocialProfiles, profiles, (a, b) => a.Network == b.Network && a.Handle == b.Handle);
    }

    /// <summary>Keeps unchanged child rows, removes the others and adds the new ones.</summary>
    private void ReplaceChildren<T>(List<T> current, List<T> wanted, Func<T, T, bool> same) where T : class
    {
        foreach (var old in current.Where(c => !wanted.Any(w => same(c, w))).ToList())
        {
            current.Remove(old);
            db.Remove(old);
        }
        foreach (var item in wanted.Where(w => !current.Any(c => same(c, w))))
        {
            current.Add(item);
        }
    }

    private async Task<List<DuplicateWarning>> FindContactDuplicates(long contactId, string[] emailKeys, string[] phones, CancellationToken ct)
    {
        var warnings = new List<DuplicateWarning>();
        var visibleIds = Visible().Select(p => p.Id);
        if (emailKeys.Length > 0)
        {
            var hits = await db.ContactEmails
                .Where(e => emailKeys.Contains(e.AddressKey) && e.ContactId != contactId)
                .Join(db.Contacts, e => e.ContactId, c => c.Id, (e, c) => new { e.Address, c.PartnerId, ContactName = c.Name })
                .Where(x => visibleIds.Contains(x.PartnerId))
                .Join(db.Partners, x => x.PartnerId, p => p.Id, (x, p) => new { x.Address, x.ContactName, p.Id, p.Name })
                .Take(10).ToListAsync(ct);
            warnings.AddRange(hits.Select(h => new DuplicateWarning("emails", $"O e-mail {h.Address} já está no contato \"{h.ContactName}\" de \"{h.Name}\".", h.Id, h.Name)));
        }
        if (phones.Length > 0)
        {
            var hits = await db.ContactPhones
                .Where(p => phones.Contains(p.E164) && p.ContactId != contactId)
                .Join(db.Contacts, e => e.ContactId, c => c.Id, (e, c) => new { e.E164, c.PartnerId, ContactName = c.Name })
                .Where(x => visibleIds.Contains(x.PartnerId))
                .Join(db.Partners, x => x.PartnerId, p => p.Id, (x, p) => new { x.E164, x.ContactName, p.Id, p.Name })
                .Take(10).ToListAsync(ct);
            warnings.AddRange(hits.Select(h => new DuplicateWarning("phones", $"O telefone {PhoneRules.Display(h.E164)} já está no contato \"{h.ContactName}\" de \"{h.Name}\".", h.Id, h.Name)));
        }
        return warnings;
    }

    public static string BuildSearchText(Partner partner) => SearchText.Build(
        new[] { partner.Name, partner.Code, partner.CodeKey }
            .Concat(partner.Contacts.SelectMany(c =>
                new[] { c.Name }
                    .Concat(c.Emails.Select(e => e.Address))
                    .Concat(c.Phones.Select(p => p.E164.TrimStart('+'))))));

    /// <summary>
    /// A change of the partner or of one of its contacts: search text, time and version, and partner.updated (raised once here,
    /// saved with the change).
    /// </summary>
    private async Task Touch(Partner partner, CancellationToken ct)
    {
        partner.SearchText = BuildSearchText(partner);
        partner.UpdatedAt = Clock.Now();
        partner.Version++;
        await Raise(partner, EventTypes.PartnerUpdated, ct);
    }

    private async Task Raise(Partner partner, string type, CancellationToken ct) =>
        await events.Raise(type, EventSubject.Of(partner), events.Json.Partner(partner), caller.UserId, ct);

    private async Task Save(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new StaleVersionException("Esta entidade foi alterada por outra pessoa enquanto você editava. Recarregue e tente de novo.");
        }
    }

    private static void CheckVersion(int current, int presented) =>
        Versions.Check(current, presented, "Esta entidade foi alterada por outra pessoa enquanto você editava. Recarregue e tente de novo.");

    public static bool IsValidEmail(string address)
    {
        if (address.Length > 254 || address.Contains(' ', StringComparison.Ordinal) || !MailAddress.TryCreate(address, out var parsed))
        {
            return false;
        }
        var at = address.LastIndexOf('@');
        return parsed.Address == address && at > 0 && address.IndexOf('.', at) > at + 1 && !address.EndsWith('.');
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
