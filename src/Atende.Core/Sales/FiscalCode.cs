using System.Text.RegularExpressions;
using Atende.Core.Data;
using Atende.Core.Settings;

namespace Atende.Core.Sales;

/// <summary>
/// The code an NF-e/NFS-e line needs: a product's NCM (8 digits, written "8471.30.12" or "84713012"; stored as digits) or a
/// service's code — an item of the LC 116 list ("17.01") or the 6-digit national code of the NFS-e ("170101").
/// </summary>
public static partial class FiscalCode
{
    public const string InvalidNcm = "NCM inválido: use os 8 dígitos da classificação fiscal, como 8471.30.12.";
    public const string InvalidServiceCode = "Código de serviço inválido: use o item da lista da LC 116 (como 17.01) ou o código nacional de 6 dígitos (como 170101).";

    /// <summary>Empty → ("", null); a valid code of <paramref name="kind"/> → its stored form; else the cleaned text and the rule.</summary>
    public static (string Normalized, string? Error) Parse(string? input, CatalogItemKind kind)
    {
        var cleaned = SearchText.Clean(input);
        if (cleaned.Length == 0)
        {
            return ("", null);
        }
        if (kind == CatalogItemKind.Product)
        {
            var digits = cleaned.Replace(".", "", StringComparison.Ordinal);
            return digits.Length == 8 && digits.All(char.IsAsciiDigit) ? (digits, null) : (cleaned, InvalidNcm);
        }
        return ServicePattern().IsMatch(cleaned) ? (cleaned, null) : (cleaned, InvalidServiceCode);
    }

    public const string InvalidAny = "Código fiscal inválido: use o NCM de um produto (8 dígitos, como 8471.30.12) ou o código de um serviço (como 17.01 ou 170101).";

    /// <summary>For a free-text line, whose kind is unknown: an NCM or a service code, whichever it is.</summary>
    public static (string Normalized, string? Error) ParseAny(string? input)
    {
        var product = Parse(input, CatalogItemKind.Product);
        if (product.Error is null)
        {
            return product;
        }
        var service = Parse(input, CatalogItemKind.Service);
        return service.Error is null ? service : (service.Normalized, InvalidAny);
    }

    /// <summary>Whether <paramref name="code"/> is a stored code of either kind (a free-text line says neither).</summary>
    public static bool IsValid(string code) => ParseAny(code).Error is null;

    [GeneratedRegex(@"^(\d{2}\.\d{2}|\d{6})$")]
    private static partial Regex ServicePattern();
}
