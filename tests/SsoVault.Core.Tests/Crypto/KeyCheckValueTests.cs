using System.Security.Cryptography;
using System.Text.RegularExpressions;
using FsCheck.Xunit;
using SsoVault.Core.Crypto;

namespace SsoVault.Core.Tests.Crypto;

public sealed partial class KeyCheckValueTests
{
    private static readonly Guid Msid = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");

    [GeneratedRegex("^[0-9a-f]{16}$")]
    private static partial Regex LowerHex16();

    [Fact]
    public void Compute_SameSecretAndMsid_IsStable()
    {
        var secret = CryptoAssert.Sequence(0, 32);

        var first = KeyCheckValue.Compute(secret, Msid);
        var second = KeyCheckValue.Compute(secret.ToArray(), Guid.Parse(Msid.ToString()));

        Assert.Equal(first, second);
        Assert.Equal(first.ToString(), second.ToString());
    }

    [Fact]
    public void Compute_OtherMsid_Differs()
    {
        var secret = CryptoAssert.Sequence(0, 32);

        Assert.NotEqual(KeyCheckValue.Compute(secret, Msid), KeyCheckValue.Compute(secret, Guid.NewGuid()));
    }

    [Fact]
    public void Compute_OtherSecret_Differs()
    {
        var secret = CryptoAssert.Sequence(0, 32);
        var other = (byte[])secret.Clone();
        other[31] ^= 1;

        Assert.NotEqual(KeyCheckValue.Compute(secret, Msid), KeyCheckValue.Compute(other, Msid));
    }

    [Fact]
    public void Compute_Always_IsFirstEightBytesOfHmacOverLabelAndBigEndianMsid()
    {
        // Arrange: the definition in docs/crypto.md, computed independently.
        var secret = CryptoAssert.Sequence(0, 32);
        byte[] message = [.. "SsoVault key-check value v1"u8, .. Msid.ToByteArray(bigEndian: true)];
        var mac = HMACSHA256.HashData(secret, message);

        // Act
        var kcv = KeyCheckValue.Compute(secret, Msid);

        // Assert
        Assert.Equal(Convert.ToHexStringLower(mac.AsSpan(0, 8)), kcv.ToString());
        Assert.Equal(0x00, message[27]);
        Assert.Equal(0xff, message[^1]);
    }

    [Fact]
    public void Compute_KnownSecret_GivesThePinnedValue()
    {
        // The secret 00..1f under MSID 00112233-4455-6677-8899-aabbccddeeff (the current secret of tests/vectors/backup-v1).
        var kcv = KeyCheckValue.Compute(CryptoAssert.Sequence(0, 32), Msid);

        Assert.Equal(Backup.BackupVector.CurrentKcv, kcv.ToString());
    }

    [Property(MaxTest = 200)]
    public void ToString_AnyValue_IsSixteenLowerCaseHexDigitsThatParseBack(ulong raw)
    {
        // Arrange
        var bytes = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, raw);
        var kcv = KeyCheckValue.FromBytes(bytes);

        // Act
        var text = kcv.ToString();
        var parsed = KeyCheckValue.TryParse(text, out var back);

        // Assert
        Assert.Matches(LowerHex16(), text);
        Assert.Equal(Convert.ToHexStringLower(bytes), text);
        Assert.True(parsed);
        Assert.Equal(kcv, back);
        var written = new byte[8];
        back.WriteTo(written);
        Assert.Equal(bytes, written);
    }

    [Fact]
    public void TryParse_UpperCaseHex_ParsesToTheSameValue()
    {
        Assert.True(KeyCheckValue.TryParse("0123456789ABCDEF", out var upper));
        Assert.True(KeyCheckValue.TryParse("0123456789abcdef", out var lower));

        Assert.Equal(lower, upper);
        Assert.Equal("0123456789abcdef", upper.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0123456789abcde")]
    [InlineData("0123456789abcdef0")]
    [InlineData("0123456789abcdeg")]
    [InlineData(" 123456789abcdef")]
    [InlineData("0123456789abcde ")]
    [InlineData("-123456789abcdef")]
    [InlineData("0x23456789abcdef")]
    public void TryParse_NotSixteenHexDigits_ReturnsFalse(string? text)
    {
        Assert.False(KeyCheckValue.TryParse(text, out var value));
        Assert.Equal(default, value);
    }
}
