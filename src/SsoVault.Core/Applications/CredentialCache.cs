using System.Collections.Concurrent;
using SsoVault.Core.Storage;

namespace SsoVault.Core.Applications;

/// <summary>
/// ENTSSO's credential cache (§4.5), kept per node: lookup answers by application and account, for the credential cache
/// timeout. Unlike ENTSSO's, an entry is trusted only while the change epochs it was read with still hold — the database
/// bumps them on any change to the application, its mappings and credentials, the roles or the directory — so a
/// disabled mapping or a new password is never served stale, on any node, and a purge reaches every node at once.
/// Checking the epochs costs one indexed read instead of the whole lookup and decryption.
/// </summary>
public sealed class CredentialCache
{
    /// <summary>More entries than this and the cache starts over: a bound on memory, not a tuning knob.</summary>
    public const int MaxEntries = 100_000;

    /// <summary>Keyed by "application\0account", compared ignoring case (ENTSSO's names are case-insensitive).</summary>
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);

    public int Count => _entries.Count;

    public bool TryGet(string application, string account, ChangeEpochs current, DateTimeOffset now, out CredentialLookupResult result)
    {
        result = null!;
        if (!_entries.TryGetValue(Key(application, account), out var entry))
        {
            return false;
        }

        if (entry.Epochs != current || now >= entry.ExpiresUtc)
        {
            _entries.TryRemove(KeyValuePair.Create(Key(application, account), entry));
            return false;
        }

        result = entry.Result;
        return true;
    }

    public void Put(string application, string account, CredentialLookupResult result, ChangeEpochs epochs, DateTimeOffset expiresUtc)
    {
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[Key(application, account)] = new Entry(result, epochs, expiresUtc);
    }

    /// <summary>Drops one application's entries on this node (other nodes see the epoch the purge bumped).</summary>
    public void Purge(string application)
    {
        var prefix = application + "\0";
        foreach (var key in _entries.Keys.Where(k => k.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
        {
            _entries.TryRemove(key, out _);
        }
    }

    private static string Key(string application, string account) => string.Concat(application, "\0", account);

    private sealed record Entry(CredentialLookupResult Result, ChangeEpochs Epochs, DateTimeOffset ExpiresUtc);
}
