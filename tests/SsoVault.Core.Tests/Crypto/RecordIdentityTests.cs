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
}
