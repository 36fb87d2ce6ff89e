using System.Security.Cryptography;
using System.Text.Json;
using SsoVault.Core.Backup;

namespace SsoVault.Core.Tests.Backup;

/// <summary>
/// KDF id 1 of the backup format: PBKDF2-HMAC-SHA256 to one 32-byte password key, then HKDF-Expand-SHA256 to the
/// encryption key and the password-check key. PBKDF2 runs its whole iteration count once per 32-byte output block:
/// the earlier definition (64 bytes straight from PBKDF2) cost 2 × 600,000 = 1,200,000 HMAC iterations per open or
/// write, while an attacker testing passwords needs only the block behind the password check (600,000). Now the
/// defender pays 600,000 too (plus three HMACs for HKDF): half the cost, the same security. These tests prove the
/// cost by counting PBKDF2 blocks, never by timing.
/// </summary>
[Collection(BackupFileCollection.Name)]
public sealed class BackupKeyDerivationTests
{
    private static readonly byte[] Vector = File.ReadAllBytes(BackupVector.BinPath);
    private static readonly BackupLayout Layout = new(BackupVector.ReminderByteCount, 2);

    [Fact]
    public void DeriveKeys_VectorPasswordAndSalt_GivesTheDocumentedKeys()
    {
        // Arrange
        var salt = Vector.AsSpan(BackupLayout.Salt, 32).ToArray();
        var encryptionKey = new byte[32];
        var checkKey = new byte[32];
        var blocksBefore = BackupKeyDerivation.Pbkdf2BlocksOnThisThread;

        // Act
        BackupKeyDerivation.DeriveKeys("correct horse battery staple"u8, salt, 600_000, encryptionKey, checkKey);

        // Assert: one PBKDF2 block (600,000 iterations) for both keys.
        Assert.Equal(1, BackupKeyDerivation.Pbkdf2BlocksOnThisThread - blocksBefore);
        Assert.Equal(BackupVector.EncryptionKeyHex, Convert.ToHexStringLower(encryptionKey));
        Assert.Equal(BackupVector.PasswordCheckKeyHex, Convert.ToHexStringLower(checkKey));
        using var document = JsonDocument.Parse(File.ReadAllText(BackupVector.JsonPath));
        var kdf = document.RootElement.GetProperty("kdf");
        Assert.Equal(32, kdf.GetProperty("pbkdf2OutputBytes").GetInt32());
        Assert.Equal(BackupVector.PasswordKeyHex, kdf.GetProperty("passwordKeyHex").GetString());
        Assert.Equal(BackupVector.EncryptionKeyHex, kdf.GetProperty("encryptionKeyHex").GetString());
        Assert.Equal(BackupVector.PasswordCheckKeyHex, kdf.GetProperty("passwordCheckKeyHex").GetString());
    }

    [Fact]
    public void HkdfExpand_DocumentedPasswordKey_GivesTheDocumentedKeysAndPasswordCheck()
    {
        // Arrange: the second stage alone, from the documented password key (no PBKDF2 needed).
        var passwordKey = Convert.FromHexString(BackupVector.PasswordKeyHex);

        // Act
        var encryptionKey = HKDF.Expand(HashAlgorithmName.SHA256, passwordKey, 32, BackupFileFormat.EncryptionKeyInfo.ToArray());
        var checkKey = HKDF.Expand(HashAlgorithmName.SHA256, passwordKey, 32, BackupFileFormat.PasswordCheckKeyInfo.ToArray());
        var passwordCheck = HMACSHA256.HashData(checkKey, BackupFileFormat.PasswordCheckLabel.ToArray());

        // Assert
        Assert.Equal(BackupVector.EncryptionKeyHex, Convert.ToHexStringLower(encryptionKey));
        Assert.Equal(BackupVector.PasswordCheckKeyHex, Convert.ToHexStringLower(checkKey));
        Assert.Equal(BackupVector.PasswordCheckHex, Convert.ToHexStringLower(passwordCheck));
        Assert.Equal(BackupVector.PasswordCheckHex, Convert.ToHexStringLower(Vector.AsSpan(Layout.PasswordCheck, 32)));
        Assert.Equal(BackupVector.EncryptionKeyInfo, System.Text.Encoding.ASCII.GetString(BackupFileFormat.EncryptionKeyInfo));
        Assert.Equal(BackupVector.PasswordCheckKeyInfo, System.Text.Encoding.ASCII.GetString(BackupFileFormat.PasswordCheckKeyInfo));
        Assert.NotEqual(encryptionKey, checkKey);
    }

    [Fact]
    public void Open_CommittedVector_RunsExactlyOnePbkdf2Block()
    {
        // Arrange
        using var password = BackupPassword.From(BackupVector.Password);
        var blocksBefore = BackupKeyDerivation.Pbkdf2BlocksOnThisThread;

        // Act
        var (_, secrets) = BackupFileReader.Open(Vector, password);

        // Assert: 600,000 HMAC iterations per open (the 64-byte derivation of the first definition ran 1,200,000).
        BackupFileFixture.DisposeAll(secrets);
        Assert.Equal(1, BackupKeyDerivation.Pbkdf2BlocksOnThisThread - blocksBefore);
    }

    [Fact]
    public void Write_VectorInputs_RunsExactlyOnePbkdf2Block()
    {
        // Arrange
        var blocksBefore = BackupKeyDerivation.Pbkdf2BlocksOnThisThread;

        // Act
        _ = BackupVector.Write();

        // Assert
        Assert.Equal(1, BackupKeyDerivation.Pbkdf2BlocksOnThisThread - blocksBefore);
    }

    [Fact]
    public void Open_WrongPassword_AlsoRunsExactlyOnePbkdf2Block()
    {
        // Arrange: a wrong password costs the same single block, and is refused by the password check.
        using var password = BackupPassword.From("not the right password");
        var blocksBefore = BackupKeyDerivation.Pbkdf2BlocksOnThisThread;

        // Act + Assert
        var error = Assert.Throws<SsoVault.Core.Errors.SsoException>(() => BackupFileReader.Open(Vector, password));
        Assert.Equal(SsoVault.Core.Errors.SsoErrorCode.WrongBackupPassword, error.Code);
        Assert.Equal(1, BackupKeyDerivation.Pbkdf2BlocksOnThisThread - blocksBefore);
    }
}
