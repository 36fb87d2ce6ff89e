using SsoVault.Core.Backup;
using SsoVault.Core.Crypto;
using SsoVault.Core.Errors;
using SsoVault.Core.IO;

namespace SsoVault.Core.MasterSecrets;

/// <summary>Writing a backup file and proving it can be read back, before anything depends on it.</summary>
public static class BackupFiles
{
    /// <summary>Larger than any backup; what lies between this and the format's limit is reported as corrupt.</summary>
    private const int ReadLimit = 1024 * 1024;

    /// <summary>
    /// Writes the backup atomically (never over an existing file), then reads it back from disk and opens it with
    /// the same password, checking every secret byte for byte. Only then may a caller rely on it.
    /// </summary>
    public static BackupHeader WriteVerified(
        string path,
        IReadOnlyList<(BackupSecretRole Role, MasterSecret Secret)> secrets,
        Guid systemId,
        BackupPassword password,
        string reminder,
        DateTimeOffset now)
    {
        var bytes = BackupFileWriter.Write(secrets, systemId, password, reminder, now);
        AtomicFile.Write(path, bytes, overwrite: false);

        var readBack = Read(path);
        var (header, opened) = BackupFileReader.Open(readBack, password);
        try
        {
            var identical = opened.Count == secrets.Count &&
                            opened.Zip(secrets).All(p => p.First.Role == p.Second.Role && p.First.Secret.SameAs(p.Second.Secret));
            if (!identical || header.SystemId != systemId)
            {
                throw new SsoException(SsoErrorCode.IoFailure,
                    $"The backup file {Path.GetFullPath(path)} did not read back as written.",
                    "The disk or file system is unreliable: write the backup somewhere else. Nothing was changed.");
            }

            return header;
        }
        finally
        {
            foreach (var (_, secret) in opened)
            {
                secret.Dispose();
            }
        }
    }

    public static byte[] Read(string path) => AtomicFile.ReadBounded(path, ReadLimit, "master secret backup file");
}
