namespace Atende.Core.Common;

/// <summary>
/// An enum read from text the way users and clients mean it: exactly one of its declared names, in any case. Never a
/// number ("3") or a comma-separated combination ("Open,Done"), which <c>Enum.TryParse</c> accepts (the second as the two
/// values OR-ed, so "Open,Done" reads as Done).
/// </summary>
public static class EnumNames
{
    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(candidate.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>Whether <paramref name="text"/> is one of the names of <paramref name="enumType"/> (for code that knows the type only at run time).</summary>
    public static bool IsName(Type enumType, string? text) =>
        Enum.GetNames(enumType).Contains(text, StringComparer.OrdinalIgnoreCase);
}
