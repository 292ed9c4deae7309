using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using Atende.Core.Common;
using MimeKit;

namespace Atende.Core.Email;

/// <summary>
/// What a person wrote in a reply, without the message they quoted: the plain-text part cut where the quote begins ("Em …
/// escreveu:", "On … wrote:", an Outlook header block, "-----Original Message-----", a tail of "&gt;" lines), or else the
/// HTML part without its quote blocks. Sanitized like any interaction.
/// </summary>
public static partial class ReplyText
{
    public static string Body(MimeMessage message)
    {
        var text = message.TextBody;
        if (!string.IsNullOrWhiteSpace(text))
        {
            var lines = RichText.CleanLines(WithoutQuote(text)).Split('\n');
            return RichText.Sanitize("<p>" + string.Join("<br>", lines.Select(WebUtility.HtmlEncode)) + "</p>");
        }
        var html = message.HtmlBody;
        return string.IsNullOrWhiteSpace(html) ? "" : RichText.Sanitize(WithoutQuotedHtml(html));
    }

    /// <summary>The text before the quoted message; the whole text when nothing would be left.</summary>
    public static string WithoutQuote(string text)
    {
        var lines = RichText.CleanLines(text).Split('\n');
        var cut = QuoteStart(lines);
        if (cut <= 0)
        {
            return string.Join('\n', lines);
        }
        var fresh = string.Join('\n', lines[..cut]).Trim();
        return fresh.Length == 0 ? string.Join('\n', lines) : fresh;
    }

    private static int QuoteStart(string[] lines)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (Attribution().IsMatch(line) || (i + 1 < lines.Length && line.Length > 0 && Attribution().IsMatch(line + " " + lines[i + 1].Trim())))
            {
                return i;
            }
            if (OriginalMessage().IsMatch(line))
            {
                return i;
            }
            if (HeaderFrom().IsMatch(line) && lines.Skip(i + 1).Take(4).Any(l => HeaderDate().IsMatch(l.Trim())) && lines.Skip(i + 1).Take(5).Any(l => HeaderSubject().IsMatch(l.Trim())))
            {
                return i;
            }
            if (line.StartsWith('>') && lines.Skip(i).All(l => l.Trim().Length == 0 || l.TrimStart().StartsWith('>')))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Removes the quote blocks of the usual mail programs (Gmail, Apple Mail, Thunderbird, Outlook).</summary>
    public static string WithoutQuotedHtml(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        foreach (var marker in document.QuerySelectorAll("#divRplyFwdMsg, #appendonsend, hr#stopSpelling").ToList())
        {
            // Outlook: the header block and everything after it is the quoted message.
            var node = marker.NextSibling;
            while (node is not null)
            {
                var next = node.NextSibling;
                node.Parent?.RemoveChild(node);
                node = next;
            }
            marker.Remove();
        }
        foreach (var quote in document.QuerySelectorAll(".gmail_quote, .gmail_attr, blockquote[type=cite], .moz-cite-prefix, .yahoo_quoted").ToList())
        {
            quote.Remove();
        }
        var body = document.Body?.InnerHtml ?? "";
        return RichText.IsEmpty(RichText.Sanitize(body)) ? html : body;
    }

    [GeneratedRegex(@"^(Em|On|Le|El)\s.{4,300}\s(escreveu|wrote|a écrit|escribió)\s*:$", RegexOptions.IgnoreCase)]
    private static partial Regex Attribution();

    [GeneratedRegex(@"^-{2,}\s*(Original Message|Mensagem original|Mensagem encaminhada|Forwarded message)\s*-{2,}$", RegexOptions.IgnoreCase)]
    private static partial Regex OriginalMessage();

    [GeneratedRegex(@"^\*?(De|From):\*?\s", RegexOptions.IgnoreCase)]
    private static partial Regex HeaderFrom();

    [GeneratedRegex(@"^\*?(Enviad[ao]( em)?|Sent|Data|Date):\*?\s", RegexOptions.IgnoreCase)]
    private static partial Regex HeaderDate();

    [GeneratedRegex(@"^\*?(Assunto|Subject):\*?\s?", RegexOptions.IgnoreCase)]
    private static partial Regex HeaderSubject();
}
