using System.Globalization;
using SsoVault.Bench.Measurement;

namespace SsoVault.Bench.Report;

/// <summary>How figures are written: throughput as whole numbers, durations in seconds or milliseconds.</summary>
internal static class Figures
{
    public static string Format(double value, string unit) => unit switch
    {
        "s" => value.ToString("0.000", CultureInfo.InvariantCulture),
        "ms" => value.ToString("0.00", CultureInfo.InvariantCulture),
        "µs" => value.ToString("0.00", CultureInfo.InvariantCulture),
        _ => value.ToString("#,0", CultureInfo.InvariantCulture),
    };

    /// <summary>"median unit (min–max)".</summary>
    public static string Format(Stats stats, string unit) =>
        $"{Format(stats.Median, unit)} {unit} ({Format(stats.Min, unit)}–{Format(stats.Max, unit)})";

    public static string Ratio(double? ratio) => ratio is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) : "—";
}
