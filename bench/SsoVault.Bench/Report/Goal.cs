using System.Globalization;

namespace SsoVault.Bench.Report;

/// <summary>The goal of a row, as a ratio of our figure to the limit measured beside it.</summary>
internal sealed record Goal(bool AtLeast, double Ratio)
{
    public static Goal Min(double ratio) => new(true, ratio);

    public static Goal Max(double ratio) => new(false, ratio);

    public bool IsMet(double ratio) => AtLeast ? ratio >= Ratio : ratio <= Ratio;

    public override string ToString() => (AtLeast ? "≥ " : "≤ ") + Ratio.ToString("0.0##", CultureInfo.InvariantCulture);
}
