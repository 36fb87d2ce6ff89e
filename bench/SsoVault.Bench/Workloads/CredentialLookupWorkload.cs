using SsoVault.Bench.Fixtures;
using SsoVault.Bench.Measurement;
using SsoVault.Bench.Report;
using SsoVault.Core.Applications;

namespace SsoVault.Bench.Workloads;

/// <summary>
/// ENTSSO's GetCredentials in process on SQLite: <see cref="CredentialService.LookupAsync"/> for random users, cache off
/// (<c>refresh: true</c>), against a hand-written prepared point read + one AES-GCM decrypt per field; and the same call
/// repeated for a working set of users whose answers stay cached, against a dictionary read returning the same values.
/// What each is made of (the statement, the decryption, the lease check) is measured beside them.
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
        var cacheOn = Sampler.ThroughputAsync(settings, DictionaryBatch, async n =>
        {
            for (var i = 0; i < n; i++)
            {
                var user = workingSet[next++ % workingSet.Length];
                CredentialStore.Check(user, await CredentialService.LookupAsync(node, store.CallerOf(user), application, cancellationToken));
            }
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
        // Where a cache-off lookup's time goes: its one statement alone, then with the decryption of each field.
        var statement = Sampler.ThroughputAsync(settings, async () =>
        {
            var found = await node.Database.ReadMappingWithCredentialsAsync(application, CredentialStore.Account(picks.Next(store.Users)), cancellationToken);
            Sampler.Consume(found!.Credentials.Count);
        });
        var statementAndDecrypt = Sampler.ThroughputAsync(settings, async () =>
        {
            var account = CredentialStore.Account(picks.Next(store.Users));
            var (mapping, credentials) = (await node.Database.ReadMappingWithCredentialsAsync(application, account, cancellationToken))!;
            foreach (var (ordinal, envelope) in credentials)
            {
                Sampler.Consume((await node.DecryptAsync(CredentialRecordIdentity.For(application, mapping.WindowsAccount, mapping.ExternalUser, ordinal), envelope,
                    cancellationToken)).Length);
            }
        });

        // What a cache hit pays for its validity: the lease check, and the one-statement read the lease saves.
        var leased = Sampler.ThroughputAsync(settings, async () =>
            Sampler.Consume((int)((await node.Epochs.ForApplicationAsync(application, cancellationToken))?.Application ?? 0)));
        var epochRead = Sampler.ThroughputAsync(settings, async () =>
            Sampler.Consume((int)((await node.Database.ReadChangeEpochsAsync(application, cancellationToken))?.Application ?? 0)));

        var stats = await Sampler.InterleavedAsync(settings, cancellationToken, cacheOff, pointRead, cacheOn, dictionary, statement, statementAndDecrypt, leased,
            epochRead);
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
        results.Details.Add(new BenchDetail("`ReadMappingWithCredentialsAsync` alone: the one statement of a cache-off lookup (autocommit, prepared per pooled connection)",
            "reads/s", stats[4], "the database part of a cache-off lookup; the limit runs the same join on one connection"));
        results.Details.Add(new BenchDetail("the same statement + `SsoNode.DecryptAsync` per field", "lookups/s", stats[5],
            "database and decryption, without the service (lease check, context cache, access check, answer)"));
        results.Details.Add(new BenchDetail("`LeasedChangeEpochs.ForApplicationAsync`: the validity check of a cache hit", "checks/s", stats[6],
            "a dictionary read and a clock read; the database is read once per 2 ms lease"));
        results.Details.Add(new BenchDetail("`ReadChangeEpochsAsync`: the epoch read the lease saves (one statement, no transaction)", "reads/s", stats[7],
            "what every cache hit paid before the lease (decision 41)"));
    }
}
