using Atende.Core.Data;

namespace Atende.Core.Partners;

/// <summary>The Inscrição Estadual (state tax registration) of a partner: as typed, or "ISENTO".</summary>
public static class StateRegistrationRules
{
    public const int MaxLength = 20;
    public const string Exempt = "ISENTO";

    public const string InvalidError = "Inscrição estadual inválida: use só números, letras, pontos, hífens e barras, ou ISENTO.";
    public static readonly string TooLongError = $"Inscrição estadual pode ter no máximo {MaxLength} caracteres.";

    /// <summary>
    /// Reads a typed Inscrição Estadual: empty → ("", null); "isento" in any case → "ISENTO"; otherwise kept as typed
    /// (trimmed) when made of ASCII digits, letters (SP's rural "P-…"), dots, hyphens and slashes with at least one digit,
    /// and no longer than <see cref="MaxLength"/>; anything else comes back with a pt-BR error.
    /// </summary>
    public static (string Normalized, string? Error) Parse(string? input)
    {
        var cleaned = SearchText.Clean(input);
        if (cleaned.Length == 0)
        {
            return ("", null);
        }
        if (string.Equals(cleaned, Exempt, StringComparison.OrdinalIgnoreCase))
        {
            return (Exempt, null);
        }
        if (!cleaned.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '/') || !cleaned.Any(char.IsAsciiDigit))
        {
            return (cleaned, InvalidError);
        }
        return cleaned.Length > MaxLength ? (cleaned, TooLongError) : (cleaned, null);
    }
}
