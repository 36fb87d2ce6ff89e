using SsoVault.Bench.Measurement;
using SsoVault.Bench.Report;

namespace SsoVault.Bench.Tests;

public sealed class ReportWriterTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ssovault-bench-tests", Guid.NewGuid().ToString("N"));

    public ReportWriterTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Write_ExistingAnalysis_ReplacesOnlyTheGeneratedSection()
    {
        var path = Path.Combine(_folder, "benchmarks.md");
        var results = new BenchResults();
        results.Rows.Add(BenchRow.Measured("w", "ops/s", new Stats(2, 1, 3, 3), "limit", new Stats(4, 3, 5, 3), Goal.Min(0.6)));
        var machine = MachineInfo.Describe(DateTimeOffset.UnixEpoch);
        ReportWriter.Write(path, ReportWriter.Generated(results, machine, "cmd", TimeSpan.FromSeconds(1)));
        File.AppendAllText(path, "\n## Analysis\nkept\n");

        ReportWriter.Write(path, ReportWriter.Generated(results, machine, "second", TimeSpan.FromSeconds(1)));

        var text = File.ReadAllText(path);
        Assert.Contains("## Analysis\nkept", text, StringComparison.Ordinal);
        Assert.Contains("`second`", text, StringComparison.Ordinal);
        Assert.DoesNotContain("`cmd`", text, StringComparison.Ordinal);
        Assert.Contains("| 0.50 | ≥ 0.6 | **no** |", text, StringComparison.Ordinal);
    }
}
