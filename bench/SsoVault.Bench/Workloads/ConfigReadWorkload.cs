using System.Text;
using SsoVault.Bench.Fixtures;
using SsoVault.Bench.Measurement;
using SsoVault.Bench.Report;
using SsoVault.Core.ConfigStore;
using SsoVault.Core.Crypto;
using SsoVault.Core.MasterSecrets;

namespace SsoVault.Bench.Workloads;

/// <summary>
/// The config store's runtime read of one record (two 32-byte properties) in process on SQLite, at random records, one
/// at a time: what an adapter does for its settings (ENTSSO's SSOConfigStore). Ours is <see cref="ConfigStoreService.GetAsync"/>
/// on an opened node, as the server calls it; the limit is a hand-written prepared SQLite point read plus one AES-GCM
/// decrypt per property. Its one statement alone, and the key-ring load a node no longer pays per read, are measured beside it.
/// </summary>
internal static class ConfigReadWorkload
{
    public static async Task RunAsync(RunSettings settings, string workFolder, BenchResults results, CancellationToken cancellationToken)
    {
        await using var node = await BenchNode.CreateAsync(Path.Combine(workFolder, "config-read"), cancellationToken);
        var records = await ConfigBulkLoader.LoadAsync(node, settings.ConfigRecords * ConfigBulkLoader.Properties.Length, cancellationToken);
        var (keyId, key) = await RawDataKey.UnwrapCurrentAsync(node, cancellationToken);
        await using var handWritten = HandWrittenConfigReader.Open(node.Settings.Database, keyId, key);

        var picks = new RandomRecords(records);
        var service = Sampler.ThroughputAsync(settings, async () =>
        {
            var identifier = picks.Next();
            var record = await ConfigStoreService.GetAsync(node, SsoVault.Core.Identity.Caller.LocalOperator, ConfigBulkLoader.Application, identifier, runtime: true, cancellationToken);
            Check(identifier, record.Properties.Select(p => (p.Name, p.Value!)));
        });
        var statement = Sampler.ThroughputAsync(settings, async () =>
            Sampler.Consume((await node.Database.ReadConfigPropertiesAsync(ConfigBulkLoader.Application, picks.Next(), cancellationToken)).Count));
        var ringLoad = Sampler.ThroughputAsync(settings, async () =>
        {
            using var loaded = await KeyRingLoader.LoadAsync(node, cancellationToken);
            Sampler.Consume(loaded.KeyIds.Count);
        });
        var limit = Sampler.ThroughputAsync(settings, () =>
        {
            var identifier = picks.Next();
            Check(identifier, handWritten.Read(ConfigBulkLoader.Application, identifier));
            return Task.CompletedTask;
        });

        var stats = await Sampler.InterleavedAsync(settings, cancellationToken, service, limit, statement, ringLoad);
        var limitName = "prepared SQLite point read + one `AesGcm` decrypt per property, hand-written";
        results.Rows.Add(BenchRow.Measured(
            $"config-store runtime read of one record (2 × 32 B), in process, SQLite, {records:N0} records — `ConfigStoreService.GetAsync`",
            "reads/s", stats[0], limitName, stats[1], Goal.Min(0.5)));
        results.Details.Add(new BenchDetail("`ReadConfigPropertiesAsync` alone: the one statement of that read (autocommit, prepared per pooled connection)",
            "reads/s", stats[2], "the database part; the application and its access lists come from the node's context cache"));
        results.Details.Add(new BenchDetail("`KeyRingLoader.LoadAsync` alone", "loads/s", stats[3],
            "what every read paid before the node kept its key ring (a transaction, the global info, the secret-store file, HKDF and an unwrap per data key)"));
    }

    /// <summary>Every read is checked, so a workload that reads the wrong record or nothing fails instead of looking fast.</summary>
    private static void Check(string identifier, IEnumerable<(string Name, string Value)> properties)
    {
        var count = 0;
        foreach (var (name, value) in properties)
        {
            if (value != ConfigBulkLoader.ValueOf(identifier, name))
            {
                throw new InvalidOperationException($"Read a wrong value for {identifier}/{name}.");
            }

            count++;
        }

        if (count != ConfigBulkLoader.Properties.Length)
        {
            throw new InvalidOperationException($"Read {count} properties of {identifier}.");
        }

        Sampler.Consume(count);
    }

    /// <summary>Record identifiers in a fixed pseudo-random order (seeded: runs read the same records).</summary>
    private sealed class RandomRecords(int records)
    {
        private readonly Random _random = new(20_240_601);

        public string Next() => ConfigBulkLoader.Identifier(_random.Next(records));
    }
}
