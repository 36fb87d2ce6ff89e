using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SsoVault.Core.Crypto;
using SsoVault.Core.Errors;
using SsoVault.Core.MasterSecrets;
using SsoVault.Core.Nodes;
using SsoVault.Core.Secrets;
using SsoVault.Core.Tests.TestSupport;
using SsoVault.Storage.Sqlite;

namespace SsoVault.Core.Tests.MasterSecrets;

/// <summary>What <see cref="SystemSetup.InitializeAsync"/> leaves behind.</summary>
[Collection(NodeTemplateCollection.Name)]
public sealed class SystemSetupTests(NodeTemplateFixture template)
{
    [Fact]
    public void InitializeAsync_NewSystem_WritesSettingsStoreAndBackup()
    {
        var home = template.Home;

        var settings = NodeSettings.Load(home);
        using var store = new LocalSecretStore(home.SecretsDirectory).Load();

        Assert.False(template.Init.Resumed);
        Assert.Equal(NodeTemplateFixture.NodeName, settings.NodeName);
        Assert.Equal(template.Init.SystemId, settings.SystemId);
        Assert.Equal(home.DefaultDatabasePath, settings.Database);
        Assert.NotNull(store);
        Assert.Equal(template.Init.SystemId, store.SystemId);
        Assert.Equal(template.Init.Msid, Assert.Single(store.Secrets).Msid);
        Assert.Equal(template.Init.KeyCheck, store.Secrets[0].KeyCheck.ToString());
        Assert.Equal(NodeTemplateFixture.CreatedUtc, store.Secrets[0].CreatedUtc);
        Assert.True(File.Exists(template.BackupPath));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(template.BackupPath));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(home.SecretsDirectory, LocalSecretStore.FileName)));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(home.SecretsDirectory));
        }

        Assert.Equal([LocalSecretStore.FileName], Directory.GetFiles(home.SecretsDirectory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task InitializeAsync_HomeAlreadyInitialized_AlreadyInitializedAndNothingChanged()
    {
        var settingsBefore = await File.ReadAllBytesAsync(template.Home.SettingsPath);
        using var dir = new TempDirectory();
        using var password = BackupPassword();

        var error = await Assert.ThrowsAsync<SsoException>(() => SystemSetup.InitializeAsync(template.Home, "node9", null,
            dir.Combine("other.ssobak"), "reminder", password, new SqliteDatabaseProvider(), TimeProvider.System,
            NullLogger.Instance, CancellationToken.None));

        Assert.Equal(SsoErrorCode.AlreadyInitialized, error.Code);
        Assert.False(File.Exists(dir.Combine("other.ssobak")));
        Assert.Equal(settingsBefore, await File.ReadAllBytesAsync(template.Home.SettingsPath));
    }

    private static SsoVault.Core.Backup.BackupPassword BackupPassword() => SsoVault.Core.Backup.BackupPassword.From(NodeTemplateFixture.Password);
}

[Collection(NodeTemplateCollection.Name)]
public sealed class KeyRingLoaderTests(NodeTemplateFixture template)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task LoadAsync_HealthyNode_UnwrapsTheDataKey()
    {
        await using var copy = await template.CloneAsync(TimeProvider.System);

        using var ring = await KeyRingLoader.LoadAsync(copy.Node, Ct);

        Assert.Equal([1u], ring.KeyIds);
        Assert.Equal(1u, ring.Current.Id);
    }

    [Fact]
    public async Task LoadAsync_SecretServerStoreDeleted_SecretUnavailableNamingRestore()
    {
        await using var copy = await template.CloneAsync(TimeProvider.System);
        File.Delete(copy.Node.SecretStore.FilePath);

        var error = await Assert.ThrowsAsync<SsoException>(() => KeyRingLoader.LoadAsync(copy.Node, Ct));

        Assert.Equal(SsoErrorCode.SecretUnavailable, error.Code);
        Assert.Contains("master secret server", error.Message, StringComparison.Ordinal);
        Assert.Contains(template.Init.Msid.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("ssovault secret restore", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_JoinedNodeWithoutStore_SecretUnavailableNamingTheSecretServer()
    {
        await using var copy = await template.CloneAsync(TimeProvider.System);
        using var dir = new TempDirectory();
        var home2 = new NodeHome(dir.Combine("node2"));
        await SystemSetup.JoinAsync(home2, "node2", copy.Node.Settings.Database, new SqliteDatabaseProvider(), TimeProvider.System,
            NullLogger.Instance, Ct);
        await using var node2 = await SsoNode.OpenAsync(home2, new SqliteDatabaseProvider(), TimeProvider.System, NullLogger.Instance, Ct);

        var error = await Assert.ThrowsAsync<SsoException>(() => KeyRingLoader.LoadAsync(node2, Ct));

        Assert.Equal(SsoErrorCode.SecretUnavailable, error.Code);
        Assert.Contains($"'{NodeTemplateFixture.NodeName}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("--secret-server node2", error.Hint, StringComparison.Ordinal);
        Assert.Contains("secret restore", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_StoreOfAnotherSystem_SecretUnavailable()
    {
        await using var copy = await template.CloneAsync(TimeProvider.System);
        using var stranger = MasterSecret.Generate(TimeProvider.System);
        var otherSystem = Guid.NewGuid();
        copy.Node.SecretStore.Save(otherSystem, [stranger]);

        var error = await Assert.ThrowsAsync<SsoException>(() => KeyRingLoader.LoadAsync(copy.Node, Ct));

        Assert.Equal(SsoErrorCode.SecretUnavailable, error.Code);
        Assert.Contains(otherSystem.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_StoreLacksTheWrappingSecret_SecretUnavailableNamingItsMsid()
    {
        await using var copy = await template.CloneAsync(TimeProvider.System);
        using var wrong = MasterSecret.Generate(TimeProvider.System);
        copy.Node.SecretStore.Save(template.Init.SystemId, [wrong]);

        var error = await Assert.ThrowsAsync<SsoException>(() => KeyRingLoader.LoadAsync(copy.Node, Ct));

        Assert.Equal(SsoErrorCode.SecretUnavailable, error.Code);
        Assert.Contains(template.Init.Msid.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains(template.Init.Msid.ToString(), error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_StoreHoldsExtraSecret_StillLoads()
    {
        await using var copy = await template.CloneAsync(TimeProvider.System);
        using (var contents = copy.Node.SecretStore.Load()!)
        {
            using var extra = MasterSecret.Generate(TimeProvider.System);
            copy.Node.SecretStore.Save(template.Init.SystemId, [extra, .. contents.Secrets]);
        }

        using var ring = await KeyRingLoader.LoadAsync(copy.Node, Ct);

        Assert.Single(ring.KeyIds);
    }

    [Fact]
    public async Task LoadAsync_StoreDamaged_SecretStoreDamaged()
    {
        await using var copy = await template.CloneAsync(TimeProvider.System);
        var bytes = await File.ReadAllBytesAsync(copy.Node.SecretStore.FilePath);
        bytes[40] ^= 0x10;
        await File.WriteAllBytesAsync(copy.Node.SecretStore.FilePath, bytes);

        var error = await Assert.ThrowsAsync<SsoException>(() => KeyRingLoader.LoadAsync(copy.Node, Ct));

        Assert.Equal(SsoErrorCode.SecretStoreDamaged, error.Code);
    }
}

[Collection(NodeTemplateCollection.Name)]
public sealed class SecretStatusReportTests(NodeTemplateFixture template)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task GetAsync_FreshSystemOnSecretServer_HealthyWithoutWarnings()
    {
        var clock = new FakeTimeProvider(NodeTemplateFixture.CreatedUtc.AddDays(10));
        await using var copy = await template.CloneAsync(clock);

        var status = await SecretStatusReport.GetAsync(copy.Node, Ct);

        Assert.Empty(status.Warnings);
        Assert.True(status.ThisNodeIsSecretServer);
        Assert.Equal(NodeTemplateFixture.NodeName, status.SecretServer);
        Assert.Equal(LocalSecretState.HoldsCurrent, status.LocalSecret);
        Assert.True(status.CurrentSecretBackedUp);
        Assert.Equal(template.Init.Msid, status.Current!.Msid);
        Assert.Equal(template.Init.KeyCheck, status.Current.KeyCheck);
        Assert.Equal(10, status.Current.AgeDays);
        Assert.Null(status.Previous);
        Assert.Equal(NodeTemplateFixture.CreatedUtc, status.LastBackupUtc);
    }

    [Fact]
    public async Task GetAsync_SecretExactly365DaysOld_NoAgeWarning()
    {
        var clock = new FakeTimeProvider(NodeTemplateFixture.CreatedUtc.AddDays(365));
        await using var copy = await template.CloneAsync(clock);

        var status = await SecretStatusReport.GetAsync(copy.Node, Ct);

        Assert.Equal(365, status.Current!.AgeDays);
        Assert.Empty(status.Warnings);
    }

    [Fact]
    public async Task GetAsync_SecretOlderThan365Days_WarnsToGenerate()
    {
        var clock = new FakeTimeProvider(NodeTemplateFixture.CreatedUtc);
        await using var copy = await template.CloneAsync(clock);
        clock.Advance(TimeSpan.FromDays(400));

        var status = await SecretStatusReport.GetAsync(copy.Node, Ct);

        var warning = Assert.Single(status.Warnings);
        Assert.Contains("400 days old", warning, StringComparison.Ordinal);
        Assert.Contains("ssovault secret generate", warning, StringComparison.Ordinal);
        Assert.Equal(400, status.Current!.AgeDays);
    }

    [Fact]
    public async Task GetAsync_SecretServerStoreMissing_WarnsToRestore()
    {
        var clock = new FakeTimeProvider(NodeTemplateFixture.CreatedUtc.AddDays(1));
        await using var copy = await template.CloneAsync(clock);
        File.Delete(copy.Node.SecretStore.FilePath);

        var status = await SecretStatusReport.GetAsync(copy.Node, Ct);

        Assert.Equal(LocalSecretState.Missing, status.LocalSecret);
        var warning = Assert.Single(status.Warnings);
        Assert.Contains("master secret server", warning, StringComparison.Ordinal);
        Assert.Contains("missing", warning, StringComparison.Ordinal);
        Assert.Contains("ssovault secret restore", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_SecretServerStoreDamaged_ReportsDamagedAndWarns()
    {
        var clock = new FakeTimeProvider(NodeTemplateFixture.CreatedUtc.AddDays(1));
        await using var copy = await template.CloneAsync(clock);
        var bytes = await File.ReadAllBytesAsync(copy.Node.SecretStore.FilePath);
        bytes[^1] ^= 0x01;
        await File.WriteAllBytesAsync(copy.Node.SecretStore.FilePath, bytes);

        var status = await SecretStatusReport.GetAsync(copy.Node, Ct);

        Assert.Equal(LocalSecretState.Damaged, status.LocalSecret);
        Assert.Contains("damaged", Assert.Single(status.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_StoreOfAnotherSystem_ReportsStale()
    {
        var clock = new FakeTimeProvider(NodeTemplateFixture.CreatedUtc.AddDays(1));
        await using var copy = await template.CloneAsync(clock);
        using var stranger = MasterSecret.Generate(clock);
        copy.Node.SecretStore.Save(Guid.NewGuid(), [stranger]);

        var status = await SecretStatusReport.GetAsync(copy.Node, Ct);

        Assert.Equal(LocalSecretState.Stale, status.LocalSecret);
        Assert.Contains("stale", Assert.Single(status.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_JoinedNodeWithoutStore_NoSecretServerWarning()
    {
        var clock = new FakeTimeProvider(NodeTemplateFixture.CreatedUtc.AddDays(1));
        await using var copy = await template.CloneAsync(clock);
        using var dir = new TempDirectory();
        var home2 = new NodeHome(dir.Combine("node2"));
        await SystemSetup.JoinAsync(home2, "node2", copy.Node.Settings.Database, new SqliteDatabaseProvider(), clock,
            NullLogger.Instance, Ct);
        await using var node2 = await SsoNode.OpenAsync(home2, new SqliteDatabaseProvider(), clock, NullLogger.Instance, Ct);

        var status = await SecretStatusReport.GetAsync(node2, Ct);

        Assert.False(status.ThisNodeIsSecretServer);
        Assert.Equal("node2", status.ThisNode);
        Assert.Equal(LocalSecretState.Missing, status.LocalSecret);
        Assert.Empty(status.Warnings);
    }
}
