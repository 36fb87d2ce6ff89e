using System.Diagnostics;

namespace SsoVault.Bench.Measurement;

/// <summary>
/// Hand-written timing loops. Measurements that are compared are interleaved repetition by repetition (ours, then
/// the limit, then ours again...), so a burst of load from another process on this shared machine hits both sides
/// rather than one.
/// </summary>
internal static class Sampler
{
    /// <summary>One sample of a measurement: ops/s for throughput, seconds for a duration.</summary>
    public delegate Task<double> Sample();

    /// <summary>Runs the warm-ups, then the timed repetitions of every measurement in turn; one <see cref="Stats"/> per measurement.</summary>
    public static async Task<Stats[]> InterleavedAsync(RunSettings settings, CancellationToken cancellationToken, params Sample[] measurements)
    {
        for (var i = 0; i < settings.Warmups; i++)
        {
            foreach (var measure in measurements)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await measure();
            }
        }

        var samples = measurements.Select(_ => new List<double>(settings.Repetitions)).ToArray();
        for (var i = 0; i < settings.Repetitions; i++)
        {
            for (var m = 0; m < measurements.Length; m++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                samples[m].Add(await measurements[m]());
            }
        }

        return samples.Select(Stats.Of).ToArray();
    }

    /// <summary>
    /// A throughput sample of a synchronous loop: <paramref name="batch"/>(n) runs n operations; batches repeat until
    /// the repetition's time or operation budget is spent.
    /// </summary>
    public static Sample Throughput(RunSettings settings, int batchSize, Action<int> batch) => () =>
    {
        long operations = 0;
        var watch = Stopwatch.StartNew();
        do
        {
            batch(batchSize);
            operations += batchSize;
        }
        while (watch.Elapsed < settings.TimePerRepetition && operations < settings.MaxOperationsPerRepetition);

        return Task.FromResult(operations / watch.Elapsed.TotalSeconds);
    };

    /// <summary>The same for an asynchronous operation, run one at a time (one logical thread).</summary>
    public static Sample ThroughputAsync(RunSettings settings, Func<Task> operation) => async () =>
    {
        long operations = 0;
        var watch = Stopwatch.StartNew();
        do
        {
            await operation();
            operations++;
        }
        while (watch.Elapsed < settings.TimePerRepetition && operations < settings.MaxOperationsPerRepetition);

        return operations / watch.Elapsed.TotalSeconds;
    };

    /// <summary>
    /// The batched form of <see cref="ThroughputAsync(RunSettings, Func{Task})"/>: <paramref name="batch"/>(n) awaits n
    /// operations in its own loop, so an operation of ~0.2 µs is timed with the same loop overhead as a
    /// <see cref="Throughput"/> limit beside it (one clock read and one delegate call per batch, not per operation).
    /// </summary>
    public static Sample ThroughputAsync(RunSettings settings, int batchSize, Func<int, Task> batch) => async () =>
    {
        long operations = 0;
        var watch = Stopwatch.StartNew();
        do
        {
            await batch(batchSize);
            operations += batchSize;
        }
        while (watch.Elapsed < settings.TimePerRepetition && operations < settings.MaxOperationsPerRepetition);

        return operations / watch.Elapsed.TotalSeconds;
    };

    /// <summary>A duration sample (seconds) of one run of <paramref name="operation"/>.</summary>
    public static Sample Duration(Func<Task> operation) => async () =>
    {
        var watch = Stopwatch.StartNew();
        await operation();
        return watch.Elapsed.TotalSeconds;
    };

    private static long _sink;

    /// <summary>Keeps results alive so the JIT cannot drop the work that produced them.</summary>
    public static void Consume(int value) => _sink += value;

    public static long Consumed => _sink;
}
