using SsoVault.Core.Backup;
using SsoVault.Core.Crypto;
using SsoVault.Core.Nodes;

namespace SsoVault.Core.MasterSecrets;

public sealed record VerifiedSecret(BackupSecretRole Role, Guid Msid, string KeyCheck, DateTimeOffset CreatedUtc, bool NeededByDatabase);

public sealed record BackupVerificationResult(
    string BackupPath,
    ushort FormatVersion,
    int KdfIterations,
    DateTimeOffset CreatedUtc,
    Guid SystemId,
    string Reminder,
    IReadOnlyList<VerifiedSecret> Secrets,
    bool? RestoresThisDatabase,
    string? DatabaseVerdict);

/// <summary>
/// Checks a backup offline, before a disaster needs it: integrity, the password, the secrets it holds, and — when a
/// node is at hand — whether it would restore this database (proven by unwrapping the key ring, nothing written).
/// </summary>
public static class BackupVerification
{
    public static async Task<BackupVerificationResult> VerifyAsync(string backupPath, BackupPassword password, SsoNode? node,
        CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(backupPath);
        var file = BackupFiles.Read(fullPath);
        var (header, opened) = BackupFileReader.Open(file, password);
        try
        {
            bool? restores = null;
            string? verdict = null;
            var needed = new HashSet<Guid>();
            if (node is not null)
            {
                await using var transaction = await node.Database.BeginReadAsync(cancellationToken);
                var info = await node.GetSystemInfoAsync(transaction, cancellationToken);
                var keys = await transaction.DataKeys.ListAsync(cancellationToken);
                needed.UnionWith(keys.Select(k => k.WrappedUnderMsid));
                (restores, verdict) = Judge(info.SystemId, header, keys, opened.Select(s => s.Secret).ToList());
            }

            var secrets = opened.Select(s => new VerifiedSecret(s.Role, s.Secret.Msid, s.Secret.KeyCheck.ToString(), s.Secret.CreatedUtc,
                needed.Contains(s.Secret.Msid))).ToList();
            return new BackupVerificationResult(fullPath, header.FormatVersion, header.KdfIterations, header.CreatedUtc,
                header.SystemId, header.Reminder, secrets, restores, verdict);
        }
        finally
        {
            foreach (var (_, secret) in opened)
            {
                secret.Dispose();
            }
        }
    }

    private static (bool, string) Judge(Guid systemId, BackupHeader header, IReadOnlyList<Storage.WrappedDataKey> keys,
        IReadOnlyList<MasterSecret> secrets)
    {
        if (header.SystemId != systemId)
        {
            return (false, $"No: the file belongs to SSO system {header.SystemId}; this database is system {systemId}.");
        }

        foreach (var key in keys)
        {
            var secret = secrets.FirstOrDefault(s => s.Msid == key.WrappedUnderMsid);
            if (secret is null)
            {
                return (false, $"No: the database's key ring is wrapped under master secret {key.WrappedUnderMsid}, which the file does not hold.");
            }

            if (!DataKeyWrapper.TryUnwrap(secret, systemId, key.Id, key.Wrapped, out var unwrapped))
            {
                return (false, $"No: master secret {secret.Msid} in the file does not unwrap data key {key.Id}.");
            }

            unwrapped.Dispose();
        }

        return (true, $"Yes: the file unwraps all {keys.Count} data keys of this database.");
    }
}
