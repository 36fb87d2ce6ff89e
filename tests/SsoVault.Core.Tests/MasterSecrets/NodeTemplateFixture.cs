using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SsoVault.Core.Backup;
using SsoVault.Core.Nodes;
using SsoVault.Core.Tests.TestSupport;
using SsoVault.Storage.Sqlite;

namespace SsoVault.Core.Tests.MasterSecrets;

[CollectionDefinition(Name)]
public sealed class NodeTemplateCollection : ICollectionFixture<NodeTemplateFixture>
{
    public const string Name = "Initialized node template";
}

/// <summary>
/// One SSO system created once with <see cref="SystemSetup.InitializeAsync"/> (a backup write costs PBKDF2 time),
/// at a fixed fake time. Tests work on copies of its node folder, so that each may break its copy freely.
/// </summary>
public sealed class NodeTemplateFixture : IAsyncLifetime
{
    public const string NodeName = "node1";
    public const string Password = "correct horse";
    public const string Reminder = "the horse";

    /// <summary>When the template system and its first master secret were created.</summary>
    public static readonly DateTimeOffset CreatedUtc = new(2024, 1, 15, 9, 30, 0, TimeSpan.Zero);

    private readonly TempDirectory _dir = new();

    public NodeHome Home { get; private set; } = null!;

    public string BackupPath => _dir.Combine("first.ssobak");

    public InitResult Init { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Home = new NodeHome(_dir.Combine("home"));
        using var password = BackupPassword.From(Password);
        Init = await SystemSetup.InitializeAsync(Home, NodeName, null, BackupPath, Reminder, password,
            new SqliteDatabaseProvider(), new FakeTimeProvider(CreatedUtc), NullLogger.Instance, CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A copy of the template node in a new folder, pointed at its own copy of the database, opened.</summary>
    public async Task<TestNode> CloneAsync(TimeProvider clock)
    {
        var dir = new TempDirectory();
        try
        {
            var home = new NodeHome(dir.Combine("home"));
            CopyDirectory(Home.Root, home.Root);
            var settings = NodeSettings.Load(Home);
            new NodeSettings(settings.NodeName, home.DefaultDatabasePath, settings.SystemId).Save(home);
            var node = await SsoNode.OpenAsync(home, new SqliteDatabaseProvider(), clock, NullLogger.Instance, CancellationToken.None);
            return new TestNode(dir, node);
        }
        catch
        {
            dir.Dispose();
            throw;
        }
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(target, File.GetUnixFileMode(source));
        }

        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.GetDirectories(source))
        {
            CopyDirectory(directory, Path.Combine(target, Path.GetFileName(directory)));
        }
    }
}

/// <summary>An opened copy of the template node; disposing closes it and deletes its folder.</summary>
public sealed class TestNode(TempDirectory directory, SsoNode node) : IAsyncDisposable
{
    public SsoNode Node { get; } = node;

    public TempDirectory Directory { get; } = directory;

    public async ValueTask DisposeAsync()
    {
        await Node.DisposeAsync();
        Directory.Dispose();
    }
}
