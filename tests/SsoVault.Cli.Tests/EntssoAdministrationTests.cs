using SsoVault.Cli.Tests.Infrastructure;

namespace SsoVault.Cli.Tests;

/// <summary>
/// ENTSSO's daily administration through the real CLI: directory, ENTSSO application and mapping files, credentials set
/// and looked up as the user, tickets issued and redeemed, and the refusals (403, 404, 400) that change nothing.
/// </summary>
public sealed class EntssoAdministrationTests : IDisposable
{
    private const string Apps = """
        <?xml version="1.0"?>
        <SSO>
          <application name="SAP">
            <description>SAP ERP</description>
            <contact>sap@example.com</contact>
            <appuserAccount>CORP\SAP Users</appuserAccount>
            <appAdminAccount>CORP\SAP Admins</appAdminAccount>
            <field ordinal="0" label="User Id" masked="no" />
            <field ordinal="1" label="Password" masked="yes" />
            <flags groupApp="no" allowTickets="yes" validateTickets="yes" enableApp="no" />
          </application>
          <application name="Mainframe">
            <appUserAccount>CORP\Operators;CORP\SAP Users</appUserAccount>
            <appAdminAccount>CORP\SAP Admins</appAdminAccount>
            <field ordinal="0" label="User" />
            <field ordinal="1" label="Password" masked="yes" />
            <flags groupApp="yes" />
          </application>
        </SSO>
        """;

    private const string Mappings = """
        <sso>
          <mapping>
            <windowsDomain>CORP</windowsDomain>
            <windowsUserId>alice</windowsUserId>
            <externalApplication>SAP</externalApplication>
            <externalUserId>ALICE01</externalUserId>
          </mapping>
        </sso>
        """;

    private readonly TestWorkspace _ws = new();

    public EntssoAdministrationTests()
    {
        File.WriteAllText(_ws.PathOf("apps.xml"), Apps);
        File.WriteAllText(_ws.PathOf("mappings.xml"), Mappings);
    }

    public void Dispose() => _ws.Dispose();

    [Fact]
    public async Task ImportSetLookupTicket_EntssoFiles_WorkEndToEnd()
    {
        await ArrangeDirectoryAsync();
        await _ws.OkAsync("node1", "app", "import", _ws.PathOf("apps.xml"));
        await _ws.OkAsync("node1", "mapping", "import", _ws.PathOf("mappings.xml"));
        await _ws.OkAsync("node1", "app", "enable", "SAP");
        File.WriteAllText(_ws.PathOf("alice.txt"), "alice-sap-password\n");

        await _ws.OkAsync("node1", "--as", @"CORP\alice", "credentials", "set", "SAP", "--from-file", _ws.PathOf("alice.txt"));
        var lookup = (await _ws.OkAsync("node1", "--as", @"CORP\alice", "credentials", "get", "SAP", "--json")).Json;
        await _ws.OkAsync("node1", "system", "tickets", "--allowed", "yes");
        var ticket = (await _ws.OkAsync("node1", "--as", @"CORP\alice", "ticket", "issue")).Stdout.Trim();
        var unvalidated = await _ws.RunAsync("node1", "--as", @"CORP\carol", "ticket", "redeem", "SAP", ticket);
        var redeemed = (await _ws.OkAsync("node1", "--as", @"CORP\carol", "ticket", "redeem", "SAP", ticket, "--sender", @"corp\ALICE", "--json")).Json;

        Assert.Equal("ALICE01", lookup.GetProperty("externalUser").GetString());
        Assert.Equal("alice-sap-password", lookup.GetProperty("credentials")[0].GetString());
        Assert.Equal(20, unvalidated.ExitCode);
        Assert.Equal("alice-sap-password", redeemed.GetProperty("credentials")[0].GetString());
    }

    [Fact]
    public async Task GroupApplication_FirstMatchingUsersAccountInOrderWins()
    {
        await ArrangeDirectoryAsync();
        await _ws.OkAsync("node1", "app", "import", _ws.PathOf("apps.xml"));
        File.WriteAllText(_ws.PathOf("ops.txt"), "operators-pw\n");
        File.WriteAllText(_ws.PathOf("sap.txt"), "sap-users-pw\n");
        await _ws.OkAsync("node1", "credentials", "set", "Mainframe", "--user", @"CORP\Operators", "--external-user", "OPS", "--from-file", _ws.PathOf("ops.txt"));
        await _ws.OkAsync("node1", "credentials", "set", "Mainframe", "--user", @"CORP\SAP Users", "--external-user", "SAPUSR", "--from-file", _ws.PathOf("sap.txt"));
        await _ws.OkAsync("node1", "app", "enable", "Mainframe");

        var dave = (await _ws.OkAsync("node1", "--as", @"CORP\dave", "credentials", "get", "Mainframe", "--json")).Json;
        var alice = (await _ws.OkAsync("node1", "--as", @"CORP\alice", "credentials", "get", "Mainframe", "--json")).Json;

        Assert.Equal("OPS", dave.GetProperty("externalUser").GetString());
        Assert.Equal("SAPUSR", alice.GetProperty("externalUser").GetString());
    }

    [Fact]
    public async Task WrongRole_AccessDeniedExit17AndNothingChanged()
    {
        await ArrangeDirectoryAsync();
        await _ws.OkAsync("node1", "app", "import", _ws.PathOf("apps.xml"));
        var state = _ws.StateOf("node1");

        var create = await _ws.RunAsync("node1", "--as", @"CORP\alice", "app", "create", "Rogue");
        var tickets = await _ws.RunAsync("node1", "--as", @"CORP\carol", "app", "update", "SAP", "--allow-tickets", "no");
        var others = await _ws.RunAsync("node1", "--as", @"CORP\alice", "mapping", "create", "SAP", @"CORP\carol", "--external-user", "X");

        Assert.All(new[] { create, tickets, others }, run =>
        {
            Assert.Equal(17, run.ExitCode);
            Assert.Contains("AccessDenied", run.Stderr, StringComparison.Ordinal);
        });
        Assert.Contains("SSO Affiliate Administrators", create.Stderr, StringComparison.Ordinal);
        Assert.Equal(state, _ws.StateOf("node1"));
    }

    [Fact]
    public async Task BadFilesAndUnknownNames_ClearErrorsAndNothingChanged()
    {
        await ArrangeDirectoryAsync();
        File.WriteAllText(_ws.PathOf("bad-apps.xml"), Apps.Replace("</SSO>", "<application name=\"Third\"><field ordinal=\"0\" label=\"User\"/>" +
                                                                           "<field ordinal=\"2\" label=\"Gap\"/></application></SSO>", StringComparison.Ordinal));
        File.WriteAllText(_ws.PathOf("bad-mappings.xml"), Mappings.Replace("SAP", "Nope", StringComparison.Ordinal));
        File.WriteAllText(_ws.PathOf("broken.xml"), "<sso><application name=\"A\">");
        var state = _ws.StateOf("node1");

        var gap = await _ws.RunAsync("node1", "app", "import", _ws.PathOf("bad-apps.xml"));
        var unknownApp = await _ws.RunAsync("node1", "mapping", "import", _ws.PathOf("bad-mappings.xml"));
        var broken = await _ws.RunAsync("node1", "app", "import", _ws.PathOf("broken.xml"));
        var show = await _ws.RunAsync("node1", "app", "show", "Nope");

        Assert.Equal(2, gap.ExitCode);
        Assert.Contains("line 19", gap.Stderr, StringComparison.Ordinal);
        Assert.Contains("without gaps", gap.Stderr, StringComparison.Ordinal);
        Assert.Equal(3, unknownApp.ExitCode);
        Assert.Contains("line 2", unknownApp.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, broken.ExitCode);
        Assert.Contains("not well-formed", broken.Stderr, StringComparison.Ordinal);
        Assert.Equal(3, show.ExitCode);
        Assert.Equal(state, _ws.StateOf("node1"));
    }

    private async Task ArrangeDirectoryAsync()
    {
        await _ws.InitAsync();
        foreach (var user in new[] { @"CORP\alice", @"CORP\carol", @"CORP\dave" })
        {
            await _ws.OkAsync("node1", "account", "add", user);
        }

        foreach (var group in new[] { @"CORP\SAP Users", @"CORP\SAP Admins", @"CORP\Operators" })
        {
            await _ws.OkAsync("node1", "account", "add", group, "--group");
        }

        await _ws.OkAsync("node1", "group", "add-member", @"CORP\SAP Users", @"CORP\alice");
        await _ws.OkAsync("node1", "group", "add-member", @"CORP\SAP Admins", @"CORP\carol");
        await _ws.OkAsync("node1", "group", "add-member", @"CORP\Operators", @"CORP\dave");
        await _ws.OkAsync("node1", "group", "add-member", @"CORP\SAP Users", @"CORP\dave");
    }
}
