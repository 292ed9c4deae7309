using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Common;

/// <summary>
/// The version an update presents (API If-Match, a page's hidden field). <see cref="Any"/> (If-Match: *) accepts
/// whatever version is current; the EF concurrency token still refuses a write that races another one.
/// </summary>
public static class Versions
{
    public const int Any = -1;

    public static bool Matches(int current, int presented) => presented == Any || current == presented;

    /// <summary>Throws the stale-version error (API 412, the page's message) unless <paramref name="presented"/> matches.</summary>
    public static void Check(int current, int presented, string message)
    {
        if (!Matches(current, presented))
        {
            throw new StaleVersionException(message);
        }
    }

    /// <summary>Saves a versioned change; a write that raced another one (the concurrency token moved) is stale too.</summary>
    public static async Task Save(DbContext db, string message, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException e)
        {
            throw new StaleVersionException(message, e);
        }
    }
}
