using System.Security.Cryptography;
using SsoVault.Core.Backup;
using SsoVault.Core.Crypto;
using SsoVault.Core.Errors;
using SsoVault.Core.Tests.Crypto;

namespace SsoVault.Core.Tests.Backup;

/// <summary>
/// Backup files written once for every backup test class: PBKDF2 with 600,000 iterations costs about 150 ms per
/// call, so the classes share these files instead of writing their own (two key derivations in all).
/// </summary>
public sealed class BackupFileFixture : IDisposable
{
    /// <summary>"pässword1" with a precomposed ä (NFC).</summary>
    public const string NfcPassword = "p\u00E4ssword1";

    /// <summary>"pässword1" with a + combining diaeresis (NFD): the same password as typed on some systems.</summary>
    public const string NfdPassword = "pa\u0308ssword1";

    public const string AsciiPassword = "Tr0ub4dor&3 backup";
    public const string UnicodeReminder = "Chat préféré 🐈 — 猫 «Minou»\nsecond line";

    public BackupFileFixture()
    {
        SystemId = Guid.Parse("5f0c4a1e-8b2d-4c3e-9a7f-112233445566");
        Created = new DateTimeOffset(2025, 7, 14, 9, 15, 42, 789, TimeSpan.Zero);
        Current = MasterSecret.FromBytes(Guid.NewGuid(), CryptoAssert.Sequence(0x40, 32), Created.AddDays(-1));
        Previous = MasterSecret.FromBytes(Guid.NewGuid(), CryptoAssert.Sequence(0x60, 32), Created.AddDays(-400));

        using (var password = BackupPassword.From(AsciiPassword))
        {
            TwoSecrets = BackupFileWriter.Write(
                [(BackupSecretRole.Current, Current), (BackupSecretRole.Previous, Previous)], SystemId, password, "", Created);
        }

        using (var password = BackupPassword.From(NfcPassword))
        {
            OneSecret = BackupFileWriter.Write([(BackupSecretRole.Current, Current)], SystemId, password, UnicodeReminder, Created);
        }
    }

    public Guid SystemId { get; }

    public DateTimeOffset Created { get; }

    public MasterSecret Current { get; }

    public MasterSecret Previous { get; }

    /// <summary>Current and previous secret, empty reminder, password <see cref="AsciiPassword"/>.</summary>
    public byte[] TwoSecrets { get; }

    /// <summary>The current secret only, reminder <see cref="UnicodeReminder"/>, password <see cref="NfcPassword"/>.</summary>
    public byte[] OneSecret { get; }

    internal static BackupLayout TwoSecretsLayout => new(0, 2);

    internal static BackupLayout OneSecretLayout => new(System.Text.Encoding.UTF8.GetByteCount(UnicodeReminder), 1);

    public void Dispose()
    {
        Current.Dispose();
        Previous.Dispose();
    }

    /// <summary>Recomputes the trailing SHA-256 so that only the deeper checks can catch a change.</summary>
    public static byte[] Reseal(byte[] file)
    {
        SHA256.HashData(file.AsSpan(0, file.Length - 32), file.AsSpan(file.Length - 32));
        return file;
    }

    public static SsoException AssertFails(SsoErrorCode code, Action act)
    {
        var ex = Assert.Throws<SsoException>(act);
        Assert.Equal(code, ex.Code);
        return ex;
    }

    public static void DisposeAll(IReadOnlyList<(BackupSecretRole Role, MasterSecret Secret)> secrets)
    {
        foreach (var (_, secret) in secrets)
        {
            secret.Dispose();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BackupFileCollection : ICollectionFixture<BackupFileFixture>
{
    public const string Name = "Backup files";
}
