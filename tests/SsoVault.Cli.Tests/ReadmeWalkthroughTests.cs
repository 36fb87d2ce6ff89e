using System.Diagnostics;
using System.Text.RegularExpressions;

namespace SsoVault.Cli.Tests;

/// <summary>
/// Runs the README's first command and its walkthrough exactly as a newcomer pastes them (from the repository root,
/// through ./ssovault), in a throwaway HOME, with the password coming from the environment instead of the keyboard.
/// </summary>
public sealed partial class ReadmeWalkthroughTests : IDisposable
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), "ssovault-readme", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_home))
        {
            Directory.Delete(_home, recursive: true);
        }
    }

    [Fact]
    public async Task Readme_UpThenWalkthrough_RunsAsWritten()
    {
        var root = RepositoryRoot();
        var readme = await File.ReadAllTextAsync(Path.Combine(root, "README.md"));
        var walkthrough = WalkthroughRegex().Match(readme);
        Assert.True(walkthrough.Success, "README.md has no walkthrough between the walkthrough markers");
        var blocks = BashBlockRegex().Matches(walkthrough.Groups[1].Value).Select(m => m.Groups[1].Value).ToList();
        Assert.True(blocks.Count >= 5, "the walkthrough should have a block per procedure");
        Assert.Contains("./ssovault up", readme);
        Assert.Contains("./run-tests", readme);

        Directory.CreateDirectory(_home);
        var script = Path.Combine(_home, "walkthrough.sh");
        await File.WriteAllTextAsync(script, "set -euo pipefail\n./ssovault up\n" + string.Join("\n", blocks));
        var start = new ProcessStartInfo("bash", [script])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["HOME"] = _home;
        start.Environment.Remove("SSOVAULT_HOME");
        start.Environment["SSOVAULT_BACKUP_PASSWORD"] = "a newcomer's password";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + "\n--- stderr ---\n" + await stderr;

        Assert.True(process.ExitCode == 0, output);
        Assert.Contains("Created SSO system", output);
        Assert.Contains("password = erp-Pa55word", output);
        Assert.Contains("password = (masked; use --runtime)", output);
        Assert.Contains("The operation completed successfully", output);
        Assert.Contains("The master secret server is now 'node2'", output);
        Assert.Contains("refused, as expected", output);
        Assert.Contains("runs only on the master secret server, which is node 'node2'", output);
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

    [GeneratedRegex("<!-- walkthrough:start -->(.*)<!-- walkthrough:end -->", RegexOptions.Singleline)]
    private static partial Regex WalkthroughRegex();

    [GeneratedRegex("```bash\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlockRegex();
}
