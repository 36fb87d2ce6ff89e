namespace SsoVault.Core.Diagnostics;

/// <summary>
/// Named crash points in the multi-step procedures (generate, restore, init). When the environment variable
/// <c>SSOVAULT_CRASH_AT</c> names a point, the process kills itself there with SIGKILL, exactly as a power cut or
/// <c>kill -9</c> would, so tests can prove that every step leaves a node that still opens and reads every value.
/// Unset (always, in production) it costs one string comparison.
/// </summary>
public static class FaultInjection
{
    public const string EnvironmentVariable = "SSOVAULT_CRASH_AT";

    private static readonly string? Target = Environment.GetEnvironmentVariable(EnvironmentVariable);

    public static void CrashPoint(string name)
    {
        if (Target is not null && string.Equals(Target, name, StringComparison.Ordinal))
        {
            Console.Error.WriteLine($"fault injection: killing the process at '{name}'");
            Console.Error.Flush();
            System.Diagnostics.Process.GetCurrentProcess().Kill();
            Thread.Sleep(Timeout.Infinite);
        }
    }
}
