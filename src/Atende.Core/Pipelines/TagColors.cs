using System.Globalization;

namespace Atende.Core.Pipelines;

/// <summary>
/// Readable text for a tag's chip, whatever colour the user picked (WCAG 2 AA: contrast of at least 4.5:1).
/// A chip is drawn either tinted (the tag colour mixed with white, text in a darker shade of the same colour) or solid
/// (selected: the tag colour itself, text black or white). The CSS mixes the tint with <c>color-mix(in srgb, …)</c>, which
/// interpolates the sRGB components as this class does.
/// </summary>
public static class TagColors
{
    /// <summary>WCAG AA for normal text.</summary>
    public const double MinimumContrast = 4.5;

    /// <summary>How much of the tag colour the tinted chip's background holds on hover (the darkest tint a chip shows; 12% at rest).</summary>
    public const double HoverTint = 0.22;

    // A little above 4.5, so a browser's rounding of the mixed background never drops the chip below AA.
    private const double Target = 4.7;

    /// <summary>The CSS custom properties a chip's <c>style</c> attribute carries: the colour, its text on the tint, its text when solid.</summary>
    public static string CssVariables(string color)
    {
        var rgb = Parse(color);
        return $"--tag-color: {Hex(rgb)}; --tag-text: {Hex(TextOnTint(rgb))}; --tag-on: {Hex(TextOnSolid(rgb))}";
    }

    /// <summary>Text on the tinted chip: the tag colour, darkened just enough to reach AA on the tint.</summary>
    public static string TextOnTint(string color) => Hex(TextOnTint(Parse(color)));

    /// <summary>Text on the solid tag colour: black or white, whichever contrasts more (one of them always reaches 4.5:1).</summary>
    public static string TextOnSolid(string color) => Hex(TextOnSolid(Parse(color)));

    /// <summary>The tinted background: <paramref name="share"/> of the tag colour, the rest white.</summary>
    public static string Tint(string color, double share) => Hex(Mix(Parse(color), White, share));

    /// <summary>WCAG 2 contrast ratio of two colours, 1 to 21.</summary>
    public static double Contrast(string a, string b) => Contrast(Parse(a), Parse(b));

    private readonly record struct Rgb(double R, double G, double B);

    private static readonly Rgb White = new(255, 255, 255);
    private static readonly Rgb Black = new(0, 0, 0);

    private static Rgb TextOnTint(Rgb color)
    {
        var tint = Mix(color, White, HoverTint);
        // Mix in black step by step: the hue stays, the text gets darker until it reads.
        for (var black = 0.0; black < 1; black += 0.02)
        {
            var text = Round(Mix(Black, color, black));
            if (Contrast(text, tint) >= Target)
            {
                return text;
            }
        }
        return Black;
    }

    private static Rgb TextOnSolid(Rgb color) => Contrast(Black, color) >= Contrast(White, color) ? Black : White;

    private static Rgb Mix(Rgb a, Rgb b, double shareOfA) =>
        new(a.R * shareOfA + b.R * (1 - shareOfA), a.G * shareOfA + b.G * (1 - shareOfA), a.B * shareOfA + b.B * (1 - shareOfA));

    private static Rgb Round(Rgb c) => new(Math.Round(c.R), Math.Round(c.G), Math.Round(c.B));

    private static double Contrast(Rgb a, Rgb b)
    {
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    private static double Luminance(Rgb c) => 0.2126 * Linear(c.R) + 0.7152 * Linear(c.G) + 0.0722 * Linear(c.B);

    private static double Linear(double component)
    {
        var c = component / 255;
        return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
    }

    /// <summary>#RRGGBB (as tags store it); anything else falls back to the default tag colour.</summary>
    private static Rgb Parse(string? color)
    {
        var hex = color?.Trim().TrimStart('#') ?? "";
        if (hex.Length != 6 || !int.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
        {
            return Parse(PipelineService.DefaultTagColor);
        }
        return new((value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff);
    }

    private static string Hex(Rgb c) =>
        string.Create(CultureInfo.InvariantCulture, $"#{(int)Math.Round(c.R):x2}{(int)Math.Round(c.G):x2}{(int)Math.Round(c.B):x2}");
}
