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
        results.Rows.Add(BenchRow.NotBuilt("credential lookup over HTTPS, 64 connections", "requests/s",
            "a bare Kestrel HTTPS endpoint returning the same bytes", Goal.Min(0.5),
            "the HTTP server (`ssovault serve`) and its lookup endpoint"));
        results.Rows.Add(BenchRow.NotBuilt("credential lookup, PostgreSQL, 8 connections", "lookups/s",
            "Npgsql prepared point read + decrypt", Goal.Min(0.6), "a reachable PostgreSQL server (the provider exists; only `./run-tests` starts one, via `SSOVAULT_TEST_POSTGRES`)"));
        results.Rows.Add(BenchRow.NotBuilt("SSO server start to ready", "s", "a minimal ASP.NET Core app's start to first response",
            Goal.Max(2.0), "the HTTP server (`ssovault serve`)"));
        results.Rows.Add(BenchRow.NotBuilt("peak memory of a server under lookup load on 1,000,000 credentials", "MB", "— (absolute: ≤ 300 MB)",
            Goal.Max(300), "the HTTP server, credentials and the credential lookup"));
    }
}
