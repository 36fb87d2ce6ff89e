using System.Data.Common;
using Npgsql;
using SsoVault.Core.Errors;

namespace SsoVault.Storage.Postgres;

/// <summary>
/// A PostgreSQL database location as users write it: a URL (<c>postgres://user:pass@host:port/db?sslmode=require</c>)
/// or an Npgsql connection string (<c>Host=...;Database=...</c>). Parsed once into a connection string; shown to people
/// only through <see cref="Display"/>, which never includes the password.
/// </summary>
public static class PostgresLocation
{
    /// <summary>libpq's URL parameter names that differ from Npgsql's keywords.</summary>
    private static readonly Dictionary<string, string> UrlParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslmode"] = "SSL Mode",
        ["application_name"] = "Application Name",
        ["connect_timeout"] = "Timeout",
        ["target_session_attrs"] = "Target Session Attributes",
        ["options"] = "Options",
    };

    /// <summary>True for the locations this provider opens (anything else is a SQLite file path).</summary>
    public static bool IsPostgres(string location)
    {
        var trimmed = location.TrimStart();
        return trimmed.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
               || trimmed.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
               || trimmed.StartsWith("Host=", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The connection settings; <see cref="SsoErrorCode.InvalidInput"/> (without the password) when malformed.</summary>
    public static NpgsqlConnectionStringBuilder Parse(string location)
    {
        var trimmed = location.Trim();
        try
        {
            var builder = trimmed.Contains("://", StringComparison.Ordinal) ? FromUrl(trimmed) : new NpgsqlConnectionStringBuilder(trimmed);
            if (string.IsNullOrEmpty(builder.Host))
            {
                throw new FormatException("no host");
            }

            return builder;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or UriFormatException or KeyNotFoundException)
        {
            throw new SsoException(SsoErrorCode.InvalidInput,
                $"'{Redact(trimmed)}' is not a valid PostgreSQL location: {e.Message}",
                "Use postgres://USER:PASSWORD@HOST:PORT/DATABASE or a connection string such as Host=db;Port=5432;Database=sso;Username=sso");
        }
    }

    /// <summary>
    /// Seconds to wait for a new connection (TCP connect, TLS and authentication) unless the location sets
    /// <c>Timeout</c> (<c>connect_timeout</c> in a URL). Npgsql's 15 s would keep every request waiting that long while
    /// the database is unreachable; a healthy server on a LAN answers in milliseconds.
    /// </summary>
    public const int DefaultConnectTimeoutSeconds = 5;

    /// <summary>
    /// Seconds a statement may wait for the server unless the location sets <c>Command Timeout</c>. SsoVault's
    /// statements are small indexed reads and writes; a server that does not answer within this is treated as
    /// unreachable (503) rather than holding the request (Npgsql's default is 30 s). Waiting for the writer lock and
    /// schema migrations get their own, longer limits (see <see cref="PostgresSsoDatabase"/>).
    /// </summary>
    public const int DefaultCommandTimeoutSeconds = 5;

    /// <summary>
    /// The settings SsoVault connects with: the location's own, plus fail-fast defaults for what it leaves out
    /// (connect and command timeouts, an application name, automatic statement preparation, no reset of pooled connections). Whatever the location
    /// sets explicitly wins, so an operator can still write <c>Timeout=15;Command Timeout=30</c>.
    /// </summary>
    public static NpgsqlConnectionStringBuilder WithDefaults(NpgsqlConnectionStringBuilder location)
    {
        var builder = new NpgsqlConnectionStringBuilder(location.ConnectionString);
        // Npgsql keeps explicitly set keywords under their canonical names; a plain builder over its string tells
        // "set to the default value" apart from "not set".
        var given = new DbConnectionStringBuilder { ConnectionString = location.ConnectionString };
        if (!given.ContainsKey("Timeout"))
        {
            builder.Timeout = DefaultConnectTimeoutSeconds;
        }

        if (!given.ContainsKey("Command Timeout"))
        {
            builder.CommandTimeout = DefaultCommandTimeoutSeconds;
        }

        builder.ApplicationName ??= "ssovault";
        if (builder.MaxAutoPrepare == 0)
        {
            // The same few statements run over and over: prepare them once per physical connection.
            builder.MaxAutoPrepare = 64;
        }

        if (!given.ContainsKey("No Reset On Close"))
        {
            // SsoVault leaves no session state behind (its SETs are LOCAL, its advisory locks transaction-scoped, no LISTEN,
            // no temporary tables), so the reset Npgsql would otherwise run on every pooled connection's next use
            // (RESET ALL, CLOSE ALL, UNLISTEN *, pg_advisory_unlock_all(), DISCARD SEQUENCES, DISCARD TEMP) is pure cost:
            // six statements per transaction.
            builder.NoResetOnClose = true;
        }

        return builder;
    }

    /// <summary>For people and logs: user, host, port and database; never the password.</summary>
    public static string Display(NpgsqlConnectionStringBuilder builder)
    {
        var user = string.IsNullOrEmpty(builder.Username) ? "" : Uri.EscapeDataString(builder.Username) + "@";
        var host = builder.Host ?? "";
        if (host.Contains(':', StringComparison.Ordinal) && !host.Contains(',', StringComparison.Ordinal))
        {
            host = $"[{host}]";
        }

        return $"postgres://{user}{host}:{builder.Port}/{builder.Database ?? ""}";
    }

    /// <summary><see cref="Display(NpgsqlConnectionStringBuilder)"/> of a location, or a redacted form if it does not parse.</summary>
    public static string Display(string location)
    {
        try
        {
            return Display(Parse(location));
        }
        catch (SsoException)
        {
            return Redact(location);
        }
    }

    private static NpgsqlConnectionStringBuilder FromUrl(string url)
    {
        var uri = new Uri(url);
        if (uri.Scheme is not ("postgres" or "postgresql"))
        {
            throw new FormatException($"the scheme must be postgres:// or postgresql://, not {uri.Scheme}://");
        }

        var builder = new NpgsqlConnectionStringBuilder { Host = uri.DnsSafeHost };
        if (!uri.IsDefaultPort && uri.Port > 0)
        {
            builder.Port = uri.Port;
        }

        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            builder[UrlParameters.GetValueOrDefault(key, key)] = value;
        }

        return builder;
    }

    /// <summary>Drops everything that could hold a password: the user-info part of a URL, any Password= value.</summary>
    private static string Redact(string location)
    {
        var at = location.LastIndexOf('@');
        if (location.Contains("://", StringComparison.Ordinal))
        {
            var query = location.IndexOf('?', StringComparison.Ordinal);
            var withoutQuery = query < 0 ? location : location[..query];
            return at < 0 || at > withoutQuery.Length ? withoutQuery : "postgres://…" + withoutQuery[at..];
        }

        return string.Join(';', location.Split(';').Select(part =>
            part.TrimStart().StartsWith("Password", StringComparison.OrdinalIgnoreCase) ||
            part.TrimStart().StartsWith("Pwd", StringComparison.OrdinalIgnoreCase)
                ? "Password=…"
                : part));
    }
}
