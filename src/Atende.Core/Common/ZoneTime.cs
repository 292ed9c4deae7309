using System.Globalization;

namespace Atende.Core.Common;

/// <summary>
/// Wall-clock times in the company's time zone ↔ instants. Dates are stored as instants (UTC) and shown, typed and
/// grouped into days in the company time zone (SettingsService.TimeZone).
/// </summary>
public static class ZoneTime
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd",
    ];

    /// <summary>
    /// The earliest and latest wall-clock time or instant <see cref="TryParse"/> accepts: a day inside DateTime's range, so
    /// converting between any zone (offsets up to 14 h) and UTC, or adding a day, cannot overflow.
    /// </summary>
    public static readonly DateTime Earliest = DateTime.MinValue.AddDays(1);
    public static readonly DateTime Latest = DateTime.MaxValue.Date.AddDays(-1);

    /// <summary>True when <paramref name="time"/> lies in [<see cref="Earliest"/>, <see cref="Latest"/>].</summary>
    public static bool InRange(DateTime time) => time >= Earliest && time <= Latest;

    /// <summary>
    /// The instant of a wall-clock time in <paramref name="zone"/>. A time skipped by a daylight-saving change
    /// (02:30 on the night clocks jump from 02:00 to 03:00) is moved forward by the jump.
    /// </summary>
    public static DateTimeOffset FromLocal(DateTime local, TimeZoneInfo zone)
    {
        var wall = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(wall))
        {
            wall = wall.AddHours(1);
        }
        return new DateTimeOffset(wall, zone.GetUtcOffset(wall)).ToUniversalTime();
    }

    /// <summary>The same instant with the zone's offset: its date and time are what a clock on the wall shows.</summary>
    public static DateTimeOffset ToLocal(DateTimeOffset instant, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(instant, zone);

    /// <summary>Midnight that starts the current day in <paramref name="zone"/>, as an instant.</summary>
    public static DateTimeOffset StartOfToday(TimeZoneInfo zone, DateTimeOffset now) => FromLocal(ToLocal(now, zone).Date, zone);

    /// <summary>
    /// Parses an ISO 8601 date-time. With an offset ("2026-11-22T14:30:00-03:00", "…Z") it is that instant; without one
    /// ("2026-11-22T14:30", "2026-11-22") it is a wall-clock time in <paramref name="zone"/>.
    /// </summary>
    public static bool TryParse(string? text, TimeZoneInfo zone, out DateTimeOffset instant)
    {
        instant = default;
        var value = text?.Trim() ?? "";
        if (value.Length == 0)
        {
            return false;
        }
        if (DateTime.TryParseExact(value, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            if (!InRange(local))
            {
                return false;
            }
            instant = FromLocal(local, zone);
            return true;
        }
        if (HasOffset(value) && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset))
        {
            if (!InRange(withOffset.UtcDateTime) || !InRange(withOffset.DateTime))
            {
                return false;
            }
            instant = withOffset.ToUniversalTime();
            return true;
        }
        return false;
    }

    private static bool HasOffset(string value)
    {
        var t = value.IndexOf('T', StringComparison.Ordinal);
        if (t < 0)
        {
            return false;
        }
        var time = value[t..];
        return time.EndsWith('Z') || time.EndsWith('z') || time.Contains('+', StringComparison.Ordinal) || time.Contains('-', StringComparison.Ordinal);
    }

    /// <summary>
    /// The instants a filter "from day … to day" (both included, in <paramref name="zone"/>) covers: from the start of
    /// <paramref name="from"/> (null: no start) up to, not including, the start of the day after <paramref name="to"/>.
    /// </summary>
    public static (DateTimeOffset? Start, DateTimeOffset? End) Days(DateOnly? from, DateOnly? to, TimeZoneInfo zone) => (
        from is { } f ? FromLocal(f.ToDateTime(TimeOnly.MinValue), zone) : null,
        to is { } t && t < DateOnly.MaxValue ? FromLocal(t.AddDays(1).ToDateTime(TimeOnly.MinValue), zone) : null);
}
