using FsCheck.Xunit;
using SsoVault.Core.Crypto;
using SsoVault.Core.Errors;

namespace SsoVault.Core.Tests.Crypto;

public sealed class DataKeyWrapperTests : IDisposable
{
    private readonly MasterSecret _secret = CryptoAssert.Secret(0x10);
    private readonly Guid _systemId = Guid.NewGuid();
    private readonly DataKey _dataKey = DataKey.Generate(42);

    public void Dispose()
    {
        _secret.Dispose();
        _dataKey.Dispose();
    }

    private static void AssertUnwrapFails(MasterSecret secret, Guid systemId, uint keyId, byte[] wrapped)
    {
        Assert.False(DataKeyWrapper.TryUnwrap(secret, systemId, keyId, wrapped, out var key));
        Assert.Null(key);
        var ex = Assert.Throws<SsoException>(() => DataKeyWrapper.Unwrap(secret, systemId, keyId, wrapped));
        Assert.Equal(SsoErrorCode.DecryptionFailed, ex.Code);
    }

    [Fact]
    public void Unwrap_WrappedKey_ReturnsTheSameKey()
    {
        // Arrange
        var wrapped = DataKeyWrapper.Wrap(_secret, _systemId, _dataKey);

        // Act
        using var unwrapped = DataKeyWrapper.Unwrap(_secret, _systemId, 42, wrapped);

        // Assert
        Assert.Equal(42u, unwrapped.Id);
        Assert.True(unwrapped.KeyBytes.SequenceEqual(_dataKey.KeyBytes));
        var record = RecordIdentity.Of("t", "x");
        Assert.Equal("v"u8.ToArray(), ValueEnvelope.Decrypt(_ => unwrapped, record, ValueEnvelope.Encrypt(_dataKey, record, "v"u8)));
    }

    [Property(MaxTest = 50)]
    public void Unwrap_AnyKeyIdAndSystem_RoundTrips(uint keyId, Guid systemId)
    {
        using var dataKey = DataKey.Generate(keyId);
        var wrapped = DataKeyWrapper.Wrap(_secret, systemId, dataKey);

        Assert.True(DataKeyWrapper.TryUnwrap(_secret, systemId, keyId, wrapped, out var unwrapped));
        using (unwrapped)
        {
            Assert.True(unwrapped.KeyBytes.SequenceEqual(dataKey.KeyBytes));
        }
    }

    [Fact]
    public void Wrap_Always_WritesVersionNonceKeyTagWithoutTheKeyInClear()
    {
        var wrapped = DataKeyWrapper.Wrap(_secret, _systemId, _dataKey);

        Assert.Equal(DataKeyWrapper.WrappedSize, wrapped.Length);
        Assert.Equal(61, wrapped.Length);
        Assert.Equal(DataKeyWrapper.FormatVersion, wrapped[0]);
        Assert.False(wrapped.AsSpan(13, 32).SequenceEqual(_dataKey.KeyBytes));
        Assert.NotEqual(wrapped, DataKeyWrapper.Wrap(_secret, _systemId, _dataKey)); // fresh nonce each time
    }

    [Fact]
    public void Unwrap_WrongSecret_Fails()
    {
        var wrapped = DataKeyWrapper.Wrap(_secret, _systemId, _dataKey);
        using var other = CryptoAssert.Secret(0x11, _secret.Msid);

        AssertUnwrapFails(other, _systemId, 42, wrapped);
    }

    [Fact]
    public void Unwrap_SameBytesUnderAnotherMsid_Fails()
    {
        var wrapped = DataKeyWrapper.Wrap(_secret, _systemId, _dataKey);
        using var other = CryptoAssert.Secret(0x10, Guid.NewGuid());

        AssertUnwrapFails(other, _systemId, 42, wrapped);
    }

    [Fact]
    public void Unwrap_OtherSystemId_Fails()
    {
        var wrapped = DataKeyWrapper.Wrap(_secret, _systemId, _dataKey);

        AssertUnwrapFails(_secret, Guid.NewGuid(), 42, wrapped);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(41u)]
    [InlineData(43u)]
    [InlineData(uint.MaxValue)]
    public void Unwrap_OtherKeyId_Fails(uint keyId)
    {
        var wrapped = DataKeyWrapper.Wrap(_secret, _systemId, _dataKey);

        AssertUnwrapFails(_secret, _systemId, keyId, wrapped);
    }

    [Fact]
    public void Unwrap_EveryBitFlippedInTurn_Fails()
    {
        var wrapped = DataKeyWrapper.Wrap(_secret, _systemId, _dataKey);

        for (var bit = 0; bit < wrapped.Length * 8; bit++)
        {
            var altered = (byte[])wrapped.Clone();
            altered[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(DataKeyWrapper.TryUnwrap(_secret, _systemId, 42, altered, out _), $"bit {bit} flipped was accepted");
        }
    }

    [Fact]
    public void Unwrap_WrongLength_Fails()
    {
        var wrapped = DataKeyWrapper.Wrap(_secret, _systemId, _dataKey);

        for (var length = 0; length < wrapped.Length; length++)
        {
            AssertUnwrapFails(_secret, _systemId, 42, wrapped[..length]);
        }

        AssertUnwrapFails(_secret, _systemId, 42, [.. wrapped, 0]);
    }

    [Fact]
    public void Unwrap_ErrorMessage_NamesNoKeyMaterial()
    {
        var wrapped = DataKeyWrapper.Wrap(_secret, _systemId, _dataKey);
        using var other = CryptoAssert.Secret(0x77);

        var ex = Assert.Throws<SsoException>(() => DataKeyWrapper.Unwrap(other, _systemId, 42, wrapped));

        Assert.DoesNotContain(Convert.ToHexString(_dataKey.KeyBytes), ex.Message + ex.Hint, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Wrap_DisposedSecret_Throws()
    {
        var secret = CryptoAssert.Secret(1);
        secret.Dispose();

        Assert.Throws<ObjectDisposedException>(() => DataKeyWrapper.Wrap(secret, _systemId, _dataKey));
    }
}
