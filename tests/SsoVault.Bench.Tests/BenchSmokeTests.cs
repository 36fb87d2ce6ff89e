using SsoVault.Bench;
using SsoVault.Bench.Measurement;
using SsoVault.Bench.Report;
using SsoVault.Bench.Workloads;

namespace SsoVault.Bench.Tests;

public sealed class BenchSmokeTests
{
    [Fact]
    public async Task RunAsync_TinyData_EveryBuiltRowHasPositiveFiguresAndEveryIssueRowIsPresent()
    {
        var results = await BenchRunner.RunAsync(RunSettings.Smoke, _ => { }, CancellationToken.None);

        var built = results.Rows.Where(r => r.IsBuilt).ToList();
        Assert.NotEmpty(built);
        Assert.All(built, row =>
        {
            Assert.True(row.Ours!.Median > 0 && row.Ours.Min > 0, $"{row.Workload}: our figure {row.Ours.Median}");
            Assert.True(row.Limit!.Median > 0 && row.Limit.Min > 0, $"{row.Workload}: limit {row.Limit.Median}");
            Assert.NotNull(row.Met);
        });
        // The re-encryption job may not commit a batch within a 20 ms smoke window: its progress may be zero, never negative.
        Assert.All(results.Details, detail => Assert.True(
            detail.Stats.Median > 0 || (detail.Name.Contains("progress", StringComparison.Ordinal) && detail.Stats.Min >= 0),
            $"{detail.Name}: {detail.Stats.Median}"));

        // Every row of the issue's table is there, built or named as not built.
        foreach (var workload in new[]
                 {
                     "encrypt + decrypt one credential value", "`secret generate`", "config-store runtime read",
                     "credential lookup in process, SQLite, cache off", "credential lookup in process, cache on",
                     "credential lookup over HTTPS", "credential lookup, PostgreSQL", "re-encryption of every value",
                     "lookups while a re-encryption runs", "SSO server start to ready", "peak memory",
                 })
        {
            Assert.Contains(results.Rows, r => r.Workload.Contains(workload, StringComparison.Ordinal));
        }

        // The peak-memory row's goal is absolute (MB), not a ratio.
        Assert.Contains(results.Rows, r => r.Absolute && r.Workload.Contains("peak memory", StringComparison.Ordinal) && r.Ratio is null && r.Met is not null);

        Assert.All(results.Rows.Where(r => !r.IsBuilt), r => Assert.False(string.IsNullOrWhiteSpace(r.WaitsFor)));

        // The rows whose features exist are measured, not left as "not built".
        foreach (var workload in new[]
                 {
                     "credential lookup in process, SQLite, cache off", "credential lookup in process, cache on", "re-encryption of every value",
                     "lookups while a re-encryption runs", "credential lookup over HTTPS", "SSO server start to ready", "peak memory",
                 })
        {
            Assert.Contains(built, r => r.Workload.Contains(workload, StringComparison.Ordinal));
        }

        // The PostgreSQL row is measured whenever a server is given (./run-tests starts one and sets the variable). Without
        // one it names why it is not built; with CI=true a missing server is a failure, never a skip.
        var postgres = results.Rows.Single(r => r.Workload.StartsWith("credential lookup, PostgreSQL", StringComparison.Ordinal));
        var server = Environment.GetEnvironmentVariable(PostgresLookupWorkload.ServerVariable) is { Length: > 0 };
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        Assert.False(ci && !server, $"{PostgresLookupWorkload.ServerVariable} is not set (CI=true: a failure, not a skip); ./run-tests starts a PostgreSQL server");
        Assert.True(server ? postgres.IsBuilt : postgres.WaitsFor!.Contains(PostgresLookupWorkload.ServerVariable, StringComparison.Ordinal),
            server ? $"not measured although a server is given: {postgres.WaitsFor}" : "the not-built PostgreSQL row does not say what it waits for");
    }
}
