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
        results.Rows.Add(BenchRow.NotBuilt("credential lookup in process, SQLite, cache off", "lookups/s",
            "the same SQLite point read + one AES-GCM decrypt per field, hand-written", Goal.Min(0.5),
            "affiliate applications, mappings, credentials and the credential lookup"));
        results.Rows.Add(BenchRow.NotBuilt("credential lookup in process, cache on", "lookups/s",
            "a dictionary read returning the same values", Goal.Min(0.5), "the credential lookup and its cache"));
        results.Rows.Add(BenchRow.NotBuilt("credential lookup over HTTPS, 64 connections", "requests/s",
            "a bare Kestrel HTTPS endpoint returning the same bytes", Goal.Min(0.5),
            "the HTTP server (`ssovault serve`) and its lookup endpoint"));
        results.Rows.Add(BenchRow.NotBuilt("credential lookup, PostgreSQL, 8 connections", "lookups/s",
            "Npgsql prepared point read + decrypt", Goal.Min(0.6), "the PostgreSQL provider and the credential lookup"));
        results.Rows.Add(BenchRow.NotBuilt("re-encryption of every value to a new data key, SQLite", "values/s",
            "hand-written read-decrypt-encrypt-update loop, batches of 1,000", Goal.Min(0.5), "the re-encryption job"));
        results.Rows.Add(BenchRow.NotBuilt("lookups while a re-encryption runs", "lookups/s", "lookups at rest", Goal.Min(0.7),
            "the credential lookup and the re-encryption job"));
        results.Rows.Add(BenchRow.NotBuilt("SSO server start to ready", "s", "a minimal ASP.NET Core app's start to first response",
            Goal.Max(2.0), "the HTTP server (`ssovault serve`)"));
        results.Rows.Add(BenchRow.NotBuilt("peak memory of a server under lookup load on 1,000,000 credentials", "MB", "— (absolute: ≤ 300 MB)",
            Goal.Max(300), "the HTTP server, credentials and the credential lookup"));
    }
}
