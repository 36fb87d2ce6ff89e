using System.Diagnostics;
using SsoVault.Bench;
using SsoVault.Bench.Http;
using SsoVault.Bench.Measurement;
using SsoVault.Bench.Report;

// ssovault-bench [--quick] [--only WORKLOAD] [--out docs/benchmarks.md]
//   WORKLOAD: crypto|config-read|generate|lookup|reencrypt|lookup-during-reencrypt|https-lookup|server-process
//   --quick  the same workloads on small data with few repetitions, for development on a shared machine
//   --only   one workload, e.g. under dotnet-trace (never with --out: a published table has every row)
//   --memory-mappings N  the server-process rows on N mappings (2 values each) instead of the run's size
//   --out    refresh the generated section of this Markdown file (the rest of the file is kept)
// ssovault-bench --minimal-server PORT [ANSWERS]
//   the minimal ASP.NET Core app the server-process rows start as their own process (127.0.0.1:PORT, plain HTTP)
if (args.Length >= 2 && args[0] == "--minimal-server")
{
    return await BareServer.RunProcessAsync(args[1..]);
}

string? output = null;
string? only = null;
var settings = RunSettings.Full;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--quick":
            settings = RunSettings.Quick;
            break;
        case "--only" when i + 1 < args.Length && BenchRunner.WorkloadNames.Contains(args[i + 1]):
            only = args[++i];
            break;
        case "--memory-mappings" when i + 1 < args.Length && int.TryParse(args[i + 1], out var mappings) && mappings > 0:
            // The peak-memory row at another size (e.g. the 1,000,000 values with --quick), for its scaling.
            settings = settings with { MemoryMappings = mappings };
            i++;
            break;
        case "--out" when i + 1 < args.Length:
            output = args[++i];
            break;
        default:
            Console.Error.WriteLine($"ssovault-bench: unknown argument '{args[i]}'. Usage: ssovault-bench [--quick] [--only {string.Join('|', BenchRunner.WorkloadNames)}] [--memory-mappings N] [--out FILE]");
            return 2;
    }
}

if (only is not null && output is not null)
{
    Console.Error.WriteLine("ssovault-bench: --only and --out do not go together: the published table has every row.");
    return 2;
}

var command = Environment.GetEnvironmentVariable("SSOVAULT_BENCH_COMMAND") ?? "ssovault-bench " + string.Join(' ', args);
var machine = MachineInfo.Describe(DateTimeOffset.UtcNow);
using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(30));
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

var watch = Stopwatch.StartNew();
var results = await BenchRunner.RunAsync(settings, step => Console.Error.WriteLine($"[{watch.Elapsed:mm\\:ss}] {step}"), cancel.Token, only);
var generated = ReportWriter.Generated(results, machine, command, watch.Elapsed);
Console.WriteLine(generated);
if (output is not null)
{
    ReportWriter.Write(output, generated);
    Console.Error.WriteLine($"Wrote {Path.GetFullPath(output)}");
}

return 0;
