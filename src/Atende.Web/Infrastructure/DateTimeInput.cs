using System.Globalization;
using System.Text.RegularExpressions;
using Atende.Core.Common;

namespace Atende.Web.Infrastructure;

/// <summary>
/// The one way forms show and read a date and time: "22/11/2026 14:30", a wall-clock time in the company's time zone,
/// whatever the browser's language (the partial <c>_DateTimeInput</c> renders the field). The API keeps ISO 8601.
/// </summary>
public static partial class DateTimeInput
{
    public const string Format = "dd/MM/yyyy HH:mm";
    public const string Placeholder = "dd/mm/aaaa hh:mm";
    /// <summary>The years a form accepts, the same as ConversationService's range for conversations.</summary>
    public const int MinYear = 2000;
    public const int MaxYear = 2100;

    /// <summary>"22/11/2026 14:30" for an instant, in <paramref name="zone"/>.</summary>
    public static string Show(DateTimeOffset instant, TimeZoneInfo zone) =>
        ZoneTime.ToLocal(instant, zone).ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads "dd/mm/aaaa hh:mm" (also "d/m/aaaa h:mm", "14h30", "14h", "-" or "." between the date's parts, and ISO
    /// "aaaa-mm-ddThh:mm"); a date alone takes <paramref name="timeIfMissing"/>. On failure <paramref name="error"/> is a
    /// pt-BR message that starts with <paramref name="label"/>, the field's name on the form.
    /// </summary>
    public static bool TryParse(string? text, string label, TimeOnly timeIfMissing, out DateTime local, out string error)
    {
        local = default;
        error = "";
        var value = string.Join(' ', (text ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        if (value.Length == 0)
        {
            error = $"{label}: informe a data, por exemplo 22/11/2026 14:30.";
            return false;
        }
        var match = BrazilianShape().Match(value);
        if (!match.Success)
        {
            match = IsoShape().Match(value);
        }
        if (!match.Success)
        {
            error = $"{label}: use o formato {Placeholder}, por exemplo 22/11/2026 14:30.";
            return false;
        }
        var day = Number(match, "d");
        var month = Number(match, "m");
        var year = Number(match, "y");
        var hasTime = match.Groups["h"].Success;
        var hour = hasTime ? Number(match, "h") : timeIfMissing.Hour;
        var minute = match.Groups["min"].Success ? Number(match, "min") : hasTime ? 0 : timeIfMissing.Minute;
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Clamp(year, 1, 9999), month))
        {
            error = $"{label}: o dia {day:00}/{month:00}/{year:0000} não existe.";
            return false;
        }
        if (year is < MinYear or > MaxYear)
        {
            error = $"{label}: o ano {match.Groups["y"].Value} está fora do intervalo aceito ({MinYear} a {MaxYear}).";
            return false;
        }
        if (hour > 23 || minute > 59)
        {
            error = $"{label}: a hora {hour:00}:{minute:00} não existe; use de 00:00 a 23:59.";
            return false;
        }
        local = new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified);
        return true;
    }

    // [0-9], not \d: \d also matches other scripts' digits, which int.Parse refuses.
    private static int Number(Match match, string group) => int.Parse(match.Groups[group].Value, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<d>[0-9]{1,2})([/.-])(?<m>[0-9]{1,2})\1(?<y>[0-9]{4})(,?\s+(?<h>[0-9]{1,2})(:(?<min>[0-9]{2})|h(?<min>[0-9]{2})?))?$", RegexOptions.CultureInvariant)]
    private static partial Regex BrazilianShape();

    [GeneratedRegex(@"^(?<y>[0-9]{4})-(?<m>[0-9]{2})-(?<d>[0-9]{2})([T ](?<h>[0-9]{2}):(?<min>[0-9]{2})(:[0-9]{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoShape();
}

/// <summary>What <c>Pages/Shared/_DateTimeInput.cshtml</c> renders: one text field for a date and time.</summary>
/// <param name="DescribedBy">Ids of the help text and the error message, space separated.</param>
public sealed record DateTimeField(string Id, string Name, string? Value, bool Invalid = false, string? DescribedBy = null, bool Autofocus = false, bool Required = false);
