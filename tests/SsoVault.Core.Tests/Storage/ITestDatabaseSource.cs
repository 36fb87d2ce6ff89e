using SsoVault.Core.Storage;

namespace SsoVault.Core.Tests.Storage;

/// <summary>
/// Where one provider's repository tests get their databases. Each call of <see cref="NewLocationAsync"/> gives a
/// location nothing else uses (a file in a temp folder for SQLite; a fresh database for PostgreSQL), which
/// <see cref="ISsoDatabaseProvider.OpenAsync"/> can create. Disposing removes everything the source created.
/// </summary>
public interface ITestDatabaseSource : IAsyncDisposable
{
    ISsoDatabaseProvider Provider { get; }

    Task<string> NewLocationAsync(CancellationToken cancellationToken);
}
