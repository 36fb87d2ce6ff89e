using System.Net.Sockets;
using Npgsql;
using SsoVault.Core.Errors;

namespace SsoVault.Storage.Postgres;

/// <summary>
/// Turns Npgsql's failures to connect into the product's errors, in one place. Messages name the database by its
/// display form (never the password); Npgsql's own messages carry no password either.
/// </summary>
internal static class PostgresErrors
{
    /// <summary>invalid_catalog_name: the database does not exist.</summary>
    public const string DatabaseMissing = "3D000";
    /// <summary>lock_not_available: a lock wait ran past lock_timeout.</summary>
    public const string LockTimeout = "55P03";

    public static SsoException Unavailable(string display, Exception error) => error switch
    {
        PostgresException { SqlState: "28P01" or "28000" } e => new SsoException(SsoErrorCode.DatabaseUnavailable,
            $"The SSO database {display} refused the credentials: {e.MessageText}",
            "Check the user name and password in --db or the node's settings (node.json).", error),
        PostgresException { SqlState: DatabaseMissing } e => new SsoException(SsoErrorCode.DatabaseUnavailable,
            $"The SSO database {display} does not exist: {e.MessageText}",
            "Check the database name, or create a new SSO system there with: ssovault init --db LOCATION --backup FILE", error),
        PostgresException { SqlState: LockTimeout } => new SsoException(SsoErrorCode.DatabaseUnavailable,
            $"The SSO database {display} is busy: another node held the write lock too long.",
            "Try again; if it persists, look for a stuck session in pg_stat_activity.", error),
        PostgresException e => new SsoException(SsoErrorCode.DatabaseUnavailable,
            $"The SSO database {display} cannot be used: {e.SqlState}: {e.MessageText}",
            "Check the server's log and that this user may use the database.", error),
        _ when IsUnreachable(error) => new SsoException(SsoErrorCode.DatabaseUnavailable,
            $"The SSO database server of {display} cannot be reached: {error.Message}",
            "Check that PostgreSQL runs and listens on that host and port, and that no firewall is in the way.", error),
        _ => new SsoException(SsoErrorCode.DatabaseUnavailable,
            $"The SSO database {display} cannot be opened: {error.Message}",
            "Check --db or the node's settings (node.json).", error),
    };

    private static bool IsUnreachable(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is SocketException or TimeoutException or IOException)
            {
                return true;
            }
        }

        return false;
    }
}
