using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using SsoVault.Core.Errors;
using SsoVault.Core.Storage;

namespace SsoVault.Storage.Sqlite;

/// <summary>
/// The SSO database in one SQLite file: WAL journal, full fsync on commit (every change to the key ring or
/// global info must survive a power cut), foreign keys on, and a busy timeout so that concurrent processes wait.
/// </summary>
public sealed class SqliteSsoDatabase : ISsoDatabase
{
    /// <summary>Open connections not in use. A server runs many transactions at once; each gets its own connection.</summary>
    private readonly ConcurrentBag<SqliteConnection> _idle = [];
    private readonly string _connectionString;
    private readonly int _targetVersion;
    private bool _schemaChecked;

    private SqliteSsoDatabase(string path, string connectionString, int targetVersion)
    {
        FilePath = path;
        _connectionString = connectionString;
        _targetVersion = targetVersion;
    }

    public string FilePath { get; }

    public string DisplayLocation => FilePath;

    public int LatestSchemaVersion => _targetVersion;

    /// <summary>Opens (and with <paramref name="create"/>, creates) the database file.</summary>
    /// <param name="targetVersion">For tests of upgrades only: migrate no further than this version.</param>
    public static async Task<SqliteSsoDatabase> OpenAsync(string path, bool create, CancellationToken cancellationToken,
        int? targetVersion = null)
    {
        var fullPath = Path.GetFullPath(path);
        if (!create && !File.Exists(fullPath))
        {
            throw new SsoException(SsoErrorCode.DatabaseUnavailable,
                $"The SSO database {fullPath} does not exist.",
                "Check --db or the node's settings, or create a new SSO system with: ssovault init --backup FILE");
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = 30,
        };
        var database = new SqliteSsoDatabase(fullPath, builder.ToString(), targetVersion ?? SqliteMigrations.Steps.Count);
        database.Return(await database.RentAsync(cancellationToken));
        return database;
    }

    /// <summary>An idle connection, or a new one with the per-connection settings applied.</summary>
    internal async Task<SqliteConnection> RentAsync(CancellationToken cancellationToken)
    {
        if (_idle.TryTake(out var idle))
        {
            return idle;
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await ExecuteAsync(connection, """
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = FULL;
                PRAGMA foreign_keys = ON;
                PRAGMA busy_timeout = 10000;
                """, cancellationToken);
            return connection;
        }
        catch (SqliteException e)
        {
            await connection.DisposeAsync();
            throw new SsoException(SsoErrorCode.DatabaseUnavailable,
                $"The SSO database {FilePath} cannot be opened: {e.Message}",
                "Check that the file is a SsoVault database and that this account may read and write it.", e);
        }
    }

    internal void Return(SqliteConnection connection) => _idle.Add(connection);

    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken)
    {
        var connection = await RentAsync(cancellationToken);
        try
        {
            return await GetSchemaVersionAsync(connection, null, cancellationToken);
        }
        finally
        {
            Return(connection);
        }
    }

    private async Task<int> GetSchemaVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'";
            if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                return 0;
            }

            command.CommandText = "SELECT version FROM schema_version";
            var value = await command.ExecuteScalarAsync(cancellationToken);
            return value is null ? 0 : Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (SqliteException e)
        {
            throw new SsoException(SsoErrorCode.DatabaseUnavailable,
                $"{FilePath} is not a SsoVault database: {e.Message}", "Check --db.", e);
        }
    }

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var connection = await RentAsync(cancellationToken);
        try
        {
            await using var transaction = connection.BeginTransaction(deferred: false);
            var version = await GetSchemaVersionAsync(connection, transaction, cancellationToken);
            if (version > SqliteMigrations.Steps.Count)
            {
                throw new SsoException(SsoErrorCode.SchemaTooNew,
                    $"The SSO database {FilePath} has schema version {version}, newer than this SsoVault knows " +
                    $"(up to {SqliteMigrations.Steps.Count}). Nothing was changed.",
                    "Upgrade SsoVault on this node to the version the master secret server runs.");
            }

            if (version >= _targetVersion)
            {
                return;
            }

            if (version == 0)
            {
                await ExecuteAsync(connection, "CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (0);",
                    cancellationToken, transaction);
            }

            for (var step = version; step < _targetVersion; step++)
            {
                await ExecuteAsync(connection, SqliteMigrations.Steps[step], cancellationToken, transaction);
            }

            await ExecuteAsync(connection, $"UPDATE schema_version SET version = {_targetVersion};", cancellationToken, transaction);
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            Return(connection);
        }
    }

    public Task<ISsoTransaction> BeginAsync(CancellationToken cancellationToken) => BeginAsync(deferred: false, cancellationToken);

    /// <summary>BEGIN DEFERRED: in WAL mode a reader sees a snapshot and neither blocks nor waits for the writer.</summary>
    public Task<ISsoTransaction> BeginReadAsync(CancellationToken cancellationToken) => BeginAsync(deferred: true, cancellationToken);

    private async Task<ISsoTransaction> BeginAsync(bool deferred, CancellationToken cancellationToken)
    {
        // An older schema is upgraded on first use; a newer one is refused before anything is read.
        if (!_schemaChecked)
        {
            await MigrateAsync(cancellationToken);
            _schemaChecked = true;
        }

        var connection = await RentAsync(cancellationToken);
        try
        {
            return new SqliteSsoTransaction(connection, connection.BeginTransaction(deferred), Return);
        }
        catch
        {
            Return(connection);
            throw;
        }
    }

    /// <summary>
    /// One read statement in autocommit mode on a pooled connection: no <c>BEGIN</c>/<c>ROLLBACK</c>, no transaction
    /// object; a single statement is its own consistent snapshot.
    /// </summary>
    public async Task<T> ReadOneStatementAsync<T>(Func<ISsoRepositories, Task<T>> read, CancellationToken cancellationToken)
    {
        var connection = await RentForAutocommitAsync(cancellationToken);
        try
        {
            return await read(new SqliteRepositories(new SqliteSession(connection, null)));
        }
        finally
        {
            Return(connection);
        }
    }

    private async Task<SqliteConnection> RentForAutocommitAsync(CancellationToken cancellationToken)
    {
        if (!_schemaChecked)
        {
            await MigrateAsync(cancellationToken);
            _schemaChecked = true;
        }

        return await RentAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        while (_idle.TryTake(out var connection))
        {
            await connection.DisposeAsync();
        }
    }

    internal static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken,
        SqliteTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
