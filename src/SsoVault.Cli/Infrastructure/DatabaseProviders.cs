using SsoVault.Core.Storage;
using SsoVault.Storage.Postgres;
using SsoVault.Storage.Sqlite;

namespace SsoVault.Cli.Infrastructure;

/// <summary>
/// Every storage engine behind one provider, chosen by the location's form: <c>postgres://</c>, <c>postgresql://</c> or
/// <c>Host=...</c> is a PostgreSQL server; anything else is a SQLite file. The CLI and the server it hosts (serve) both use
/// it, so a node's settings can name either engine.
/// </summary>
internal sealed class DatabaseProviders : ISsoDatabaseProvider
{
    private readonly SqliteDatabaseProvider _sqlite = new();
    private readonly PostgresDatabaseProvider _postgres = new();

    public Task<ISsoDatabase> OpenAsync(string location, bool create, CancellationToken cancellationToken) =>
        For(location).OpenAsync(location, create, cancellationToken);

    public string Normalize(string location) => For(location).Normalize(location);

    /// <summary>A location as it may be shown or printed: a PostgreSQL location without its password.</summary>
    public static string Display(string location) =>
        PostgresLocation.IsPostgres(location) ? PostgresLocation.Display(location) : location;

    private ISsoDatabaseProvider For(string location) => PostgresLocation.IsPostgres(location) ? _postgres : _sqlite;
}
