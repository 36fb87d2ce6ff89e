namespace SsoVault.Core.Diagnostics;

/// <summary>
/// Named crash points in the multi-step procedures (generate, restore, init). When the environment variable
/// <c>SSOVAULT_CRASH_AT</c> names a point, the process kills itself there with SIGKILL, exactly as a power cut or
/// <c>kill -9</c> would, so tests can prove that every step leaves a node that still opens and reads every value.
/// <c>name@N</c> kills at the N-th time the point is reached (a loop's later iterations).
/// Unset (always, in production) it costs one string comparison.
/// </summary>
public static class FaultInjection
{
    public const string EnvironmentVariable = "SSOVAULT_CRASH_AT";

    private static readonly (string Name, int Hit)? Target = Parse(Environment.GetEnvironmentVariable(EnvironmentVariable));
    private static int _hits;

    /// <summary>Kills the process when this is the targeted point (<c>name</c>, or <c>name@N</c> for its N-th hit).</summary>
    public static void CrashPoint(string name)
    {
        if (Target is { } target && string.Equals(target.Name, name, StringComparison.Ordinal) && Interlocked.Increment(ref _hits) == target.Hit)
        {
            Console.Error.WriteLine($"fault injection: killing the process at '{name}' (hit {target.Hit})");
            Console.Error.Flush();
            System.Diagnostics.Process.GetCurrentProcess().Kill();
            Thread.Sleep(Timeout.Infinite);
        }
    }

    private static (string, int)? Parse(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var at = value.LastIndexOf('@');
        return at > 0 && int.TryParse(value[(at + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var hit) && hit > 0
            ? (value[..at], hit)
            : (value, 1);
    }
}
