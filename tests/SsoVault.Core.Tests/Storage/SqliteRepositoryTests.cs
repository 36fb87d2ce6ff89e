using SsoVault.Core.Storage;
using SsoVault.Core.Tests.TestSupport;
using SsoVault.Storage.Sqlite;

namespace SsoVault.Core.Tests.Storage;

/// <summary>The shared repository tests against a SQLite file in a temp folder.</summary>
public sealed class SqliteRepositoryTests() : SsoDatabaseRepositoryTests(new SqliteTestDatabaseSource());

/// <summary>SQLite databases as files in one temp folder.</summary>
public sealed class SqliteTestDatabaseSource : ITestDatabaseSource
{
    private readonly TempDirectory _directory = new();

    public ISsoDatabaseProvider Provider { get; } = new SqliteDatabaseProvider();

    public Task<string> NewLocationAsync(CancellationToken cancellationToken) =>
        Task.FromResult(_directory.Combine($"sso-{Guid.NewGuid():N}.sqlite"));

    public ValueTask DisposeAsync()
    {
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }
}
