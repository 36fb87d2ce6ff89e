using System.Text;
using SsoVault.Core.Entsso;
using SsoVault.Core.Errors;
using SsoVault.Core.Tests.TestSupport;

namespace SsoVault.Core.Tests.Entsso;

public sealed class GlobalInfoFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Load_MinimalFile_ReturnsSecretServer()
    {
        var path = Write("<sso><globalInfo><secretServer>n2</secretServer></globalInfo></sso>");

        var file = GlobalInfoFile.Load(path);

        Assert.Equal("n2", file.SecretServer);
    }

    [Fact]
    public void Load_NamesInOtherCaseAndSpacesAroundValue_Accepted()
    {
        var path = Write("<SSO>\n  <GlobalInfo>\n    <SECRETSERVER>  n2\n</SECRETSERVER>\n  </GlobalInfo>\n</SSO>");

        Assert.Equal("n2", GlobalInfoFile.Load(path).SecretServer);
    }

    [Theory]
    [InlineData("<?xml version=\"1.0\"?>")]
    [InlineData("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")]
    [InlineData("<?xml version=\"1.0\" encoding=\"utf-16\" standalone=\"yes\"?>")]
    public void Load_WithXmlDeclaration_Accepted(string declaration)
    {
        var xml = declaration + "<sso><globalInfo><secretServer>n2</secretServer></globalInfo></sso>";
        var encoding = declaration.Contains("utf-16", StringComparison.Ordinal) ? Encoding.Unicode : new UTF8Encoding(false);
        var path = _dir.Combine("decl.xml");
        File.WriteAllText(path, xml, encoding);

        Assert.Equal("n2", GlobalInfoFile.Load(path).SecretServer);
    }

    [Fact]
    public void Load_Utf8ByteOrderMarkAndComments_Accepted()
    {
        var path = _dir.Combine("bom.xml");
        File.WriteAllText(path, "<!-- written by ssomanage -->\n<sso><globalInfo><!-- new MSS --><secretServer>n2</secretServer></globalInfo></sso>",
            new UTF8Encoding(true));

        Assert.Equal("n2", GlobalInfoFile.Load(path).SecretServer);
    }

    [Fact]
    public void Load_Doctype_InvalidInput()
    {
        var path = Write("<!DOCTYPE sso [<!ELEMENT sso ANY>]>\n<sso><globalInfo><secretServer>n2</secretServer></globalInfo></sso>");

        var error = Assert.Throws<SsoException>(() => GlobalInfoFile.Load(path));

        Assert.Equal(SsoErrorCode.InvalidInput, error.Code);
    }

    [Fact]
    public void Load_ExternalEntity_RefusedAndNeverResolved()
    {
        // Arrange: an XXE pointing at a local file whose marker must never appear in any output.
        var target = _dir.Combine("private.txt");
        File.WriteAllText(target, "TOP-SECRET-MARKER");
        var path = Write($"""
            <?xml version="1.0"?>
            <!DOCTYPE sso [<!ENTITY x SYSTEM "file://{target}">]>
            <sso><globalInfo><secretServer>&x;</secretServer></globalInfo></sso>
            """);

        var error = Assert.Throws<SsoException>(() => GlobalInfoFile.Load(path));

        Assert.Equal(SsoErrorCode.InvalidInput, error.Code);
        Assert.DoesNotContain("TOP-SECRET-MARKER", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ExternalEntityEtcPasswd_Refused()
    {
        var path = Write("""
            <!DOCTYPE sso [<!ENTITY x SYSTEM "file:///etc/passwd">]>
            <sso><globalInfo><secretServer>&x;</secretServer></globalInfo></sso>
            """);

        var error = Assert.Throws<SsoException>(() => GlobalInfoFile.Load(path));

        Assert.Equal(SsoErrorCode.InvalidInput, error.Code);
        Assert.DoesNotContain("root:", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ExternalDtd_Refused()
    {
        var path = Write("<!DOCTYPE sso SYSTEM \"http://127.0.0.1:9/evil.dtd\"><sso><globalInfo><secretServer>n2</secretServer></globalInfo></sso>");

        Assert.Equal(SsoErrorCode.InvalidInput, Assert.Throws<SsoException>(() => GlobalInfoFile.Load(path)).Code);
    }

    [Fact]
    public void Load_BillionLaughs_RefusedQuickly()
    {
        var builder = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol0 \"lol\">\n");
        for (var i = 1; i <= 9; i++)
        {
            builder.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">\n");
        }

        builder.Append("]>\n<sso><globalInfo><secretServer>&lol9;</secretServer></globalInfo></sso>");
        var path = Write(builder.ToString());

        var error = Assert.Throws<SsoException>(() => GlobalInfoFile.Load(path));

        Assert.Equal(SsoErrorCode.InvalidInput, error.Code);
    }

    [Fact]
    public void Load_MalformedXml_InvalidInputNamingTheLine()
    {
        var path = Write("<sso>\n<globalInfo>\n<secretServer>n2</secretServr>\n</globalInfo>\n</sso>");

        var error = Assert.Throws<SsoException>(() => GlobalInfoFile.Load(path));

        Assert.Equal(SsoErrorCode.InvalidInput, error.Code);
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NotXmlAtAll_InvalidInput()
    {
        var path = Write("secretServer=n2");

        Assert.Equal(SsoErrorCode.InvalidInput, Assert.Throws<SsoException>(() => GlobalInfoFile.Load(path)).Code);
    }

    [Fact]
    public void Load_EmptyFile_InvalidInput()
    {
        var path = Write("");

        Assert.Equal(SsoErrorCode.InvalidInput, Assert.Throws<SsoException>(() => GlobalInfoFile.Load(path)).Code);
    }

    [Fact]
    public void Load_MissingFile_NotFound()
    {
        var error = Assert.Throws<SsoException>(() => GlobalInfoFile.Load(_dir.Combine("missing.xml")));

        Assert.Equal(SsoErrorCode.NotFound, error.Code);
    }

    [Fact]
    public void Load_DeeperThan32_InvalidInput()
    {
        var deep = string.Concat(Enumerable.Repeat("<x>", 40)) + string.Concat(Enumerable.Repeat("</x>", 40));
        var path = Write($"<sso><globalInfo><secretServer>n2</secretServer><pad>{deep}</pad></globalInfo></sso>");

        var error = Assert.Throws<SsoException>(() => GlobalInfoFile.Load(path));

        Assert.Equal(SsoErrorCode.InvalidInput, error.Code);
        Assert.Contains("deeper", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownElement_RefusedNamingItAndItsLine()
    {
        var path = Write("<sso>\n  <globalInfo>\n    <secretServer>n2</secretServer>\n    <favouriteColour>blue</favouriteColour>\n  </globalInfo>\n</sso>");

        var error = Assert.Throws<SsoException>(() => GlobalInfoFile.Load(path));

        Assert.Equal(SsoErrorCode.InvalidInput, error.Code);
        Assert.Contains("<favouriteColour>", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 4", error.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EverySetting_ParsedCaseInsensitively()
    {
        var path = Write("""
            <SSO><GlobalInfo>
              <secretServer>n2</secretServer>
              <ssoAdminAccount>CORP\SSO Admins; CORP\Ops</ssoAdminAccount>
              <SSOAFFILIATEADMINACCOUNT>CORP\Affiliates</SSOAFFILIATEADMINACCOUNT>
              <auditDeletedApps>10</auditDeletedApps>
              <auditDeletedMappings>20</auditDeletedMappings>
              <auditCredentialLookups>0</auditCredentialLookups>
              <ticketTimeout>5</ticketTimeout>
              <credCacheTimeout>30</credCacheTimeout>
            </GlobalInfo></SSO>
            """);

        var file = GlobalInfoFile.Load(path);

        Assert.Equal("n2", file.SecretServer);
        Assert.Equal(["CORP\\SSO Admins", "CORP\\Ops"], file.SsoAdminAccounts);
        Assert.Equal(["CORP\\Affiliates"], file.AffiliateAdminAccounts);
        Assert.Equal(10, file.AuditDeletedApps);
        Assert.Equal(20, file.AuditDeletedMappings);
        Assert.Equal(0, file.AuditCredentialLookups);
        Assert.Equal(5, file.TicketTimeoutMinutes);
        Assert.Equal(30, file.CredentialCacheTimeoutMinutes);
        Assert.True(file.ChangesSettings);
    }

    [Theory]
    [InlineData("ticketTimeout", "0")]
    [InlineData("ticketTimeout", "525601")]
    [InlineData("ticketTimeout", "two")]
    [InlineData("auditDeletedApps", "-1")]
    [InlineData("credCacheTimeout", "1e3")]
    public void Load_NumberOutOfRange_RefusedNamingElementAndLine(string element, string value)
    {
        var path = Write($"<sso><globalInfo>\n<{element}>{value}</{element}></globalInfo></sso>");

        var error = Assert.Throws<SsoException>(() => GlobalInfoFile.Load(path));

        Assert.Equal(SsoErrorCode.InvalidInput, error.Code);
        Assert.Contains($"<{element}>", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<secretServer/>")]
    [InlineData("<secretServer></secretServer>")]
    [InlineData("<secretServer>   \n\t </secretServer>")]
    public void Load_EmptySecretServer_Refused(string element)
    {
        var path = Write($"<sso><globalInfo>{element}</globalInfo></sso>");

        var error = Assert.Throws<SsoException>(() => GlobalInfoFile.Load(path));

        Assert.Equal(SsoErrorCode.InvalidInput, error.Code);
        Assert.Contains("<secretServer> is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WrongRoot_RefusedNamingIt()
    {
        var path = Write("<ssoConfig><globalInfo><secretServer>n2</secretServer></globalInfo></ssoConfig>");

        var error = Assert.Throws<SsoException>(() => GlobalInfoFile.Load(path));

        Assert.Equal(SsoErrorCode.InvalidInput, error.Code);
        Assert.Contains("<ssoConfig>", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<sso></sso>")]
    [InlineData("<sso><globalInfo><secretServer>a</secretServer></globalInfo><GLOBALINFO><secretServer>b</secretServer></GLOBALINFO></sso>")]
    public void Load_NotExactlyOneGlobalInfo_Refused(string xml)
    {
        var error = Assert.Throws<SsoException>(() => GlobalInfoFile.Load(Write(xml)));

        Assert.Equal(SsoErrorCode.InvalidInput, error.Code);
        Assert.Contains("exactly one <globalInfo>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_GlobalInfoWithNoSetting_Refused()
    {
        var error = Assert.Throws<SsoException>(() => GlobalInfoFile.Load(Write("<sso><globalInfo/></sso>")));

        Assert.Equal(SsoErrorCode.InvalidInput, error.Code);
        Assert.Contains("no setting", error.Message, StringComparison.Ordinal);
    }

    private string Write(string xml)
    {
        var path = _dir.Combine($"{Guid.NewGuid():N}.xml");
        File.WriteAllText(path, xml, new UTF8Encoding(false));
        return path;
    }
}
