using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using SsoVault.Core.Crypto;

namespace SsoVault.Core.Backup;

/// <summary>Serializes master secrets into a password-protected backup file (format in docs/backup-format.md).</summary>
public static class BackupFileWriter
{
    /// <param name="secrets">The current secret first, then optionally the previous one.</param>
    public static byte[] Write(
        IReadOnlyList<(BackupSecretRole Role, MasterSecret Secret)> secrets,
        Guid systemId,
        BackupPassword password,
        string reminder,
        DateTimeOffset createdUtc,
        int iterations = BackupFileFormat.DefaultIterations)
    {
        if (secrets.Count is < 1 or > BackupFileFormat.MaxSecrets)
        {
            throw new ArgumentException("A backup holds one or two secrets.", nameof(secrets));
        }

        for (var i = 0; i < secrets.Count; i++)
        {
            // The reader refuses any other order, so writing it would produce a backup that cannot be restored.
            if (secrets[i].Role != (i == 0 ? BackupSecretRole.Current : BackupSecretRole.Previous))
            {
                throw new ArgumentException("A backup holds the current secret first, then at most one previous secret.", nameof(secrets));
            }
        }

        if (iterations is < BackupFileFormat.MinIterations or > BackupFileFormat.MaxIterations)
        {
            throw new ArgumentOutOfRangeException(nameof(iterations));
        }

        // The format stores times as milliseconds since 1970 and the reader refuses earlier ones.
        if (createdUtc < DateTimeOffset.UnixEpoch || secrets.Any(s => s.Secret.CreatedUtc < DateTimeOffset.UnixEpoch))
        {
            throw new ArgumentOutOfRangeException(nameof(createdUtc), "Backup and secret creation times must not be before 1970.");
        }

        reminder = PasswordReminder.Validate(reminder);
        var reminderBytes = Encoding.UTF8.GetBytes(reminder);
        var salt = RandomNumberGenerator.GetBytes(BackupFileFormat.SaltSize);
        var payloadLength = secrets.Count * CryptoConstants.KeySize;

        using var header = new MemoryStream();
        header.Write(BackupFileFormat.Magic);
        WriteUInt16(header, BackupFileFormat.Version);
        header.WriteByte(BackupFileFormat.KdfPbkdf2Sha256);
        WriteUInt32(header, (uint)iterations);
        header.WriteByte(BackupFileFormat.SaltSize);
        header.Write(salt);
        WriteInt64(header, createdUtc.ToUnixTimeMilliseconds());
        WriteGuid(header, systemId);
        WriteUInt16(header, checked((ushort)reminderBytes.Length));
        header.Write(reminderBytes);
        header.WriteByte((byte)secrets.Count);
        Span<byte> kcv = stackalloc byte[CryptoConstants.KeyCheckValueSize];
        foreach (var (role, secret) in secrets)
        {
            header.WriteByte((byte)role);
            WriteGuid(header, secret.Msid);
            WriteInt64(header, secret.CreatedUtc.ToUnixTimeMilliseconds());
            secret.KeyCheck.WriteTo(kcv);
            header.Write(kcv);
        }

        Span<byte> keys = stackalloc byte[2 * CryptoConstants.KeySize];
        var plaintext = new byte[payloadLength];
        try
        {
            var encryptionKey = keys[..CryptoConstants.KeySize];
            var checkKey = keys[CryptoConstants.KeySize..];
            BackupKeyDerivation.DeriveKeys(password.Utf8, salt, iterations, encryptionKey, checkKey);

            Span<byte> passwordCheck = stackalloc byte[BackupFileFormat.PasswordCheckSize];
            HMACSHA256.HashData(checkKey, BackupFileFormat.PasswordCheckLabel, passwordCheck);
            header.Write(passwordCheck);

            var nonce = RandomNumberGenerator.GetBytes(CryptoConstants.NonceSize);
            header.Write(nonce);
            WriteUInt32(header, (uint)payloadLength);

            for (var i = 0; i < secrets.Count; i++)
            {
                secrets[i].Secret.CopyTo(plaintext.AsSpan(i * CryptoConstants.KeySize, CryptoConstants.KeySize));
            }

            var associatedData = header.ToArray();
            var ciphertext = new byte[payloadLength];
            var tag = new byte[CryptoConstants.TagSize];
            using (var aes = new AesGcm(encryptionKey, CryptoConstants.TagSize))
            {
                aes.Encrypt(nonce, plaintext, ciphertext, tag, associatedData);
            }

            var file = new byte[associatedData.Length + payloadLength + CryptoConstants.TagSize + BackupFileFormat.ChecksumSize];
            associatedData.CopyTo(file, 0);
            ciphertext.CopyTo(file, associatedData.Length);
            tag.CopyTo(file, associatedData.Length + payloadLength);
            SHA256.HashData(
                file.AsSpan(0, file.Length - BackupFileFormat.ChecksumSize),
                file.AsSpan(file.Length - BackupFileFormat.ChecksumSize));
            return file;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keys);
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private static void WriteUInt16(Stream stream, ushort value)
    {
        Span<byte> buffer = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(buffer, value);
        stream.Write(buffer);
    }

    private static void WriteUInt32(Stream stream, uint value)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(buffer, value);
        stream.Write(buffer);
    }

    private static void WriteInt64(Stream stream, long value)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(buffer, value);
        stream.Write(buffer);
    }

    private static void WriteGuid(Stream stream, Guid value)
    {
        Span<byte> buffer = stackalloc byte[16];
        value.TryWriteBytes(buffer, bigEndian: true, out _);
        stream.Write(buffer);
    }
}
