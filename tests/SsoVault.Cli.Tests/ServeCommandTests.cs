using System.Net.Security;
using SsoVault.Cli.Tests.Infrastructure;

namespace SsoVault.Cli.Tests;

/// <summary>A real 'ssovault serve' on 127.0.0.1 with its self-signed certificate, and the CLI talking to it with --server.</summary>
public sealed class ServeCommandTests : IDisposable
{
    private readonly TestWorkspace _workspace = new();

    [Fact]
    public async Task Serve_RemoteCommandsWithPinnedCertificate_MatchLocalOutputAndExitCodes()
    {
        await _workspace.InitAsync();
        await _workspace.OkAsync("node1", "account", "add", @"CORP\admin");
        await _workspace.OkAsync("node1", "group", "add-member", @"SSO\SSO Administrators", @"CORP\admin");
        await _workspace.OkAsync("node1", "account", "add", @"CORP\alice");
        var adminKey = _workspace.PathOf("admin.key");
        var aliceKey = _workspace.PathOf("alice.key");
        await _workspace.OkAsync("node1", "apikey", "create", @"CORP\admin", "--output", adminKey);
        await _workspace.OkAsync("node1", "apikey", "create", @"CORP\alice", "--output", aliceKey);

        await using var server = await ServeProcess.StartAsync(_workspace.HomeOf("node1"), "--urls", "https://127.0.0.1:0");
        Assert.NotNull(server.Fingerprint);
        Assert.StartsWith("https://127.0.0.1:", server.Url);
        var pinned = Client.CertificatePinning.Validator(server.Fingerprint!);
        using (var http = new HttpClient(new SocketsHttpHandler { SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = pinned } }))
        {
            await server.WaitReadyAsync(http);
        }

        // A second node folder: the CLI there has no tls/server.sha256, so the pin must come from --server-fingerprint.
        string[] Remote(string key, params string[] args) =>
            ["--server", server.Url, "--api-key-file", key, "--server-fingerprint", server.Fingerprint!, .. args];

        var set = await _workspace.RunAsync("elsewhere", Remote(adminKey, "config", "set", "ErpAdapter", "Props", "endpoint=https://erp", "--json"));
        Assert.True(set.ExitCode == 0, set + server.Output);
        var remoteGet = await _workspace.RunAsync("elsewhere", Remote(adminKey, "config", "get", "ErpAdapter", "Props", "--json"));
        var localGet = await _workspace.RunAsync("node1", "config", "get", "ErpAdapter", "Props", "--json");
        Assert.Equal(0, remoteGet.ExitCode);
        Assert.Equal(localGet.Stdout, remoteGet.Stdout);

        var remoteList = await _workspace.RunAsync("elsewhere", Remote(adminKey, "config", "list"));
        Assert.Equal((await _workspace.RunAsync("node1", "config", "list")).Stdout, remoteList.Stdout);
        var remoteAccounts = await _workspace.RunAsync("elsewhere", Remote(adminKey, "account", "list", "--json"));
        Assert.Equal((await _workspace.RunAsync("node1", "account", "list", "--json")).Stdout, remoteAccounts.Stdout);
        Assert.Equal(0, (await _workspace.RunAsync("elsewhere", Remote(adminKey, "system", "show"))).ExitCode);
        Assert.Equal(0, (await _workspace.RunAsync("elsewhere", Remote(adminKey, "secret", "status", "--json"))).ExitCode);

        // Refusals: same codes and exit codes as on the local node.
        var notFound = await _workspace.RunAsync("elsewhere", Remote(adminKey, "config", "get", "NoSuchApp", "Props"));
        var localNotFound = await _workspace.RunAsync("node1", "config", "get", "NoSuchApp", "Props");
        Assert.Equal(localNotFound.ExitCode, notFound.ExitCode);
        Assert.Equal(localNotFound.Stderr, notFound.Stderr);
        var denied = await _workspace.RunAsync("elsewhere", Remote(aliceKey, "system", "show"));
        Assert.Equal(17, denied.ExitCode);
        Assert.Contains("code: AccessDenied", denied.Stderr);

        // Directory and keys remotely.
        Assert.Equal(0, (await _workspace.RunAsync("elsewhere", Remote(adminKey, "account", "add", @"CORP\bob"))).ExitCode);
        var created = await _workspace.RunAsync("elsewhere", Remote(adminKey, "apikey", "create", @"CORP\bob", "--json"));
        Assert.Equal(0, created.ExitCode);
        var bobKeyId = created.Json.GetProperty("id").GetString()!;
        Assert.Equal(0, (await _workspace.RunAsync("elsewhere", Remote(adminKey, "apikey", "revoke", bobKeyId))).ExitCode);
        Assert.Contains("REVOKED", (await _workspace.RunAsync("elsewhere", Remote(adminKey, "apikey", "list"))).Stdout);
        Assert.Equal(0, (await _workspace.RunAsync("elsewhere", Remote(adminKey, "account", "remove", @"CORP\bob"))).ExitCode);

        // A wrong pin is refused before any request is sent; the node's own pin file is used on the same machine.
        var wrongPin = await _workspace.RunAsync("elsewhere", "--server", server.Url, "--api-key-file", adminKey,
            "--server-fingerprint", new string('A', 64), "config", "list");
        Assert.Equal(21, wrongPin.ExitCode);
        Assert.Contains("does not match the pinned fingerprint", wrongPin.Stderr);
        var samePin = await _workspace.RunAsync("node1", "--server", server.Url, "--api-key-file", adminKey, "config", "list");
        Assert.Equal(0, samePin.ExitCode);
        var noKey = await _workspace.RunAsync("node1", "--server", server.Url, "config", "list");
        Assert.Equal(18, noKey.ExitCode);
    }

    [Fact]
    public async Task Serve_PlainHttpWithoutFlag_IsRefused()
    {
        await _workspace.InitAsync();

        var run = await _workspace.RunAsync("node1", "serve", "--urls", "http://127.0.0.1:0");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--http", run.Stderr);
    }

    public void Dispose() => _workspace.Dispose();
}
