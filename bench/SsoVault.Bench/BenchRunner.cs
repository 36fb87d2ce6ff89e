using SsoVault.Bench.Measurement;
using SsoVault.Bench.Report;
using SsoVault.Bench.Workloads;

namespace SsoVault.Bench;

/// <summary>Runs the workloads in a fresh temporary folder (deleted afterwards) and collects the rows.</summary>
internal static class BenchRunner
{
    private delegate Task Workload(RunSettings settings, string folder, BenchResults results, CancellationToken cancellationToken);

    /// <summary>Names for <c>--only</c>, which runs one workload under a profiler; a published run runs them all.</summary>
    public static readonly IReadOnlyList<string> WorkloadNames = ["crypto", "config-read", "generate", "lookup", "reencrypt", "lookup-during-reencrypt", "https-lookup", "server-process", "postgres-lookup"];

    public static async Task<BenchResults> RunAsync(RunSettings settings, Action<string> progress, CancellationToken cancellationToken,
        string? only = null)
    {
        var workloads = new (string Name, string Description, Workload Run)[]
        {
            ("crypto", "encrypt + decrypt one value (KeyRing, Data Protection, bare AesGcm)", ValueCryptoWorkload.RunAsync),
            ("config-read", $"config-store read ({settings.ConfigRecords:N0} records)", ConfigReadWorkload.RunAsync),
            ("generate", $"secret generate ({settings.GenerateLargeValues:N0} and {settings.GenerateSmallValues:N0} values)",
                SecretGenerateWorkload.RunAsync),
            ("lookup", $"credential lookup, cache off and on ({settings.CredentialMappings:N0} mappings)", CredentialLookupWorkload.RunAsync),
            ("reencrypt", $"re-encryption to a new data key ({settings.ReencryptionValues:N0} values)", ReencryptionWorkload.RunAsync),
            ("lookup-during-reencrypt", $"lookups while the re-encryption job runs ({settings.CredentialMappings:N0} mappings)",
                LookupDuringReencryptionWorkload.RunAsync),
            ("https-lookup", $"credential lookup over HTTPS, {HttpsLookupWorkload.Connections} connections ({settings.CredentialMappings:N0} mappings)",
                HttpsLookupWorkload.RunAsync),
            ("server-process", $"`ssovault serve` processes: start to ready, peak memory under load ({settings.MemoryMappings:N0} mappings)",
                ServerProcessWorkload.RunAsync),
            ("postgres-lookup", $"credential lookup on PostgreSQL, {PostgresLookupWorkload.Workers} workers ({settings.CredentialMappings:N0} mappings)", PostgresLookupWorkload.RunAsync),
        };

        var folder = Path.Combine(Path.GetTempPath(), "ssovault-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var results = new BenchResults();
        try
        {
            foreach (var (name, description, run) in workloads.Where(w => only is null || w.Name == only))
            {
                progress(description);
                await run(settings, folder, results, cancellationToken);
            }

            NotBuiltRows.Add(results);
            return results;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
