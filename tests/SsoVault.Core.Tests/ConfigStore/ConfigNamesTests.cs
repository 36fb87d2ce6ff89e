using FsCheck.Xunit;
using SsoVault.Core.ConfigStore;
using SsoVault.Core.Errors;

namespace SsoVault.Core.Tests.ConfigStore;

public sealed class ConfigNamesTests
{
    [Theory]
    [InlineData("MyApp")]
    [InlineData("a")]
    [InlineData("App.With-Punctuation_1")]
    [InlineData("Ünïcödé")]
    public void Application_ValidName_ReturnedAsGiven(string name)
    {
        Assert.Equal(name, ConfigNames.Application(name));
    }

    [Fact]
    public void Application_MaxLength_Accepted()
    {
        var name = new string('a', ConfigNames.MaxApplicationLength);

        Assert.Equal(name, ConfigNames.Application(name));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("My App")]
    [InlineData(" MyApp")]
    [InlineData("MyApp\t")]
    [InlineData("My\nApp")]
    [InlineData("My\u00A0App")]
    [InlineData("My\u0001App")]
    public void Application_EmptyOrWithSpaces_InvalidInput(string? name)
    {
        var error = Assert.Throws<SsoException>(() => ConfigNames.Application(name));

        Assert.Equal(SsoErrorCode.InvalidInput, error.Code);
        Assert.Contains("application name", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Hint);
    }

    [Fact]
    public void Application_TooLong_InvalidInput()
    {
        var error = Assert.Throws<SsoException>(() => ConfigNames.Application(new string('a', ConfigNames.MaxApplicationLength + 1)));

        Assert.Equal(SsoErrorCode.InvalidInput, error.Code);
    }

    [Theory]
    [InlineData("ConfigProperties")]
    [InlineData("{6D3B2C55-8E5F-4B8E-9B87-2B3F5C6F7A10}")]
    [InlineData("with spaces is fine")]
    public void Identifier_Valid_Accepted(string identifier)
    {
        Assert.Equal(identifier, ConfigNames.Identifier(identifier));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("line\nbreak")]
    public void Identifier_EmptyOrControl_InvalidInput(string? identifier)
    {
        Assert.Equal(SsoErrorCode.InvalidInput, Assert.Throws<SsoException>(() => ConfigNames.Identifier(identifier)).Code);
    }

    [Fact]
    public void Identifier_TooLong_InvalidInput()
    {
        var error = Assert.Throws<SsoException>(() => ConfigNames.Identifier(new string('i', ConfigNames.MaxIdentifierLength + 1)));

        Assert.Equal(SsoErrorCode.InvalidInput, error.Code);
    }

    [Theory]
    [InlineData("ConnectionString")]
    [InlineData("a.b:c")]
    public void Property_Valid_Accepted(string property)
    {
        Assert.Equal(property, ConfigNames.Property(property));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("a=b")]
    [InlineData("=")]
    [InlineData("has space")]
    [InlineData("tab\there")]
    [InlineData("nul\0")]
    public void Property_EqualsSignSpacesOrEmpty_InvalidInput(string? property)
    {
        var error = Assert.Throws<SsoException>(() => ConfigNames.Property(property));

        Assert.Equal(SsoErrorCode.InvalidInput, error.Code);
        Assert.Contains("property name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Property_TooLong_InvalidInput()
    {
        var error = Assert.Throws<SsoException>(() => ConfigNames.Property(new string('p', ConfigNames.MaxPropertyLength + 1)));

        Assert.Equal(SsoErrorCode.InvalidInput, error.Code);
    }

    [Fact]
    public void Value_Exactly64KiB_ReturnsUtf8Bytes()
    {
        var bytes = ConfigNames.Value("p", new string('v', ConfigNames.MaxValueBytes));

        Assert.Equal(64 * 1024, bytes.Length);
    }

    [Fact]
    public void Value_Over64KiB_InvalidInputNamingProperty()
    {
        var error = Assert.Throws<SsoException>(() => ConfigNames.Value("Blob", new string('v', ConfigNames.MaxValueBytes + 1)));

        Assert.Equal(SsoErrorCode.InvalidInput, error.Code);
        Assert.Contains("'Blob'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Value_MultiByteCharactersOver64KiBInUtf8_InvalidInput()
    {
        // 30,000 characters, but 90,000 UTF-8 bytes: the limit is on bytes.
        var error = Assert.Throws<SsoException>(() => ConfigNames.Value("p", new string('€', 30_000)));

        Assert.Equal(SsoErrorCode.InvalidInput, error.Code);
    }

    [Fact]
    public void Value_Empty_ReturnsEmpty()
    {
        Assert.Empty(ConfigNames.Value("p", ""));
    }

    [Property]
    public bool Application_AnyNameContainingWhitespace_Refused(string? before, string? after, bool tab)
    {
        var name = (before ?? "") + (tab ? '\t' : ' ') + (after ?? "");

        var error = Record.Exception(() => ConfigNames.Application(name));

        return error is SsoException { Code: SsoErrorCode.InvalidInput };
    }

    [Property]
    public bool Property_AnyNameContainingEquals_Refused(string? before, string? after)
    {
        var name = (before ?? "") + "=" + (after ?? "");

        var error = Record.Exception(() => ConfigNames.Property(name));

        return error is SsoException { Code: SsoErrorCode.InvalidInput };
    }
}
