using System.Buffers.Binary;
using System.Text;
using SsoVault.Core.Backup;
using SsoVault.Core.Errors;

namespace SsoVault.Core.Tests.Backup;

/// <summary>
/// Damaged, truncated, altered and foreign files. Almost all of these fail before the key derivation, so they are
/// fast; the few that reach it (a change hidden behind a recomputed checksum) each cost one derivation.
/// </summary>
[Collection(BackupFileCollection.Name)]
public sealed class BackupTamperTests(BackupFileFixture fixture)
{
    private static void AssertCorrupt(byte[] file, BackupPassword password)
    {
        BackupFileFixture.AssertFails(SsoErrorCode.CorruptBackupFile, () => BackupFileReader.ReadHeader(file));
        BackupFileFixture.AssertFails(SsoErrorCode.CorruptBackupFile, () => BackupFileReader.Open(file, password));
    }

    private void AssertOpenCorrupt(byte[] file)
    {
        using var password = BackupPassword.From(BackupFileFixture.NfcPassword);
        BackupFileFixture.AssertFails(SsoErrorCode.CorruptBackupFile, () => BackupFileReader.Open(file, password));
    }

    private byte[] OneSecret => (byte[])fixture.OneSecret.Clone();

    private static BackupLayout Layout => BackupFileFixture.OneSecretLayout;

    [Theory]
    [InlineData(0x01)]
    [InlineData(0xFF)]
    [InlineData(0x80)]
    public void ReadHeaderAndOpen_EverySingleByteChanged_ThrowCorruptBackupFile(byte mask)
    {
        using var twoSecretsPassword = BackupPassword.From(BackupFileFixture.AsciiPassword);
        using var oneSecretPassword = BackupPassword.From(BackupFileFixture.NfcPassword);

        foreach (var (original, password) in new[] { (fixture.TwoSecrets, twoSecretsPassword), (fixture.OneSecret, oneSecretPassword) })
        {
            for (var offset = 0; offset < original.Length; offset++)
            {
                var altered = (byte[])original.Clone();
                altered[offset] ^= mask;
                AssertCorrupt(altered, password);
            }
        }
    }

    [Fact]
    public void ReadHeaderAndOpen_EveryTruncation_ThrowCorruptBackupFile()
    {
        using var password = BackupPassword.From(BackupFileFixture.AsciiPassword);
        var file = fixture.TwoSecrets;

        for (var length = 0; length < file.Length; length++)
        {
            AssertCorrupt(file[..length], password);
        }
    }

    [Fact]
    public void ReadHeader_BytesAppended_ThrowsCorruptBackupFile()
    {
        using var password = BackupPassword.From(BackupFileFixture.AsciiPassword);

        AssertCorrupt([.. fixture.TwoSecrets, 0], password);
        AssertCorrupt(BackupFileFixture.Reseal([.. fixture.TwoSecrets[..^32], 0, .. new byte[32]]), password);
        AssertCorrupt([.. fixture.TwoSecrets, .. fixture.TwoSecrets], password);
    }

    public static TheoryData<string, byte[]> ForeignFiles()
    {
        var random = new byte[4096];
        new Random(7).NextBytes(random);
        var garbage = new byte[400];
        new Random(8).NextBytes(garbage);
        return new TheoryData<string, byte[]>
        {
            { "empty", [] },
            { "one byte", [0x53] },
            { "random", random },
            { "text", Encoding.UTF8.GetBytes("password=hunter2\nThis is a text file, not a backup.\n") },
            { "xml", Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><sso><globalInfo/></sso>") },
            { "magic only", "SSOVBKUP"u8.ToArray() },
            { "magic then garbage", [.. "SSOVBKUP"u8, .. garbage] },
            { "magic, version 1, then garbage", [.. "SSOVBKUP"u8, 0, 1, .. garbage] },
            { "magic, version 1, zeros", [.. "SSOVBKUP"u8, 0, 1, .. new byte[400]] },
            { "magic in lower case", [.. "ssovbkup"u8, 0, 1, .. garbage] },
            { "larger than 64 KiB", [.. "SSOVBKUP"u8, 0, 1, .. new byte[70_000]] },
        };
    }

    [Theory]
    [MemberData(nameof(ForeignFiles))]
    public void ReadHeaderAndOpen_ForeignFile_ThrowCorruptBackupFile(string what, byte[] file)
    {
        Assert.NotNull(what);
        using var password = BackupPassword.From(BackupFileFixture.AsciiPassword);

        AssertCorrupt(file, password);
    }

    [Fact]
    public void ReadHeaderAndOpen_MagicThenGarbageWithValidChecksum_ThrowCorruptBackupFile()
    {
        using var password = BackupPassword.From(BackupFileFixture.AsciiPassword);
        var garbage = new byte[300];
        new Random(9).NextBytes(garbage);

        AssertCorrupt(BackupFileFixture.Reseal([.. "SSOVBKUP"u8, 0, 1, .. garbage]), password);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(0)]
    [InlineData(0x0100)]
    public void ReadHeader_OtherFormatVersion_ThrowsCorruptBackupFileNamingTheVersion(ushort version)
    {
        var file = OneSecret;
        BinaryPrimitives.WriteUInt16BigEndian(file.AsSpan(BackupLayout.Version), version);

        var ex = BackupFileFixture.AssertFails(SsoErrorCode.CorruptBackupFile, () => BackupFileReader.ReadHeader(BackupFileFixture.Reseal(file)));

        Assert.Contains(version.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
    }

    // ---- Header changes behind a recomputed checksum: the header is AAD of the payload, so Open refuses them. ----

    [Fact]
    public void Open_ReminderAlteredAndChecksumRecomputed_ThrowsCorruptBackupFile()
    {
        var file = OneSecret;
        file[BackupLayout.Reminder] ^= 0x01; // 'C' -> 'B'
        BackupFileFixture.Reseal(file);

        Assert.Equal("Bhat", BackupFileReader.ReadHeader(file).Reminder[..4]); // readable, but not trusted...
        AssertOpenCorrupt(file); // ...until the payload authenticates it
    }

    [Theory]
    [InlineData("kcv", 25)]
    [InlineData("msid", 1)]
    [InlineData("secret created", 17)]
    [InlineData("role entry last byte", 32)]
    public void Open_SecretEntryAlteredAndChecksumRecomputed_ThrowsCorruptBackupFile(string field, int offsetInEntry)
    {
        Assert.NotNull(field);
        var file = OneSecret;
        file[Layout.Entry(0) + offsetInEntry] ^= 0x01;

        AssertOpenCorrupt(BackupFileFixture.Reseal(file));
    }

    [Theory]
    [InlineData("created", BackupLayout.Created + 7)]
    [InlineData("system id", BackupLayout.SystemId)]
    [InlineData("system id last byte", BackupLayout.SystemId + 15)]
    public void Open_HeaderFieldAlteredAndChecksumRecomputed_ThrowsCorruptBackupFile(string field, int offset)
    {
        Assert.NotNull(field);
        var file = OneSecret;
        file[offset] ^= 0x01;

        AssertOpenCorrupt(BackupFileFixture.Reseal(file));
    }

    [Fact]
    public void Open_NonceCiphertextOrTagAlteredAndChecksumRecomputed_ThrowsCorruptBackupFile()
    {
        foreach (var offset in new[] { Layout.Nonce, Layout.Ciphertext + 31, Layout.Tag + 15 })
        {
            var file = OneSecret;
            file[offset] ^= 0x80;
            AssertOpenCorrupt(BackupFileFixture.Reseal(file));
        }
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    [InlineData(599_999u)]
    [InlineData(10_000_001u)]
    [InlineData(uint.MaxValue)]
    public void ReadHeader_IterationsOutOfRangeAndChecksumRecomputed_ThrowsCorruptBackupFile(uint iterations)
    {
        using var password = BackupPassword.From(BackupFileFixture.NfcPassword);
        var file = OneSecret;
        BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(BackupLayout.Iterations), iterations);

        AssertCorrupt(BackupFileFixture.Reseal(file), password);
    }

    public static TheoryData<string, int, byte> StructuralChanges() => new()
    {
        { "kdf id 0", BackupLayout.KdfId, 0 },
        { "kdf id 2", BackupLayout.KdfId, 2 },
        { "salt length 16", BackupLayout.SaltLength, 16 },
        { "salt length 33", BackupLayout.SaltLength, 33 },
        { "created negative", BackupLayout.Created, 0x80 },
        { "created beyond year 9999", BackupLayout.Created, 0x7F },
        { "reminder length + 1", BackupLayout.ReminderLength + 1, (byte)(BackupFileFixture.OneSecretLayout.ReminderBytes + 1) },
        { "reminder length - 1", BackupLayout.ReminderLength + 1, (byte)(BackupFileFixture.OneSecretLayout.ReminderBytes - 1) },
        { "reminder length huge", BackupLayout.ReminderLength, 0xFF },
        { "reminder invalid UTF-8", BackupLayout.Reminder, 0xFF },
        { "secret count 0", BackupFileFixture.OneSecretLayout.Count, 0 },
        { "secret count 2", BackupFileFixture.OneSecretLayout.Count, 2 },
        { "secret count 255", BackupFileFixture.OneSecretLayout.Count, 255 },
        { "role previous first", BackupFileFixture.OneSecretLayout.Entry(0), 2 },
        { "role 0", BackupFileFixture.OneSecretLayout.Entry(0), 0 },
        { "role 3", BackupFileFixture.OneSecretLayout.Entry(0), 3 },
        { "secret created negative", BackupFileFixture.OneSecretLayout.Entry(0) + 17, 0xFF },
        { "ciphertext length 33", BackupFileFixture.OneSecretLayout.CiphertextLength + 3, 33 },
        { "ciphertext length 31", BackupFileFixture.OneSecretLayout.CiphertextLength + 3, 31 },
        { "ciphertext length huge", BackupFileFixture.OneSecretLayout.CiphertextLength, 0x7F },
    };

    [Theory]
    [MemberData(nameof(StructuralChanges))]
    public void ReadHeader_StructureAlteredAndChecksumRecomputed_ThrowsCorruptBackupFile(string what, int offset, byte value)
    {
        Assert.NotNull(what);
        using var password = BackupPassword.From(BackupFileFixture.NfcPassword);
        var file = OneSecret;
        file[offset] = value;

        AssertCorrupt(BackupFileFixture.Reseal(file), password);
    }

    [Fact]
    public void ReadHeader_SecondRoleCurrentAndChecksumRecomputed_ThrowsCorruptBackupFile()
    {
        using var password = BackupPassword.From(BackupFileFixture.AsciiPassword);
        var file = (byte[])fixture.TwoSecrets.Clone();
        file[BackupFileFixture.TwoSecretsLayout.Entry(1)] = 1;

        AssertCorrupt(BackupFileFixture.Reseal(file), password);
    }

    [Fact]
    public void ReadHeader_ReminderOf513CharactersAndChecksumRecomputed_ThrowsCorruptBackupFile()
    {
        // Rebuild the file around a longer reminder, which the writer itself would refuse.
        using var password = BackupPassword.From(BackupFileFixture.AsciiPassword);
        var original = fixture.TwoSecrets; // empty reminder
        var reminder = Encoding.UTF8.GetBytes(new string('r', 513));
        var file = new byte[original.Length + reminder.Length];
        original.AsSpan(0, BackupLayout.Reminder).CopyTo(file);
        BinaryPrimitives.WriteUInt16BigEndian(file.AsSpan(BackupLayout.ReminderLength), (ushort)reminder.Length);
        reminder.CopyTo(file, BackupLayout.Reminder);
        original.AsSpan(BackupLayout.Reminder).CopyTo(file.AsSpan(BackupLayout.Reminder + reminder.Length));

        AssertCorrupt(BackupFileFixture.Reseal(file), password);
    }

    [Fact]
    public void ReadHeader_ReminderOf512CharactersAndChecksumRecomputed_IsReadButOpenRefusesIt()
    {
        using var password = BackupPassword.From(BackupFileFixture.AsciiPassword);
        var original = fixture.TwoSecrets;
        var reminder = Encoding.UTF8.GetBytes(new string('r', 512));
        var file = new byte[original.Length + reminder.Length];
        original.AsSpan(0, BackupLayout.Reminder).CopyTo(file);
        BinaryPrimitives.WriteUInt16BigEndian(file.AsSpan(BackupLayout.ReminderLength), (ushort)reminder.Length);
        reminder.CopyTo(file, BackupLayout.Reminder);
        original.AsSpan(BackupLayout.Reminder).CopyTo(file.AsSpan(BackupLayout.Reminder + reminder.Length));
        BackupFileFixture.Reseal(file);

        Assert.Equal(512, BackupFileReader.ReadHeader(file).Reminder.Length);
        BackupFileFixture.AssertFails(SsoErrorCode.CorruptBackupFile, () => BackupFileReader.Open(file, password));
    }

    /// <summary>
    /// A known limit of format v1 (docs/backup-format.md, "Errors"): the salt, the iteration count and the password
    /// check are inputs of the password check itself, so someone who alters one of them AND recomputes the checksum
    /// makes the right password look wrong. The file still never opens.
    /// </summary>
    [Theory]
    [InlineData("salt", BackupLayout.Salt + 5)]
    [InlineData("password check", -1)]
    [InlineData("iterations 600,000 -> 600,001", BackupLayout.Iterations + 3)]
    public void Open_PasswordCheckInputAlteredAndChecksumRecomputed_ThrowsWrongBackupPassword(string field, int offset)
    {
        Assert.NotNull(field);
        using var password = BackupPassword.From(BackupFileFixture.NfcPassword);
        var file = OneSecret;
        file[offset < 0 ? Layout.PasswordCheck : offset] ^= 0x01;

        BackupFileFixture.AssertFails(SsoErrorCode.WrongBackupPassword, () => BackupFileReader.Open(BackupFileFixture.Reseal(file), password));
    }
}
