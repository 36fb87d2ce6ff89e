using System.Security.Cryptography;
using SsoVault.Core.Crypto;

namespace SsoVault.Core.Backup;

/// <summary>
/// KDF id 1 of the backup format (docs/backup-format.md, "Password and key derivation"): PBKDF2-HMAC-SHA256 of the
/// password to one 32-byte password key, then HKDF-Expand-SHA256 of that key to the encryption key and the
/// password-check key. PBKDF2 runs all of its iterations once per 32-byte output block, so deriving only 32 bytes
/// costs one run of the iterations per open or write. (Deriving the two keys straight from PBKDF2, 64 bytes, would
/// cost two runs, while an attacker testing passwords against the password check needs only the block that gives
/// the check key: twice the defender's cost for no extra security.)
/// </summary>
internal static class BackupKeyDerivation
{
    /// <summary>The size of the PBKDF2 output: one SHA-256 block, so one run of the iterations.</summary>
    public const int PasswordKeySize = 32;

    [ThreadStatic]
    private static int _pbkdf2BlocksOnThisThread;

    /// <summary>
    /// How many PBKDF2 output blocks (each one a full run of the iterations) this thread has derived so far. Tests
    /// read it around a call to prove the derivation's cost without timing it.
    /// </summary>
    internal static int Pbkdf2BlocksOnThisThread => _pbkdf2BlocksOnThisThread;

    /// <summary>Derives the two keys of a backup file from its password. The caller zeroes both outputs.</summary>
    public static void DeriveKeys(
        ReadOnlySpan<byte> passwordUtf8, ReadOnlySpan<byte> salt, int iterations, Span<byte> encryptionKey, Span<byte> checkKey)
    {
        if (encryptionKey.Length != CryptoConstants.KeySize || checkKey.Length != CryptoConstants.KeySize)
        {
            throw new ArgumentException("Both backup keys are 32 bytes.");
        }

        Span<byte> passwordKey = stackalloc byte[PasswordKeySize];
        try
        {
            DerivePasswordKey(passwordUtf8, salt, iterations, passwordKey);
            HKDF.Expand(HashAlgorithmName.SHA256, passwordKey, encryptionKey, BackupFileFormat.EncryptionKeyInfo);
            HKDF.Expand(HashAlgorithmName.SHA256, passwordKey, checkKey, BackupFileFormat.PasswordCheckKeyInfo);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passwordKey);
        }
    }

    /// <summary>The only PBKDF2 call of the backup format: 32 bytes, i.e. exactly one run of the iterations.</summary>
    private static void DerivePasswordKey(ReadOnlySpan<byte> passwordUtf8, ReadOnlySpan<byte> salt, int iterations, Span<byte> passwordKey)
    {
        Rfc2898DeriveBytes.Pbkdf2(passwordUtf8, salt, passwordKey, iterations, HashAlgorithmName.SHA256);
        _pbkdf2BlocksOnThisThread += (passwordKey.Length + 31) / 32;
    }
}
