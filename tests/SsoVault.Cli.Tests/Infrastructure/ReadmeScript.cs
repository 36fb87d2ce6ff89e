using System.Diagnostics;
using System.Text.RegularExpressions;

namespace SsoVault.Cli.Tests.Infrastructure;

/// <summary>
/// Runs a README walkthrough (the bash blocks between two markers) exactly as a newcomer pastes it, from the repository
/// root, after './ssovault up', in a throwaway HOME with the backup password in the environment instead of the keyboard.
/// The script runs in its own process group, killed at the end whatever happened, so nothing it started outlives the test.
/// </summary>
public sealed partial class ReadmeScript : IDisposable
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), "ssovault-readme", Guid.NewGuid().ToString("N"));

    public string Home => _home;

    public static string RepositoryRoot()
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

    /// <summary>The bash blocks between <c>&lt;!-- MARKER:start --&gt;</c> and <c>&lt;!-- MARKER:end --&gt;</c> in README.md.</summary>
    public static async Task<IReadOnlyList<string>> BlocksAsync(string marker)
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "README.md"));
        var section = Regex.Match(readme, $"<!-- {Regex.Escape(marker)}:start -->(.*)<!-- {Regex.Escape(marker)}:end -->", RegexOptions.Singleline);
        Assert.True(section.Success, $"README.md has no section between the {marker} markers");
        return BashBlockRegex().Matches(section.Groups[1].Value).Select(m => m.Groups[1].Value).ToList();
    }

    /// <summary>Runs './ssovault up' and then <paramref name="body"/>; returns the exit code and everything printed.</summary>
    public async Task<(int ExitCode, string Output)> RunAsync(string body, TimeSpan timeout, params string[] extraLogs)
    {
        Directory.CreateDirectory(_home);
        var groupFile = Path.Combine(_home, "walkthrough.pgid");
        var script = Path.Combine(_home, "walkthrough.sh");
        await File.WriteAllTextAsync(script, $"echo $$ > '{groupFile}'\nset -euo pipefail\n./ssovault up\n{body}");
        var start = new ProcessStartInfo("setsid", ["bash", script])
        {
            WorkingDirectory = RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["HOME"] = _home;
        foreach (var variable in new[] { "SSOVAULT_HOME", "SSOVAULT_API_KEY", "SSOVAULT_SERVER_FINGERPRINT", "SSOVAULT_CRASH_AT" })
        {
            start.Environment.Remove(variable);
        }

        start.Environment["SSOVAULT_BACKUP_PASSWORD"] = "a newcomer's password";
        using var process = Process.Start(start)!;
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var limit = new CancellationTokenSource(timeout);
            await process.WaitForExitAsync(limit.Token);
            var output = await stdout + "\n--- stderr ---\n" + await stderr;
            foreach (var log in extraLogs.Select(name => Path.Combine(_home, name)))
            {
                output += $"\n--- {Path.GetFileName(log)} ---\n" + (File.Exists(log) ? await File.ReadAllTextAsync(log) : "(none)");
            }

            return (process.ExitCode, output);
        }
        finally
        {
            await KillGroupAsync(groupFile, process);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_home))
        {
            Directory.Delete(_home, recursive: true);
        }
    }

    /// <summary>Kills the script's process group (a background server with it), bounded, even when the test failed.</summary>
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

    [GeneratedRegex("```bash\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlockRegex();
}
