using PdfSharp.Fonts;

namespace Atende.Core.Sales;

/// <summary>
/// The PDF fonts: DejaVu Sans regular and bold, embedded in this assembly (Sales/Fonts, licence beside them), so a quote
/// renders the same on any machine and its accents (ã, ç, é) are real, extractable text. PDFsharp takes one global font
/// resolver; <see cref="Register"/> sets ours once per process and is safe to call from any thread, any number of times.
/// </summary>
public sealed class QuoteFonts : IFontResolver
{
    /// <summary>The family name the quote renderer asks for.</summary>
    public const string Family = "DejaVu Sans";

    private const string RegularFace = "DejaVuSans";
    private const string BoldFace = "DejaVuSans-Bold";

    private static readonly QuoteFonts Instance = new();
    private static readonly Lock RegisterLock = new();
    private static volatile bool registered;

    private readonly Lazy<byte[]> regular = new(() => Load(RegularFace));
    private readonly Lazy<byte[]> bold = new(() => Load(BoldFace));

    private QuoteFonts()
    {
    }

    /// <summary>
    /// Makes our fonts PDFsharp's font resolver. When another part of the process already set a different resolver,
    /// ours becomes the fallback one (asked for the families the other does not know).
    /// </summary>
    public static void Register()
    {
        if (registered)
        {
            return;
        }
        lock (RegisterLock)
        {
            if (registered)
            {
                return;
            }
            if (GlobalFontSettings.FontResolver is null or QuoteFonts)
            {
                // PDFsharp ignores a second instance of the same resolver type, so two app instances in one process are fine.
                GlobalFontSettings.FontResolver = Instance;
            }
            else if (GlobalFontSettings.FallbackFontResolver is null or QuoteFonts)
            {
                GlobalFontSettings.FallbackFontResolver = Instance;
            }
            registered = true;
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic)
    {
        if (!string.Equals(familyName, Family, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        // No italic face is embedded: PDFsharp slants the upright one when italic is asked for.
        return new FontResolverInfo(bold ? BoldFace : RegularFace, false, italic);
    }

    public byte[]? GetFont(string faceName) => faceName switch
    {
        RegularFace => regular.Value,
        BoldFace => bold.Value,
        _ => null,
    };

    private static byte[] Load(string face)
    {
        var name = $"Atende.Core.Sales.Fonts.{face}.ttf";
        using var stream = typeof(QuoteFonts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded font {name} is missing from Atende.Core.");
        using var copy = new MemoryStream((int)stream.Length);
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
