using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace SsoVault.Cli.Tests;

/// <summary>
/// Runs the README's server walkthrough as a newcomer pastes it, after './ssovault up', in a throwaway HOME. The only
/// change is the port: a free one instead of 5443, so parallel runs do not collide. The walkthrough starts the server
/// in the background; the script runs in its own process group, which the test kills at the end whatever happened,
/// so no server outlives the test.
/// </summary>
public sealed partial class ReadmeServerWalkthroughTests : IDisposable
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), "ssovault-readme-server", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_home))
        {
            Directory.Delete(_home, recursive: true);
        }
    }

    [Fact]
    public async Task Readme_ServerWalkthrough_RunsAsWritten()
    {
        var root = RepositoryRoot();
        var readme = await File.ReadAllTextAsync(Path.Combine(root, "README.md"));
        var walkthrough = WalkthroughRegex().Match(readme);
        Assert.True(walkthrough.Success, "README.md has no walkthrough between the server-walkthrough markers");
        var blocks = BashBlockRegex().Matches(walkthrough.Groups[1].Value).Select(m => m.Groups[1].Value).ToList();
        Assert.True(blocks.Count >= 4, "the server walkthrough should have several blocks");
        var port = FreePort();
        Directory.CreateDirectory(_home);
        var groupFile = Path.Combine(_home, "walkthrough.pgid");
        var script = Path.Combine(_home, "walkthrough.sh");
        await File.WriteAllTextAsync(script, $"echo $$ > '{groupFile}'\nset -euo pipefail\n./ssovault up\n" +
                                             string.Join("\n", blocks).Replace("127.0.0.1:5443", $"127.0.0.1:{port}", StringComparison.Ordinal));
        var start = new ProcessStartInfo("setsid", ["bash", script])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["HOME"] = _home;
        start.Environment.Remove("SSOVAULT_HOME");
        start.Environment.Remove("SSOVAULT_API_KEY");
        start.Environment.Remove("SSOVAULT_SERVER_FINGERPRINT");
        start.Environment["SSOVAULT_BACKUP_PASSWORD"] = "a newcomer's password";

        string output;
        int exitCode;
        using var process = Process.Start(start)!;
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await process.WaitForExitAsync(timeout.Token);
            exitCode = process.ExitCode;
            var log = Path.Combine(_home, "ssovault-serve.log");
            output = await stdout + "\n--- stderr ---\n" + await stderr + "\n--- server log ---\n" + (File.Exists(log) ? await File.ReadAllTextAsync(log) : "(none)");
        }
        finally
        {
            await KillGroupAsync(groupFile, process);
        }

        Assert.True(exitCode == 0, output);
        Assert.Contains("SHA-256 fingerprint:", output);
        Assert.Contains("Created 1 applications: SAP.", output);
        Assert.Contains("Created 1 mappings.", output);
        Assert.Contains("external user: ALICE01", output);
        Assert.Contains("Password: alice-Sap-pw1", output);
        Assert.Contains("\"credentials\":[\"alice-Sap-pw1\"]", output);
        Assert.Equal(3, Regex.Count(output, "Password: alice-Sap-pw1|\"credentials\":\\[\"alice-Sap-pw1\"\\]"));
    }

    /// <summary>Kills the script's process group (the background server with it), bounded, even when the test failed.</summary>
    private static async Task KillGroupAsync(string groupFile, Process script)
    {
        if (File.Exists(groupFile) && int.TryParse((await File.ReadAllTextAsync(groupFile)).Trim(), out var group) && group > 1)
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-KILL", "--", $"-{group}"]) { UseShellExecute = false, RedirectStandardError = true })!;
            using var killTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await kill.WaitForExitAsync(killTimeout.Token);
        }

        if (!script.HasExited)
        {
            script.Kill(entireProcessTree: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SsoVault.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (SsoVault.slnx) was not found above the test binaries.");
    }

    [GeneratedRegex("<!-- server-walkthrough:start -->(.*)<!-- server-walkthrough:end -->", RegexOptions.Singleline)]
    private static partial Regex WalkthroughRegex();

    [GeneratedRegex("```bash\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlockRegex();
}
