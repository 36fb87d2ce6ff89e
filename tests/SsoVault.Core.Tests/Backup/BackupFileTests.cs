using System.Buffers.Binary;
using SsoVault.Core.Backup;
using SsoVault.Core.Crypto;
using SsoVault.Core.Errors;
using SsoVault.Core.Tests.Crypto;

namespace SsoVault.Core.Tests.Backup;

[Collection(BackupFileCollection.Name)]
public sealed class BackupFileTests(BackupFileFixture fixture)
{
    private static byte[] Bytes(MasterSecret secret)
    {
        var bytes = new byte[32];
        secret.CopyTo(bytes);
        return bytes;
    }

    [Fact]
    public void Open_TwoSecrets_ReturnsCurrentThenPrevious()
    {
        // Arrange
        using var password = BackupPassword.From(BackupFileFixture.AsciiPassword);

        // Act
        var (header, secrets) = BackupFileReader.Open(fixture.TwoSecrets, password);

        // Assert
        try
        {
            Assert.Equal(2, secrets.Count);
            Assert.Equal(BackupSecretRole.Current, secrets[0].Role);
            Assert.True(secrets[0].Secret.SameAs(fixture.Current));
            Assert.Equal(fixture.Current.CreatedUtc, secrets[0].Secret.CreatedUtc);
            Assert.Equal(BackupSecretRole.Previous, secrets[1].Role);
            Assert.True(secrets[1].Secret.SameAs(fixture.Previous));
            Assert.Equal(fixture.Previous.CreatedUtc, secrets[1].Secret.CreatedUtc);
            Assert.Equal(CryptoAssert.Sequence(0x60, 32), Bytes(secrets[1].Secret));
            Assert.Equal("", header.Reminder);
        }
        finally
        {
            BackupFileFixture.DisposeAll(secrets);
        }
    }

    [Fact]
    public void Open_OneSecretWithUnicodeReminder_ReturnsTheSecret()
    {
        using var password = BackupPassword.From(BackupFileFixture.NfcPassword);

        var (header, secrets) = BackupFileReader.Open(fixture.OneSecret, password);

        try
        {
            var (role, secret) = Assert.Single(secrets);
            Assert.Equal(BackupSecretRole.Current, role);
            Assert.True(secret.SameAs(fixture.Current));
            Assert.Equal(BackupFileFixture.UnicodeReminder, header.Reminder);
        }
        finally
        {
            BackupFileFixture.DisposeAll(secrets);
        }
    }

    [Fact]
    public void Open_NfdFormOfTheNfcPassword_OpensTheFile()
    {
        Assert.NotEqual(BackupFileFixture.NfcPassword, BackupFileFixture.NfdPassword);
        if (!BackupPassword.CanNormalize)
        {
            // Globalization-invariant process: the NFD form is refused up front (see BackupPasswordTests).
            BackupFileFixture.AssertFails(SsoErrorCode.InvalidPassword, () => BackupPassword.From(BackupFileFixture.NfdPassword));
            return;
        }

        using var password = BackupPassword.From(BackupFileFixture.NfdPassword);

        var (_, secrets) = BackupFileReader.Open(fixture.OneSecret, password);

        Assert.True(Assert.Single(secrets).Secret.SameAs(fixture.Current));
        BackupFileFixture.DisposeAll(secrets);
    }

    [Fact]
    public void Open_FileWrittenWithNfdPassword_OpensWithNfc()
    {
        if (!BackupPassword.CanNormalize)
        {
            BackupFileFixture.AssertFails(SsoErrorCode.InvalidPassword, () => BackupPassword.From(BackupFileFixture.NfdPassword));
            return;
        }

        // Arrange
        using var nfd = BackupPassword.From(BackupFileFixture.NfdPassword);
        var file = BackupFileWriter.Write([(BackupSecretRole.Current, fixture.Previous)], fixture.SystemId, nfd, "", fixture.Created);
        using var nfc = BackupPassword.From(BackupFileFixture.NfcPassword);

        // Act
        var (_, secrets) = BackupFileReader.Open(file, nfc);

        // Assert
        Assert.True(Assert.Single(secrets).Secret.SameAs(fixture.Previous));
        BackupFileFixture.DisposeAll(secrets);
    }

    [Fact]
    public void ReadHeader_TwoSecrets_GivesEverythingWithoutThePassword()
    {
        var header = BackupFileReader.ReadHeader(fixture.TwoSecrets);

        Assert.Equal(BackupFileFormat.Version, header.FormatVersion);
        Assert.Equal(BackupFileFormat.KdfPbkdf2Sha256, header.KdfId);
        Assert.Equal(600_000, header.KdfIterations);
        Assert.Equal(fixture.Created, header.CreatedUtc);
        Assert.Equal(fixture.SystemId, header.SystemId);
        Assert.Equal("", header.Reminder);
        Assert.Equal(
            [
                new BackupSecretInfo(BackupSecretRole.Current, fixture.Current.Msid, fixture.Current.CreatedUtc, fixture.Current.KeyCheck),
                new BackupSecretInfo(BackupSecretRole.Previous, fixture.Previous.Msid, fixture.Previous.CreatedUtc, fixture.Previous.KeyCheck),
            ],
            header.Secrets);
    }

    [Fact]
    public void ReadHeader_UnicodeReminder_GivesItExactly()
    {
        var header = BackupFileReader.ReadHeader(fixture.OneSecret);

        Assert.Equal(BackupFileFixture.UnicodeReminder, header.Reminder);
        var info = Assert.Single(header.Secrets);
        Assert.Equal(fixture.Current.Msid, info.Msid);
        Assert.Equal(fixture.Current.KeyCheck, info.KeyCheck);
    }

    [Fact]
    public void Write_Always_ProducesTheDocumentedSizeAndFields()
    {
        var file = fixture.TwoSecrets;
        var layout = BackupFileFixture.TwoSecretsLayout;

        Assert.Equal(layout.FileSize, file.Length);
        Assert.Equal(301, file.Length);
        Assert.Equal("SSOVBKUP"u8.ToArray(), file[..8]);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(BackupLayout.Version)));
        Assert.Equal(1, file[BackupLayout.KdfId]);
        Assert.Equal(600_000u, BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(BackupLayout.Iterations)));
        Assert.Equal(32, file[BackupLayout.SaltLength]);
        Assert.Equal(fixture.Created.ToUnixTimeMilliseconds(), BinaryPrimitives.ReadInt64BigEndian(file.AsSpan(BackupLayout.Created)));
        Assert.Equal(fixture.SystemId.ToByteArray(bigEndian: true), file[BackupLayout.SystemId..(BackupLayout.SystemId + 16)]);
        Assert.Equal(2, file[layout.Count]);
        Assert.Equal(1, file[layout.Entry(0)]);
        Assert.Equal(2, file[layout.Entry(1)]);
        Assert.Equal(64u, BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(layout.CiphertextLength)));
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(file.AsSpan(0, layout.Checksum)), file[layout.Checksum..]);
    }

    [Fact]
    public void Write_TwoFilesOfTheSameSecrets_DrawFreshSaltAndNonce()
    {
        // The fixture's two files share the system id, creation time and current secret.
        var one = BackupFileFixture.OneSecretLayout;
        var two = BackupFileFixture.TwoSecretsLayout;

        Assert.NotEqual(fixture.OneSecret[BackupLayout.Salt..(BackupLayout.Salt + 32)], fixture.TwoSecrets[BackupLayout.Salt..(BackupLayout.Salt + 32)]);
        Assert.NotEqual(fixture.OneSecret[one.Nonce..(one.Nonce + 12)], fixture.TwoSecrets[two.Nonce..(two.Nonce + 12)]);
        Assert.False(fixture.TwoSecrets.AsSpan().IndexOf(CryptoAssert.Sequence(0x40, 32)) >= 0, "the secret appears in clear");
    }

    [Fact]
    public void Open_WrongPassword_ThrowsWrongBackupPasswordWithTheReminder()
    {
        using var password = BackupPassword.From("P\u00E4ssword1");

        var ex = BackupFileFixture.AssertFails(SsoErrorCode.WrongBackupPassword, () => BackupFileReader.Open(fixture.OneSecret, password));

        Assert.Contains(BackupFileFixture.UnicodeReminder, ex.Hint, StringComparison.Ordinal);
        Assert.DoesNotContain("ssword1", ex.Message + ex.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_HigherIterationCount_IsRecordedAndUsedToOpen()
    {
        using var password = BackupPassword.From(BackupFileFixture.AsciiPassword);
        var file = BackupFileWriter.Write([(BackupSecretRole.Current, fixture.Current)], fixture.SystemId, password, "r", fixture.Created, 600_001);

        var (header, secrets) = BackupFileReader.Open(file, password);

        Assert.Equal(600_001, header.KdfIterations);
        Assert.True(Assert.Single(secrets).Secret.SameAs(fixture.Current));
        BackupFileFixture.DisposeAll(secrets);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(599_999)]
    [InlineData(10_000_001)]
    [InlineData(-1)]
    public void Write_IterationsOutOfRange_Throws(int iterations)
    {
        using var password = BackupPassword.From(BackupFileFixture.AsciiPassword);

        Assert.Throws<ArgumentOutOfRangeException>(() => BackupFileWriter.Write(
            [(BackupSecretRole.Current, fixture.Current)], fixture.SystemId, password, "", fixture.Created, iterations));
    }

    [Fact]
    public void Write_NoSecretOrThree_Throws()
    {
        using var password = BackupPassword.From(BackupFileFixture.AsciiPassword);

        Assert.Throws<ArgumentException>(() => BackupFileWriter.Write([], fixture.SystemId, password, "", fixture.Created));
        Assert.Throws<ArgumentException>(() => BackupFileWriter.Write(
            [(BackupSecretRole.Current, fixture.Current), (BackupSecretRole.Previous, fixture.Previous), (BackupSecretRole.Previous, fixture.Previous)],
            fixture.SystemId, password, "", fixture.Created));
    }

    [Theory]
    [InlineData(BackupSecretRole.Previous)]
    [InlineData(BackupSecretRole.Previous, BackupSecretRole.Current)]
    [InlineData(BackupSecretRole.Current, BackupSecretRole.Current)]
    [InlineData(BackupSecretRole.Previous, BackupSecretRole.Previous)]
    [InlineData((BackupSecretRole)0)]
    [InlineData(BackupSecretRole.Current, (BackupSecretRole)3)]
    public void Write_RolesNotCurrentThenPrevious_ThrowsInsteadOfWritingAnUnreadableFile(params BackupSecretRole[] roles)
    {
        using var password = BackupPassword.From(BackupFileFixture.AsciiPassword);
        var secrets = roles.Select((role, i) => (role, i == 0 ? fixture.Current : fixture.Previous)).ToList();

        Assert.Throws<ArgumentException>(() => BackupFileWriter.Write(secrets, fixture.SystemId, password, "", fixture.Created));
    }

    [Fact]
    public void Write_TimeBefore1970_ThrowsInsteadOfWritingAnUnreadableFile()
    {
        using var password = BackupPassword.From(BackupFileFixture.AsciiPassword);
        using var old = MasterSecret.FromBytes(Guid.NewGuid(), new byte[32], new DateTimeOffset(1969, 12, 31, 23, 59, 59, TimeSpan.Zero));

        Assert.Throws<ArgumentOutOfRangeException>(() => BackupFileWriter.Write(
            [(BackupSecretRole.Current, fixture.Current)], fixture.SystemId, password, "", DateTimeOffset.UnixEpoch.AddMilliseconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => BackupFileWriter.Write(
            [(BackupSecretRole.Current, old)], fixture.SystemId, password, "", fixture.Created));
    }

    [Fact]
    public void Write_ReminderTooLong_ThrowsInvalidPassword()
    {
        using var password = BackupPassword.From(BackupFileFixture.AsciiPassword);

        BackupFileFixture.AssertFails(SsoErrorCode.InvalidPassword, () => BackupFileWriter.Write(
            [(BackupSecretRole.Current, fixture.Current)], fixture.SystemId, password, new string('r', 513), fixture.Created));
    }
}
