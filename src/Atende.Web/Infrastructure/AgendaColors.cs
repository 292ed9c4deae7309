using System.Globalization;

namespace Atende.Web.Infrastructure;

/// <summary>
/// The agenda colors each channel with one of a fixed palette (by id, so a channel keeps its color). Pending
/// conversations are solid; concluded ones are a pale tint of the same color with dark text.
/// </summary>
public static class AgendaColors
{
    private static readonly string[] Palette =
    [
        "#1f6feb", "#1a7f37", "#bf3989", "#d4640b", "#6f42c1", "#0a7c86", "#b3261e", "#5a6b00", "#8250df", "#37474f",
    ];

    public static string ForChannel(long channelId) => Palette[Index(channelId)];

    /// <summary>The color mixed with white (<paramref name="amount"/> &gt; 0) or black (&lt; 0), amount between -1 and 1.</summary>
    public static string Mix(string hex, double amount)
    {
        var target = amount >= 0 ? 255 : 0;
        var weight = Math.Abs(amount);
        string Channel(int start)
        {
            var c = int.Parse(hex.AsSpan(start, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            return ((int)Math.Round(c + ((target - c) * weight))).ToString("x2", CultureInfo.InvariantCulture);
        }
        return "#" + Channel(1) + Channel(3) + Channel(5);
    }

    /// <summary>Each palette color as a concluded event wears it, mixed once (the agenda feed asks for hundreds per request).</summary>
    private static readonly (string Background, string Border, string Text)[] Concluded =
        Palette.Select(color => (Mix(color, 0.82), color, Mix(color, -0.45))).ToArray();

    /// <summary>Background, border and text colors of an event.</summary>
    public static (string Background, string Border, string Text) ForEvent(long channelId, bool concluded)
    {
        if (concluded)
        {
            return Concluded[Index(channelId)];
        }
        var color = ForChannel(channelId);
        return (color, color, "#ffffff");
    }

    private static int Index(long channelId) => (int)((channelId - 1) % Palette.Length + Palette.Length) % Palette.Length;
}
