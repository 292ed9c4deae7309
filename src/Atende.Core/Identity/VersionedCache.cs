using System.Collections.Concurrent;

namespace Atende.Core.Identity;

/// <summary>
/// What nearly every page reads and rarely changes — a pipeline with its tags, the company profile — kept per node under the
/// access version it was read at, and served only while the request's caller carries that same version
/// (<see cref="Caller.AccessVersion"/>, read at the start of the request). The triggers that move the version on a change of
/// access also move it when a pipeline, a tag or the company profile changes (migration AccessVersionFrames), in the
/// changing transaction: the next request on every node reads them again. Values are shared between requests: never
/// change one.
/// </summary>
public sealed class VersionedCache
{
    /// <summary>Far more than the pipelines and settings of an installation; past it the cache starts over.</summary>
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, (long Version, object Value)> _entries = new(StringComparer.Ordinal);

    /// <summary>
    /// The value under <paramref name="key"/> at the caller's version, else <paramref name="load"/>ed and kept. Without a
    /// version (a caller not loaded through <see cref="CallerCache"/>) it always loads, keeping nothing.
    /// </summary>
    public async Task<T> Get<T>(Caller caller, string key, Func<Task<T>> load) where T : class
    {
        var version = caller.AccessVersion;
        if (version != 0 && _entries.TryGetValue(key, out var hit) && hit.Version == version && hit.Value is T value)
        {
            return value;
        }
        var loaded = await load();
        if (version != 0)
        {
            if (_entries.Count >= MaxEntries)
            {
                _entries.Clear();
            }
            _entries[key] = (version, loaded);
        }
        return loaded;
    }
}
