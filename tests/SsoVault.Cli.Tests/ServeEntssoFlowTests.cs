using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using SsoVault.Cli.Tests.Infrastructure;

namespace SsoVault.Cli.Tests;

/// <summary>
/// ENTSSO's daily work through a real 'ssovault serve' with a pinned certificate: files imported, credentials set and
/// looked up as the user (with the CLI and with curl), a ticket issued as the user and redeemed by an application
/// administrator; remote output and exit codes match the same commands on the node.
/// </summary>
public sealed class ServeEntssoFlowTests : IDisposable
{
    private const string Apps = """
        <?xml version="1.0"?>
        <SSO>
          <application name="SAP">
            <description>SAP ERP</description>
            <appuserAccount>CORP\SAP Users</appuserAccount>
            <appAdminAccount>CORP\SAP Admins</appAdminAccount>
            <field ordinal="0" label="User Id" masked="no" />
            <field ordinal="1" label="Password" masked="yes" />
            <flags allowTickets="yes" validateTickets="yes" />
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

    [Fact]
    public async Task Serve_EntssoFlowThroughServer_MatchesLocalAndCurl()
    {
        var init = await _ws.InitAsync();
        Assert.Contains("SHA-256 fingerprint:", init.Stdout, StringComparison.Ordinal);
        var initFingerprint = File.ReadAllText(Path.Combine(_ws.HomeOf("node1"), "tls", "server.sha256")).Trim();
        Assert.Contains(initFingerprint, init.Stdout, StringComparison.Ordinal);
        foreach (var (account, group) in new[] { (@"CORP\admin", @"SSO\SSO Administrators"), (@"CORP\alice", @"CORP\SAP Users"), (@"CORP\carol", @"CORP\SAP Admins") })
        {
            if (group.StartsWith("CORP", StringComparison.Ordinal))
            {
                await _ws.OkAsync("node1", "account", "add", group, "--group");
            }

            await _ws.OkAsync("node1", "account", "add", account);
            await _ws.OkAsync("node1", "group", "add-member", group, account);
            await _ws.OkAsync("node1", "apikey", "create", account, "--output", KeyOf(account));
        }

        File.WriteAllText(_ws.PathOf("apps.xml"), Apps);
        File.WriteAllText(_ws.PathOf("mappings.xml"), Mappings);
        File.WriteAllText(_ws.PathOf("alice.txt"), "alice-sap-password\n");
        File.WriteAllText(_ws.PathOf("broken.xml"), "<sso>\n<application name=\"A\">");

        await using var server = await ServeProcess.StartAsync(_ws.HomeOf("node1"), "--urls", "https://127.0.0.1:0");
        Assert.Equal(initFingerprint, server.Fingerprint);
        var pinned = Client.CertificatePinning.Validator(server.Fingerprint!);
        using var http = new HttpClient(new SocketsHttpHandler { SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = pinned } });
        await server.WaitReadyAsync(http);

        // From another node folder: the pin must come from --server-fingerprint.
        string[] As(string account, params string[] args) =>
            ["--server", server.Url, "--api-key-file", KeyOf(account), "--server-fingerprint", server.Fingerprint!, .. args];
        async Task<CliRun> RemoteOkAsync(string account, params string[] args)
        {
            var run = await _ws.RunAsync("elsewhere", As(account, args));
            Assert.True(run.ExitCode == 0, run + server.Output);
            return run;
        }

        var imported = await RemoteOkAsync(@"CORP\admin", "app", "import", _ws.PathOf("apps.xml"));
        await RemoteOkAsync(@"CORP\admin", "mapping", "import", _ws.PathOf("mappings.xml"));
        await RemoteOkAsync(@"CORP\admin", "app", "enable", "SAP");
        await RemoteOkAsync(@"CORP\admin", "system", "tickets", "--allowed", "yes");
        await RemoteOkAsync(@"CORP\alice", "credentials", "set", "SAP", "--from-file", _ws.PathOf("alice.txt"));
        var lookup = await RemoteOkAsync(@"CORP\alice", "credentials", "get", "SAP", "--json");
        var localLookup = await _ws.OkAsync("node1", "--as", @"CORP\alice", "credentials", "get", "SAP", "--json");
        var ticket = (await RemoteOkAsync(@"CORP\alice", "ticket", "issue")).Stdout.Trim();
        var redeemOnly = await _ws.RunAsync("elsewhere", As(@"CORP\carol", "ticket", "redeem", "SAP", ticket));
        var redeemed = await RemoteOkAsync(@"CORP\carol", "ticket", "redeem", "SAP", ticket, "--sender", @"CORP\alice", "--json");
        var curled = await LookupWithCurlOrHttpClientAsync(server.Url, File.ReadAllText(KeyOf(@"CORP\alice")).Trim(), http);

        Assert.Equal("Created 1 applications: SAP.\n", imported.Stdout.Replace("\r", "", StringComparison.Ordinal));
        Assert.Equal(localLookup.Stdout, lookup.Stdout);
        Assert.Equal("alice-sap-password", lookup.Json.GetProperty("credentials")[0].GetString());
        Assert.Equal(20, redeemOnly.ExitCode);
        Assert.Equal("ALICE01", redeemed.Json.GetProperty("externalUser").GetString());
        Assert.Equal("alice-sap-password", JsonDocument.Parse(curled).RootElement.GetProperty("credentials")[0].GetString());

        // The same text, JSON, messages and exit codes as on the node.
        foreach (var args in new[] { new[] { "app", "show", "SAP", "--json" }, ["app", "list"], ["mapping", "list", "SAP", "--json"] })
        {
            Assert.Equal((await _ws.RunAsync("node1", args)).Stdout, (await RemoteOkAsync(@"CORP\admin", args)).Stdout);
        }

        foreach (var (account, args) in new[]
                 {
                     (@"CORP\alice", new[] { "app", "create", "Rogue" }),
                     (@"CORP\admin", ["app", "show", "NoSuchApp"]),
                     (@"CORP\admin", ["app", "import", _ws.PathOf("broken.xml")]),
                     (@"CORP\admin", ["mapping", "delete", "SAP", @"CORP\nobody"]),
                 })
        {
            var local = await _ws.RunAsync("node1", ["--as", account, .. args]);
            var remote = await _ws.RunAsync("elsewhere", As(account, args));
            Assert.NotEqual(0, local.ExitCode);
            Assert.Equal(local.ExitCode, remote.ExitCode);
            Assert.Equal(local.Stderr, remote.Stderr);
        }

        await RemoteOkAsync(@"CORP\admin", "group", "remove-member", @"CORP\SAP Users", @"CORP\alice");
        Assert.Equal(17, (await _ws.RunAsync("elsewhere", As(@"CORP\alice", "credentials", "get", "SAP"))).ExitCode);
        await RemoteOkAsync(@"CORP\admin", "group", "add-member", @"CORP\SAP Users", @"CORP\alice");
        await RemoteOkAsync(@"CORP\admin", "system", "disable");
        Assert.Equal(19, (await _ws.RunAsync("elsewhere", As(@"CORP\alice", "credentials", "get", "SAP"))).ExitCode);
        await RemoteOkAsync(@"CORP\admin", "system", "enable");
    }

    /// <summary>One step with curl when the machine has it (trusting exactly the node's certificate), else HttpClient.</summary>
    private async Task<string> LookupWithCurlOrHttpClientAsync(string url, string key, HttpClient pinnedHttp)
    {
        var curl = new[] { "/usr/bin/curl", "/usr/local/bin/curl", "/bin/curl" }.FirstOrDefault(File.Exists);
        if (curl is null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{url}/v1/apps/SAP/credentials");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            using var response = await pinnedHttp.SendAsync(request);
            return await response.Content.ReadAsStringAsync();
        }

        using (var certificate = X509CertificateLoader.LoadPkcs12FromFile(Path.Combine(_ws.HomeOf("node1"), "tls", "server.pfx"), null))
        {
            File.WriteAllText(_ws.PathOf("server.pem"), certificate.ExportCertificatePem());
        }

        // The key travels in a header file, not on the command line where other local users could read it.
        File.WriteAllText(_ws.PathOf("auth.header"), $"Authorization: Bearer {key}\n");
        var start = new ProcessStartInfo(curl) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--silent", "--show-error", "--fail-with-body", "--max-time", "30", "--cacert", _ws.PathOf("server.pem"),
                     "-H", "@" + _ws.PathOf("auth.header"), $"{url}/v1/apps/SAP/credentials" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"curl exited {process.ExitCode}: {await stderr}{await stdout}");
        return await stdout;
    }

    private string KeyOf(string account) => _ws.PathOf(account.Replace('\\', '_') + ".key");

    public void Dispose() => _ws.Dispose();
}
