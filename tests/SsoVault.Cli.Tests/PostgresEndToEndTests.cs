using Npgsql;
using SsoVault.Cli.Tests.Infrastructure;
using SsoVault.Core.Tests.TestSupport;

namespace SsoVault.Cli.Tests;

/// <summary>The real ssovault process on a real PostgreSQL server: create, store, rotate, lose and restore the secret.</summary>
public sealed class PostgresEndToEndTests : IAsyncLifetime
{
    private readonly TestWorkspace _ws = new();
    private string _location = "";

    public async Task InitializeAsync() => _location = await PostgresTestServer.CreateDatabaseAsync(CancellationToken.None);

    public async Task DisposeAsync()
    {
        if (_location.Length > 0)
        {
            await PostgresTestServer.DropDatabaseAsync(_location, CancellationToken.None);
        }

        _ws.Dispose();
    }

    [Fact]
    public async Task InitConfigGenerateRestore_OnPostgres_ValuesSurviveAndNoPasswordPrinted()
    {
        // Arrange: the database as a URL with its password, the way an operator types it.
        var builder = new NpgsqlConnectionStringBuilder(_location);
        var url = $"postgres://{Uri.EscapeDataString(builder.Username!)}:{Uri.EscapeDataString(builder.Password!)}" +
                  $"@{builder.Host}:{builder.Port}/{builder.Database}";

        // Act
        var init = await _ws.OkAsync("node1", "init", "--db", url, "--backup", _ws.PathOf("b0.bak"), "--password-file", _ws.PasswordFile,
            "--reminder", "test reminder", "--node-name", "node1");
        await _ws.OkAsync("node1", "config", "set", "MyApp", "ConfigProperties", "endpoint=https://erp.example.com", "user=svc-erp");
        await _ws.OkAsync("node1", "secret", "generate", "--backup", _ws.PathOf("b1.bak"), "--password-file", _ws.PasswordFile);
        var afterGenerate = await _ws.OkAsync("node1", "config", "get", "MyApp", "ConfigProperties");
        File.Delete(_ws.SecretStoreOf("node1"));
        var lost = await _ws.RunAsync("node1", "config", "get", "MyApp", "ConfigProperties");
        await _ws.OkAsync("node1", "secret", "restore", _ws.PathOf("b1.bak"), "--password-file", _ws.PasswordFile);
        var restored = await _ws.OkAsync("node1", "config", "get", "MyApp", "ConfigProperties");
        var show = await _ws.OkAsync("node1", "system", "show");

        // Assert: everything lives in PostgreSQL (no SQLite file), the values survive rotation and restore.
        Assert.Contains($"postgres://{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}", init.Stdout);
        Assert.Matches(@"schema version \d+", show.Stdout);
        Assert.False(File.Exists(_ws.DatabaseOf("node1")));
        Assert.Equal(2L, await PostgresTestServer.ScalarAsync(_location, "SELECT count(*) FROM config_values", CancellationToken.None));
        Assert.Equal(1L, await PostgresTestServer.ScalarAsync(_location,
            "SELECT count(*) FROM system_info WHERE current_msid IS NOT NULL AND previous_msid IS NOT NULL", CancellationToken.None));
        Assert.NotEqual(0, lost.ExitCode);
        foreach (var run in new[] { afterGenerate, restored })
        {
            Assert.Contains("endpoint = https://erp.example.com", run.Stdout);
            Assert.Contains("user = svc-erp", run.Stdout);
        }

        Assert.All(_ws.Runs, run => Assert.DoesNotContain(builder.Password!, run.Stdout + run.Stderr, StringComparison.Ordinal));
    }
}
