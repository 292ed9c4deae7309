using System.Globalization;
using System.Text;

namespace Atende.Core.Data;

/// <summary>
/// Text helpers for user input and for the accent/case-insensitive search columns.
/// All members are pure and thread-safe.
/// </summary>
public static class SearchText
{
    /// <summary>Separator placed between the parts joined by <see cref="Build"/>.</summary>
    internal const string PartSeparator = " | ";


    /// <summary>
    /// Builds the comparison form of a text used for searching: the text is decomposed (Unicode NFD), combining
    /// (non-spacing) marks are dropped, everything is lower-cased, a few letters that do not decompose are folded
    /// (ß → ss, æ → ae, œ → oe, ø → o, đ/ð → d, ł → l, þ → th, ı → i, ħ → h), control characters are removed, runs of
    /// whitespace become a single space and the result is trimmed and recomposed (NFC).
    /// </summary>
    /// <example><c>"  João  da SILVA "</c> → <c>"joao da silva"</c>; <c>"Açúcar"</c> → <c>"acucar"</c>.</example>
    /// <param name="text">Any text; <see langword="null"/> gives <c>""</c>.</param>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        if (Ascii.IsValid(text))
        {
            return CollapseAscii(text, lowerCase: true);
        }

        var decomposed = SafeNormalize(text, NormalizationForm.FormD).ToLowerInvariant();
        var sb = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        foreach (var c in decomposed)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = sb.Length > 0;
                continue;
            }

            if (char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (pendingSpace)
            {
                sb.Append(' ');
                pendingSpace = false;
            }

            switch (c)
            {
                case 'ß': sb.Append("ss"); break;
                case 'æ': sb.Append("ae"); break;
                case 'œ': sb.Append("oe"); break;
                case 'ø': sb.Append('o'); break;
                case 'đ': sb.Append('d'); break;
                case 'ð': sb.Append('d'); break;
                case 'ł': sb.Append('l'); break;
                case 'þ': sb.Append("th"); break;
                case 'ı': sb.Append('i'); break;
                case 'ħ': sb.Append('h'); break;
                default: sb.Append(c); break;
            }
        }

        return SafeNormalize(sb.ToString(), NormalizationForm.FormC);
    }

    /// <summary>
    /// Builds one search string from several fields: each part goes through <see cref="Normalize"/>, empty results are
    /// skipped and the rest are joined with <c>" | "</c> (so a search term never matches across two fields by accident).
    /// </summary>
    /// <example><c>Build("João", null, " ", "ACME Ltda.")</c> → <c>"joao | acme ltda."</c>.</example>
    public static string Build(params IEnumerable<string?> parts)
    {
        if (parts is null)
        {
            return "";
        }

        return string.Join(PartSeparator, parts.Select(Normalize).Where(p => p.Length > 0));
    }

    /// <summary>
    /// Cleans a text typed by a user before it is stored: Unicode NFC, control characters removed (tabs and line breaks
    /// count as whitespace), runs of whitespace collapsed to one space, trimmed. Case and accents are kept.
    /// Lone UTF-16 surrogates (invalid text) are replaced by U+FFFD.
    /// </summary>
    /// <example><c>" Maria \t da  Silva\n"</c> → <c>"Maria da Silva"</c>.</example>
    /// <param name="text">Any text; <see langword="null"/> gives <c>""</c>.</param>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        if (Ascii.IsValid(text))
        {
            return CollapseAscii(text, lowerCase: false);
        }

        var composed = SafeNormalize(text, NormalizationForm.FormC);
        var sb = new StringBuilder(composed.Length);
        var pendingSpace = false;
        foreach (var c in composed)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = sb.Length > 0;
                continue;
            }

            if (char.IsControl(c))
            {
                continue;
            }

            if (pendingSpace)
            {
                sb.Append(' ');
                pendingSpace = false;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    /// <summary>Fast path for pure ASCII input: optional lower-casing, controls dropped, whitespace collapsed, trimmed.</summary>
    private static string CollapseAscii(string text, bool lowerCase)
    {
        var sb = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var ch in text)
        {
            if (char.IsWhiteSpace(ch))
            {
                pendingSpace = sb.Length > 0;
                continue;
            }

            if (char.IsControl(ch))
            {
                continue;
            }

            if (pendingSpace)
            {
                sb.Append(' ');
                pendingSpace = false;
            }

            sb.Append(lowerCase ? char.ToLowerInvariant(ch) : ch);
        }

        return sb.ToString();
    }

    /// <summary><see cref="string.Normalize(NormalizationForm)"/> that does not throw on lone surrogates (they become U+FFFD).</summary>
    private static string SafeNormalize(string text, NormalizationForm form)
    {
        try
        {
            return text.Normalize(form);
        }
        catch (ArgumentException)
        {
            return ReplaceLoneSurrogates(text).Normalize(form);
        }
    }

    private static string ReplaceLoneSurrogates(string text)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = '\uFFFD';
            }
        }

        return new string(chars);
    }
}
