using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Ganss.Xss;

namespace Atende.Core.Common;

/// <summary>User-written rich text (interactions, e-mail templates) and multi-line plain text.</summary>
public static partial class RichText
{
    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer(new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            {
                "p", "br", "div", "span", "b", "strong", "i", "em", "u", "s", "strike", "sub", "sup", "ul", "ol", "li", "a",
                "blockquote", "pre", "code", "h1", "h2", "h3", "h4", "hr", "table", "thead", "tbody", "tr", "th", "td",
            },
            AllowedAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href", "title", "colspan", "rowspan" },
            AllowedSchemes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "http", "https", "mailto", "tel" },
            UriAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href" },
            AllowedCssProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase),
        });
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Dom.IElement { LocalName: "a" } link)
            {
                link.SetAttribute("rel", "noopener noreferrer nofollow");
                link.SetAttribute("target", "_blank");
            }
        };
        return sanitizer;
    }

    /// <summary>
    /// Keeps only harmless formatting (paragraphs, emphasis, lists, links to http/https/mailto/tel, simple tables):
    /// scripts, styles, event handlers, images, forms and frames are removed. Plain text (no tags) keeps its line breaks.
    /// </summary>
    public static string Sanitize(string? html)
    {
        if (string.IsNullOrWhiteSpace(html))
        {
            return "";
        }
        var text = html.Normalize(NormalizationForm.FormC).Trim();
        if (!HtmlTag().IsMatch(text))
        {
            // Typed without an editor: escape and keep the lines.
            text = string.Join("<br>", CleanLines(text).Split('\n').Select(WebUtility.HtmlEncode));
        }
        return Sanitizer.Sanitize(text).Trim();
    }

    /// <summary>True when sanitized HTML has no visible text.</summary>
    public static bool IsEmpty(string sanitizedHtml) => Validation.IsBlank(PlainText(sanitizedHtml));

    /// <summary>The visible text of sanitized HTML, one line per block, for e-mails, previews and printing.</summary>
    public static string PlainText(string sanitizedHtml)
    {
        var withBreaks = BlockEnd().Replace(sanitizedHtml, "\n");
        var noTags = Tag().Replace(withBreaks, "");
        return CleanLines(WebUtility.HtmlDecode(noTags));
    }

    /// <summary>
    /// The plain-text part of an e-mail from its sanitized HTML: the visible text with a blank line after each paragraph and
    /// each link's address after its text ("Abrir o atendimento (https://…)"), so nothing the HTML links to is lost.
    /// </summary>
    public static string EmailText(string sanitizedHtml)
    {
        var withAddresses = Link().Replace(sanitizedHtml, m =>
        {
            var address = WebUtility.HtmlDecode(m.Groups["href"].Value);
            var label = PlainText(m.Groups["text"].Value);
            var shown = address.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? address[7..] : address;
            return label == shown ? m.Value : m.Value + " (" + WebUtility.HtmlEncode(shown) + ")";
        });
        return PlainText(ParagraphEnd().Replace(withAddresses, "$0\n"));
    }

    /// <summary>
    /// Multi-line plain text: NFC, line breaks kept (as \n, at most two in a row), other control characters removed,
    /// trailing spaces of each line and surrounding blank lines trimmed.
    /// </summary>
    public static string CleanLines(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }
        var normalized = text.Normalize(NormalizationForm.FormC).Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        var sb = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
        {
            if (c == '\n' || c == '\t' || CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Control)
            {
                sb.Append(c == '\t' ? ' ' : c);
            }
        }
        var lines = sb.ToString().Split('\n').Select(l => l.TrimEnd());
        return ManyBlankLines().Replace(string.Join('\n', lines), "\n\n").Trim();
    }

    [GeneratedRegex(@"<(br|/p|/div|/li|/h[1-4]|/tr|/blockquote|/pre)\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockEnd();

    [GeneratedRegex("<a\\b[^>]*?\\bhref=\"(?<href>[^\"]*)\"[^>]*>(?<text>.*?)</a>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Link();

    [GeneratedRegex("</p>", RegexOptions.IgnoreCase)]
    private static partial Regex ParagraphEnd();

    [GeneratedRegex("</?[a-zA-Z][^>]*>|<!--|&[a-zA-Z]+;|&#")]
    private static partial Regex HtmlTag();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex ManyBlankLines();
}
