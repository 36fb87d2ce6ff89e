using System.Diagnostics;

namespace SsoVault.Core.Storage;

/// <summary>
/// How a node answers from its caches without reading the change epochs on every request, and still never serves an
/// answer older than a write that has returned (docs/architecture.md, decision 41).
/// </summary>
/// <remarks>
/// <para>
/// A node may trust change epochs it read for <see cref="Duration"/>, counted from the moment it <em>started</em> the
/// read. Every write that can change a lookup's answer returns to its caller only <see cref="Duration"/> after its
/// commit. So when a write has returned, every epoch read that missed it started before the commit and has expired:
/// a lookup that starts after the write returned, on any node, reads the epochs again and sees the change.
/// </para>
/// <para>
/// Both sides measure elapsed time on their own monotonic clock (<see cref="Stopwatch"/>), never the wall clock, so
/// nodes need no synchronized clocks, only clocks that run at the same rate over two milliseconds. It is deliberately
/// not the node's <see cref="TimeProvider"/>: a test's fake clock would stop leases expiring while writers on real
/// time had already returned. All nodes of a system must use the same <see cref="Duration"/>.
/// </para>
/// </remarks>
public static class ChangeEpochLease
{
    /// <summary>
    /// Short enough that a write's extra latency is lost in its commit's fsync, long enough that a busy node re-reads
    /// the epochs a few hundred times a second rather than on each of its tens of thousands of lookups.
    /// </summary>
    public static readonly TimeSpan Duration = TimeSpan.FromMilliseconds(2);

    private static readonly long DurationTicks = (long)(Duration.TotalSeconds * Stopwatch.Frequency);

    /// <summary>A monotonic timestamp: take it before a read whose result is to be trusted for the lease.</summary>
    public static long Now() => Stopwatch.GetTimestamp();

    /// <summary>True while epochs whose read started at <paramref name="readStarted"/> may still be trusted.</summary>
    public static bool IsValid(long readStarted) => Stopwatch.GetTimestamp() - readStarted < DurationTicks;

    /// <summary>
    /// Returns once every lease that could have missed a commit finished at <paramref name="committed"/> has run out. Not
    /// cancellable: the write is already durable, and its caller must not hear of it before readers can see it.
    /// </summary>
    public static async Task WaitOutAsync(long committed)
    {
        while (Stopwatch.GetElapsedTime(committed) is var elapsed && elapsed < Duration)
        {
            // Timers may fire early by up to their resolution, hence the loop.
            await Task.Delay(Duration - elapsed + TimeSpan.FromMilliseconds(0.5), CancellationToken.None);
        }
    }
}
