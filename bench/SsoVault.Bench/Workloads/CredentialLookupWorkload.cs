using SsoVault.Bench.Fixtures;
using SsoVault.Bench.Measurement;
using SsoVault.Bench.Report;
using SsoVault.Core.Applications;

namespace SsoVault.Bench.Workloads;

/// <summary>
/// ENTSSO's GetCredentials in process on SQLite: <see cref="CredentialService.LookupAsync"/> for random users, cache off
/// (<c>refresh: true</c>), against a hand-written prepared point read + one AES-GCM decrypt per field; and the same call
/// repeated for a working set of users whose answers stay cached, against a dictionary read returning the same values.
/// What a cache hit is made of (a read transaction, the change-epoch read) is measured beside it.
/// </summary>
internal static class CredentialLookupWorkload
{
    private const int DictionaryBatch = 256;

    public static async Task RunAsync(RunSettings settings, string workFolder, BenchResults results, CancellationToken cancellationToken)
    {
        await using var node = await BenchNode.CreateAsync(Path.Combine(workFolder, "lookup"), cancellationToken);
        var store = await CredentialBulkLoader.LoadAsync(node, settings.CredentialMappings, cancellationToken);
        var (_, key) = await RawDataKey.UnwrapCurrentAsync(node, cancellationToken);
        await using var handWritten = HandWrittenCredentialReader.Open(node.Settings.Database, key);
        var picks = new Random(20_240_602);
        var application = CredentialStore.Application;

        var cacheOff = Sampler.ThroughputAsync(settings, async () =>
        {
            var user = picks.Next(store.Users);
            CredentialStore.Check(user, await CredentialService.LookupAsync(node, store.CallerOf(user), application, cancellationToken, refresh: true));
        });
        var pointRead = Sampler.ThroughputAsync(settings, () =>
        {
            var user = picks.Next(store.Users);
            var (external, credentials) = handWritten.Read(application, CredentialStore.Account(user));
            CredentialStore.Check(user, external, credentials);
            return Task.CompletedTask;
        });

        // The working set: users spread over the store, each answer cached by a first lookup.
        var workingSet = Enumerable.Range(0, Math.Min(settings.CacheWorkingSet, store.Users)).Select(i => (int)((long)i * store.Users / settings.CacheWorkingSet))
            .Distinct().ToArray();
        var answers = new Dictionary<string, CredentialLookupResult>(workingSet.Length);
        foreach (var user in workingSet)
        {
            answers[CredentialStore.Account(user)] = await CredentialService.LookupAsync(node, store.CallerOf(user), application, cancellationToken);
        }

        var next = 0;
        var cacheOn = Sampler.ThroughputAsync(settings, async () =>
        {
            var user = workingSet[next++ % workingSet.Length];
            CredentialStore.Check(user, await CredentialService.LookupAsync(node, store.CallerOf(user), application, cancellationToken));
        });
        var accounts = workingSet.Select(CredentialStore.Account).ToArray();
        var nextRead = 0;
        var dictionary = Sampler.Throughput(settings, DictionaryBatch, n =>
        {
            for (var i = 0; i < n; i++)
            {
                var at = nextRead++ % workingSet.Length;
                CredentialStore.Check(workingSet[at], answers[accounts[at]]);
            }
        });
        var emptyRead = Sampler.ThroughputAsync(settings, async () =>
        {
            await using var transaction = await node.Database.BeginReadAsync(cancellationToken);
            Sampler.Consume(1);
        });
        var epochs = Sampler.ThroughputAsync(settings, async () =>
        {
            await using var transaction = await node.Database.BeginReadAsync(cancellationToken);
            Sampler.Consume((int)((await transaction.Applications.GetChangeEpochsAsync(application, cancellationToken))?.Application ?? 0));
        });

        var statements = Sampler.ThroughputAsync(settings, async () =>
            Sampler.Consume(await LookupStatements.ReplayAsync(node, application, CredentialStore.Account(picks.Next(store.Users)), cancellationToken)));

        var stats = await Sampler.InterleavedAsync(settings, cancellationToken, cacheOff, pointRead, cacheOn, dictionary, emptyRead, epochs, statements);
        if (node.CredentialCache.Count < workingSet.Length)
        {
            throw new InvalidOperationException("The cache-on workload's answers left the cache: its figure would include misses.");
        }

        results.Rows.Add(BenchRow.Measured(
            $"credential lookup in process, SQLite, cache off (`CredentialService.LookupAsync(refresh: true)`, {store.Users:N0} mappings × 2 × 32 B, random users)",
            "lookups/s", stats[0], "the same SQLite point read (mapping + credentials, prepared, one connection) + one AES-GCM decrypt per field, hand-written",
            stats[1], Goal.Min(0.5)));
        results.Rows.Add(BenchRow.Measured(
            $"credential lookup in process, cache on (`LookupAsync`, a working set of {workingSet.Length:N0} users, every answer cached)",
            "lookups/s", stats[2], "a `Dictionary` read returning the same values", stats[3], Goal.Min(0.5)));
        results.Details.Add(new BenchDetail("an SsoVault read transaction begun and rolled back, nothing read (`BeginReadAsync`)", "transactions/s", stats[4],
            "every lookup, hit or miss, opens one"));
        results.Details.Add(new BenchDetail("the same with the change epochs read (`GetChangeEpochsAsync`)", "reads/s", stats[5],
            "the database work of a cache hit: the hit itself adds a dictionary read"));
        results.Details.Add(new BenchDetail($"the {LookupStatements.Count} reads of a cache-off lookup replayed through the repositories in one read transaction (no access check, no decrypt)",
            "lookups/s", stats[6], "each statement is compiled afresh (`SqliteSession.Command`): the limit runs one prepared statement"));
    }
}
