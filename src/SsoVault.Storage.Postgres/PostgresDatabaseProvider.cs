using SsoVault.Core.Storage;

namespace SsoVault.Storage.Postgres;

/// <summary>Opens SSO databases on a PostgreSQL server (<c>postgres://...</c> URLs or <c>Host=...</c> connection strings).</summary>
public sealed class PostgresDatabaseProvider : ISsoDatabaseProvider
{
    public async Task<ISsoDatabase> OpenAsync(string location, bool create, CancellationToken cancellationToken) =>
        await PostgresSsoDatabase.OpenAsync(Normalize(location), create, cancellationToken);

    /// <summary>Kept as given (it is how the node reconnects), after checking that it parses.</summary>
    public string Normalize(string location)
    {
        PostgresLocation.Parse(location);
        return location.Trim();
    }
}
