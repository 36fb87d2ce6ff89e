using SsoVault.Core.Storage;
using SsoVault.Core.Tests.TestSupport;
using SsoVault.Storage.Postgres;

namespace SsoVault.Core.Tests.Storage;

/// <summary>The shared repository tests against a fresh PostgreSQL database per test.</summary>
public sealed class PostgresRepositoryTests() : SsoDatabaseRepositoryTests(new PostgresTestDatabaseSource())
{
    protected override bool BumpsOncePerTransaction => true;
}

/// <summary>PostgreSQL databases <c>ssovault_test_GUID</c> on the test server, dropped at the end.</summary>
public sealed class PostgresTestDatabaseSource : ITestDatabaseSource
{
    private readonly List<string> _created = [];

    public ISsoDatabaseProvider Provider { get; } = new PostgresDatabaseProvider();

    public async Task<string> NewLocationAsync(CancellationToken cancellationToken)
    {
        var location = await PostgresTestServer.CreateDatabaseAsync(cancellationToken);
        _created.Add(location);
        return location;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var location in _created)
        {
            await PostgresTestServer.DropDatabaseAsync(location, CancellationToken.None);
        }
    }
}
