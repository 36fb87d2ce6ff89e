using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using SsoVault.Core.Backup;
using SsoVault.Core.Crypto;
using SsoVault.Core.Tests.Crypto;

namespace SsoVault.Core.Tests.Backup;

/// <summary>
/// The inputs of the committed test vector tests/vectors/backup-v1.bin (described in backup-v1.json and
/// docs/backup-format.md). Everything is fixed except the salt and the nonce, which the writer draws at random:
/// they were drawn once, when the vector was generated, and are pinned by the committed file.
/// </summary>
internal static class BackupVector
{
    public const string Password = "correct horse battery staple";
    public const string Reminder = "Test vector — four common words (xkcd 936)";
    public const string CurrentKcv = "331cb1dd37362edb";
    public const string PreviousKcv = "706ade91074dea08";
    public const string RegenerateVariable = "SSOVAULT_REGENERATE_VECTORS";
    /// <summary>The vector's derived keys (they depend on its salt, pinned by the committed file).</summary>
    public const string PasswordKeyHex = "a9461f54bf1110279e3fb8dfb6d798b1260074ab14604bd0926d37bc57d5fa62";
    public const string EncryptionKeyHex = "7e902f204b8056e53c2f231c245a2a82c6af616608b66fa9a7e490f81fa5a5ce";
    public const string PasswordCheckKeyHex = "b0e8d465ea7c0cf4e7134aa1b613429217a753dc49cd20c377a54678032895d6";
    public const string PasswordCheckHex = "b69797cd7eb870213fda600ded7098167c19bd2a133f58b8001e51d87070346b";
    public const string EncryptionKeyInfo = "SsoVault backup encryption key v1";
    public const string PasswordCheckKeyInfo = "SsoVault backup password check key v1";

    public static readonly Guid SystemId = Guid.Parse("a1b2c3d4-e5f6-4789-8abc-def012345678");
    public static readonly DateTimeOffset CreatedUtc = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    public static readonly Guid CurrentMsid = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");
    public static readonly DateTimeOffset CurrentCreatedUtc = new(2025, 5, 1, 8, 30, 0, 123, TimeSpan.Zero);
    public static readonly Guid PreviousMsid = Guid.Parse("fedcba98-7654-4321-8fed-cba987654321");
    public static readonly DateTimeOffset PreviousCreatedUtc = new(2024, 11, 15, 17, 45, 30, 456, TimeSpan.Zero);

    /// <summary>The current secret's bytes: 0x00, 0x01, ..., 0x1F.</summary>
    public static byte[] CurrentBytes => CryptoAssert.Sequence(0x00, 32);

    /// <summary>The previous secret's bytes: 0x20, 0x21, ..., 0x3F.</summary>
    public static byte[] PreviousBytes => CryptoAssert.Sequence(0x20, 32);

    public static string BinPath => Path.Combine(AppContext.BaseDirectory, "vectors", "backup-v1.bin");

    public static string JsonPath => Path.Combine(AppContext.BaseDirectory, "vectors", "backup-v1.json");

    /// <summary>tests/vectors in the source tree (for regeneration only).</summary>
    public static string SourceDirectory
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SsoVault.slnx")))
            {
                dir = dir.Parent;
            }

            return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("SsoVault.slnx not found"), "tests", "vectors");
        }
    }

    public static int ReminderByteCount => System.Text.Encoding.UTF8.GetByteCount(Reminder);

    /// <summary>Writes a new vector file from the fixed inputs (one key derivation; the salt and nonce are fresh).</summary>
    public static byte[] Write()
    {
        using var current = MasterSecret.FromBytes(CurrentMsid, CurrentBytes, CurrentCreatedUtc);
        using var previous = MasterSecret.FromBytes(PreviousMsid, PreviousBytes, PreviousCreatedUtc);
        using var password = BackupPassword.From(Password);
        return BackupFileWriter.Write(
            [(BackupSecretRole.Current, current), (BackupSecretRole.Previous, previous)],
            SystemId, password, Reminder, CreatedUtc);
    }

    /// <summary>The JSON description of a vector file: the fixed inputs plus the random fields read from the file.</summary>
    public static string Describe(byte[] file)
    {
        var layout = new BackupLayout(ReminderByteCount, 2);
        string Hex(int offset, int length) => Convert.ToHexStringLower(file.AsSpan(offset, length));
        var (passwordKey, encryptionKey, checkKey) = DeriveKeysDirectly(file.AsSpan(BackupLayout.Salt, 32).ToArray());
        var description = new
        {
            file = "backup-v1.bin",
            formatVersion = 1,
            fileSize = file.Length,
            password = Password,
            passwordNfcUtf8Hex = Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(Password.Normalize(System.Text.NormalizationForm.FormC))),
            reminder = Reminder,
            reminderUtf8Hex = Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(Reminder)),
            systemId = SystemId.ToString(),
            createdUtc = CreatedUtc.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
            createdUnixMs = CreatedUtc.ToUnixTimeMilliseconds(),
            kdf = new
            {
                id = 1,
                name = "PBKDF2-HMAC-SHA256 to 32 bytes, then HKDF-Expand-SHA256 to the two keys",
                iterations = BackupFileFormat.DefaultIterations,
                pbkdf2OutputBytes = 32,
                saltHex = Hex(BackupLayout.Salt, 32),
                encryptionKeyInfo = EncryptionKeyInfo,
                passwordCheckKeyInfo = PasswordCheckKeyInfo,
                passwordKeyHex = Convert.ToHexStringLower(passwordKey),
                encryptionKeyHex = Convert.ToHexStringLower(encryptionKey),
                passwordCheckKeyHex = Convert.ToHexStringLower(checkKey),
            },
            secrets = new[]
            {
                Entry("current", 1, CurrentMsid, CurrentCreatedUtc, CurrentBytes),
                Entry("previous", 2, PreviousMsid, PreviousCreatedUtc, PreviousBytes),
            },
            passwordCheckHex = Hex(layout.PasswordCheck, 32),
            nonceHex = Hex(layout.Nonce, 12),
            ciphertextHex = Hex(layout.Ciphertext, 64),
            tagHex = Hex(layout.Tag, 16),
            checksumSha256Hex = Hex(layout.Checksum, 32),
            fileSha256Hex = Convert.ToHexStringLower(SHA256.HashData(file)),
        };
        return JsonSerializer.Serialize(description, new JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }) + "\n";
    }

    /// <summary>
    /// The vector's keys computed straight from the document with the .NET primitives (not through the product's
    /// BackupKeyDerivation): PBKDF2-HMAC-SHA256 to 32 bytes, then HKDF-Expand-SHA256 with each ASCII info label.
    /// </summary>
    public static (byte[] PasswordKey, byte[] EncryptionKey, byte[] CheckKey) DeriveKeysDirectly(byte[] salt)
    {
        var passwordKey = Rfc2898DeriveBytes.Pbkdf2(
            System.Text.Encoding.UTF8.GetBytes(Password), salt, BackupFileFormat.DefaultIterations, HashAlgorithmName.SHA256, 32);
        var encryptionKey = HKDF.Expand(HashAlgorithmName.SHA256, passwordKey, 32, System.Text.Encoding.ASCII.GetBytes(EncryptionKeyInfo));
        var checkKey = HKDF.Expand(HashAlgorithmName.SHA256, passwordKey, 32, System.Text.Encoding.ASCII.GetBytes(PasswordCheckKeyInfo));
        return (passwordKey, encryptionKey, checkKey);
    }

    private static object Entry(string role, int roleByte, Guid msid, DateTimeOffset created, byte[] secret) => new
    {
        role,
        roleByte,
        msid = msid.ToString(),
        msidBytesHex = Convert.ToHexStringLower(msid.ToByteArray(bigEndian: true)),
        createdUtc = created.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
        createdUnixMs = created.ToUnixTimeMilliseconds(),
        kcv = KeyCheckValue.Compute(secret, msid).ToString(),
        secretHex = Convert.ToHexStringLower(secret),
    };
}

/// <summary>Offsets of the fields of a v1 backup file with a reminder of <paramref name="reminderBytes"/> bytes.</summary>
internal sealed record BackupLayout(int ReminderBytes, int SecretCount)
{
    public const int Magic = 0;
    public const int Version = 8;
    public const int KdfId = 10;
    public const int Iterations = 11;
    public const int SaltLength = 15;
    public const int Salt = 16;
    public const int Created = 48;
    public const int SystemId = 56;
    public const int ReminderLength = 72;
    public const int Reminder = 74;

    public int Count => Reminder + ReminderBytes;

    /// <summary>The first byte of secret entry <paramref name="index"/>: role (1) | MSID (16) | created (8) | KCV (8).</summary>
    public int Entry(int index) => Count + 1 + (33 * index);

    public int PasswordCheck => Entry(SecretCount);

    public int Nonce => PasswordCheck + 32;

    public int CiphertextLength => Nonce + 12;

    public int Ciphertext => CiphertextLength + 4;

    public int Tag => Ciphertext + (32 * SecretCount);

    public int Checksum => Tag + 16;

    public int FileSize => Checksum + 32;
}
