using System.Text;

namespace Atende.Core.Files;

/// <summary>
/// The file types Atende accepts (an allowlist of what a Brazilian office sends: documents, spreadsheets, images,
/// NF-e XML, e-mails, WhatsApp audio), each with the content type it is served as and the check its first bytes
/// must pass. Anything else (executables, scripts, HTML, SVG…) is refused.
/// </summary>
public static class FileTypes
{
    /// <summary>Bytes read from the start of a file to check it.</summary>
    public const int SniffLength = 8192;

    /// <summary>Shown when a type is refused.</summary>
    public const string AcceptedSummary =
        "PDF, imagens (PNG, JPG, GIF, WebP), Word, Excel, PowerPoint, OpenDocument (ODT, ODS), TXT, CSV, XML, RTF, ZIP, " +
        "e-mails (EML, MSG), áudio (MP3, OGG, M4A) e vídeo MP4";

    public delegate bool Signature(ReadOnlySpan<byte> head);

    /// <summary>An accepted type: served as <see cref="ContentType"/>; <see cref="IsText"/> types are also checked for NUL bytes and HTML.</summary>
    public sealed record FileType(string Extension, string ContentType, string Label, Signature Matches, bool IsText = false);

    private static readonly Signature Pdf = h => h.StartsWith("%PDF-"u8);
    private static readonly Signature Png = h => h.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
    private static readonly Signature Jpeg = h => h.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]);
    private static readonly Signature Gif = h => h.StartsWith("GIF87a"u8) || h.StartsWith("GIF89a"u8);
    private static readonly Signature Webp = h => h.Length >= 12 && h.StartsWith("RIFF"u8) && h[8..12].SequenceEqual("WEBP"u8);
    private static readonly Signature Zip = h => h.StartsWith((ReadOnlySpan<byte>)[0x50, 0x4B, 0x03, 0x04]);
    private static readonly Signature Ole = h => h.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    private static readonly Signature IsoMedia = h => h.Length >= 12 && h[4..8].SequenceEqual("ftyp"u8);
    private static readonly Signature Ogg = h => h.StartsWith("OggS"u8);
    private static readonly Signature Rtf = h => SkipBom(h).StartsWith(@"{\rtf"u8);
    private static readonly Signature AnyText = _ => true;

    /// <summary>MP3: an ID3 tag, or an MPEG audio frame header (11 sync bits, no reserved version or layer).</summary>
    private static readonly Signature Mp3 = h => h.StartsWith("ID3"u8)
        || (h.Length >= 2 && h[0] == 0xFF && (h[1] & 0xE0) == 0xE0 && ((h[1] >> 3) & 0x03) != 0x01 && ((h[1] >> 1) & 0x03) != 0x00);

    private static readonly Dictionary<string, FileType> ByExtension = new FileType[]
    {
        new("pdf", "application/pdf", "PDF", Pdf),
        new("png", "image/png", "PNG", Png),
        new("jpg", "image/jpeg", "JPEG", Jpeg),
        new("jpeg", "image/jpeg", "JPEG", Jpeg),
        new("gif", "image/gif", "GIF", Gif),
        new("webp", "image/webp", "WebP", Webp),
        new("txt", "text/plain", "texto", AnyText, IsText: true),
        new("csv", "text/csv", "CSV", AnyText, IsText: true),
        new("xml", "application/xml", "XML", AnyText, IsText: true),
        new("eml", "message/rfc822", "e-mail (EML)", AnyText, IsText: true),
        new("rtf", "application/rtf", "RTF", Rtf, IsText: true),
        new("doc", "application/msword", "Word (DOC)", Ole),
        new("xls", "application/vnd.ms-excel", "Excel (XLS)", Ole),
        new("ppt", "application/vnd.ms-powerpoint", "PowerPoint (PPT)", Ole),
        new("msg", "application/vnd.ms-outlook", "e-mail do Outlook (MSG)", Ole),
        new("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word (DOCX)", Zip),
        new("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (XLSX)", Zip),
        new("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "PowerPoint (PPTX)", Zip),
        new("odt", "application/vnd.oasis.opendocument.text", "OpenDocument (ODT)", Zip),
        new("ods", "application/vnd.oasis.opendocument.spreadsheet", "OpenDocument (ODS)", Zip),
        new("zip", "application/zip", "ZIP", Zip),
        new("mp3", "audio/mpeg", "MP3", Mp3),
        new("ogg", "audio/ogg", "OGG", Ogg),
        new("m4a", "audio/mp4", "M4A", IsoMedia),
        new("mp4", "video/mp4", "MP4", IsoMedia),
    }.ToDictionary(t => t.Extension, StringComparer.OrdinalIgnoreCase);

    /// <summary>Content types proven to be raster images, the only ones ever shown inline.</summary>
    public static readonly IReadOnlySet<string> PreviewableImages = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "image/png", "image/jpeg", "image/gif", "image/webp",
    };

    public static IEnumerable<string> AcceptedExtensions => ByExtension.Keys;

    /// <summary>For a file input's <c>accept</c> attribute (".pdf,.png,…"): the picker offers these first; the server still checks.</summary>
    public static string AcceptAttribute => string.Join(",", ByExtension.Keys.Select(e => "." + e));

    /// <summary>The accepted type for an extension (without the dot), or null.</summary>
    public static FileType? For(string extension) => ByExtension.GetValueOrDefault(extension);

    /// <summary>Why <paramref name="head"/> (the first bytes, up to <see cref="SniffLength"/>) is not a <paramref name="type"/>, or null when it is.</summary>
    public static string? Problem(FileType type, ReadOnlySpan<byte> head)
    {
        if (!type.Matches(head))
        {
            return $"o conteúdo não é um arquivo {type.Label} válido";
        }
        if (type.IsText)
        {
            if (head.Contains((byte)0))
            {
                return $"o conteúdo não é texto (.{type.Extension})";
            }
            if (LooksLikeHtml(head))
            {
                return "o conteúdo é uma página HTML ou SVG, que não é permitida";
            }
        }
        return null;
    }

    /// <summary>Tags that make a browser treat a text as HTML (WHATWG MIME sniffing) plus SVG and other active content.</summary>
    private static readonly string[] HtmlTags =
    [
        "!doctype html", "html", "head", "body", "script", "iframe", "frameset", "object", "embed", "style", "title", "meta", "link",
        "svg", "math", "h1", "div", "font", "table", "a", "b", "br", "p", "img", "form", "base",
    ];

    /// <summary>
    /// True when the text starts like HTML or SVG: after an optional BOM, white space, XML declarations/processing
    /// instructions and comments, the first tag is one of <see cref="HtmlTags"/> (case-insensitive).
    /// </summary>
    public static bool LooksLikeHtml(ReadOnlySpan<byte> head)
    {
        var rest = SkipBom(head);
        while (true)
        {
            rest = rest.TrimStart(" \t\r\n\f"u8);
            if (rest.StartsWith("<?"u8))
            {
                var end = rest.IndexOf("?>"u8);
                if (end < 0)
                {
                    return false;
                }
                rest = rest[(end + 2)..];
            }
            else if (rest.StartsWith("<!--"u8))
            {
                var end = rest.IndexOf("-->"u8);
                if (end < 0)
                {
                    // An unterminated comment at the start: browsers would sniff HTML.
                    return true;
                }
                rest = rest[(end + 3)..];
            }
            else
            {
                break;
            }
        }
        if (rest.Length < 2 || rest[0] != (byte)'<')
        {
            return false;
        }
        var afterBracket = rest[1..];
        foreach (var tag in HtmlTags)
        {
            if (afterBracket.Length > tag.Length
                && Ascii.EqualsIgnoreCase(afterBracket[..tag.Length], tag)
                && afterBracket[tag.Length] is (byte)' ' or (byte)'>' or (byte)'/' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'\f')
            {
                return true;
            }
        }
        return false;
    }

    private static ReadOnlySpan<byte> SkipBom(ReadOnlySpan<byte> head) =>
        head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? head[3..] : head;
}
