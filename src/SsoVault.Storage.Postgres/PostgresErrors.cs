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

    /// <summary>What an operator does about a database that cannot be reached; the server needs no restart.</summary>
    private const string UnreachableHint =
        "Check that PostgreSQL runs and accepts connections on that host and port, and that no firewall or network problem " +
        "is in the way. SsoVault reconnects by itself once the database answers again (no restart needed); on a slow " +
        "network raise Timeout or Command Timeout in the node's database location.";

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
        _ when IsTimeout(error) => new SsoException(SsoErrorCode.DatabaseUnavailable,
            $"The SSO database {display} is unreachable: it did not answer in time ({Reason(error)}).", UnreachableHint, error),
        _ when IsConnectionFailure(error) => new SsoException(SsoErrorCode.DatabaseUnavailable,
            $"The SSO database {display} is unreachable: {Reason(error)}", UnreachableHint, error),
        PostgresException e => new SsoException(SsoErrorCode.DatabaseUnavailable,
            $"The SSO database {display} cannot be used: {e.SqlState}: {e.MessageText}",
            "Check the server's log and that this user may use the database.", error),
        _ => new SsoException(SsoErrorCode.DatabaseUnavailable,
            $"The SSO database {display} cannot be opened: {error.Message}",
            "Check --db or the node's settings (node.json).", error),
    };

    /// <summary>
    /// The failures that mean "the database is not there right now" rather than a bug in a statement: the network
    /// (refused, reset, closed, timed out), the server going away (shutdown, crash, restart) or turning connections
    /// away (too many, starting up), and a writer-lock timeout. These become <see cref="SsoErrorCode.DatabaseUnavailable"/>
    /// (HTTP 503); any other server error stays a bug.
    /// </summary>
    public static bool IsOutage(Exception error) =>
        IsConnectionFailure(error) || error is PostgresException { SqlState: LockTimeout };

    /// <summary>The connection itself failed (so other pooled connections to that server may be dead too).</summary>
    public static bool IsConnectionFailure(Exception error) => error switch
    {
        // connection_exception (08...), admin/crash shutdown and cannot_connect_now (57P01-57P03), too_many_connections.
        PostgresException e => e.SqlState.StartsWith("08", StringComparison.Ordinal)
                               || e.SqlState is "57P01" or "57P02" or "57P03" or "53300",
        // Npgsql's own failures: I/O errors, timeouts, a connection broken by either (not a misuse of a connection).
        NpgsqlOperationInProgressException => false,
        NpgsqlException => true,
        _ => IsUnreachable(error),
    };

    /// <summary>The server did not answer in time (connect or statement): retrying at once would only wait again.</summary>
    public static bool IsTimeout(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is TimeoutException or SocketException { SocketErrorCode: SocketError.TimedOut })
            {
                return true;
            }
        }

        return false;
    }

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

    /// <summary>Npgsql's message and, when different, the innermost cause ("Failed to connect to ...: Connection refused").</summary>
    private static string Reason(Exception error)
    {
        var innermost = error;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        var outer = error is PostgresException p ? $"{p.SqlState}: {p.MessageText}" : error.Message;
        return innermost == error || outer.Contains(innermost.Message, StringComparison.Ordinal)
            ? outer
            : $"{outer.TrimEnd('.')}: {innermost.Message}";
    }
}
