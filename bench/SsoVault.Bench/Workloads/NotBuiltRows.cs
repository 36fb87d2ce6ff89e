using SsoVault.Bench.Report;

namespace SsoVault.Bench.Workloads;

/// <summary>
/// The rows whose feature does not exist yet. They are printed, not left out, so the table shows the gap;
/// each names what it waits for. Replace a row with a workload when its feature lands.
/// </summary>
internal static class NotBuiltRows
{
    public static void Add(BenchResults results)
    {
        results.Rows.Add(BenchRow.NotBuilt("credential lookup, PostgreSQL, 8 connections", "lookups/s",
            "Npgsql prepared point read + decrypt", Goal.Min(0.6), "a reachable PostgreSQL server (the provider exists; only `./run-tests` starts one, via `SSOVAULT_TEST_POSTGRES`)"));
    }
}
