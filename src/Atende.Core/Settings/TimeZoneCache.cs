namespace Atende.Core.Settings;

/// <summary>
/// The company's time zone, remembered for a few seconds (one per app, registered as a singleton): the agenda and most
/// pages read it on every request. <see cref="SettingsService.UpdateCompany"/> clears it at once on this node; other
/// nodes of a multi-node setup see a change within <see cref="Lifetime"/>.
/// </summary>
public sealed class TimeZoneCache
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private sealed record Entry(TimeZoneInfo Zone, long ExpiresAt);

    private volatile Entry? _entry;

    public TimeZoneInfo? Get() => _entry is { } entry && Environment.TickCount64 < entry.ExpiresAt ? entry.Zone : null;

    public void Set(TimeZoneInfo zone) => _entry = new Entry(zone, Environment.TickCount64 + (long)Lifetime.TotalMilliseconds);

    public void Clear() => _entry = null;
}
