using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using SsoVault.Core.Crypto;
using SsoVault.Core.Errors;

namespace SsoVault.Core.Backup;

/// <summary>
/// Reads backup files. The checks run in an order that gives each failure its own error:
/// structure and checksum (corrupt, truncated or foreign file) before the password check (wrong password) before
/// the authenticated decryption (altered file), so a damaged file is never reported as a wrong password.
/// </summary>
public static class BackupFileReader
{
    /// <summary>Parses and checks everything readable without the password.</summary>
    public static BackupHeader ReadHeader(ReadOnlySpan<byte> file) => Parse(file).Header;

    /// <summary>Checks the password and decrypts the secrets, in header order. The caller disposes them.</summary>
    public static (BackupHeader Header, IReadOnlyList<(BackupSecretRole Role, MasterSecret Secret)> Secrets) Open(
        ReadOnlySpan<byte> file, BackupPassword password)
    {
        var parsed = Parse(file);
        var header = parsed.Header;
        Span<byte> keys = stackalloc byte[2 * CryptoConstants.KeySize];
        var plaintext = new byte[parsed.CiphertextLength];
        try
        {
            var encryptionKey = keys[..CryptoConstants.KeySize];
            var checkKey = keys[CryptoConstants.KeySize..];
            BackupKeyDerivation.DeriveKeys(password.Utf8, file.Slice(parsed.SaltOffset, BackupFileFormat.SaltSize),
                header.KdfIterations, encryptionKey, checkKey);

            Span<byte> expectedCheck = stackalloc byte[BackupFileFormat.PasswordCheckSize];
            HMACSHA256.HashData(checkKey, BackupFileFormat.PasswordCheckLabel, expectedCheck);
            if (!CryptographicOperations.FixedTimeEquals(expectedCheck,
                    file.Slice(parsed.PasswordCheckOffset, BackupFileFormat.PasswordCheckSize)))
            {
                throw new SsoException(SsoErrorCode.WrongBackupPassword,
                    "The password does not open this backup file.",
                    header.Reminder.Length > 0
                        ? $"The file's password reminder is: \"{header.Reminder}\". Try again with the password it was written with."
                        : "Try again with the password the backup was written with.");
            }

            try
            {
                using var aes = new AesGcm(encryptionKey, CryptoConstants.TagSize);
                aes.Decrypt(
                    file.Slice(parsed.NonceOffset, CryptoConstants.NonceSize),
                    file.Slice(parsed.CiphertextOffset, parsed.CiphertextLength),
                    file.Slice(parsed.CiphertextOffset + parsed.CiphertextLength, CryptoConstants.TagSize),
                    plaintext,
                    file[..parsed.CiphertextOffset]);
            }
            catch (AuthenticationTagMismatchException)
            {
                throw Corrupt("its encrypted part does not authenticate although the password is right, so the file was altered");
            }

            var secrets = new List<(BackupSecretRole, MasterSecret)>(header.Secrets.Count);
            for (var i = 0; i < header.Secrets.Count; i++)
            {
                var info = header.Secrets[i];
                var secret = MasterSecret.FromBytes(info.Msid,
                    plaintext.AsSpan(i * CryptoConstants.KeySize, CryptoConstants.KeySize), info.CreatedUtc);
                if (secret.KeyCheck != info.KeyCheck)
                {
                    secret.Dispose();
                    foreach (var (_, s) in secrets)
                    {
                        s.Dispose();
                    }

                    throw Corrupt($"the secret {info.Msid} does not match its key-check value");
                }

                secrets.Add((info.Role, secret));
            }

            return (header, secrets);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keys);
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private static ParsedBackup Parse(ReadOnlySpan<byte> file)
    {
        if (file.Length < BackupFileFormat.Magic.Length || !file.StartsWith(BackupFileFormat.Magic))
        {
            throw new SsoException(SsoErrorCode.CorruptBackupFile,
                "This is not a SsoVault master secret backup file (it does not start with the SSOVBKUP signature).",
                "Check that you named the right file: ENTSSO .bak files and other files cannot be restored.");
        }

        if (file.Length > BackupFileFormat.MaxFileSize)
        {
            throw Corrupt($"it is {file.Length} bytes long, far more than any backup");
        }

        if (file.Length < BackupFileFormat.Magic.Length + 2 + BackupFileFormat.ChecksumSize)
        {
            throw Corrupt("it is truncated");
        }

        var reader = new Cursor(file[..^BackupFileFormat.ChecksumSize]);
        reader.Skip(BackupFileFormat.Magic.Length);
        var version = reader.ReadUInt16();
        if (version != BackupFileFormat.Version)
        {
            throw new SsoException(SsoErrorCode.CorruptBackupFile,
                $"The backup file has format version {version}; this SsoVault reads version {BackupFileFormat.Version}.",
                version > BackupFileFormat.Version
                    ? "Restore it with a newer SsoVault, or check that the file is not damaged."
                    : "The file is damaged: restore another copy of the backup.");
        }

        Span<byte> checksum = stackalloc byte[BackupFileFormat.ChecksumSize];
        SHA256.HashData(file[..^BackupFileFormat.ChecksumSize], checksum);
        if (!CryptographicOperations.FixedTimeEquals(checksum, file[^BackupFileFormat.ChecksumSize..]))
        {
            throw Corrupt("its checksum does not match: it is truncated or damaged");
        }

        var kdfId = reader.ReadByte();
        if (kdfId != BackupFileFormat.KdfPbkdf2Sha256)
        {
            throw Corrupt($"it names an unknown key-derivation function ({kdfId})");
        }

        var iterations = reader.ReadUInt32();
        if (iterations is < BackupFileFormat.MinIterations or > BackupFileFormat.MaxIterations)
        {
            throw Corrupt($"its key-derivation iteration count ({iterations}) is outside {BackupFileFormat.MinIterations:N0}-{BackupFileFormat.MaxIterations:N0}");
        }

        if (reader.ReadByte() != BackupFileFormat.SaltSize)
        {
            throw Corrupt("its salt length is not 32");
        }

        var saltOffset = reader.Offset;
        reader.Skip(BackupFileFormat.SaltSize);
        var created = reader.ReadTimestamp();
        var systemId = reader.ReadGuid();
        var reminderLength = reader.ReadUInt16();
        string reminder;
        try
        {
            reminder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(reader.Take(reminderLength));
        }
        catch (DecoderFallbackException)
        {
            throw Corrupt("its password reminder is not valid UTF-8");
        }

        if (reminder.Length > PasswordReminder.MaxLength)
        {
            throw Corrupt("its password reminder is longer than 512 characters");
        }

        var count = reader.ReadByte();
        if (count is < 1 or > BackupFileFormat.MaxSecrets)
        {
            throw Corrupt($"it claims to hold {count} secrets");
        }

        var secrets = new List<BackupSecretInfo>(count);
        for (var i = 0; i < count; i++)
        {
            var role = reader.ReadByte();
            if (role != (byte)BackupSecretRole.Current && role != (byte)BackupSecretRole.Previous
                || (i == 0) != (role == (byte)BackupSecretRole.Current))
            {
                throw Corrupt("its secret roles are not one current secret followed by at most one previous secret");
            }

            secrets.Add(new BackupSecretInfo((BackupSecretRole)role, reader.ReadGuid(), reader.ReadTimestamp(),
                KeyCheckValue.FromBytes(reader.Take(CryptoConstants.KeyCheckValueSize))));
        }

        var passwordCheckOffset = reader.Offset;
        reader.Skip(BackupFileFormat.PasswordCheckSize);
        var nonceOffset = reader.Offset;
        reader.Skip(CryptoConstants.NonceSize);
        var ciphertextLength = reader.ReadUInt32();
        if (ciphertextLength != (uint)(count * CryptoConstants.KeySize))
        {
            throw Corrupt("its encrypted part has the wrong length");
        }

        var ciphertextOffset = reader.Offset;
        reader.Skip((int)ciphertextLength + CryptoConstants.TagSize);
        if (reader.Remaining != 0)
        {
            throw Corrupt("it has unexpected bytes after the encrypted part");
        }

        var header = new BackupHeader(version, kdfId, (int)iterations, created, systemId, reminder, secrets);
        return new ParsedBackup(header, saltOffset, passwordCheckOffset, nonceOffset, ciphertextOffset, (int)ciphertextLength);
    }

    private static SsoException Corrupt(string why) => new(
        SsoErrorCode.CorruptBackupFile,
        $"The backup file is corrupt: {why}.",
        "Nothing was changed. Use another copy of the backup file (the original from offline storage).");

    private sealed record ParsedBackup(
        BackupHeader Header, int SaltOffset, int PasswordCheckOffset, int NonceOffset, int CiphertextOffset, int CiphertextLength);

    /// <summary>A bounds-checked reader: running past the end means the file is truncated.</summary>
    private ref struct Cursor(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;

        public int Offset { get; private set; }

        public readonly int Remaining => _data.Length - Offset;

        public ReadOnlySpan<byte> Take(int count)
        {
            if (count < 0 || count > Remaining)
            {
                throw Corrupt("it is truncated");
            }

            var slice = _data.Slice(Offset, count);
            Offset += count;
            return slice;
        }

        public void Skip(int count) => Take(count);

        public byte ReadByte() => Take(1)[0];

        public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));

        public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

        public Guid ReadGuid() => new(Take(16), bigEndian: true);

        public DateTimeOffset ReadTimestamp()
        {
            var ms = BinaryPrimitives.ReadInt64BigEndian(Take(8));
            if (ms < 0 || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
            {
                throw Corrupt("it holds an impossible timestamp");
            }

            return DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }
    }
}
