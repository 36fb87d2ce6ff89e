using SsoVault.Core.Backup;
using SsoVault.Core.Crypto;
using SsoVault.Core.Diagnostics;
using SsoVault.Core.Errors;
using SsoVault.Core.Identity;
using SsoVault.Core.Nodes;
using SsoVault.Core.Security;
using SsoVault.Core.Storage;

namespace SsoVault.Core.MasterSecrets;

public sealed record RestoreResult(Guid Msid, string KeyCheck, IReadOnlyList<Guid> RestoredMsids, string BackupPath, string? DamagedStoreSetAsideAs);

/// <summary>
/// ENTSSO's "restore the master secret" (ssoconfig -restoreSecret), accepted only when the file holds every secret
/// the database's key ring is wrapped under — proven by unwrapping each data key — and refused otherwise with
/// nothing changed: wrong password, corrupt or foreign file, or a secret of another database (both MSIDs named).
/// The only change is one atomic replacement of the local secret store.
/// </summary>
public static class SecretRestore
{
    public static async Task<RestoreResult> RestoreAsync(SsoNode node, Caller caller, string backupPath, BackupPassword password,
        CancellationToken cancellationToken)
    {
        var fullBackupPath = Path.GetFullPath(backupPath);
        var file = BackupFiles.Read(fullBackupPath);
        BackupFileReader.ReadHeader(file);

        await using var transaction = await node.Database.BeginAsync(cancellationToken);
        AccessPolicy.Require(caller, SsoOperation.ManageMasterSecret, await AccessLoader.SystemAsync(transaction, cancellationToken));
        var info = await node.GetSystemInfoAsync(transaction, cancellationToken);
        node.RequireSecretServer(info, "Restoring the master secret");
        var wrappedKeys = await transaction.DataKeys.ListAsync(cancellationToken);

        var (header, opened) = OpenOrLog(node, file, password, fullBackupPath);
        var fileSecrets = opened.Select(s => s.Secret).ToList();
        try
        {
            RequireBelongsToDatabase(node, info, wrappedKeys, header, fileSecrets, fullBackupPath);

            var keep = KeptSecrets(node, info, fileSecrets, out var setAside);
            FaultInjection.CrashPoint("restore.before-store-write");
            try
            {
                node.SecretStore.Save(info.SystemId, keep);
            }
            finally
            {
                keep.Except(fileSecrets).ToList().ForEach(s => s.Dispose());
            }

            FaultInjection.CrashPoint("restore.store-written");

            var now = node.Clock.GetUtcNow();
            var restored = fileSecrets.Select(s => s.Msid).ToList();
            await transaction.Audit.AddAsync(new AuditEvent(now, AuditEventIds.RestoreSecretOk, node.Name, node.Actor,
                $"Restored master secrets {string.Join(", ", restored)} from {fullBackupPath}"), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            node.Logger.SecretRestored(info.Current!.Msid, info.Previous?.Msid, fullBackupPath, node.Name);
            return new RestoreResult(info.Current.Msid, info.Current.KeyCheck, restored, fullBackupPath, setAside);
        }
        finally
        {
            fileSecrets.ForEach(s => s.Dispose());
        }
    }

    private static (BackupHeader, IReadOnlyList<(BackupSecretRole Role, MasterSecret Secret)>) OpenOrLog(
        SsoNode node, byte[] file, BackupPassword password, string path)
    {
        try
        {
            return BackupFileReader.Open(file, password);
        }
        catch (SsoException e)
        {
            node.Logger.RestoreRefused(path, e.Code.ToString());
            throw;
        }
    }

    /// <summary>The file must hold the secret of every data key, and each must really unwrap its key.</summary>
    private static void RequireBelongsToDatabase(SsoNode node, SystemInfo info, IReadOnlyList<WrappedDataKey> wrappedKeys,
        BackupHeader header, IReadOnlyList<MasterSecret> fileSecrets, string path)
    {
        var held = string.Join(", ", header.Secrets.Select(s => $"{s.Msid} ({s.Role.ToString().ToLowerInvariant()}, kcv {s.KeyCheck})"));
        var needed = wrappedKeys.Select(k => k.WrappedUnderMsid).Distinct().ToList();
        var missing = needed.Where(m => fileSecrets.All(s => s.Msid != m)).ToList();
        string? why = null;
        if (header.SystemId != info.SystemId)
        {
            why = $"the file was written for SSO system {header.SystemId}, and this database is system {info.SystemId}";
        }
        else if (missing.Count > 0)
        {
            why = missing.Count == 1 && missing[0] == info.Current?.Msid
                ? $"this database's key ring is wrapped under {KeyRingLoader.Describe(info.Current)}"
                : $"this database's key ring is wrapped under master secrets {string.Join(", ", missing)}, which the file lacks";
        }
        else
        {
            foreach (var wrapped in wrappedKeys)
            {
                var secret = fileSecrets.First(s => s.Msid == wrapped.WrappedUnderMsid);
                if (!DataKeyWrapper.TryUnwrap(secret, info.SystemId, wrapped.Id, wrapped.Wrapped, out var key))
                {
                    why = $"master secret {secret.Msid} in the file does not unwrap data key {wrapped.Id}";
                    break;
                }

                key.Dispose();
            }
        }

        if (why is not null)
        {
            node.Logger.RestoreRefused(path, nameof(SsoErrorCode.WrongSecret));
            throw new SsoException(SsoErrorCode.WrongSecret,
                $"Incorrect master secret: the backup holds {held}, but {why}. Nothing was changed.",
                $"Restore the backup written with or after {KeyRingLoader.Describe(info.Current)} " +
                "(for example the file written by the last 'secret generate' or 'secret backup').");
        }
    }

    /// <summary>
    /// The new store: the file's secrets, plus any secret the old store held that the database still names and the
    /// file lacks. A damaged old store is set aside, not deleted.
    /// </summary>
    private static List<MasterSecret> KeptSecrets(SsoNode node, SystemInfo info, List<MasterSecret> fileSecrets, out string? setAside)
    {
        setAside = null;
        var keep = new List<MasterSecret>(fileSecrets);
        SecretStoreContentsOrNull(node, out setAside, out var old);
        using (old)
        {
            foreach (var named in new[] { info.Current?.Msid, info.Previous?.Msid })
            {
                if (named is { } msid && keep.All(s => s.Msid != msid) && old?.SystemId == info.SystemId && old.Find(msid) is { } kept)
                {
                    var copy = new byte[CryptoConstants.KeySize];
                    kept.CopyTo(copy);
                    keep.Add(MasterSecret.FromBytes(kept.Msid, copy, kept.CreatedUtc));
                    System.Security.Cryptography.CryptographicOperations.ZeroMemory(copy);
                }
            }
        }

        return keep;
    }

    private static void SecretStoreContentsOrNull(SsoNode node, out string? setAside, out Secrets.SecretStoreContents? contents)
    {
        setAside = null;
        try
        {
            contents = node.SecretStore.Load();
        }
        catch (SsoException e) when (e.Code == SsoErrorCode.SecretStoreDamaged)
        {
            setAside = node.SecretStore.SetAsideDamaged(node.Clock);
            node.Logger.DamagedStoreSetAside(setAside!);
            contents = null;
        }
    }
}
