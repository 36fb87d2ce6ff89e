using SsoVault.Core.Errors;
using SsoVault.Core.Storage;

namespace SsoVault.Storage.Sqlite;

/// <summary>Opens SSO databases that are SQLite files (the embedded default).</summary>
public sealed class SqliteDatabaseProvider : ISsoDatabaseProvider
{
    public async Task<ISsoDatabase> OpenAsync(string location, bool create, CancellationToken cancellationToken) =>
        await SqliteSsoDatabase.OpenAsync(Normalize(location), create, cancellationToken);

    public string Normalize(string location)
    {
        if (location.Contains("://", StringComparison.Ordinal) || location.StartsWith("Host=", StringComparison.OrdinalIgnoreCase))
        {
            throw new SsoException(SsoErrorCode.InvalidInput,
                $"'{Redact(location)}' is not a SQLite file path; this build supports only SQLite databases.",
                "Give the path of a SQLite file, for example --db /var/lib/ssovault/ssodb.sqlite");
        }

        return Path.GetFullPath(location);
    }

    private static string Redact(string location)
    {
        var at = location.LastIndexOf('@');
        return at < 0 ? location : "…" + location[at..];
    }
}
