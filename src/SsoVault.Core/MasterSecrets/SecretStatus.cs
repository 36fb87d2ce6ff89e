using SsoVault.Core.Errors;
using SsoVault.Core.Nodes;
using SsoVault.Core.Storage;

namespace SsoVault.Core.MasterSecrets;

/// <summary>What this node's local secret store can do for the database.</summary>
public enum LocalSecretState
{
    /// <summary>It holds every secret the key ring is wrapped under.</summary>
    HoldsCurrent,
    /// <summary>There is no store on this node.</summary>
    Missing,
    /// <summary>The store fails its integrity checks.</summary>
    Damaged,
    /// <summary>The store exists but lacks a secret the key ring needs (or belongs to another system).</summary>
    Stale,
}

public sealed record SecretStatusSecret(Guid Msid, string KeyCheck, DateTimeOffset CreatedUtc, int AgeDays);

public sealed record SecretStatus(
    string SecretServer,
    string ThisNode,
    bool ThisNodeIsSecretServer,
    SecretStatusSecret? Current,
    SecretStatusSecret? Previous,
    DateTimeOffset? LastBackupUtc,
    Guid? LastBackupMsid,
    bool CurrentSecretBackedUp,
    LocalSecretState LocalSecret,
    IReadOnlyList<string> Warnings)
{
    /// <summary>Every data key: values it encrypts, encryptions so far, and what its retirement waits for.</summary>
    public IReadOnlyList<DataKeyStatus> DataKeys { get; init; } = [];

    /// <summary>The latest re-encryption job's progress, if there has been one.</summary>
    public ReencryptionProgress? Reencryption { get; init; }
}

/// <summary>
/// The master secret's health at a glance (ENTSSO shows none of this in one place): ids, key-check values, ages,
/// backups, where the secret lives, and warnings for what needs doing.
/// </summary>
public static class SecretStatusReport
{
    /// <summary>ENTSSO warns when the master secret is older than one year (reference/entsso.md §6.7).</summary>
    public const int MaxAgeDays = 365;

    public static async Task<SecretStatus> GetAsync(SsoNode node, CancellationToken cancellationToken)
    {
        SystemInfo info;
        IReadOnlyList<WrappedDataKey> keys;
        IReadOnlyList<DataKeyStatus> keyStatus;
        var now = node.Clock.GetUtcNow();
        await using (var transaction = await node.Database.BeginReadAsync(cancellationToken))
        {
            info = await node.GetSystemInfoAsync(transaction, cancellationToken);
            keys = await transaction.DataKeys.ListAsync(cancellationToken);
            keyStatus = await DataKeyRetirement.StatusAsync(transaction, now, DataKeyRetirement.DefaultRetention, cancellationToken);
        }

        var isServer = node.IsSecretServer(info);
        var local = LocalState(node, info, keys);
        var backedUp = info.Current is not null && info.LastBackupMsid == info.Current.Msid;
        var warnings = new List<string>();
        if (!backedUp)
        {
            warnings.Add("The current master secret has never been backed up (ENTSSO event 10589): run 'ssovault secret backup FILE' on the secret server.");
        }

        if (info.Current is not null && (now - info.Current.CreatedUtc).TotalDays > MaxAgeDays)
        {
            warnings.Add($"The current master secret is {(int)(now - info.Current.CreatedUtc).TotalDays} days old, older than the one-year policy: " +
                         "run 'ssovault secret generate --backup FILE' on the secret server.");
        }

        if (isServer && local != LocalSecretState.HoldsCurrent)
        {
            warnings.Add($"This node is the master secret server but its secret store is {local.ToString().ToLowerInvariant()}: " +
                         "restore the backup here with 'ssovault secret restore FILE'.");
        }

        foreach (var key in keyStatus.Where(k => k.State == DataKeyState.Active && k.WaitingFor is not null))
        {
            warnings.Add($"Data key {key.Id} has been used for {key.Encryptions:N0} encryptions, near the AES-GCM limit: run 'ssovault secret rotate-data-key'.");
        }

        var job = await ReencryptionJob.CurrentAsync(node, cancellationToken);
        if (job is { Finished: false })
        {
            warnings.Add($"Re-encryption job {job.JobId} is not finished ({job.Remaining:N0} values to move): it resumes in 'ssovault serve', or run 'ssovault secret reencrypt'.");
        }

        return new SecretStatus(info.SecretServer, node.Name, isServer, Describe(info.Current, now), Describe(info.Previous, now),
            info.LastBackupUtc, info.LastBackupMsid, backedUp, local, warnings)
        {
            DataKeys = keyStatus,
            Reencryption = job,
        };
    }

    private static LocalSecretState LocalState(SsoNode node, SystemInfo info, IReadOnlyList<WrappedDataKey> keys)
    {
        try
        {
            using var store = node.SecretStore.Load();
            if (store is null)
            {
                return LocalSecretState.Missing;
            }

            var holdsAll = store.SystemId == info.SystemId && keys.All(k => store.Find(k.WrappedUnderMsid) is not null);
            return holdsAll ? LocalSecretState.HoldsCurrent : LocalSecretState.Stale;
        }
        catch (SsoException e) when (e.Code == SsoErrorCode.SecretStoreDamaged)
        {
            return LocalSecretState.Damaged;
        }
    }

    private static SecretStatusSecret? Describe(MasterSecretInfo? secret, DateTimeOffset now) =>
        secret is null ? null : new SecretStatusSecret(secret.Msid, secret.KeyCheck, secret.CreatedUtc, (int)(now - secret.CreatedUtc).TotalDays);
}
