using System.Diagnostics;
using SsoVault.Core.MasterSecrets;

namespace SsoVault.Cli.Infrastructure;

/// <summary>A progress bar on stderr for the re-encryption job: done/total, rate and time left, redrawn in place.</summary>
internal sealed class ReencryptionProgressPrinter : IProgress<ReencryptionProgress>
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private long _firstProcessed = -1;
    private TimeSpan _lastDraw;

    public void Report(ReencryptionProgress value)
    {
        if (_firstProcessed < 0)
        {
            _firstProcessed = value.Processed;
        }

        if (!value.Finished && _watch.Elapsed - _lastDraw < TimeSpan.FromMilliseconds(200))
        {
            return;
        }

        _lastDraw = _watch.Elapsed;
        Console.Error.Write("\r" + Line(value, value.Processed - _firstProcessed, _watch.Elapsed) + "   ");
        if (value.Finished)
        {
            Console.Error.WriteLine();
        }
    }

    /// <summary>One line: a bar, counts, rate and time left.</summary>
    public static string Line(ReencryptionProgress value, long movedSinceStart, TimeSpan elapsed)
    {
        var total = value.Processed + value.Remaining;
        var fraction = total == 0 ? 1.0 : (double)value.Processed / total;
        var bar = new string('#', (int)(fraction * 30)).PadRight(30, '.');
        var rate = elapsed.TotalSeconds > 0 ? movedSinceStart / elapsed.TotalSeconds : 0;
        var left = rate > 0 && value.Remaining > 0 ? $", {TimeSpan.FromSeconds(value.Remaining / rate).ToString(@"hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture)} left" : "";
        var state = value.Finished ? "done" : $"{rate:N0} values/s{left}";
        return $"re-encrypting to data key {value.TargetKeyId} [{bar}] {value.Processed:N0}/{total:N0} ({fraction:P0}) {state}" +
               (value.Skipped > 0 ? $", {value.Skipped:N0} undecryptable" : "");
    }
}
