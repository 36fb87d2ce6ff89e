using System.Diagnostics;
using System.Text.Json;

namespace SsoVault.Cli.Tests.Infrastructure;

/// <summary>The outcome of one run of the real ssovault process.</summary>
public sealed record CliRun(string[] Arguments, int ExitCode, string Stdout, string Stderr)
{
    public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;

    public override string ToString() =>
        $"ssovault {string.Join(' ', Arguments)} -> exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>
/// Runs the ssovault CLI built beside the tests (the project reference copies ssovault.dll here) as a separate
/// process, the way an operator runs it: real files, real exit codes, no shared state with the test process.
/// </summary>
public static class SsoVaultProcess
{
    private static readonly string CliPath = Path.Combine(AppContext.BaseDirectory, "ssovault.dll");
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static async Task<CliRun> RunAsync(IReadOnlyDictionary<string, string?> environment, string? workingDirectory, string? stdin,
        params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        start.ArgumentList.Add(CliPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // A clean environment for the knobs the CLI reads, then the test's own.
        start.Environment.Remove("SSOVAULT_HOME");
        start.Environment.Remove("SSOVAULT_BACKUP_PASSWORD");
        start.Environment.Remove("SSOVAULT_CRASH_AT");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"ssovault {string.Join(' ', arguments)} did not finish within {Timeout}.");
        }

        return new CliRun(arguments, process.ExitCode, await stdout, await stderr);
    }
}
