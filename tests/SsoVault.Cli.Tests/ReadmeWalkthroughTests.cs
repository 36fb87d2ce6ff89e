using SsoVault.Cli.Tests.Infrastructure;

namespace SsoVault.Cli.Tests;

/// <summary>The README's first command and its walkthrough of the four procedures, run exactly as written.</summary>
public sealed class ReadmeWalkthroughTests : IDisposable
{
    private readonly ReadmeScript _script = new();

    public void Dispose() => _script.Dispose();

    [Fact]
    public async Task Readme_UpThenWalkthrough_RunsAsWritten()
    {
        var blocks = await ReadmeScript.BlocksAsync("walkthrough");
        Assert.True(blocks.Count >= 5, "the walkthrough should have a block per procedure");
        var readme = await File.ReadAllTextAsync(Path.Combine(ReadmeScript.RepositoryRoot(), "README.md"));
        Assert.Contains("./ssovault up", readme, StringComparison.Ordinal);
        Assert.Contains("./run-tests", readme, StringComparison.Ordinal);

        var (exitCode, output) = await _script.RunAsync(string.Join("\n", blocks), TimeSpan.FromMinutes(5));

        Assert.True(exitCode == 0, output);
        Assert.Contains("Created SSO system", output, StringComparison.Ordinal);
        Assert.Contains("password = erp-Pa55word", output, StringComparison.Ordinal);
        Assert.Contains("password = (masked; use --runtime)", output, StringComparison.Ordinal);
        Assert.Contains("The operation completed successfully", output, StringComparison.Ordinal);
        Assert.Contains("The master secret server is now 'node2'", output, StringComparison.Ordinal);
        Assert.Contains("refused, as expected", output, StringComparison.Ordinal);
        Assert.Contains("runs only on the master secret server, which is node 'node2'", output, StringComparison.Ordinal);
    }
}
