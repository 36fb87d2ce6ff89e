using System.Collections.Concurrent;

namespace SsoVault.Core.Storage;

/// <summary>
/// A node's view of the committed change epochs, read from the database at most once per <see cref="ChangeEpochLease"/>
/// per application (and for the system's epoch) instead of once per request: what the node's caches validate against.
/// A busy server's cache hit becomes a dictionary read, and the lease keeps it exactly as fresh as a read per request
/// for every write that has returned.
/// </summary>
public sealed class LeasedChangeEpochs(ISsoDatabase database)
{
    /// <summary>More applications than this and the view starts over: a bound against lookups of made-up names.</summary>
    private const int MaxApplications = 10_000;

    private readonly ConcurrentDictionary<string, Reading<ChangeEpochs?>> _applications = new(StringComparer.OrdinalIgnoreCase);
    private Reading<long>? _system;

    /// <summary>An application's change epochs (null: no such application), read again when the lease has run out.</summary>
    public ValueTask<ChangeEpochs?> ForApplicationAsync(string application, CancellationToken cancellationToken) =>
        TryGetLeased(application, out var epochs)
            ? ValueTask.FromResult(epochs)
            : new ValueTask<ChangeEpochs?>(ReadApplicationAsync(application, cancellationToken));

    /// <summary>An application's change epochs if a reading of them is still within its lease (no database read).</summary>
    public bool TryGetLeased(string application, out ChangeEpochs? epochs)
    {
        var leased = _applications.TryGetValue(application, out var reading) && ChangeEpochLease.IsValid(reading.Started);
        epochs = leased ? reading!.Value : null;
        return leased;
    }

    /// <summary>The system's change epoch, read again when the lease has run out.</summary>
    public ValueTask<long> ForSystemAsync(CancellationToken cancellationToken) =>
        Volatile.Read(ref _system) is { } reading && ChangeEpochLease.IsValid(reading.Started)
            ? ValueTask.FromResult(reading.Value)
            : new ValueTask<long>(ReadSystemAsync(cancellationToken));

    /// <summary>
    /// Records epochs someone read anyway (a cache miss reads them in its own transaction), so the view moves on
    /// without a read of its own. <paramref name="started"/> is <see cref="ChangeEpochLease.Now"/> taken before that read.
    /// </summary>
    public void Observe(string application, ChangeEpochs? epochs, long started)
    {
        var reading = new Reading<ChangeEpochs?>(epochs, started);
        if (_applications.Count >= MaxApplications)
        {
            _applications.Clear();
        }

        // The newest read wins: a slow read that started earlier must not replace a newer one (it may be older).
        _applications.AddOrUpdate(application, reading, (_, current) => current.Started >= started ? current : reading);
        if (epochs is { } read)
        {
            ObserveSystem(read.System, started);
        }
    }

    /// <inheritdoc cref="Observe"/>
    public void ObserveSystem(long epoch, long started)
    {
        var reading = new Reading<long>(epoch, started);
        var current = Volatile.Read(ref _system);
        // The newest read wins, as for applications: swap only over an older reading, and look again if another won the race.
        while (current is null || current.Started < started)
        {
            var seen = Interlocked.CompareExchange(ref _system, reading, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private async Task<ChangeEpochs?> ReadApplicationAsync(string application, CancellationToken cancellationToken)
    {
        var started = ChangeEpochLease.Now();
        var epochs = await database.ReadChangeEpochsAsync(application, cancellationToken);
        Observe(application, epochs, started);
        return epochs;
    }

    private async Task<long> ReadSystemAsync(CancellationToken cancellationToken)
    {
        var started = ChangeEpochLease.Now();
        var epoch = await database.ReadSystemChangeEpochAsync(cancellationToken);
        ObserveSystem(epoch, started);
        return epoch;
    }

    private sealed record Reading<T>(T Value, long Started);
}
