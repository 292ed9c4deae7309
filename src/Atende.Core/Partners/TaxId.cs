using Atende.Core.Data;

namespace Atende.Core.Partners;

/// <summary>What a partner code typed by a user turned out to be (see <see cref="TaxId.Parse"/>).</summary>
public enum TaxIdKind
{
    /// <summary>Nothing was typed.</summary>
    None,

    /// <summary>Brazilian individual taxpayer number (11 digits).</summary>
    Cpf,

    /// <summary>Brazilian company number (14 characters, numeric or alphanumeric).</summary>
    Cnpj,

    /// <summary>Any other code chosen by the business, e.g. "CLI-0042".</summary>
    Free,
}

/// <summary>
/// Classification, validation and normalization of partner codes: CPF, CNPJ (numeric and the alphanumeric format
/// introduced by the Receita Federal in July 2026) or a free code. All members are pure and thread-safe.
/// </summary>
public static class TaxId
{
    /// <summary>Maximum length of a free code after cleaning.</summary>
    internal const int MaxFreeLength = 40;

    internal const string InvalidCpfError = "CPF inválido: dígitos verificadores não conferem.";
    internal const string InvalidCnpjError = "CNPJ inválido: dígitos verificadores não conferem.";
    internal const string FreeTooLongError = "O código pode ter no máximo 40 caracteres.";

    private static readonly int[] CnpjWeights1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
    private static readonly int[] CnpjWeights2 = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];

    /// <summary>
    /// Classifies a partner code typed by a user, validates it and returns its normalized (stored) form.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The input is first cleaned with <see cref="SearchText.Clean"/> (trim, NFC, whitespace collapsed). Its
    /// <em>compact form</em> is the cleaned text with the separators <c>.</c> <c>/</c> <c>-</c> and whitespace removed
    /// (separators are ignored wherever they are). The rules, applied in this order:
    /// </para>
    /// <list type="number">
    /// <item><description>Empty or whitespace → <c>(None, "", null)</c>.</description></item>
    /// <item><description>Compact form is exactly 11 ASCII digits → <b>CPF</b>. Valid when the two check digits match
    /// and the digits are not all the same; normalized as <c>000.000.000-00</c>.</description></item>
    /// <item><description>Compact form is exactly 14 ASCII characters, the first 12 letters or digits and the last 2
    /// digits → <b>CNPJ</b> (numeric or alphanumeric; lower-case letters are upper-cased). Valid when the check digits
    /// match (see <see cref="IsValidCnpj"/>) and the characters are not all the same; normalized as
    /// <c>00.000.000/0000-00</c> (e.g. <c>12.ABC.345/01DE-35</c>). Note that a 14-character code such as
    /// "FORNECEDOR0001" therefore counts as a (wrong) CNPJ and cannot be used as a free code.</description></item>
    /// <item><description>Compact form is only digits, and there are 10, 12 or 13 of them → refused as an incomplete
    /// CPF/CNPJ: kind <see cref="TaxIdKind.Cpf"/> for 10 digits, <see cref="TaxIdKind.Cnpj"/> for 12 or 13, normalized
    /// = the cleaned input, error "Código parece um CPF/CNPJ incompleto: …". The same holds for 8 to 15 digits
    /// written with CPF/CNPJ punctuation (a <c>.</c> or <c>/</c>), such as "529.982.247": a typo, not a free code.</description></item>
    /// <item><description>Anything else (e.g. "CLI-0042", "ACME", "12345") → <b>free code</b>: normalized = the cleaned
    /// input (case kept); more than 40 characters → error "O código pode ter no máximo 40 caracteres.".</description></item>
    /// </list>
    /// <para>
    /// A CPF/CNPJ that fails its rule keeps its kind and its formatted normalized form, with the error
    /// "CPF inválido: dígitos verificadores não conferem." / "CNPJ inválido: dígitos verificadores não conferem.".
    /// </para>
    /// </remarks>
    /// <returns>The kind, the normalized code and a pt-BR error message (<see langword="null"/> when valid).</returns>
    public static (TaxIdKind Kind, string Normalized, string? Error) Parse(string? input)
    {
        var cleaned = SearchText.Clean(input);
        if (cleaned.Length == 0)
        {
            return (TaxIdKind.None, "", null);
        }

        var compact = Compact(cleaned);
        if (compact.Length > 0 && IsAsciiDigits(compact))
        {
            switch (compact.Length)
            {
                case 11:
                    return (TaxIdKind.Cpf, FormatCpf(compact), IsValidCpf(compact) ? null : InvalidCpfError);
                case 14:
                    return (TaxIdKind.Cnpj, FormatCnpj(compact), IsValidCnpj(compact) ? null : InvalidCnpjError);
                case 10 or 12 or 13:
                case >= 8 and <= 15 when cleaned.Contains('.', StringComparison.Ordinal) || cleaned.Contains('/', StringComparison.Ordinal):
                    var kind = compact.Length <= 11 ? TaxIdKind.Cpf : TaxIdKind.Cnpj;
                    return (kind, cleaned, IncompleteError(compact.Length));
            }
        }
        else if (HasCnpjShape(compact))
        {
            var upper = compact.ToUpperInvariant();
            return (TaxIdKind.Cnpj, FormatCnpj(upper), IsValidCnpj(upper) ? null : InvalidCnpjError);
        }

        return (TaxIdKind.Free, cleaned, cleaned.Length > MaxFreeLength ? FreeTooLongError : null);
    }

    /// <summary>
    /// Checks a raw CPF: exactly 11 ASCII digits, not all the same, both check digits correct (mod 11, weights 10..2
    /// and 11..2, remainder &lt; 2 → 0).
    /// </summary>
    public static bool IsValidCpf(string digits11)
    {
        if (digits11 is null || digits11.Length != 11 || !IsAsciiDigits(digits11) || AllSame(digits11))
        {
            return false;
        }

        return CpfDigit(digits11, 9) == digits11[9] - '0' && CpfDigit(digits11, 10) == digits11[10] - '0';
    }

    /// <summary>
    /// Checks a raw CNPJ using the Receita Federal rule for numeric and alphanumeric CNPJs: exactly 14 characters,
    /// the first 12 in <c>[0-9A-Z]</c> (upper-case only) and the last 2 digits, not all the same. Each character is
    /// worth its ASCII code − 48 ('0'..'9' → 0..9, 'A' → 17 … 'Z' → 42); the first check digit uses weights
    /// 5,4,3,2,9,8,7,6,5,4,3,2 over the first 12 characters, the second 6,5,4,3,2,9,8,7,6,5,4,3,2 over the first 13;
    /// digit = sum % 11 &lt; 2 ? 0 : 11 − sum % 11.
    /// </summary>
    public static bool IsValidCnpj(string chars14)
    {
        if (chars14 is null || chars14.Length != 14 || AllSame(chars14))
        {
            return false;
        }

        for (var i = 0; i < 12; i++)
        {
            if (!char.IsAsciiDigit(chars14[i]) && !char.IsAsciiLetterUpper(chars14[i]))
            {
                return false;
            }
        }

        if (!char.IsAsciiDigit(chars14[12]) || !char.IsAsciiDigit(chars14[13]))
        {
            return false;
        }

        return CnpjDigit(chars14, CnpjWeights1) == chars14[12] - '0'
            && CnpjDigit(chars14, CnpjWeights2) == chars14[13] - '0';
    }

    /// <summary>
    /// Key used to find duplicate partners, computed from a <see cref="Parse"/>d normalized code (raw input gives the
    /// same key): a CPF/CNPJ-shaped code (11 digits, or 14 letters/digits ending in 2 digits, once the separators
    /// <c>. / -</c> and whitespace are removed) → those 11/14 characters upper-case; any other code → upper-case with
    /// all whitespace removed; empty → <c>""</c>.
    /// </summary>
    /// <example><c>"529.982.247-25"</c> → <c>"52998224725"</c>; <c>"12.abc.345/01de-35"</c> → <c>"12ABC34501DE35"</c>;
    /// <c>"cli 0042"</c> → <c>"CLI0042"</c>.</example>
    public static string DuplicateKey(string normalized)
    {
        if (string.IsNullOrWhiteSpace(normalized))
        {
            return "";
        }

        var compact = Compact(normalized);
        if ((compact.Length == 11 && IsAsciiDigits(compact)) || HasCnpjShape(compact))
        {
            return compact.ToUpperInvariant();
        }

        return string.Concat(normalized.Where(c => !char.IsWhiteSpace(c))).ToUpperInvariant();
    }

    internal static string IncompleteError(int digits) =>
        $"Código parece um CPF/CNPJ incompleto: tem {digits} dígitos, mas um CPF tem 11 e um CNPJ tem 14.";

    /// <summary>Removes the separators <c>.</c> <c>/</c> <c>-</c> and whitespace.</summary>
    private static string Compact(string text) =>
        string.Concat(text.Where(c => c is not ('.' or '/' or '-') && !char.IsWhiteSpace(c)));

    /// <summary>14 ASCII characters: 12 letters (any case) or digits followed by 2 digits.</summary>
    private static bool HasCnpjShape(string compact)
    {
        if (compact.Length != 14)
        {
            return false;
        }

        for (var i = 0; i < 12; i++)
        {
            if (!char.IsAsciiLetterOrDigit(compact[i]))
            {
                return false;
            }
        }

        return char.IsAsciiDigit(compact[12]) && char.IsAsciiDigit(compact[13]);
    }

    private static int CpfDigit(string digits, int count)
    {
        var sum = 0;
        for (var i = 0; i < count; i++)
        {
            sum += (digits[i] - '0') * (count + 1 - i);
        }

        return CheckDigit(sum);
    }

    private static int CnpjDigit(string chars, int[] weights)
    {
        var sum = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            sum += (chars[i] - '0') * weights[i];
        }

        return CheckDigit(sum);
    }

    private static int CheckDigit(int sum)
    {
        var remainder = sum % 11;
        return remainder < 2 ? 0 : 11 - remainder;
    }

    private static bool IsAsciiDigits(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AllSame(string text)
    {
        for (var i = 1; i < text.Length; i++)
        {
            if (text[i] != text[0])
            {
                return false;
            }
        }

        return true;
    }

    private static string FormatCpf(string d) => $"{d[..3]}.{d[3..6]}.{d[6..9]}-{d[9..]}";

    private static string FormatCnpj(string c) => $"{c[..2]}.{c[2..5]}.{c[5..8]}/{c[8..12]}-{c[12..]}";
}
