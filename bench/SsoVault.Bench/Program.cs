using System.Diagnostics;
using SsoVault.Bench;
using SsoVault.Bench.Measurement;
using SsoVault.Bench.Report;

// ssovault-bench [--quick] [--out docs/benchmarks.md]
//   --quick  the same workloads on small data with few repetitions, for development on a shared machine
//   --out    refresh the generated section of this Markdown file (the rest of the file is kept)
string? output = null;
var settings = RunSettings.Full;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--quick":
            settings = RunSettings.Quick;
            break;
        case "--out" when i + 1 < args.Length:
            output = args[++i];
            break;
        default:
            Console.Error.WriteLine($"ssovault-bench: unknown argument '{args[i]}'. Usage: ssovault-bench [--quick] [--out FILE]");
            return 2;
    }
}

var command = Environment.GetEnvironmentVariable("SSOVAULT_BENCH_COMMAND") ?? "ssovault-bench " + string.Join(' ', args);
var machine = MachineInfo.Describe(DateTimeOffset.UtcNow);
using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(30));
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

var watch = Stopwatch.StartNew();
var results = await BenchRunner.RunAsync(settings, step => Console.Error.WriteLine($"[{watch.Elapsed:mm\\:ss}] {step}"), cancel.Token);
var generated = ReportWriter.Generated(results, machine, command, watch.Elapsed);
Console.WriteLine(generated);
if (output is not null)
{
    ReportWriter.Write(output, generated);
    Console.Error.WriteLine($"Wrote {Path.GetFullPath(output)}");
}

return 0;
