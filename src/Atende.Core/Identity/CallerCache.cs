using System.Collections.Concurrent;
using Atende.Core.Data;

namespace Atende.Core.Identity;

/// <summary>
/// The callers of recent requests (a session's user and security stamp, or an API token), so an authenticated request costs one
/// one-row query (<see cref="AccessVersion"/>) instead of loading the user with their grants. An entry serves only while the
/// access version it was loaded under is current: a deactivation, role change, grant change, token revocation or password
/// reset moves the version in its own transaction, so the next request on every node loads the caller again — and finds
/// the session ended or the token refused. Failed lookups are not kept.
/// </summary>
public sealed class CallerCache
{
    /// <summary>Enough for every user of a large installation; past it the cache starts over.</summary>
    private const int MaxEntries = 20_000;

    private readonly ConcurrentDictionary<(long UserId, string Stamp), Loaded> _sessions = new();
    private readonly ConcurrentDictionary<string, Loaded> _tokens = new(StringComparer.Ordinal);

    /// <summary>A caller and the access version read before it was loaded (so it is at least that recent).</summary>
    public sealed record Loaded(long Version, Caller Caller, long TokenId = 0, DateTimeOffset? LastUsedAt = null);

    /// <summary>The caller of a session cookie: an active user whose security stamp is still <paramref name="stamp"/>, or null.</summary>
    /// <param name="knownVersion">The access version the caller just read (the live fan-out reads it once for all its screens), else read here.</param>
    public async Task<Caller?> Session(AtendeDb db, long userId, string stamp, CancellationToken ct, long? knownVersion = null)
    {
        var version = knownVersion ?? await AccessVersion.Read(db, ct);
        if (_sessions.TryGetValue((userId, stamp), out var hit) && hit.Version == version)
        {
            return hit.Caller;
        }
        var caller = await CallerFactory.Load(db, userId, stamp, ct, version);
        Keep(_sessions, (userId, stamp), caller is null ? null : new Loaded(version, caller));
        return caller;
    }

    /// <summary>
    /// The token entry of a live token's <paramref name="hash"/> at the current access version, loading it with
    /// <paramref name="load"/> (null: unknown, revoked, or its user inactive) when the cached one is missing or older.
    /// </summary>
    public async Task<Loaded?> Token(AtendeDb db, string hash, Func<long, Task<Loaded?>> load, CancellationToken ct, long? knownVersion = null)
    {
        var version = knownVersion ?? await AccessVersion.Read(db, ct);
        if (_tokens.TryGetValue(hash, out var hit) && hit.Version == version)
        {
            return hit;
        }
        var loaded = await load(version);
        Keep(_tokens, hash, loaded);
        return loaded;
    }

    /// <summary>Records that a token's last use was written, so the next write waits its interval again.</summary>
    public void Touched(string hash, Loaded entry, DateTimeOffset at) => _tokens.TryUpdate(hash, entry with { LastUsedAt = at }, entry);

    private static void Keep<TKey>(ConcurrentDictionary<TKey, Loaded> entries, TKey key, Loaded? loaded) where TKey : notnull
    {
        if (loaded is null)
        {
            entries.TryRemove(key, out _);
            return;
        }
        if (entries.Count >= MaxEntries)
        {
            entries.Clear();
        }
        entries[key] = loaded;
    }
}
