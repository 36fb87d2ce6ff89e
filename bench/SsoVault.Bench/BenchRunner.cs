using SsoVault.Bench.Measurement;
using SsoVault.Bench.Report;
using SsoVault.Bench.Workloads;

namespace SsoVault.Bench;

/// <summary>Runs every workload in a fresh temporary folder (deleted afterwards) and collects the rows.</summary>
internal static class BenchRunner
{
    public static async Task<BenchResults> RunAsync(RunSettings settings, Action<string> progress, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Path.GetTempPath(), "ssovault-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var results = new BenchResults();
        try
        {
            progress("encrypt + decrypt one value (KeyRing, Data Protection, bare AesGcm)");
            await ValueCryptoWorkload.RunAsync(settings, folder, results, cancellationToken);
            progress($"config-store read ({settings.ConfigRecords:N0} records)");
            await ConfigReadWorkload.RunAsync(settings, folder, results, cancellationToken);
            progress($"secret generate ({settings.GenerateLargeValues:N0} and {settings.GenerateSmallValues:N0} values)");
            await SecretGenerateWorkload.RunAsync(settings, folder, results, cancellationToken);
            NotBuiltRows.Add(results);
            return results;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
