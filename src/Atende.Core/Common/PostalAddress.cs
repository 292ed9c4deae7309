using Atende.Core.Data;

namespace Atende.Core.Common;

/// <summary>What a user types as a Brazilian postal address (every field optional).</summary>
public sealed class AddressInput
{
    public string? PostalCode { get; set; }
    public string? Street { get; set; }
    public string? Number { get; set; }
    public string? Complement { get; set; }
    public string? District { get; set; }
    public string? City { get; set; }
    public string? State { get; set; }
}

/// <summary>
/// A Brazilian postal address, stored as columns of its owner (an EF complex type): CEP formatted "01310-100", street
/// (logradouro), number, complement, district (bairro), city and UF. Every field may be empty; <see cref="Empty"/> is no
/// address at all. Immutable: a change is a new value.
/// </summary>
public sealed record PostalAddress
{
    /// <summary>The longest street, number, complement, district and city (the NF-e's own limit for each).</summary>
    public const int MaxLength = 60;

    public const string InvalidPostalCodeError = "CEP inválido: use 8 dígitos, como 01310-100.";
    public const string InvalidStateError = "UF inválida: use a sigla de um dos 27 estados, como SP.";

    /// <summary>The 27 federative units (26 states and the Distrito Federal), by their UF.</summary>
    public static readonly IReadOnlyList<string> States =
    [
        "AC", "AL", "AP", "AM", "BA", "CE", "DF", "ES", "GO", "MA", "MT", "MS", "MG", "PA",
        "PB", "PR", "PE", "PI", "RJ", "RN", "RS", "RO", "RR", "SC", "SP", "SE", "TO",
    ];

    public static readonly PostalAddress Empty = new();

    /// <summary>CEP, "01310-100"; "" when none.</summary>
    public string PostalCode { get; init; } = "";
    public string Street { get; init; } = "";
    public string Number { get; init; } = "";
    public string Complement { get; init; } = "";
    public string District { get; init; } = "";
    public string City { get; init; } = "";
    /// <summary>UF, one of <see cref="States"/>; "" when none.</summary>
    public string State { get; init; } = "";

    public bool IsEmpty => this == Empty;

    /// <summary>
    /// Reads a typed CEP: empty → ("", null); 8 digits, with or without the hyphen (or a dot, "01.310-100") → "01310-100";
    /// anything else → the cleaned text and <see cref="InvalidPostalCodeError"/>.
    /// </summary>
    public static (string Normalized, string? Error) ParsePostalCode(string? input)
    {
        var cleaned = SearchText.Clean(input);
        if (cleaned.Length == 0)
        {
            return ("", null);
        }
        var compact = cleaned.Replace("-", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        if (compact.Length != 8 || !compact.All(char.IsAsciiDigit))
        {
            return (cleaned, InvalidPostalCodeError);
        }
        return (compact[..5] + "-" + compact[5..], null);
    }

    /// <summary>Reads a typed UF in any case: empty → ("", null); one of the 27 → upper-case; else <see cref="InvalidStateError"/>.</summary>
    public static (string Normalized, string? Error) ParseState(string? input)
    {
        var cleaned = SearchText.Clean(input).ToUpperInvariant();
        if (cleaned.Length == 0)
        {
            return ("", null);
        }
        return States.Contains(cleaned) ? (cleaned, null) : (cleaned, InvalidStateError);
    }

    /// <summary>
    /// Validates a typed address: every field is optional (no address at all is fine), each one given must be valid.
    /// Errors go to <paramref name="v"/> keyed "<paramref name="field"/>.postalCode", "….state", "….street"… (pt-BR,
    /// naming the field). Returns the cleaned address (meaningful only when <paramref name="v"/> has no errors).
    /// </summary>
    public static PostalAddress Validate(AddressInput? input, Validation v, string field = "address")
    {
        if (input is null)
        {
            return Empty;
        }
        var (postalCode, postalCodeError) = ParsePostalCode(input.PostalCode);
        if (postalCodeError is not null)
        {
            v.Add(field + ".postalCode", postalCodeError);
        }
        var (state, stateError) = ParseState(input.State);
        if (stateError is not null)
        {
            v.Add(field + ".state", stateError);
        }
        return new PostalAddress
        {
            PostalCode = postalCode,
            Street = v.Text(field + ".street", "Logradouro", input.Street, MaxLength, required: false),
            Number = v.Text(field + ".number", "Número", input.Number, MaxLength, required: false),
            Complement = v.Text(field + ".complement", "Complemento", input.Complement, MaxLength, required: false),
            District = v.Text(field + ".district", "Bairro", input.District, MaxLength, required: false),
            City = v.Text(field + ".city", "Cidade", input.City, MaxLength, required: false),
            State = state,
        };
    }

    /// <summary>
    /// The fields a complete address still lacks (what an NF-e needs: CEP, street, number, district, city and UF), by
    /// their pt-BR names in form order; empty when complete. The complement is never required.
    /// </summary>
    public IReadOnlyList<string> MissingForComplete()
    {
        var missing = new List<string>();
        if (PostalCode.Length == 0) { missing.Add("CEP"); }
        if (Street.Length == 0) { missing.Add("Logradouro"); }
        if (Number.Length == 0) { missing.Add("Número"); }
        if (District.Length == 0) { missing.Add("Bairro"); }
        if (City.Length == 0) { missing.Add("Cidade"); }
        if (State.Length == 0) { missing.Add("UF"); }
        return missing;
    }

    /// <summary>
    /// The address as two lines: "Av. Paulista, 1000 - Conj. 12 - Bela Vista" and "São Paulo - SP, 01310-100" (parts left
    /// out when empty, a line left out when all of it is); no lines when empty.
    /// </summary>
    public IReadOnlyList<string> Lines()
    {
        var streetLine = Join(" - ", Join(", ", Street, Number), Complement, District);
        var cityLine = Join(", ", Join(" - ", City, State), PostalCode.Length == 0 ? "" : "CEP " + PostalCode);
        return new[] { streetLine, cityLine }.Where(l => l.Length > 0).ToList();
    }

    /// <summary>The address in one line (<see cref="Lines"/> joined), "" when empty.</summary>
    public override string ToString() => string.Join(" - ", Lines());

    public AddressInput ToInput() => new()
    {
        PostalCode = PostalCode, Street = Street, Number = Number, Complement = Complement, District = District, City = City, State = State,
    };

    private static string Join(string separator, params string[] parts) => string.Join(separator, parts.Where(p => p.Length > 0));
}
