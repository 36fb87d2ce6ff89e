using SsoVault.Bench.Report;

namespace SsoVault.Bench.Workloads;

/// <summary>
/// The rows whose feature does not exist yet. They are printed, not left out, so the table shows the gap;
/// each names what it waits for. Replace a row with a workload when its feature lands. (None is left: the PostgreSQL
/// row is <see cref="PostgresLookupWorkload"/>, printed as not built by itself when no server is reachable.)
/// </summary>
internal static class NotBuiltRows
{
    public static void Add(BenchResults results) => ArgumentNullException.ThrowIfNull(results);
}
