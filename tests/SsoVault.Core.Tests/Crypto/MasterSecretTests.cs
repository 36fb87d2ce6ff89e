using System.Reflection;
using Microsoft.Extensions.Time.Testing;
using SsoVault.Core.Crypto;

namespace SsoVault.Core.Tests.Crypto;

public sealed class MasterSecretTests
{
    private static readonly Guid Msid = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");
    private static readonly DateTimeOffset Created = new(2025, 5, 1, 8, 30, 0, 123, TimeSpan.Zero);

    private static byte[] RawBytes(MasterSecret secret) =>
        (byte[])typeof(MasterSecret).GetField("_secret", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(secret)!;

    [Fact]
    public void FromBytes_ThirtyTwoBytes_KeepsMsidCreatedAndBytes()
    {
        var bytes = CryptoAssert.Sequence(0, 32);

        using var secret = MasterSecret.FromBytes(Msid, bytes, Created);

        Assert.Equal(Msid, secret.Msid);
        Assert.Equal(Created, secret.CreatedUtc);
        Assert.Equal(KeyCheckValue.Compute(bytes, Msid), secret.KeyCheck);
        var copy = new byte[32];
        secret.CopyTo(copy);
        Assert.Equal(bytes, copy);
    }

    [Fact]
    public void FromBytes_SourceChangedAfterwards_KeepsItsOwnCopy()
    {
        var bytes = CryptoAssert.Sequence(0, 32);
        using var secret = MasterSecret.FromBytes(Msid, bytes, Created);

        Array.Clear(bytes);

        var copy = new byte[32];
        secret.CopyTo(copy);
        Assert.Equal(CryptoAssert.Sequence(0, 32), copy);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    public void FromBytes_WrongLength_Throws(int length)
    {
        Assert.Throws<ArgumentException>(() => MasterSecret.FromBytes(Msid, new byte[length], Created));
    }

    [Fact]
    public void FromBytes_SubMillisecondTime_TruncatesToMilliseconds()
    {
        using var secret = MasterSecret.FromBytes(Msid, new byte[32], Created.AddTicks(9_999));

        Assert.Equal(Created, secret.CreatedUtc);
    }

    [Fact]
    public void Generate_Clock_UsesItsTimeAndFreshRandomBytes()
    {
        var clock = new FakeTimeProvider(Created.AddTicks(5));

        using var first = MasterSecret.Generate(clock);
        using var second = MasterSecret.Generate(clock);

        Assert.Equal(Created, first.CreatedUtc);
        Assert.NotEqual(first.Msid, second.Msid);
        Assert.False(first.SameAs(second));
        Assert.NotEqual(first.KeyCheck, second.KeyCheck);
    }

    [Fact]
    public void Dispose_Always_ClearsTheBytes()
    {
        var secret = MasterSecret.FromBytes(Msid, CryptoAssert.Sequence(1, 32), Created);
        var raw = RawBytes(secret);
        Assert.Contains(raw, b => b != 0);

        secret.Dispose();

        Assert.All(raw, b => Assert.Equal(0, b));
    }

    [Fact]
    public void CopyTo_AfterDispose_ThrowsObjectDisposedException()
    {
        var secret = MasterSecret.FromBytes(Msid, CryptoAssert.Sequence(1, 32), Created);
        secret.Dispose();

        Assert.Throws<ObjectDisposedException>(() => secret.CopyTo(new byte[32]));
        Assert.Throws<ObjectDisposedException>(() => secret.DeriveWrappingKey(new byte[32]));
    }

    [Fact]
    public void Dispose_Twice_DoesNotThrow()
    {
        var secret = MasterSecret.FromBytes(Msid, CryptoAssert.Sequence(1, 32), Created);

        secret.Dispose();
        secret.Dispose();
    }

    [Fact]
    public void SameAs_SameMsidAndBytes_ReturnsTrue()
    {
        using var a = MasterSecret.FromBytes(Msid, CryptoAssert.Sequence(1, 32), Created);
        using var b = MasterSecret.FromBytes(Msid, CryptoAssert.Sequence(1, 32), Created.AddDays(1));

        Assert.True(a.SameAs(b));
        Assert.True(b.SameAs(a));
    }

    [Fact]
    public void SameAs_OtherBytes_ReturnsFalse()
    {
        using var a = MasterSecret.FromBytes(Msid, CryptoAssert.Sequence(1, 32), Created);
        var bytes = CryptoAssert.Sequence(1, 32);
        bytes[0] ^= 0x80;
        using var b = MasterSecret.FromBytes(Msid, bytes, Created);

        Assert.False(a.SameAs(b));
    }

    [Fact]
    public void SameAs_OtherMsid_ReturnsFalse()
    {
        using var a = MasterSecret.FromBytes(Msid, CryptoAssert.Sequence(1, 32), Created);
        using var b = MasterSecret.FromBytes(Guid.NewGuid(), CryptoAssert.Sequence(1, 32), Created);

        Assert.False(a.SameAs(b));
    }

    [Fact]
    public void ToString_Always_ShowsMsidAndKcvButNotTheBytes()
    {
        using var secret = MasterSecret.FromBytes(Msid, CryptoAssert.Sequence(0xA0, 32), Created);

        var text = secret.ToString();

        Assert.Contains(Msid.ToString(), text, StringComparison.Ordinal);
        Assert.Contains(secret.KeyCheck.ToString(), text, StringComparison.Ordinal);
        Assert.DoesNotContain("a0a1a2", text, StringComparison.OrdinalIgnoreCase);
    }
}
