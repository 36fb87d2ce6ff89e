namespace SsoVault.Core.Backup;

/// <summary>Constants of the backup file format, version 1. The byte layout is in docs/backup-format.md.</summary>
public static class BackupFileFormat
{
    /// <summary>"SSOVBKUP" in ASCII.</summary>
    public static ReadOnlySpan<byte> Magic => "SSOVBKUP"u8;

    public const ushort Version = 1;

    /// <summary>
    /// KDF id 1: PBKDF2-HMAC-SHA256 of the password to a 32-byte password key (one run of the iterations), then
    /// HKDF-Expand-SHA256 of that key to the encryption key and the password-check key (see BackupKeyDerivation).
    /// </summary>
    public const byte KdfPbkdf2Sha256 = 1;

    /// <summary>The iteration count written by this version (OWASP 2023 guidance for PBKDF2-HMAC-SHA256).</summary>
    public const int DefaultIterations = 600_000;

    /// <summary>Files with fewer iterations are refused: a downgraded count would weaken the password.</summary>
    public const int MinIterations = 600_000;

    /// <summary>Files with more are refused too: a huge count would hang the reader (a denial of service).</summary>
    public const int MaxIterations = 10_000_000;

    public const int SaltSize = 32;
    public const int ChecksumSize = 32;
    public const int PasswordCheckSize = 32;

    /// <summary>Each secret entry in the header: role (1) | MSID (16) | created (8) | key-check value (8).</summary>
    public const int SecretEntrySize = 1 + 16 + 8 + 8;

    /// <summary>A backup holds the current secret and at most one previous secret.</summary>
    public const int MaxSecrets = 2;

    /// <summary>No valid backup comes close to this; anything larger is not read into memory.</summary>
    public const int MaxFileSize = 64 * 1024;

    /// <summary>The HKDF-Expand info that derives the AES-256-GCM encryption key from the password key.</summary>
    public static ReadOnlySpan<byte> EncryptionKeyInfo => "SsoVault backup encryption key v1"u8;

    /// <summary>The HKDF-Expand info that derives the password-check key from the password key.</summary>
    public static ReadOnlySpan<byte> PasswordCheckKeyInfo => "SsoVault backup password check key v1"u8;

    /// <summary>The label HMAC'd with the password-check key.</summary>
    public static ReadOnlySpan<byte> PasswordCheckLabel => "SsoVault backup password check v1"u8;
}

/// <summary>Whether a secret in a backup was the current or the previous master secret when the file was written.</summary>
public enum BackupSecretRole : byte
{
    Current = 1,
    Previous = 2,
}

/// <summary>What a backup file says about one secret, readable without the password.</summary>
public sealed record BackupSecretInfo(BackupSecretRole Role, Guid Msid, DateTimeOffset CreatedUtc, Crypto.KeyCheckValue KeyCheck);

/// <summary>Everything in a backup file that is readable without the password.</summary>
public sealed record BackupHeader(
    ushort FormatVersion,
    byte KdfId,
    int KdfIterations,
    DateTimeOffset CreatedUtc,
    Guid SystemId,
    string Reminder,
    IReadOnlyList<BackupSecretInfo> Secrets);
