using System.Text;
using SsoVault.Bench.Fixtures;
using SsoVault.Bench.Measurement;
using SsoVault.Bench.Report;
using SsoVault.Core.ConfigStore;
using SsoVault.Core.Crypto;
using SsoVault.Core.MasterSecrets;

namespace SsoVault.Bench.Workloads;

/// <summary>
/// A proxy for the credential lookup until it exists: the config store's runtime read of one record (two 32-byte
/// properties) in process on SQLite, at random records, one at a time. Ours is <see cref="ConfigStoreService.GetAsync"/>
/// as the CLI calls it; it loads the key ring on every call, so the same read with a key ring loaded once and the
/// key-ring load alone are measured beside it to show where the time goes. The limit is a hand-written prepared
/// SQLite point read plus one AES-GCM decrypt per property.
/// </summary>
internal static class ConfigReadWorkload
{
    public static async Task RunAsync(RunSettings settings, string workFolder, BenchResults results, CancellationToken cancellationToken)
    {
        await using var node = await BenchNode.CreateAsync(Path.Combine(workFolder, "config-read"), cancellationToken);
        var records = await ConfigBulkLoader.LoadAsync(node, settings.ConfigRecords * ConfigBulkLoader.Properties.Length, cancellationToken);
        var (keyId, key) = await RawDataKey.UnwrapCurrentAsync(node, cancellationToken);
        await using var handWritten = HandWrittenConfigReader.Open(node.Settings.Database, keyId, key);
        using var ring = await KeyRingLoader.LoadAsync(node, cancellationToken);

        var picks = new RandomRecords(records);
        var service = Sampler.ThroughputAsync(settings, async () =>
        {
            var identifier = picks.Next();
            var record = await ConfigStoreService.GetAsync(node, SsoVault.Core.Identity.Caller.LocalOperator, ConfigBulkLoader.Application, identifier, runtime: true, cancellationToken);
            Check(identifier, record.Properties.Select(p => (p.Name, p.Value!)));
        });
        var reusedRing = Sampler.ThroughputAsync(settings, async () =>
        {
            var identifier = picks.Next();
            await using var transaction = await node.Database.BeginAsync(cancellationToken);
            var stored = await transaction.Config.GetPropertiesAsync(ConfigBulkLoader.Application, identifier, cancellationToken);
            Check(identifier, stored.Select(p => (p.Name, Encoding.UTF8.GetString(
                ring.Decrypt(RecordIdentity.ConfigProperty(ConfigBulkLoader.Application, identifier, p.Name), p.Envelope)))));
        });
        var ringLoad = Sampler.ThroughputAsync(settings, async () =>
        {
            using var loaded = await KeyRingLoader.LoadAsync(node, cancellationToken);
            Sampler.Consume(loaded.KeyIds.Count);
        });
        var emptyTransaction = Sampler.ThroughputAsync(settings, async () =>
        {
            await using var transaction = await node.Database.BeginAsync(cancellationToken);
            Sampler.Consume(1);
        });
        var limit = Sampler.ThroughputAsync(settings, () =>
        {
            var identifier = picks.Next();
            Check(identifier, handWritten.Read(ConfigBulkLoader.Application, identifier));
            return Task.CompletedTask;
        });

        var stats = await Sampler.InterleavedAsync(settings, cancellationToken, service, limit, reusedRing, ringLoad, emptyTransaction);
        var limitName = "prepared SQLite point read + one `AesGcm` decrypt per property, hand-written";
        results.Rows.Add(BenchRow.Measured(
            $"config-store runtime read of one record (2 × 32 B), in process, SQLite, {records:N0} records — `ConfigStoreService.GetAsync` as is (proxy; **not** the credential lookup)",
            "reads/s", stats[0], limitName, stats[1], Goal.Min(0.5)));
        results.Rows.Add(BenchRow.Measured(
            "the same read with the key ring loaded once (repository + `KeyRing.Decrypt`, what a server would do)",
            "reads/s", stats[2], limitName, stats[1], Goal.Min(0.5)));
        results.Details.Add(new BenchDetail("`KeyRingLoader.LoadAsync` alone", "loads/s", stats[3],
            "`GetAsync` pays this on every call: a transaction, the global info, the secret-store file, HKDF and an unwrap per data key"));
        results.Details.Add(new BenchDetail("an SsoVault transaction begun and rolled back, nothing read", "transactions/s", stats[4],
            "every read opens a write transaction (`BEGIN IMMEDIATE`); `GetAsync` opens two"));
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
