using SsoVault.Core.Crypto;

namespace SsoVault.Core.Tests.Crypto;

public sealed class RecordIdentityTests
{
    [Fact]
    public void Of_KindAndParts_WritesLabelThenLengthPrefixedUtf8()
    {
        var identity = RecordIdentity.Of("config", "APP", "é");

        byte[] expected =
        [
            .. "SsoVault record v1"u8,
            0, 0, 0, 6, .. "config"u8,
            0, 0, 0, 3, .. "APP"u8,
            0, 0, 0, 2, 0xC3, 0xA9,
        ];
        Assert.Equal(expected, identity.Bytes);
    }

    [Fact]
    public void Of_PartsSplitDifferently_Differ()
    {
        Assert.NotEqual(RecordIdentity.Of("k", "ab", "c").Bytes, RecordIdentity.Of("k", "a", "bc").Bytes);
        Assert.NotEqual(RecordIdentity.Of("k", "a").Bytes, RecordIdentity.Of("k", "a", "").Bytes);
        Assert.NotEqual(RecordIdentity.Of("k", "a").Bytes, RecordIdentity.Of("ka").Bytes);
    }

    [Fact]
    public void ConfigProperty_AppNameCase_IsIgnoredButIdentifierAndPropertyCaseIsNot()
    {
        Assert.Equal(RecordIdentity.ConfigProperty("myApp", "Id", "P").Bytes, RecordIdentity.ConfigProperty("MYAPP", "Id", "P").Bytes);
        Assert.Equal(RecordIdentity.Of("config", "MYAPP", "Id", "P").Bytes, RecordIdentity.ConfigProperty("myApp", "Id", "P").Bytes);
        Assert.NotEqual(RecordIdentity.ConfigProperty("a", "Id", "P").Bytes, RecordIdentity.ConfigProperty("a", "ID", "P").Bytes);
        Assert.NotEqual(RecordIdentity.ConfigProperty("a", "Id", "P").Bytes, RecordIdentity.ConfigProperty("a", "Id", "p").Bytes);
    }

    [Fact]
    public void Of_UnpairedSurrogate_ThrowsRatherThanCollide()
    {
        // Encoded leniently, "\uD800" and "\uD801" would both become U+FFFD: one AAD for two records.
        // (Built in code: xunit's theory data would itself replace unpaired surrogates.)
        foreach (var part in new[] { "\uD800", "a\uDC00b", "\uDC00\uD800", "ok" + '\uD801' })
        {
            Assert.ThrowsAny<ArgumentException>(() => RecordIdentity.Of("k", part));
            Assert.ThrowsAny<ArgumentException>(() => RecordIdentity.Of(part));
        }
    }

    [Fact]
    public void Of_SurrogatePair_IsEncodedAsOneFourByteCharacter()
    {
        var identity = RecordIdentity.Of("k", "\U0001F511");

        Assert.Equal([0, 0, 0, 4, 0xF0, 0x9F, 0x94, 0x91], identity.Bytes[^8..]);
    }
}
