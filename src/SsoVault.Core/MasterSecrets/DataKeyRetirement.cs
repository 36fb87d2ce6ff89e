using SsoVault.Core.Diagnostics;
using SsoVault.Core.Identity;
using SsoVault.Core.Nodes;
using SsoVault.Core.Security;
using SsoVault.Core.Storage;

namespace SsoVault.Core.MasterSecrets;

/// <summary>One data key's state for people: how many values it encrypts and what its retirement waits for.</summary>
public sealed record DataKeyStatus(uint Id, DataKeyState State, long Values, long Encryptions, DateTimeOffset CreatedUtc, DateTimeOffset? RetiredUtc,
    string? WaitingFor)
{
    /// <summary>The master secret the key is wrapped under (values per MSID are the values of the keys it wraps).</summary>
    public Guid WrappedUnderMsid { get; init; }
}

/// <summary>
/// Destroying retired data keys, only when it is proven safe: no value uses the key (counted in the database, never
/// assumed), no re-encryption job is still running, and the retention period since retirement has passed — so copies of
/// values taken outside the database before the re-encryption (exports, replicas, caches) stay readable for that long.
/// </summary>
public static class DataKeyRetirement
{
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(7);

    /// <summary>NIST SP 800-38D bounds random-nonce GCM at 2^32 encryptions per key; rotate well before (OpenBao: about 90 %).</summary>
    public const long EncryptionLimit = 3_865_470_566;

    public static async Task<IReadOnlyList<DataKeyStatus>> StatusAsync(ISsoTransaction transaction, DateTimeOffset now, TimeSpan retention,
        CancellationToken cancellationToken)
    {
        var counts = await transaction.Values.CountByKeyAsync(cancellationToken);
        var job = await transaction.Values.GetLatestJobAsync(cancellationToken);
        var keys = await transaction.DataKeys.ListAsync(cancellationToken);
        return keys.Select(k => new DataKeyStatus(k.Id, k.State, counts.GetValueOrDefault(k.Id), k.Encryptions, k.CreatedUtc, k.RetiredUtc,
            WaitingFor(k, counts.GetValueOrDefault(k.Id), job, now, retention))
        { WrappedUnderMsid = k.WrappedUnderMsid }).ToList();
    }

    /// <summary>Destroys every retired key that nothing waits for; returns their ids.</summary>
    public static async Task<IReadOnlyList<uint>> DestroyUnusedAsync(SsoNode node, Caller caller, TimeSpan retention, CancellationToken cancellationToken)
    {
        await using var transaction = await node.Database.BeginAsync(cancellationToken);
        AccessPolicy.Require(caller, SsoOperation.ManageMasterSecret, await AccessLoader.SystemAsync(transaction, cancellationToken));
        var now = node.Clock.GetUtcNow();
        var destroyed = new List<uint>();
        foreach (var key in await StatusAsync(transaction, now, retention, cancellationToken))
        {
            if (key.State == DataKeyState.Retired && key.WaitingFor is null && await transaction.DataKeys.DeleteRetiredAsync(key.Id, cancellationToken))
            {
                destroyed.Add(key.Id);
                await transaction.Audit.AddAsync(new AuditEvent(now, AuditEventIds.DataKeyDestroyed, node.Name, caller.Account,
                    $"Data key {key.Id} destroyed: no value used it, retired {key.RetiredUtc:u}"), cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        node.InvalidateKeyRing();
        return destroyed;
    }

    private static string? WaitingFor(WrappedDataKey key, long values, ReencryptionJobRecord? job, DateTimeOffset now, TimeSpan retention)
    {
        if (key.State == DataKeyState.Active)
        {
            return key.Encryptions >= EncryptionLimit ? "rotation: it has reached the encryption limit" : null;
        }

        if (values > 0)
        {
            return job is { FinishedUtc: null } running
                ? $"{values:N0} values still use it; re-encryption job {running.Id} is moving them"
                : $"{values:N0} values still use it (they could not be decrypted, or no job ran: 'ssovault secret reencrypt')";
        }

        if (job is { FinishedUtc: null } unfinished)
        {
            return $"re-encryption job {unfinished.Id} to finish";
        }

        var until = (key.RetiredUtc ?? key.CreatedUtc) + retention;
        return until > now ? $"the retention period, until {until:u}" : null;
    }
}
