using SsoVault.Core.Backup;
using SsoVault.Core.Crypto;
using SsoVault.Core.Diagnostics;
using SsoVault.Core.Identity;
using SsoVault.Core.Nodes;
using SsoVault.Core.Storage;

namespace SsoVault.Core.MasterSecrets;

public sealed record GenerateResult(Guid Msid, string KeyCheck, Guid PreviousMsid, int DataKeysRewrapped, string BackupPath)
{
    /// <summary>The data key new values now go under, and the job moving the existing ones to it.</summary>
    public DataKeyRotationResult? Rotation { get; init; }
}

/// <summary>
/// ENTSSO's "generate the master secret" (ssoconfig -generateSecret), made safe to interrupt:
/// 1. the new secret's backup (new current + old as previous) is written and read back;
/// 2. the local store gains the new secret, keeping the old ones;
/// 3. one transaction re-wraps every data key under the new secret and makes it current (old one previous);
/// 4. the store is trimmed to current + previous.
/// A crash before 3 leaves the old secret in charge; after 3 the store already holds what the database names.
/// Values are never re-encrypted: they stay under their data keys, which is why this takes milliseconds.
/// </summary>
public static class SecretGeneration
{
    public static async Task<GenerateResult> GenerateAsync(SsoNode node, Caller caller, string backupPath, string reminder, BackupPassword password,
        CancellationToken cancellationToken)
    {
        reminder = PasswordReminder.Validate(reminder);
        var fullBackupPath = Path.GetFullPath(backupPath);
        await using var session = await SecretServerSession.OpenAsync(node, caller, "Generating a master secret", cancellationToken);
        var (transaction, info, wrappedKeys) = (session.Transaction, session.Info, session.WrappedKeys);
        var oldSecret = session.Current;

        using var newSecret = MasterSecret.Generate(node.Clock);
        var now = node.Clock.GetUtcNow();
        BackupFiles.WriteVerified(fullBackupPath,
            [(BackupSecretRole.Current, newSecret), (BackupSecretRole.Previous, oldSecret)],
            info.SystemId, password, reminder, now);
        FaultInjection.CrashPoint("generate.backup-written");

        // The store gains the new secret and keeps what the database names now, so it serves either outcome of step 3.
        var previous = session.Previous;
        node.SecretStore.Save(info.SystemId, previous is null ? [newSecret, oldSecret] : [newSecret, oldSecret, previous]);
        FaultInjection.CrashPoint("generate.store-written");

        foreach (var wrapped in wrappedKeys)
        {
            var dataKey = session.Ring.Find(wrapped.Id)!;
            await transaction.DataKeys.RewrapAsync(wrapped.Id, newSecret.Msid,
                DataKeyWrapper.Wrap(newSecret, info.SystemId, dataKey), cancellationToken);
        }

        // A leaked secret may have exposed the data keys it wrapped: new values go under a fresh key at once, and the
        // re-encryption job moves the old ones in the background.
        var rotation = await DataKeyRotation.RotateInAsync(transaction, node, caller, info.SystemId, newSecret, wrappedKeys, cancellationToken);
        await transaction.System.UpdateAsync(info with
        {
            Current = new MasterSecretInfo(newSecret.Msid, newSecret.KeyCheck.ToString(), newSecret.CreatedUtc),
            Previous = info.Current,
            LastBackupUtc = now,
            LastBackupMsid = newSecret.Msid,
        }, cancellationToken);
        await transaction.Audit.AddAsync(new AuditEvent(now, AuditEventIds.GenerateSecretOk, node.Name, node.Actor,
            $"Generated master secret {newSecret.Msid} (kcv {newSecret.KeyCheck}); previous {oldSecret.Msid}; " +
            $"{wrappedKeys.Count} data keys re-wrapped; backup {fullBackupPath}"), cancellationToken);
        FaultInjection.CrashPoint("generate.before-commit");
        await transaction.CommitAsync(cancellationToken);
        FaultInjection.CrashPoint("generate.committed");

        node.SecretStore.Save(info.SystemId, [newSecret, oldSecret]);
        node.InvalidateKeyRing();
        node.Logger.SecretGenerated(newSecret.Msid, newSecret.KeyCheck.ToString(), oldSecret.Msid, wrappedKeys.Count, fullBackupPath);
        return new GenerateResult(newSecret.Msid, newSecret.KeyCheck.ToString(), oldSecret.Msid, wrappedKeys.Count, fullBackupPath) { Rotation = rotation };
    }
}
