using System.Globalization;
using System.Runtime.InteropServices;

namespace SsoVault.Bench.Report;

/// <summary>What the figures were measured on: without it a ratio has no context and a figure has no meaning.</summary>
internal sealed record MachineInfo(string Cpu, int Cores, string Memory, string Os, string Runtime, string LoadAverage, DateTimeOffset StartedUtc)
{
    public static MachineInfo Describe(DateTimeOffset startedUtc) => new(
        FirstValue("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        Environment.ProcessorCount,
        MemTotal(),
        (FirstValue("/etc/os-release", "PRETTY_NAME", '=')?.Trim('"') ?? RuntimeInformation.OSDescription) +
        ", kernel " + ReadOrUnknown("/proc/sys/kernel/osrelease").Trim(),
        RuntimeInformation.FrameworkDescription + " " + RuntimeInformation.RuntimeIdentifier,
        ReadOrUnknown("/proc/loadavg"),
        startedUtc);

    private static string MemTotal()
    {
        var kib = FirstValue("/proc/meminfo", "MemTotal")?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return long.TryParse(kib, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? (value / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " GiB"
            : "unknown";
    }

    private static string? FirstValue(string path, string key, char separator = ':')
    {
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (var line in File.ReadLines(path))
        {
            var at = line.IndexOf(separator, StringComparison.Ordinal);
            if (at > 0 && line[..at].Trim() == key)
            {
                return line[(at + 1)..].Trim();
            }
        }

        return null;
    }

    private static string ReadOrUnknown(string path) =>
        File.Exists(path) ? string.Join(' ', File.ReadAllText(path).Split(' ').Take(3)) : "unknown";
}
