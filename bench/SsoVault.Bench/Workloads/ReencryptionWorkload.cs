using System.Diagnostics;
using SsoVault.Bench.Fixtures;
using SsoVault.Bench.Measurement;
using SsoVault.Bench.Report;
using SsoVault.Core.Identity;
using SsoVault.Core.MasterSecrets;

namespace SsoVault.Bench.Workloads;

/// <summary>
/// Re-encryption of every value to a new data key on SQLite, in values per second: ours is
/// <see cref="DataKeyRotation.RotateAsync"/> then <see cref="ReencryptionJob.RunAsync"/> with rest factor 0 (flat out),
/// the limit a hand-written read-decrypt-encrypt-update loop in batches of 1,000 on the same file and the same values.
/// Each repetition moves every value again (ours to a new key each time, the limit under the key that is current).
/// </summary>
internal static class ReencryptionWorkload
{
    public static async Task RunAsync(RunSettings settings, string workFolder, BenchResults results, CancellationToken cancellationToken)
    {
        await using var node = await BenchNode.CreateAsync(Path.Combine(workFolder, "reencrypt"), cancellationToken);
        var store = await CredentialBulkLoader.LoadAsync(node, (settings.ReencryptionValues + CredentialStore.Fields - 1) / CredentialStore.Fields,
            cancellationToken);
        var options = new ReencryptionOptions(BatchSize: HandWrittenReencryptor.BatchSize, RestFactor: 0);
        var rotations = new List<double>();

        var ours = new Sampler.Sample(async () =>
        {
            var watch = Stopwatch.StartNew();
            var rotation = await DataKeyRotation.RotateAsync(node, Caller.LocalOperator, cancellationToken);
            rotations.Add(watch.Elapsed.TotalSeconds);
            var done = await ReencryptionJob.RunAsync(node, options, null, cancellationToken);
            var seconds = watch.Elapsed.TotalSeconds;
            if (done is not { Finished: true, Remaining: 0 } || done.Processed != store.Values || rotation.ValuesToMove != store.Values)
            {
                throw new InvalidOperationException($"The re-encryption job did not move every value: {done}.");
            }

            return store.Values / seconds;
        });
        var limit = new Sampler.Sample(async () =>
        {
            var (keyId, key) = await RawDataKey.UnwrapCurrentAsync(node, cancellationToken);
            var watch = Stopwatch.StartNew();
            var moved = HandWrittenReencryptor.Run(node.Settings.Database, keyId, key, store.Values, cancellationToken);
            var seconds = watch.Elapsed.TotalSeconds;
            if (moved != store.Values)
            {
                throw new InvalidOperationException($"The hand-written re-encryption moved {moved} of {store.Values} values.");
            }

            return store.Values / seconds;
        });

        var stats = await Sampler.InterleavedAsync(settings, cancellationToken, ours, limit);
        await CredentialBulkLoader.CheckSampleAsync(node, store, cancellationToken);

        results.Rows.Add(BenchRow.Measured(
            $"re-encryption of every value to a new data key, SQLite ({store.Values:N0} values; `DataKeyRotation.RotateAsync` + `ReencryptionJob.RunAsync`, batches of 1,000, rest factor 0)",
            "values/s", stats[0], "hand-written read-decrypt-encrypt-update loop, batches of 1,000, same file and values, `synchronous = FULL`", stats[1],
            Goal.Min(0.5)));
        results.Details.Add(new BenchDetail("`DataKeyRotation.RotateAsync` alone (part of our re-encryption figure)", "ms",
            Milliseconds(Stats.Of(rotations.Skip(settings.Warmups).ToList())), "a new data key, the old retired, the job recorded, the values to move counted"));
    }

    private static Stats Milliseconds(Stats seconds) => new(seconds.Median * 1000, seconds.Min * 1000, seconds.Max * 1000, seconds.Count);
}
