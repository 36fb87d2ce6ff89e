using System.Collections.Concurrent;
using SsoVault.Core.Storage;

namespace SsoVault.Core.Applications;

/// <summary>
/// ENTSSO's credential cache (§4.5), kept per node: lookup answers by application and account, for the credential cache
/// timeout. Unlike ENTSSO's, an entry is trusted only while the change epochs it was read with still hold — the database
/// bumps them on any change to the application, its mappings and credentials, the roles or the directory — so a
/// disabled mapping or a new password is never served stale, on any node, and a purge reaches every node at once.
/// The epochs come from the node's leased view (<see cref="LeasedChangeEpochs"/>), so a hit reads no database.
/// </summary>
public sealed class CredentialCache
{
    /// <summary>More entries than this and the cache starts over: a bound on memory, not a tuning knob.</summary>
    public const int MaxEntries = 100_000;

    /// <summary>One table per application, keyed by account; both compared ignoring case (ENTSSO's names are case-insensitive).</summary>
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, Entry>> _applications = new(StringComparer.OrdinalIgnoreCase);
    private int _count;

    /// <summary>Entries held (approximate while lookups run).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// The cached answer, as a completed task made once when it was cached (a hit allocates nothing), while
    /// <paramref name="current"/> are the epochs it was cached under and its timeout has not passed.
    /// </summary>
    public bool TryGet(string application, string account, ChangeEpochs current, DateTimeOffset now, out Task<CredentialLookupResult> answer)
    {
        answer = null!;
        if (!_applications.TryGetValue(application, out var entries) || !entries.TryGetValue(account, out var entry))
        {
            return false;
        }

        if (entry.Epochs != current || now >= entry.ExpiresUtc)
        {
            if (entries.TryRemove(KeyValuePair.Create(account, entry)))
            {
                Interlocked.Decrement(ref _count);
            }

            return false;
        }

        answer = entry.Answer;
        return true;
    }

    public void Put(string application, string account, CredentialLookupResult result, ChangeEpochs epochs, DateTimeOffset expiresUtc)
    {
        if (Count >= MaxEntries)
        {
            _applications.Clear();
            Volatile.Write(ref _count, 0);
        }

        var entries = _applications.GetOrAdd(application, _ => new ConcurrentDictionary<string, Entry>(StringComparer.OrdinalIgnoreCase));
        var entry = new Entry(Task.FromResult(result), epochs, expiresUtc);
        if (entries.TryAdd(account, entry))
        {
            Interlocked.Increment(ref _count);
        }
        else
        {
            entries[account] = entry;
        }
    }

    /// <summary>Drops one application's entries on this node (other nodes see the epoch the purge bumped).</summary>
    public void Purge(string application)
    {
        if (_applications.TryRemove(application, out var entries))
        {
            Interlocked.Add(ref _count, -entries.Count);
        }
    }

    private sealed record Entry(Task<CredentialLookupResult> Answer, ChangeEpochs Epochs, DateTimeOffset ExpiresUtc);
}
