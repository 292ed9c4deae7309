using Atende.Core.Data;
using Atende.Core.Partners;
using Bogus;
using Bogus.Extensions.Brazil;

namespace Atende.Bench;

/// <summary>
/// Makes believable Brazilian partners (people with a CPF, companies with a CNPJ) with 1-3 contacts, valid mobile
/// phones and e-mails, with every derived column filled exactly as <see cref="PartnerService"/> fills it.
/// Deterministic for a given seed. Not thread-safe.
/// </summary>
public sealed class FakePartners
{
    // Real area codes (DDD); São Paulo, Rio and Belo Horizonte weigh more, as in a real customer base.
    private static readonly string[] AreaCodes =
    [
        "11", "11", "11", "11", "11", "21", "21", "21", "31", "31", "41", "51", "61", "71", "81", "85", "19", "12", "13", "14",
        "15", "16", "17", "18", "22", "24", "27", "28", "32", "33", "34", "35", "37", "38", "42", "43", "44", "45", "46", "47",
        "48", "49", "53", "54", "55", "62", "63", "64", "65", "66", "67", "68", "69", "73", "74", "75", "77", "79", "82", "83",
        "84", "86", "87", "88", "89", "91", "92", "93", "94", "95", "96", "97", "98", "99",
    ];

    // Common Brazilian names the Bogus pt_BR lists lack, many with accents (the search must ignore them).
    private static readonly string[] ExtraFirstNames =
    [
        "José", "Antônio", "Francisco", "Conceição", "Luís", "Sebastião", "Raimundo", "Débora", "Letícia", "Vinícius", "Tânia",
        "Flávia", "Cláudio", "Valéria", "Mônica", "Patrícia", "Sérgio", "Rogério", "Andréia", "Fátima", "Luíza", "Caio",
        "Benedito", "Lúcia", "Inês", "Estêvão", "Joaquim", "Tereza", "Aurélio", "Graça",
    ];

    private static readonly string[] ExtraLastNames =
    [
        "Gonçalves", "Araújo", "Conceição", "Fernandes", "Gomes", "Ribeiro", "Rodrigues", "Alves", "Lima", "Ferreira", "Rocha",
        "Dias", "Mendes", "Cardoso", "Teixeira", "Nascimento", "Azevedo", "Simões", "Guimarães", "Magalhães", "Brandão", "Falcão",
        "Assunção", "Patrício", "Santana", "Sá", "Luz", "Câmara", "Peçanha", "Caetano", "Lopes", "Vieira", "Monteiro",
    ];

    private static readonly string[] Segments =
    [
        "Açúcar", "Padaria", "Panificadora", "Distribuidora de Açúcar", "Comércio de Alimentos", "Farmácia", "Construtora",
        "Cerâmica", "Açougue", "Auto Peças", "Papelaria", "Ótica", "Clínica Odontológica", "Escritório Contábil", "Mercearia",
        "Confecções", "Laticínios", "Móveis", "Transportes", "Informática", "Calçados", "Materiais de Construção", "Pet Shop",
        "Salão de Beleza", "Hortifrúti", "Restaurante", "Lanchonete", "Sorveteria", "Vidraçaria", "Serralheria", "Gráfica",
        "Imobiliária", "Academia", "Colégio", "Café", "Doceria", "Pizzaria", "Oficina Mecânica", "Engenharia", "Agropecuária",
    ];

    private static readonly string[] CompanySuffixes = ["Ltda.", "Ltda.", "Ltda.", "ME", "EIRELI", "S.A.", "EPP", ""];

    private static readonly string[] PersonalDomains =
        ["gmail.com", "gmail.com", "gmail.com", "hotmail.com", "outlook.com", "yahoo.com.br", "uol.com.br", "bol.com.br", "terra.com.br"];

    private readonly Faker _f;

    public FakePartners(int seed)
    {
        _f = new Faker("pt_BR") { Random = new Randomizer(seed) };
    }

    public Partner Next(long workspaceId, long? accountManagerId, DateTimeOffset now)
    {
        var isCompany = _f.Random.Bool(0.65f);
        var created = now - TimeSpan.FromMinutes(_f.Random.Int(0, 5 * 365 * 24 * 60));
        var updated = created + TimeSpan.FromMinutes(_f.Random.Int(0, (int)(now - created).TotalMinutes));
        var partner = new Partner
        {
            WorkspaceId = workspaceId,
            Roles = _f.Random.WeightedRandom(
                [PartnerRoles.Customer, PartnerRoles.Customer | PartnerRoles.Supplier, PartnerRoles.Supplier], [0.85f, 0.10f, 0.05f]),
            AccountManagerId = accountManagerId,
            Active = _f.Random.Bool(0.95f),
            Notes = _f.Random.Bool(0.2f) ? "Cliente desde " + created.Year + "." : "",
            CreatedAt = created,
            UpdatedAt = updated,
            Version = 1,
        };

        string rawCode;
        string domain;
        string? personFirst = null;
        string? personLast = null;
        if (isCompany)
        {
            partner.Name = CompanyName();
            rawCode = _f.Random.Bool(0.9f) ? _f.Company.Cnpj() : "";
            var firstWord = SearchText.Normalize(partner.Name.Split(' ')[0]);
            domain = new string(firstWord.Where(char.IsAsciiLetterOrDigit).ToArray()) + _f.PickRandom(".com.br", ".com.br", ".com", ".net.br");
        }
        else
        {
            personFirst = FirstName();
            personLast = _f.Random.Bool(0.5f) ? $"{LastName()} {LastName()}" : LastName();
            partner.Name = $"{personFirst} {personLast}";
            // Cpf() is cached per Person (so Faker.Person would repeat it): one (cheap) Person per partner.
            rawCode = _f.Random.Bool(0.9f) ? new CpfPerson(_f.Random.Int()).Cpf() : "";
            domain = _f.PickRandom(PersonalDomains);
        }

        var (_, code, error) = TaxId.Parse(rawCode);
        if (error is not null)
        {
            throw new InvalidOperationException($"Bogus made an invalid code '{rawCode}': {error}");
        }
        partner.Code = code;
        partner.CodeKey = TaxId.DuplicateKey(code);
        partner.SortName = SearchText.Normalize(partner.Name);

        var contactCount = _f.Random.Int(1, 3);
        for (var c = 0; c < contactCount; c++)
        {
            var (first, last) = c == 0 && personFirst is not null ? (personFirst, personLast!) : (FirstName(), LastName());
            var contact = new Contact
            {
                Name = $"{first} {last}",
                CreatedAt = created,
                UpdatedAt = updated,
                Version = 1,
            };
            var area = _f.PickRandom(AreaCodes);
            contact.Phones.Add(Phone(area, PhoneType.Mobile, 0));
            if (isCompany && c == 0 && _f.Random.Bool(0.4f))
            {
                contact.Phones.Add(Phone(area, PhoneType.Fixed, 1));
            }
            else if (_f.Random.Bool(0.15f))
            {
                contact.Phones.Add(Phone(area, PhoneType.Mobile, 1));
            }

            var local = EmailLocal(first, last);
            contact.Emails.Add(Email(isCompany ? local : local + (_f.Random.Bool(0.5f) ? _f.Random.Int(1, 99).ToString(System.Globalization.CultureInfo.InvariantCulture) : ""), domain, 0));
            if (_f.Random.Bool(0.2f))
            {
                contact.Emails.Add(Email(local, _f.PickRandom(PersonalDomains), 1));
            }
            if (_f.Random.Bool(0.15f))
            {
                contact.SocialProfiles.Add(new SocialProfile { Network = SocialNetwork.Instagram, Handle = "@" + local.Replace(".", "_", StringComparison.Ordinal) });
            }
            partner.Contacts.Add(contact);
        }

        partner.SearchText = PartnerService.BuildSearchText(partner);
        return partner;
    }

    private string FirstName() => _f.Random.Bool(0.3f) ? _f.PickRandom(ExtraFirstNames) : _f.Name.FirstName();

    private string LastName() => _f.Random.Bool(0.4f) ? _f.PickRandom(ExtraLastNames) : _f.Name.LastName();

    private string CompanyName()
    {
        var name = _f.Random.Int(0, 2) switch
        {
            0 => _f.Company.CompanyName(),
            1 => $"{_f.PickRandom(Segments)} {LastName()}",
            _ => $"{_f.PickRandom(Segments)} {FirstName()} {LastName()}",
        };
        var suffix = _f.PickRandom(CompanySuffixes);
        return suffix.Length == 0 || name.EndsWith(suffix, StringComparison.Ordinal) ? name : $"{name} {suffix}";
    }

    private static string EmailLocal(string first, string last)
    {
        var firstKey = new string(SearchText.Normalize(first).Where(char.IsAsciiLetter).ToArray());
        var lastKey = new string(SearchText.Normalize(last.Split(' ')[^1]).Where(char.IsAsciiLetter).ToArray());
        return $"{firstKey}.{lastKey}";
    }

    private static ContactEmail Email(string local, string domain, int position)
    {
        var address = $"{local}@{domain}";
        if (!PartnerService.IsValidEmail(address))
        {
            throw new InvalidOperationException($"Generated an invalid e-mail: {address}");
        }
        return new ContactEmail { Address = address, AddressKey = address.ToLowerInvariant(), Position = position };
    }

    /// <summary>A phone the app accepts: checked with <see cref="PhoneRules.Normalize"/> (libphonenumber).</summary>
    private ContactPhone Phone(string area, PhoneType type, int position)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var number = type == PhoneType.Mobile
                ? "9" + _f.Random.ReplaceNumbers("########")
                : _f.Random.Int(2, 5) + _f.Random.ReplaceNumbers("#######");
            var (e164, error) = PhoneRules.Normalize("BR", area, number, type);
            if (error is null)
            {
                return new ContactPhone { E164 = e164!, Type = type, Position = position };
            }
        }
        throw new InvalidOperationException($"Could not make a valid {type} phone for area code {area}.");
    }
}

/// <summary>
/// A Bogus person used only for <see cref="ExtensionsForBrazil.Cpf"/>: skipping <see cref="Person.Populate"/> (names,
/// address, company… which we do not use) makes it about 4× cheaper to create.
/// </summary>
internal sealed class CpfPerson(int seed) : Person("pt_BR", seed)
{
    protected override void Populate()
    {
    }
}
