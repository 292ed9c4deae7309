using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Atende.Core.Data;
using PhoneNumbers;

namespace Atende.Core.Partners;

/// <summary>Kind of phone line chosen by the user.</summary>
public enum PhoneType
{
    /// <summary>Mobile (celular).</summary>
    Mobile,

    /// <summary>Fixed line (fixo); for Brazil also 0800/0300/4004-style service numbers.</summary>
    Fixed,
}

/// <summary>
/// Phone validation and formatting on top of libphonenumber. Numbers are stored in E.164 ("+5511987654321").
/// All members are pure and thread-safe.
/// </summary>
public static partial class PhoneRules
{
    private const string Brazil = "BR";
    private const int BrazilDialCode = 55;

    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    private static readonly Lazy<IReadOnlyList<(string Code, string Name, int DialCode)>> LazyCountries =
        new(BuildCountries);

    /// <summary>
    /// Validates a phone typed in a form and returns it in E.164, or a pt-BR error message naming the rule.
    /// </summary>
    /// <remarks>
    /// <list type="bullet">
    /// <item><description><paramref name="country"/>: ISO 3166 alpha-2 code, any case ("BR"); empty → "Informe o país.";
    /// not supported by libphonenumber → "País desconhecido: XX.".</description></item>
    /// <item><description><paramref name="areaCode"/> (DDD) and <paramref name="number"/>: digits; spaces, dots, hyphens
    /// and parentheses are ignored; anything else is an error. The area code may be empty (countries without area
    /// codes, or an area code typed inside the number) and may carry the national trunk prefix ("011").</description></item>
    /// <item><description>The number must pass libphonenumber's <c>IsValidNumber</c>, otherwise
    /// "Telefone inválido para o país BR: +55 (11) 1234." (for Brazil without an area code, " Informe o DDD." is
    /// appended).</description></item>
    /// <item><description>Brazil only, the line type is checked with libphonenumber's number type
    /// (FIXED_LINE_OR_MOBILE counts as both): <see cref="PhoneType.Mobile"/> requires a mobile number and
    /// <see cref="PhoneType.Fixed"/> accepts anything that is not a mobile number (fixed lines and service numbers such as
    /// 0800 or 4004). Errors: "O número 98765-4321 é de celular; marque o tipo Móvel.",
    /// "O número 3333-4444 é de telefone fixo; marque o tipo Fixo." or
    /// "O número 0800 123 4567 não é de celular; marque o tipo Fixo.".</description></item>
    /// </list>
    /// </remarks>
    /// <returns>(E.164, null) when valid, (null, error) otherwise.</returns>
    public static (string? E164, string? Error) Normalize(string? country, string? areaCode, string? number, PhoneType type)
    {
        var region = (country ?? "").Trim().ToUpperInvariant();
        if (region.Length == 0)
        {
            return (null, "Informe o país.");
        }

        var dialCode = region.Length == 2 && region.All(char.IsAsciiLetterUpper) ? Util.GetCountryCodeForRegion(region) : 0;
        if (dialCode == 0)
        {
            var shown = region.Length > 10 ? region[..10] + "…" : region;
            return (null, $"País desconhecido: {shown}.");
        }

        if (type is not (PhoneType.Mobile or PhoneType.Fixed))
        {
            return (null, "Tipo de telefone inválido: escolha Móvel ou Fixo.");
        }

        if (!TryDigits(number, out var numberDigits))
        {
            return (null, "O número deve conter apenas dígitos (espaços, pontos, hífens e parênteses são ignorados).");
        }

        if (numberDigits.Length == 0)
        {
            return (null, "Informe o número.");
        }

        if (!TryDigits(areaCode, out var areaDigits))
        {
            return (null, "O DDD (código de área) deve conter apenas dígitos.");
        }

        var typed = areaDigits.Length > 0 ? $"+{dialCode} ({areaDigits}) {numberDigits}" : $"+{dialCode} {numberDigits}";
        var invalid = $"Telefone inválido para o país {region}: {typed}.";
        if (!TryParseNational(areaDigits + numberDigits, region, dialCode, out var parsed))
        {
            return (null, region == Brazil && areaDigits.Length == 0 ? invalid + " Informe o DDD." : invalid);
        }

        if (parsed.CountryCode == BrazilDialCode)
        {
            var numberType = Util.GetNumberType(parsed);
            var isMobile = numberType is PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE;
            var isFixed = numberType is not PhoneNumberType.MOBILE;
            if (type == PhoneType.Mobile && !isMobile)
            {
                return (null, numberType == PhoneNumberType.FIXED_LINE
                    ? $"O número {BrazilLocal(parsed)} é de telefone fixo; marque o tipo Fixo."
                    : $"O número {BrazilLocal(parsed)} não é de celular; marque o tipo Fixo.");
            }

            if (type == PhoneType.Fixed && !isFixed)
            {
                return (null, $"O número {BrazilLocal(parsed)} é de celular; marque o tipo Móvel.");
            }
        }

        return (Util.Format(parsed, PhoneNumberFormat.E164), null);
    }

    /// <summary>
    /// A phone typed in one field ("(11) 98765-4321", "+55 11 98765-4321", "+1 202 555 0123"): Brazilian unless it starts with
    /// "+", any line type, valid by libphonenumber. Returns (E.164, null), or (null, a pt-BR error).
    /// </summary>
    public static (string? E164, string? Error) NormalizeTyped(string? text)
    {
        var typed = (text ?? "").Trim();
        if (typed.Length == 0)
        {
            return (null, "Informe o telefone.");
        }
        if (typed.Length > 30 || typed.Any(c => !char.IsAsciiDigit(c) && " .-()+".IndexOf(c) < 0))
        {
            return (null, "Telefone inválido: use só números, com o DDD, ex.: (11) 98765-4321.");
        }
        try
        {
            var parsed = Util.Parse(typed, Brazil);
            if (Util.IsValidNumber(parsed))
            {
                return (Util.Format(parsed, PhoneNumberFormat.E164), null);
            }
        }
        catch (NumberParseException)
        {
        }
        return (null, $"Telefone inválido: {typed}. Informe o DDD e o número, ex.: (11) 98765-4321.");
    }

    /// <summary>
    /// Formats a stored E.164 number for display: Brazilian numbers with an area code as "+55 (11) 98765-4321" /
    /// "+55 (11) 3333-4444", anything else in libphonenumber's INTERNATIONAL format ("+1 202-555-0123").
    /// Text that is not an E.164 number is returned trimmed and unchanged; null or blank gives "".
    /// </summary>
    public static string Display(string e164)
    {
        if (string.IsNullOrWhiteSpace(e164))
        {
            return "";
        }

        var text = e164.Trim();
        if (BrazilGeographic().IsMatch(text))
        {
            // libphonenumber's answer for these (a valid fixed line or mobile with its area code), without its parse and
            // the pattern matching behind the area code's length: an export formats 250,000 phones.
            return $"+55 ({text[3..5]}) {FormatBrazilSubscriber(text[5..])}";
        }

        return DisplayByLibphonenumber(text);
    }

    /// <summary><see cref="Display"/> of a trimmed, non-blank text, entirely through libphonenumber.</summary>
    internal static string DisplayByLibphonenumber(string text)
    {
        if (!TryParseE164(text, out var parsed))
        {
            return text;
        }

        if (parsed.CountryCode == BrazilDialCode && TrySplitBrazil(parsed, out var area, out var local))
        {
            return $"+55 ({area}) {FormatBrazilSubscriber(local)}";
        }

        return Util.Format(parsed, PhoneNumberFormat.INTERNATIONAL);
    }

    /// <summary>
    /// A stored E.164 number as people here write it: "(11) 98765-4321" for a Brazilian number, <see cref="Display"/>'s
    /// international form ("+1 416-555-0100") for others. Reports and printed sheets use it (in a CSV cell, a number starting
    /// with "+" would also need a quote to stay out of a formula).
    /// </summary>
    public static string DisplayNational(string e164) =>
        Display(e164) is var shown && shown.StartsWith("+55 ", StringComparison.Ordinal) ? shown[4..] : shown;

    /// <summary>
    /// Splits a stored E.164 number into the form fields: ("BR", "11", "987654321"). The area code is libphonenumber's
    /// geographical area code (empty when the country has none or the number is not geographic, e.g. most non-Brazilian
    /// mobiles); <see cref="Normalize"/> of the parts gives the same E.164 back. For a shared dialing code the country
    /// is the one the number belongs to (+1 416… → "CA"). Text that is not an E.164 number gives ("", "", trimmed text);
    /// null or blank gives ("", "", "").
    /// </summary>
    public static (string Country, string AreaCode, string Number) Split(string e164)
    {
        if (string.IsNullOrWhiteSpace(e164))
        {
            return ("", "", "");
        }

        var text = e164.Trim();
        if (!TryParseE164(text, out var parsed))
        {
            return ("", "", text);
        }

        var region = Util.GetRegionCodeForNumber(parsed);
        if (string.IsNullOrEmpty(region) || region == "ZZ")
        {
            region = Util.GetRegionCodeForCountryCode(parsed.CountryCode);
        }

        if (region == "ZZ")
        {
            region = "";
        }

        var nsn = Util.GetNationalSignificantNumber(parsed);
        var areaLength = Math.Clamp(Util.GetLengthOfGeographicalAreaCode(parsed), 0, nsn.Length);
        return (region, nsn[..areaLength], nsn[areaLength..]);
    }

    /// <summary>
    /// Countries for a select list: ISO code, name in pt-BR (CLDR names; "Brasil") and international dialing code.
    /// Brasil comes first, the others follow in alphabetical order of their pt-BR name (accents ignored).
    /// Built once, on first use.
    /// </summary>
    public static IReadOnlyList<(string Code, string Name, int DialCode)> Countries => LazyCountries.Value;

    /// <summary>Name of a country in pt-BR, falling back to the .NET English name and then to the code itself.</summary>
    internal static string CountryName(string code)
    {
        if (CountryNames.PtBr.TryGetValue(code, out var name))
        {
            return name;
        }

        try
        {
            return new RegionInfo(code).EnglishName;
        }
        catch (ArgumentException)
        {
            return code;
        }
    }

    private static IReadOnlyList<(string Code, string Name, int DialCode)> BuildCountries() =>
        Util.GetSupportedRegions()
            .Select(code => (Code: code, Name: CountryName(code), DialCode: Util.GetCountryCodeForRegion(code)))
            .OrderBy(c => c.Code == Brazil ? 0 : 1)
            .ThenBy(c => SearchText.Normalize(c.Name), StringComparer.Ordinal)
            .ThenBy(c => c.Code, StringComparer.Ordinal)
            .ToList()
            .AsReadOnly();

    /// <summary>
    /// Parses digits typed in national form for <paramref name="region"/> (trunk prefix and a leading dialing code are
    /// tolerated by libphonenumber) and accepts only a valid number with the expected dialing code (so "00 1 …",
    /// dialed abroad from Brazil, is not silently turned into a US number).
    /// </summary>
    private static bool TryParseNational(string text, string region, int dialCode, out PhoneNumber parsed)
    {
        try
        {
            parsed = Util.Parse(text, region);
            return parsed.CountryCode == dialCode && Util.IsValidNumber(parsed);
        }
        catch (NumberParseException)
        {
            parsed = null!;
            return false;
        }
    }

    private static bool TryParseE164(string text, out PhoneNumber parsed)
    {
        parsed = null!;
        if (!text.StartsWith('+'))
        {
            return false;
        }

        try
        {
            parsed = Util.Parse(text, "ZZ");
            return true;
        }
        catch (NumberParseException)
        {
            return false;
        }
    }

    /// <summary>Keeps the digits of <paramref name="text"/>; fails when it holds anything but digits and separators.</summary>
    private static bool TryDigits(string? text, out string digits)
    {
        digits = "";
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                sb.Append(c);
            }
            else if (c is not ('-' or '.' or '(' or ')') && !char.IsWhiteSpace(c))
            {
                return false;
            }
        }

        digits = sb.ToString();
        return true;
    }

    /// <summary>Brazilian geographic number: area code (DDD) and an 8- or 9-digit subscriber number.</summary>
    private static bool TrySplitBrazil(PhoneNumber parsed, out string area, out string local)
    {
        var nsn = Util.GetNationalSignificantNumber(parsed);
        var areaLength = Util.GetLengthOfGeographicalAreaCode(parsed);
        if (areaLength > 0 && nsn.Length - areaLength is 8 or 9)
        {
            area = nsn[..areaLength];
            local = nsn[areaLength..];
            return true;
        }

        area = "";
        local = nsn;
        return false;
    }

    /// <summary>The number without its area code, as people write it in Brazil ("98765-4321", "0800 123 4567").</summary>
    private static string BrazilLocal(PhoneNumber parsed) =>
        TrySplitBrazil(parsed, out _, out var local)
            ? FormatBrazilSubscriber(local)
            : Util.Format(parsed, PhoneNumberFormat.NATIONAL);

    private static string FormatBrazilSubscriber(string local) => $"{local[..^4]}-{local[^4..]}";

    /// <summary>
    /// A Brazilian E.164 number libphonenumber takes as a valid fixed line ([2-5] + 7 digits) or mobile (9 + 8 digits) after
    /// one of its area codes (its metadata's pattern for both); <c>PhoneRulesTests</c> checks every area code against it.
    /// </summary>
    [GeneratedRegex(@"^\+55(?:[14689][1-9]|2[12478]|3[1-578]|5[13-5]|7[13-579])(?:[2-5]\d{7}|9\d{8})$", RegexOptions.CultureInvariant)]
    private static partial Regex BrazilGeographic();

    /// <summary>
    /// Country names in pt-BR for every region libphonenumber supports, taken from CLDR (ICU) so they do not depend on
    /// the ICU data or culture of the server; a few long CLDR names are shortened for a select list
    /// (e.g. "Hong Kong" instead of "Hong Kong, RAE da China").
    /// </summary>
    private static class CountryNames
    {
        internal static readonly FrozenDictionary<string, string> PtBr = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AC"] = "Ilha de Ascensão",
            ["AD"] = "Andorra",
            ["AE"] = "Emirados Árabes Unidos",
            ["AF"] = "Afeganistão",
            ["AG"] = "Antígua e Barbuda",
            ["AI"] = "Anguila",
            ["AL"] = "Albânia",
            ["AM"] = "Armênia",
            ["AO"] = "Angola",
            ["AR"] = "Argentina",
            ["AS"] = "Samoa Americana",
            ["AT"] = "Áustria",
            ["AU"] = "Austrália",
            ["AW"] = "Aruba",
            ["AX"] = "Ilhas Aland",
            ["AZ"] = "Azerbaijão",
            ["BA"] = "Bósnia e Herzegovina",
            ["BB"] = "Barbados",
            ["BD"] = "Bangladesh",
            ["BE"] = "Bélgica",
            ["BF"] = "Burquina Faso",
            ["BG"] = "Bulgária",
            ["BH"] = "Barein",
            ["BI"] = "Burundi",
            ["BJ"] = "Benin",
            ["BL"] = "São Bartolomeu",
            ["BM"] = "Bermudas",
            ["BN"] = "Brunei",
            ["BO"] = "Bolívia",
            ["BQ"] = "Países Baixos Caribenhos",
            ["BR"] = "Brasil",
            ["BS"] = "Bahamas",
            ["BT"] = "Butão",
            ["BW"] = "Botsuana",
            ["BY"] = "Bielorrússia",
            ["BZ"] = "Belize",
            ["CA"] = "Canadá",
            ["CC"] = "Ilhas Cocos (Keeling)",
            ["CD"] = "República Democrática do Congo",
            ["CF"] = "República Centro-Africana",
            ["CG"] = "República do Congo",
            ["CH"] = "Suíça",
            ["CI"] = "Costa do Marfim",
            ["CK"] = "Ilhas Cook",
            ["CL"] = "Chile",
            ["CM"] = "Camarões",
            ["CN"] = "China",
            ["CO"] = "Colômbia",
            ["CR"] = "Costa Rica",
            ["CU"] = "Cuba",
            ["CV"] = "Cabo Verde",
            ["CW"] = "Curaçao",
            ["CX"] = "Ilha Christmas",
            ["CY"] = "Chipre",
            ["CZ"] = "Tchéquia",
            ["DE"] = "Alemanha",
            ["DJ"] = "Djibuti",
            ["DK"] = "Dinamarca",
            ["DM"] = "Dominica",
            ["DO"] = "República Dominicana",
            ["DZ"] = "Argélia",
            ["EC"] = "Equador",
            ["EE"] = "Estônia",
            ["EG"] = "Egito",
            ["EH"] = "Saara Ocidental",
            ["ER"] = "Eritreia",
            ["ES"] = "Espanha",
            ["ET"] = "Etiópia",
            ["FI"] = "Finlândia",
            ["FJ"] = "Fiji",
            ["FK"] = "Ilhas Malvinas",
            ["FM"] = "Micronésia",
            ["FO"] = "Ilhas Faroé",
            ["FR"] = "França",
            ["GA"] = "Gabão",
            ["GB"] = "Reino Unido",
            ["GD"] = "Granada",
            ["GE"] = "Geórgia",
            ["GF"] = "Guiana Francesa",
            ["GG"] = "Guernsey",
            ["GH"] = "Gana",
            ["GI"] = "Gibraltar",
            ["GL"] = "Groenlândia",
            ["GM"] = "Gâmbia",
            ["GN"] = "Guiné",
            ["GP"] = "Guadalupe",
            ["GQ"] = "Guiné Equatorial",
            ["GR"] = "Grécia",
            ["GT"] = "Guatemala",
            ["GU"] = "Guam",
            ["GW"] = "Guiné-Bissau",
            ["GY"] = "Guiana",
            ["HK"] = "Hong Kong",
            ["HN"] = "Honduras",
            ["HR"] = "Croácia",
            ["HT"] = "Haiti",
            ["HU"] = "Hungria",
            ["ID"] = "Indonésia",
            ["IE"] = "Irlanda",
            ["IL"] = "Israel",
            ["IM"] = "Ilha de Man",
            ["IN"] = "Índia",
            ["IO"] = "Território Britânico do Oceano Índico",
            ["IQ"] = "Iraque",
            ["IR"] = "Irã",
            ["IS"] = "Islândia",
            ["IT"] = "Itália",
            ["JE"] = "Jersey",
            ["JM"] = "Jamaica",
            ["JO"] = "Jordânia",
            ["JP"] = "Japão",
            ["KE"] = "Quênia",
            ["KG"] = "Quirguistão",
            ["KH"] = "Camboja",
            ["KI"] = "Quiribati",
            ["KM"] = "Comores",
            ["KN"] = "São Cristóvão e Névis",
            ["KP"] = "Coreia do Norte",
            ["KR"] = "Coreia do Sul",
            ["KW"] = "Kuwait",
            ["KY"] = "Ilhas Cayman",
            ["KZ"] = "Cazaquistão",
            ["LA"] = "Laos",
            ["LB"] = "Líbano",
            ["LC"] = "Santa Lúcia",
            ["LI"] = "Liechtenstein",
            ["LK"] = "Sri Lanka",
            ["LR"] = "Libéria",
            ["LS"] = "Lesoto",
            ["LT"] = "Lituânia",
            ["LU"] = "Luxemburgo",
            ["LV"] = "Letônia",
            ["LY"] = "Líbia",
            ["MA"] = "Marrocos",
            ["MC"] = "Mônaco",
            ["MD"] = "Moldávia",
            ["ME"] = "Montenegro",
            ["MF"] = "São Martinho",
            ["MG"] = "Madagascar",
            ["MH"] = "Ilhas Marshall",
            ["MK"] = "Macedônia do Norte",
            ["ML"] = "Mali",
            ["MM"] = "Mianmar",
            ["MN"] = "Mongólia",
            ["MO"] = "Macau",
            ["MP"] = "Ilhas Marianas do Norte",
            ["MQ"] = "Martinica",
            ["MR"] = "Mauritânia",
            ["MS"] = "Montserrat",
            ["MT"] = "Malta",
            ["MU"] = "Maurício",
            ["MV"] = "Maldivas",
            ["MW"] = "Malaui",
            ["MX"] = "México",
            ["MY"] = "Malásia",
            ["MZ"] = "Moçambique",
            ["NA"] = "Namíbia",
            ["NC"] = "Nova Caledônia",
            ["NE"] = "Níger",
            ["NF"] = "Ilha Norfolk",
            ["NG"] = "Nigéria",
            ["NI"] = "Nicarágua",
            ["NL"] = "Países Baixos",
            ["NO"] = "Noruega",
            ["NP"] = "Nepal",
            ["NR"] = "Nauru",
            ["NU"] = "Niue",
            ["NZ"] = "Nova Zelândia",
            ["OM"] = "Omã",
            ["PA"] = "Panamá",
            ["PE"] = "Peru",
            ["PF"] = "Polinésia Francesa",
            ["PG"] = "Papua-Nova Guiné",
            ["PH"] = "Filipinas",
            ["PK"] = "Paquistão",
            ["PL"] = "Polônia",
            ["PM"] = "São Pedro e Miquelão",
            ["PR"] = "Porto Rico",
            ["PS"] = "Palestina",
            ["PT"] = "Portugal",
            ["PW"] = "Palau",
            ["PY"] = "Paraguai",
            ["QA"] = "Catar",
            ["RE"] = "Reunião",
            ["RO"] = "Romênia",
            ["RS"] = "Sérvia",
            ["RU"] = "Rússia",
            ["RW"] = "Ruanda",
            ["SA"] = "Arábia Saudita",
            ["SB"] = "Ilhas Salomão",
            ["SC"] = "Seicheles",
            ["SD"] = "Sudão",
            ["SE"] = "Suécia",
            ["SG"] = "Singapura",
            ["SH"] = "Santa Helena",
            ["SI"] = "Eslovênia",
            ["SJ"] = "Svalbard e Jan Mayen",
            ["SK"] = "Eslováquia",
            ["SL"] = "Serra Leoa",
            ["SM"] = "San Marino",
            ["SN"] = "Senegal",
            ["SO"] = "Somália",
            ["SR"] = "Suriname",
            ["SS"] = "Sudão do Sul",
            ["ST"] = "São Tomé e Príncipe",
            ["SV"] = "El Salvador",
            ["SX"] = "Sint Maarten",
            ["SY"] = "Síria",
            ["SZ"] = "Essuatíni",
            ["TA"] = "Tristão da Cunha",
            ["TC"] = "Ilhas Turcas e Caicos",
            ["TD"] = "Chade",
            ["TG"] = "Togo",
            ["TH"] = "Tailândia",
            ["TJ"] = "Tadjiquistão",
            ["TK"] = "Tokelau",
            ["TL"] = "Timor-Leste",
            ["TM"] = "Turcomenistão",
            ["TN"] = "Tunísia",
            ["TO"] = "Tonga",
            ["TR"] = "Turquia",
            ["TT"] = "Trinidad e Tobago",
            ["TV"] = "Tuvalu",
            ["TW"] = "Taiwan",
            ["TZ"] = "Tanzânia",
            ["UA"] = "Ucrânia",
            ["UG"] = "Uganda",
            ["US"] = "Estados Unidos",
            ["UY"] = "Uruguai",
            ["UZ"] = "Uzbequistão",
            ["VA"] = "Cidade do Vaticano",
            ["VC"] = "São Vicente e Granadinas",
            ["VE"] = "Venezuela",
            ["VG"] = "Ilhas Virgens Britânicas",
            ["VI"] = "Ilhas Virgens Americanas",
            ["VN"] = "Vietnã",
            ["VU"] = "Vanuatu",
            ["WF"] = "Wallis e Futuna",
            ["WS"] = "Samoa",
            ["XK"] = "Kosovo",
            ["YE"] = "Iêmen",
            ["YT"] = "Mayotte",
            ["ZA"] = "África do Sul",
            ["ZM"] = "Zâmbia",
            ["ZW"] = "Zimbábue",
        }.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
