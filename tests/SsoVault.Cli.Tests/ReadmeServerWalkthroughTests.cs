using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using SsoVault.Cli.Tests.Infrastructure;

namespace SsoVault.Cli.Tests;

/// <summary>
/// Runs the README's server walkthrough as a newcomer pastes it. The only change is the port: a free one instead of
/// 5443, so parallel runs do not collide. The walkthrough starts the server in the background; the script's process
/// group is killed at the end whatever happened, so no server outlives the test.
/// </summary>
public sealed class ReadmeServerWalkthroughTests : IDisposable
{
    private readonly ReadmeScript _script = new();

    public void Dispose() => _script.Dispose();

    [Fact]
    public async Task Readme_ServerWalkthrough_RunsAsWritten()
    {
        var blocks = await ReadmeScript.BlocksAsync("server-walkthrough");
        Assert.True(blocks.Count >= 4, "the server walkthrough should have several blocks");
        var body = string.Join("\n", blocks).Replace("127.0.0.1:5443", $"127.0.0.1:{FreePort()}", StringComparison.Ordinal);

        var (exitCode, output) = await _script.RunAsync(body, TimeSpan.FromMinutes(5), "ssovault-serve.log");

        Assert.True(exitCode == 0, output);
        Assert.Contains("SHA-256 fingerprint:", output);
        Assert.Contains("Created 1 applications: SAP.", output);
        Assert.Contains("Created 1 mappings.", output);
        Assert.Contains("external user: ALICE01", output);
        Assert.Contains("Password: alice-Sap-pw1", output);
        Assert.Contains("\"credentials\":[\"alice-Sap-pw1\"]", output);
        Assert.Equal(3, Regex.Count(output, "Password: alice-Sap-pw1|\"credentials\":\\[\"alice-Sap-pw1\"\\]"));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
