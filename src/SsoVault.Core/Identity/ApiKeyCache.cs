using System.Collections.Concurrent;

namespace SsoVault.Core.Identity;

/// <summary>
/// A node's cache of authenticated API keys: key id → the key's stored secret hash and the caller it authenticates
/// (account and transitive group memberships), valid while the system's change epoch it was read with holds — the rule
/// of <see cref="Applications.CredentialCache"/> and <see cref="Applications.ApplicationContextCache"/>. The database
/// bumps that epoch when a key is revoked or deleted, an account removed, a group membership or a system role changed,
/// so such a change is seen by every request that starts after it returned, on every node sharing the database (the
/// epoch comes from the node's leased view, <see cref="Storage.LeasedChangeEpochs"/>); a hit reads no database instead
/// of the key, the membership query and the hash check against the database row.
/// </summary>
/// <remarks>
/// The presented token is never kept: entries are keyed by the key's public id and hold the SHA-256 hash the database
/// stores, which every hit compares with the presented secret's hash in constant time, as an uncached check does.
/// </remarks>
public sealed class ApiKeyCache
{
    /// <summary>More entries than this and the cache starts over: a bound on memory, not a tuning knob.</summary>
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    /// <summary>True when the key with this public id is cached (whether or not its epoch still holds).</summary>
    public bool Contains(string keyId) => _entries.ContainsKey(keyId);

    /// <summary>
    /// The cached caller for a key id read at <paramref name="systemEpoch"/>, with the stored hash to compare the presented
    /// one with; false (and the stale entry dropped) when there is none or the epoch moved since.
    /// </summary>
    internal bool TryGet(string id, long systemEpoch, out byte[] storedHash, out Caller caller)
    {
        storedHash = [];
        caller = null!;
        if (!_entries.TryGetValue(id, out var entry))
        {
            return false;
        }

        if (entry.SystemEpoch != systemEpoch)
        {
            _entries.TryRemove(KeyValuePair.Create(id, entry));
            return false;
        }

        (storedHash, caller) = (entry.StoredHash, entry.Caller);
        return true;
    }

    /// <summary>Caches a key that has just been checked against the database, read at <paramref name="systemEpoch"/>.</summary>
    internal void Put(string id, byte[] storedHash, Caller caller, long systemEpoch)
    {
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[id] = new Entry(storedHash, caller, systemEpoch);
    }

    private sealed record Entry(byte[] StoredHash, Caller Caller, long SystemEpoch);
}
