using SsoVault.Bench.Measurement;

namespace SsoVault.Bench.Report;

/// <summary>
/// One row of the table: our figure, the limit measured beside it in the same run, their ratio (of medians)
/// and the goal. A row whose feature does not exist yet has no figures and names what it waits for.
/// </summary>
internal sealed record BenchRow(string Workload, string Unit, string LimitName, Goal Goal)
{
    public Stats? Ours { get; init; }
    public Stats? Limit { get; init; }
    public string? WaitsFor { get; init; }

    /// <summary>The goal is on our figure itself (e.g. ≤ 300 MB), not a ratio; the limit is printed beside it for context.</summary>
    public bool Absolute { get; init; }

    public bool IsBuilt => WaitsFor is null;

    public double? Ratio => Absolute || Ours is null || Limit is null || Limit.Median == 0 ? null : Ours.Median / Limit.Median;

    public bool? Met => Absolute ? Ours is null ? null : Goal.IsMet(Ours.Median) : Ratio is { } ratio ? Goal.IsMet(ratio) : null;

    public static BenchRow Measured(string workload, string unit, Stats ours, string limitName, Stats limit, Goal goal) =>
        new(workload, unit, limitName, goal) { Ours = ours, Limit = limit };

    public static BenchRow NotBuilt(string workload, string unit, string limitName, Goal goal, string waitsFor) =>
        new(workload, unit, limitName, goal) { WaitsFor = waitsFor };
}

/// <summary>A sub-measurement that explains a row (where the time goes); it has no goal of its own.</summary>
internal sealed record BenchDetail(string Name, string Unit, Stats Stats, string Note);

/// <summary>Everything one run produced, in the order the workloads ran.</summary>
internal sealed class BenchResults
{
    public List<BenchRow> Rows { get; } = [];
    public List<BenchDetail> Details { get; } = [];
}
