namespace SsoVault.Core.Storage;

/// <summary>Opens SSO databases by location (a SQLite file path now; a PostgreSQL URL once that provider exists).</summary>
public interface ISsoDatabaseProvider
{
    /// <param name="create">Create the database when it does not exist (init only).</param>
    Task<ISsoDatabase> OpenAsync(string location, bool create, CancellationToken cancellationToken);

    /// <summary>The location to record in node settings: absolute for files, as given otherwise.</summary>
    string Normalize(string location);
}
