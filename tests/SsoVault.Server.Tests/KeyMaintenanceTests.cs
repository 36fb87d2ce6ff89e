using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SsoVault.Core.Backup;
using SsoVault.Core.ConfigStore;
using SsoVault.Core.Identity;
using SsoVault.Core.MasterSecrets;
using SsoVault.Core.Nodes;
using SsoVault.Server.Hosting;
using SsoVault.Server.Tests.Infrastructure;
using SsoVault.Storage.Sqlite;

namespace SsoVault.Server.Tests;

/// <summary>The server's background key maintenance: it resumes unfinished re-encryption and rotates old data keys.</summary>
public sealed class KeyMaintenanceTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "ssovault-maintenance-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private NodeHome _home = null!;

    public async Task InitializeAsync()
    {
        _home = new NodeHome(Path.Combine(_root, "node1"));
        using var password = BackupPassword.From("correct horse battery");
        await SystemSetup.InitializeAsync(_home, "node1", null, Path.Combine(_root, "first.bak"), "", password, new SqliteDatabaseProvider(), _clock,
            NullLogger.Instance, Ct);
        await using var node = await OpenAsync();
        for (var i = 0; i < 5; i++)
        {
            await ConfigStoreService.SetAsync(node, Caller.LocalOperator, "App", $"rec{i}",
                Enumerable.Range(0, 100).Select(p => KeyValuePair.Create($"p{p}", $"value {i}/{p}")).ToList(), [], Ct);
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task RunOnce_UnfinishedJob_MovesEveryValue()
    {
        await using (var node = await OpenAsync())
        {
            await DataKeyRotation.RotateAsync(node, Caller.LocalOperator, Ct);
        }

        await using var shared = new SharedNode(_home, new SqliteDatabaseProvider(), _clock, NullLogger.Instance);
        await Service(shared).RunOnceAsync(Ct);

        var status = await SecretStatusReport.GetAsync(await shared.GetAsync(Ct), Ct);
        Assert.True(status.Reencryption!.Finished);
        Assert.Equal(500, status.DataKeys.Single(k => k.Id == 2).Values);
        Assert.Equal(0, status.DataKeys.Single(k => k.Id == 1).Values);
        var record = await ConfigStoreService.GetAsync(await shared.GetAsync(Ct), Caller.LocalOperator, "App", "rec3", runtime: true, Ct);
        Assert.Equal("value 3/42", record.Properties.Single(p => p.Name == "p42").Value);
    }

    [Fact]
    public async Task RunOnce_DataKeyOlderThanPolicy_RotatesAndReencrypts()
    {
        _clock.Advance(TimeSpan.FromDays(91));
        await using var shared = new SharedNode(_home, new SqliteDatabaseProvider(), _clock, NullLogger.Instance);

        await Service(shared).RunOnceAsync(Ct);

        var status = await SecretStatusReport.GetAsync(await shared.GetAsync(Ct), Ct);
        var active = Assert.Single(status.DataKeys, k => k.State == Core.Storage.DataKeyState.Active);
        Assert.Equal(2u, active.Id);
        Assert.Equal(500, active.Values);
    }

    [Fact]
    public async Task RunOnce_YoungKeyAndNoJob_ChangesNothing()
    {
        await using var shared = new SharedNode(_home, new SqliteDatabaseProvider(), _clock, NullLogger.Instance);

        await Service(shared).RunOnceAsync(Ct);

        var status = await SecretStatusReport.GetAsync(await shared.GetAsync(Ct), Ct);
        Assert.Single(status.DataKeys);
        Assert.Null(status.Reencryption);
    }

    private KeyMaintenanceService Service(SharedNode shared) =>
        new(shared, new KeyMaintenanceOptions { Reencryption = new ReencryptionOptions(BatchSize: 64, RestFactor: 0) }, _clock,
            NullLogger<KeyMaintenanceService>.Instance);

    private Task<SsoNode> OpenAsync() => SsoNode.OpenAsync(_home, new SqliteDatabaseProvider(), _clock, NullLogger.Instance, Ct);
}

[Collection(ServerCollection.Name)]
public sealed class MetricsTests(ServerFixture server)
{
    [Fact]
    public async Task Metrics_WithoutApiKey_PrometheusTextWithKeyRingGauges()
    {
        var response = await server.Anonymous.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
        Assert.Contains("ssovault_data_key_values{key=\"1\",state=\"active\"}", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE ssovault_master_secret_age_days gauge", text, StringComparison.Ordinal);
        Assert.Contains("ssovault_credential_cache_entries", text, StringComparison.Ordinal);
    }
}
