namespace Atende.Core.Common;

public static class Clock
{
    /// <summary>Now in UTC, truncated to microseconds so SQLite and PostgreSQL round-trip the same value.</summary>
    public static DateTimeOffset Now()
    {
        var now = DateTimeOffset.UtcNow;
        return new DateTimeOffset(now.Ticks - (now.Ticks % 10), TimeSpan.Zero);
    }
}
