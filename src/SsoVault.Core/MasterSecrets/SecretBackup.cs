using SsoVault.Core.Backup;
using SsoVault.Core.Diagnostics;
using SsoVault.Core.Identity;
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
    public static async Task<BackupResult> BackupAsync(SsoNode node, Caller caller, string backupPath, string reminder, BackupPassword password,
        CancellationToken cancellationToken)
    {
        reminder = PasswordReminder.Validate(reminder);
        var fullBackupPath = Path.GetFullPath(backupPath);
        await using var session = await SecretServerSession.OpenAsync(node, caller, "Backing up the master secret", cancellationToken);
        var (transaction, info) = (session.Transaction, session.Info);
        var current = session.Current;
        var previous = session.Previous;
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
