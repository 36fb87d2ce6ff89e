using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using SsoVault.Core.Crypto;
using SsoVault.Core.Errors;
using SsoVault.Core.Secrets;
using SsoVault.Core.Tests.TestSupport;

namespace SsoVault.Core.Tests.Secrets;

public sealed class LocalSecretStoreTests : IDisposable
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerAll = OwnerReadWrite | UnixFileMode.UserExecute;

    /// <summary>Offsets in the store layout (see <see cref="LocalSecretStore"/>).</summary>
    private const int HeaderSize = 27;
    private const int EntrySize = 16 + 8 + 32 + 8;

    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 12, 0, 0, 250, TimeSpan.Zero);

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string StoreDirectory => _dir.Combine("secrets");

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void SaveThenLoad_OneToThreeSecrets_RoundTripsExactly(int count)
    {
        // Arrange
        var store = new LocalSecretStore(StoreDirectory);
        var systemId = Guid.NewGuid();
        var secrets = Enumerable.Range(0, count).Select(i => NewSecret(T0.AddDays(i))).ToList();

        // Act
        store.Save(systemId, secrets);
        using var loaded = store.Load();

        // Assert
        Assert.NotNull(loaded);
        Assert.Equal(systemId, loaded.SystemId);
        Assert.Equal(count, loaded.Secrets.Count);
        for (var i = 0; i < count; i++)
        {
            Assert.True(secrets[i].SameAs(loaded.Secrets[i]), $"secret {i} differs");
            Assert.Equal(secrets[i].CreatedUtc, loaded.Secrets[i].CreatedUtc);
            Assert.Equal(secrets[i].KeyCheck, loaded.Secrets[i].KeyCheck);
            Assert.Same(loaded.Secrets[i], loaded.Find(secrets[i].Msid));
        }

        Assert.Equal(HeaderSize + count * EntrySize + 32, new FileInfo(store.FilePath).Length);
        secrets.ForEach(s => s.Dispose());
    }

    [Fact]
    public void Save_Twice_SecondReplacesFirst()
    {
        var store = new LocalSecretStore(StoreDirectory);
        using var first = NewSecret(T0);
        using var second = NewSecret(T0.AddDays(1));
        var systemId = Guid.NewGuid();
        store.Save(systemId, [first]);

        store.Save(systemId, [second, first]);

        using var loaded = store.Load();
        Assert.NotNull(loaded);
        Assert.Equal([second.Msid, first.Msid], loaded.Secrets.Select(s => s.Msid));
    }

    [Fact]
    public void Save_NewStore_FileIs0600AndDirectory0700()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var store = new LocalSecretStore(StoreDirectory);
        using var secret = NewSecret(T0);

        store.Save(Guid.NewGuid(), [secret]);

        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(store.FilePath));
        Assert.Equal(OwnerAll, File.GetUnixFileMode(StoreDirectory));
    }

    [Fact]
    public void Save_ExistingOpenDirectoryAndLooseFile_TightensBoth()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // Arrange: a folder and store someone loosened to 0755 / 0644.
        var store = new LocalSecretStore(StoreDirectory);
        using var secret = NewSecret(T0);
        store.Save(Guid.NewGuid(), [secret]);
        File.SetUnixFileMode(StoreDirectory, OwnerAll | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(store.FilePath, OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        // Act
        store.Save(Guid.NewGuid(), [secret]);

        // Assert
        Assert.Equal(OwnerAll, File.GetUnixFileMode(StoreDirectory));
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(store.FilePath));
    }

    [Fact]
    public void Save_SeveralTimes_LeavesNoTemporaryFiles()
    {
        var store = new LocalSecretStore(StoreDirectory);
        using var secret = NewSecret(T0);

        for (var i = 0; i < 3; i++)
        {
            store.Save(Guid.NewGuid(), [secret]);
        }

        Assert.Equal([LocalSecretStore.FileName], Directory.GetFiles(StoreDirectory).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public void Save_NoneOrTooManySecrets_ThrowsAndWritesNothing(int count)
    {
        var store = new LocalSecretStore(StoreDirectory);
        var secrets = Enumerable.Range(0, count).Select(_ => NewSecret(T0)).ToList();

        Assert.Throws<ArgumentException>(() => store.Save(Guid.NewGuid(), secrets));

        Assert.False(store.Exists);
        secrets.ForEach(s => s.Dispose());
    }

    [Fact]
    public void Load_MissingStore_ReturnsNull()
    {
        var store = new LocalSecretStore(StoreDirectory);

        Assert.Null(store.Load());
        Assert.False(store.Exists);
    }

    [Fact]
    public void Load_AnySingleByteFlipped_SecretStoreDamagedNamingRestore()
    {
        // Arrange: a store with two secrets, so that every field of the layout is covered more than once.
        var store = new LocalSecretStore(StoreDirectory);
        using var a = NewSecret(T0);
        using var b = NewSecret(T0.AddDays(1));
        store.Save(Guid.NewGuid(), [a, b]);
        var original = File.ReadAllBytes(store.FilePath);

        for (var offset = 0; offset < original.Length; offset++)
        {
            foreach (var mask in new byte[] { 0x01, 0x80, 0xFF })
            {
                // Act
                var altered = (byte[])original.Clone();
                altered[offset] ^= mask;
                File.WriteAllBytes(store.FilePath, altered);
                var error = Record.Exception(() => store.Load()?.Dispose());

                // Assert
                var sso = Assert.IsType<SsoException>(error);
                Assert.True(sso.Code == SsoErrorCode.SecretStoreDamaged, $"offset {offset} mask {mask:x2}: {sso.Code}");
                Assert.Contains("secret restore", sso.Hint, StringComparison.Ordinal);
                Assert.Contains(store.FilePath, sso.Message, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Load_TruncatedAtEveryLength_SecretStoreDamaged()
    {
        var store = new LocalSecretStore(StoreDirectory);
        using var a = NewSecret(T0);
        using var b = NewSecret(T0);
        store.Save(Guid.NewGuid(), [a, b]);
        var original = File.ReadAllBytes(store.FilePath);

        for (var length = 0; length < original.Length; length++)
        {
            File.WriteAllBytes(store.FilePath, original[..length]);

            var error = Record.Exception(() => store.Load()?.Dispose());

            var sso = Assert.IsType<SsoException>(error);
            Assert.True(sso.Code == SsoErrorCode.SecretStoreDamaged, $"length {length}: {sso.Code}");
            Assert.Contains("secret restore", sso.Hint, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Load_ExtraTrailingByte_SecretStoreDamaged()
    {
        var store = new LocalSecretStore(StoreDirectory);
        using var a = NewSecret(T0);
        store.Save(Guid.NewGuid(), [a]);
        File.WriteAllBytes(store.FilePath, [.. File.ReadAllBytes(store.FilePath), 0]);

        var error = Assert.Throws<SsoException>(() => store.Load());

        Assert.Equal(SsoErrorCode.SecretStoreDamaged, error.Code);
    }

    [Fact]
    public void Load_KeyCheckAlteredWithValidChecksum_SecretStoreDamagedNamingSecret()
    {
        // Arrange: a forgery that recomputes the (unkeyed) checksum; the key-check value still catches it.
        var store = new LocalSecretStore(StoreDirectory);
        using var a = NewSecret(T0);
        store.Save(Guid.NewGuid(), [a]);
        var bytes = File.ReadAllBytes(store.FilePath);
        bytes[HeaderSize + EntrySize - 1] ^= 0x01;
        Rehash(bytes);
        File.WriteAllBytes(store.FilePath, bytes);

        var error = Assert.Throws<SsoException>(() => store.Load());

        Assert.Equal(SsoErrorCode.SecretStoreDamaged, error.Code);
        Assert.Contains(a.Msid.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CreationTimeOutOfRangeWithValidChecksum_SecretStoreDamaged()
    {
        var store = new LocalSecretStore(StoreDirectory);
        using var a = NewSecret(T0);
        store.Save(Guid.NewGuid(), [a]);
        var bytes = File.ReadAllBytes(store.FilePath);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(HeaderSize + 16), long.MaxValue);
        Rehash(bytes);
        File.WriteAllBytes(store.FilePath, bytes);

        var error = Record.Exception(() => store.Load()?.Dispose());

        var sso = Assert.IsType<SsoException>(error);
        Assert.Equal(SsoErrorCode.SecretStoreDamaged, sso.Code);
    }

    [Fact]
    public void Load_NotAStoreAtAll_SecretStoreDamaged()
    {
        var store = new LocalSecretStore(StoreDirectory);
        Directory.CreateDirectory(StoreDirectory);
        File.WriteAllText(store.FilePath, new string('x', 200));

        var error = Assert.Throws<SsoException>(() => store.Load());

        Assert.Equal(SsoErrorCode.SecretStoreDamaged, error.Code);
        Assert.Contains("signature", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SetAsideDamaged_DamagedStore_MovesItAsideUnchanged()
    {
        // Arrange
        var store = new LocalSecretStore(StoreDirectory);
        using var a = NewSecret(T0);
        store.Save(Guid.NewGuid(), [a]);
        var damaged = File.ReadAllBytes(store.FilePath);
        damaged[^1] ^= 0x01;
        File.WriteAllBytes(store.FilePath, damaged);
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero));

        // Act
        var aside = store.SetAsideDamaged(clock);

        // Assert
        Assert.NotNull(aside);
        Assert.False(store.Exists);
        Assert.Null(store.Load());
        Assert.Equal(StoreDirectory, Path.GetDirectoryName(aside));
        Assert.StartsWith(LocalSecretStore.FileName + ".damaged-20250304T050607Z-", Path.GetFileName(aside), StringComparison.Ordinal);
        Assert.Equal(damaged, File.ReadAllBytes(aside));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(aside));
        }
    }

    [Fact]
    public void SetAsideDamaged_TwiceInTheSameSecond_KeepsBothCopies()
    {
        var store = new LocalSecretStore(StoreDirectory);
        using var a = NewSecret(T0);
        var clock = new FakeTimeProvider(T0);
        store.Save(Guid.NewGuid(), [a]);
        var first = store.SetAsideDamaged(clock);
        store.Save(Guid.NewGuid(), [a]);

        var second = store.SetAsideDamaged(clock);

        Assert.NotEqual(first, second);
        Assert.True(File.Exists(first));
        Assert.True(File.Exists(second));
    }

    [Fact]
    public void SetAsideDamaged_NoStore_ReturnsNull()
    {
        var store = new LocalSecretStore(StoreDirectory);

        Assert.Null(store.SetAsideDamaged(TimeProvider.System));
    }

    private static MasterSecret NewSecret(DateTimeOffset created) =>
        MasterSecret.FromBytes(Guid.NewGuid(), RandomNumberGenerator.GetBytes(CryptoConstants.KeySize), created);

    private static void Rehash(byte[] bytes) => SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32), bytes.AsSpan(bytes.Length - 32));
}
