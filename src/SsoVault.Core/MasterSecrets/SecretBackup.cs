using SsoVault.Core.Backup;
using SsoVault.Core.Diagnostics;
using SsoVault.Core.Nodes;
using SsoVault.Core.Storage;

namespace SsoVault.Core.MasterSecrets;

public sealed record BackupResult(Guid Msid, string KeyCheck, Guid? PreviousMsid, string BackupPath);

/// <summary>
/// ENTSSO's "back up the master secret" (ssoconfig -backupSecret): the current and previous secrets into a
/// password-protected file, written and read back. The secret is first proven to open the key ring, so a backup
/// is never taken of a secret that would not restore this database.
/// </summary>
public static class SecretBackup
{
    public static async Task<BackupResult> BackupAsync(SsoNode node, string backupPath, string reminder, BackupPassword password,
        CancellationToken cancellationToken)
    {
        reminder = PasswordReminder.Validate(reminder);
        var fullBackupPath = Path.GetFullPath(backupPath);
        await using var transaction = await node.Database.BeginAsync(cancellationToken);
        var info = await node.GetSystemInfoAsync(transaction, cancellationToken);
        node.RequireSecretServer(info, "Backing up the master secret");
        var wrappedKeys = await transaction.DataKeys.ListAsync(cancellationToken);
        using var store = KeyRingLoader.LoadStoreFor(node, info);
        using (KeyRingLoader.Unwrap(info, wrappedKeys, store.Secrets))
        {
            // Proves the secrets about to be backed up are the ones the key ring needs.
        }

        var current = store.Find(info.Current!.Msid)!;
        var previous = info.Previous is null ? null : store.Find(info.Previous.Msid);
        var now = node.Clock.GetUtcNow();
        BackupFiles.WriteVerified(fullBackupPath,
            previous is null
                ? [(BackupSecretRole.Current, current)]
                : [(BackupSecretRole.Current, current), (BackupSecretRole.Previous, previous)],
            info.SystemId, password, reminder, now);

        await transaction.System.UpdateAsync(info with { LastBackupUtc = now, LastBackupMsid = current.Msid }, cancellationToken);
        await transaction.Audit.AddAsync(new AuditEvent(now, AuditEventIds.BackupSecretOk, node.Name, node.Actor,
            $"Backed up master secret {current.Msid} (previous {previous?.Msid.ToString() ?? "none"}) to {fullBackupPath}"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        node.Logger.SecretBackedUp(current.Msid, previous?.Msid, fullBackupPath);
        return new BackupResult(current.Msid, current.KeyCheck.ToString(), previous?.Msid, fullBackupPath);
    }
}
