using System.Diagnostics;
using SsoVault.Bench.Fixtures;
using SsoVault.Bench.Measurement;
using SsoVault.Bench.Report;
using SsoVault.Core.Applications;
using SsoVault.Core.Identity;
using SsoVault.Core.MasterSecrets;
using SsoVault.Core.Nodes;

namespace SsoVault.Bench.Workloads;

/// <summary>
/// Cache-off lookups (<see cref="CredentialService.LookupAsync"/> with <c>refresh: true</c>, random users, one at a time)
/// while the re-encryption job runs on another task of the same node with its default options (batches of 1,000, rest
/// factor 1), against the same lookups at rest. A repetition with the job starts a new data-key rotation when the last
/// job has finished, measures only while the job is running, then stops the job (it resumes at the next repetition).
/// </summary>
internal static class LookupDuringReencryptionWorkload
{
    /// <summary>A gentler throttle, measured beside the default as a sub-measurement.</summary>
    private const double SlowRestFactor = 3;

    public static async Task RunAsync(RunSettings settings, string workFolder, BenchResults results, CancellationToken cancellationToken)
    {
        await using var node = await BenchNode.CreateAsync(Path.Combine(workFolder, "lookup-during-reencrypt"), cancellationToken);
        var store = await CredentialBulkLoader.LoadAsync(node, settings.CredentialMappings, cancellationToken);
        var picks = new Random(20_240_603);
        var jobRates = new List<double>();

        async Task LookupAsync()
        {
            var user = picks.Next(store.Users);
            CredentialStore.Check(user, await CredentialService.LookupAsync(node, store.CallerOf(user), CredentialStore.Application, cancellationToken, refresh: true));
        }

        var atRest = Sampler.ThroughputAsync(settings, LookupAsync);
        Sampler.Sample DuringJob(ReencryptionOptions options, List<double> jobRates) => async () =>
        {
            var before = await PendingJobAsync(node, cancellationToken);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var job = Task.Run(() => ReencryptionJob.RunAsync(node, options, null, stop.Token), CancellationToken.None);
            long lookups = 0;
            var watch = Stopwatch.StartNew();
            do
            {
                await LookupAsync();
                lookups++;
            }
            while (watch.Elapsed < settings.TimePerRepetition && lookups < settings.MaxOperationsPerRepetition && !job.IsCompleted);

            var seconds = watch.Elapsed.TotalSeconds;
            await stop.CancelAsync();
            try
            {
                await job;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Stopped mid-batch: that batch rolls back and the job resumes from its checkpoint next time.
            }

            var after = await ReencryptionJob.CurrentAsync(node, cancellationToken);
            jobRates.Add(((after?.Processed ?? 0) - before) / seconds);
            return lookups / seconds;
        };

        var slowJobRates = new List<double>();
        var duringJob = DuringJob(ReencryptionOptions.Default, jobRates);
        var duringSlowJob = DuringJob(ReencryptionOptions.Default with { RestFactor = SlowRestFactor }, slowJobRates);

        var stats = await Sampler.InterleavedAsync(settings, cancellationToken, duringJob, atRest, duringSlowJob);
        await CredentialBulkLoader.CheckSampleAsync(node, store, cancellationToken);

        results.Rows.Add(BenchRow.Measured(
            $"lookups while a re-encryption runs (cache off, {store.Users:N0} mappings; the job with its defaults: batches of 1,000, rest factor 1, same node, another task)",
            "lookups/s", stats[0], "the same lookups at rest", stats[1], Goal.Min(0.7)));
        results.Details.Add(new BenchDetail("the re-encryption job's own progress during those lookups", "values/s",
            Stats.Of(jobRates.Skip(settings.Warmups).ToList()), "the job still moves values while lookups keep their throughput"));
        results.Details.Add(new BenchDetail($"lookups while the job runs with rest factor {SlowRestFactor} instead of 1 (same store, interleaved)", "lookups/s",
            stats[2], "what a gentler default throttle gives the lookups (compare with the row's limit)"));
        results.Details.Add(new BenchDetail($"the job's own progress with rest factor {SlowRestFactor}", "values/s",
            Stats.Of(slowJobRates.Skip(settings.Warmups).ToList()), "what it costs the job"));
    }

    /// <summary>Rotates the data key when no job is left to run, so every repetition has a job to measure beside; returns the values it has moved so far.</summary>
    private static async Task<long> PendingJobAsync(SsoNode node, CancellationToken cancellationToken)
    {
        var current = await ReencryptionJob.CurrentAsync(node, cancellationToken);
        if (current is null || current.Finished)
        {
            await DataKeyRotation.RotateAsync(node, Caller.LocalOperator, cancellationToken);
            current = await ReencryptionJob.CurrentAsync(node, cancellationToken);
        }

        return current?.Processed ?? 0;
    }
}
