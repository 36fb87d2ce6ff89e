using System.Data;
using Npgsql;
using SsoVault.Core.Errors;
using SsoVault.Core.Storage;

namespace SsoVault.Storage.Postgres;

/// <summary>
/// The SSO database in PostgreSQL, shared by many nodes. Connections come from one pooled <see cref="NpgsqlDataSource"/>
/// with automatic statement preparation. Writers are serialized by a transaction-scoped advisory lock (SQLite's one-writer
/// rule, across every node); readers get a read-only snapshot and never wait. See docs/architecture.md.
/// </summary>
public sealed class PostgresSsoDatabase : ISsoDatabase
{
    /// <summary>Advisory lock keys (per database), held only inside a transaction. Arbitrary, fixed forever.</summary>
    internal const long WriterLockKey = 0x5353_4F56_0001; // "SSOV" 1
    internal const long MigrationLockKey = 0x5353_4F56_0002; // "SSOV" 2

    /// <summary>How long a writer waits for another node's write transaction before giving up (SQLite waits 10 s).</summary>
    private const int WriterLockTimeoutSeconds = 30;

    /// <summary>
    /// The least a migration statement (and the wait for another node's migration) may take: a step may rewrite a large
    /// table. Only a node that finds the schema behind waits this long; an up-to-date schema is checked with the
    /// ordinary command timeout.
    /// </summary>
    private const int MigrationCommandTimeoutSeconds = 600;

    private readonly NpgsqlDataSource _dataSource;
    private readonly int _targetVersion;
    private readonly int _lockCommandTimeout;
    private readonly int _migrationCommandTimeout;
    private bool _schemaChecked;

    private PostgresSsoDatabase(NpgsqlDataSource dataSource, string display, int targetVersion, int commandTimeout)
    {
        _dataSource = dataSource;
        DisplayLocation = display;
        _targetVersion = targetVersion;
        // 0 means "no limit" to Npgsql: an operator who chose that keeps it everywhere.
        _lockCommandTimeout = commandTimeout == 0 ? 0 : commandTimeout + WriterLockTimeoutSeconds;
        _migrationCommandTimeout = commandTimeout == 0 ? 0 : Math.Max(commandTimeout, MigrationCommandTimeoutSeconds);
    }

    public string DisplayLocation { get; }

    public int LatestSchemaVersion => _targetVersion;

    /// <summary>
    /// Connects once (so a wrong host or password fails here); with <paramref name="create"/> creates a missing database.
    /// The connection settings get fail-fast timeouts unless the location sets its own (<see cref="PostgresLocation.WithDefaults"/>).
    /// </summary>
    /// <param name="targetVersion">For tests of upgrades only: migrate no further than this version.</param>
    public static async Task<PostgresSsoDatabase> OpenAsync(string location, bool create, CancellationToken cancellationToken,
        int? targetVersion = null)
    {
        var builder = PostgresLocation.WithDefaults(PostgresLocation.Parse(location));
        var display = PostgresLocation.Display(builder);
        var database = new PostgresSsoDatabase(NpgsqlDataSource.Create(builder), display, targetVersion ?? PostgresMigrations.Steps.Count,
            builder.CommandTimeout);
        try
        {
            try
            {
                await (await database.ConnectAsync(cancellationToken)).DisposeAsync();
            }
            catch (SsoException e) when (create && e.InnerException is PostgresException { SqlState: PostgresErrors.DatabaseMissing })
            {
                await CreateDatabaseAsync(builder, display, cancellationToken);
                await (await database.ConnectAsync(cancellationToken)).DisposeAsync();
            }

            return database;
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>A pooled connection, or the product's error when the server cannot be reached or refuses us.</summary>
    internal async Task<NpgsqlConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (NpgsqlException e)
        {
            throw Failed(e);
        }
    }

    /// <summary>
    /// The product's error for a failed statement or connection. When the connection itself failed, the pool is cleared:
    /// the other idle connections to that server are most likely dead too (closed by a restart, cut by the network), and
    /// handing them out after the database is back would fail the first requests. Npgsql then opens fresh ones.
    /// </summary>
    internal SsoException Failed(Exception error)
    {
        if (PostgresErrors.IsConnectionFailure(error))
        {
            _dataSource.Clear();
        }

        return PostgresErrors.Unavailable(DisplayLocation, error);
    }

    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        try
        {
            return await ReadSchemaVersionAsync(connection, null, cancellationToken);
        }
        catch (NpgsqlException e) when (PostgresErrors.IsOutage(e))
        {
            throw Failed(e);
        }
    }

    private static async Task<int> ReadSchemaVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass('schema_version') IS NOT NULL", connection, transaction);
        if (await command.ExecuteScalarAsync(cancellationToken) is not true)
        {
            return 0;
        }

        command.CommandText = "SELECT version FROM schema_version";
        return await command.ExecuteScalarAsync(cancellationToken) is int version ? version : 0;
    }

    /// <summary>
    /// One transaction under the migration lock: a second node starting at the same moment waits, then finds the schema
    /// current and does nothing. PostgreSQL's DDL is transactional, so a failed step leaves the old version intact.
    /// </summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        try
        {
            // Versions only grow, so a current (or newer) schema needs no lock: checked with the ordinary timeout.
            if (CheckVersion(await ReadSchemaVersionAsync(connection, null, cancellationToken)))
            {
                return;
            }

            await MigrateAsync(connection, cancellationToken);
        }
        catch (NpgsqlException e) when (PostgresErrors.IsOutage(e))
        {
            throw Failed(e);
        }
    }

    /// <summary>True when nothing is to be done; <see cref="SsoErrorCode.SchemaTooNew"/> when this program is too old.</summary>
    private bool CheckVersion(int version)
    {
        if (version > PostgresMigrations.Steps.Count)
        {
            throw new SsoException(SsoErrorCode.SchemaTooNew,
                $"The SSO database {DisplayLocation} has schema version {version}, newer than this SsoVault knows " +
                $"(up to {PostgresMigrations.Steps.Count}). Nothing was changed.",
                "Upgrade SsoVault on this node to the version the master secret server runs.");
        }

        return version >= _targetVersion;
    }

    private async Task MigrateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLockKey})", cancellationToken,
            _migrationCommandTimeout);
        var version = await ReadSchemaVersionAsync(connection, transaction, cancellationToken);
        if (CheckVersion(version))
        {
            return;
        }

        if (version == 0)
        {
            await ExecuteAsync(connection, transaction,
                "CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (0);", cancellationToken);
        }

        for (var step = version; step < _targetVersion; step++)
        {
            await ExecuteAsync(connection, transaction, PostgresMigrations.Steps[step], cancellationToken, _migrationCommandTimeout);
        }

        await ExecuteAsync(connection, transaction, $"UPDATE schema_version SET version = {_targetVersion}", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// READ COMMITTED plus the writer lock: like SQLite's BEGIN IMMEDIATE, one write transaction at a time across all
    /// nodes, so a service's read-then-write sees every earlier commit and can never lose an update or hit a
    /// serialization failure it would have to retry. Each statement still reads the latest committed data. The lock wait
    /// is the one statement allowed to outlast the command timeout: by the lock timeout, and only after the first
    /// statement has shown the server answers.
    /// </summary>
    public Task<ISsoTransaction> BeginAsync(CancellationToken cancellationToken) =>
        BeginAsync(IsolationLevel.ReadCommitted, $"SET LOCAL lock_timeout = '{WriterLockTimeoutSeconds}s'",
            $"SELECT pg_advisory_xact_lock({WriterLockKey})", cancellationToken);

    /// <summary>REPEATABLE READ READ ONLY: one consistent snapshot for the whole transaction; takes no lock, waits for no writer.</summary>
    public Task<ISsoTransaction> BeginReadAsync(CancellationToken cancellationToken) =>
        BeginAsync(IsolationLevel.RepeatableRead, "SET TRANSACTION READ ONLY", null, cancellationToken);

    /// <summary>
    /// Starts a transaction on a pooled connection. A pooled connection may have died while idle (the database restarted,
    /// the network cut it): when the first statement fails on a dead connection, not by a timeout, the pool is cleared
    /// and the transaction starts once more on a new connection, so the first requests after an outage succeed.
    /// Nothing has been read or written at that point, so starting again is safe.
    /// </summary>
    private async Task<ISsoTransaction> BeginAsync(IsolationLevel isolation, string firstStatement, string? lockStatement,
        CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var connection = await ConnectAsync(cancellationToken);
            try
            {
                var transaction = await connection.BeginTransactionAsync(isolation, cancellationToken);
                await ExecuteAsync(connection, transaction, firstStatement, cancellationToken);
                if (lockStatement is not null)
                {
                    await ExecuteAsync(connection, transaction, lockStatement, cancellationToken, _lockCommandTimeout);
                }

                return new PostgresSsoTransaction(this, connection, transaction);
            }
            catch (NpgsqlException e) when (attempt == 1 && PostgresErrors.IsConnectionFailure(e) && !PostgresErrors.IsTimeout(e))
            {
                await connection.DisposeAsync();
                _dataSource.Clear();
            }
            catch (NpgsqlException e) when (PostgresErrors.IsOutage(e))
            {
                await connection.DisposeAsync();
                throw Failed(e);
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>
    /// One read statement on a pooled connection without BEGIN/ROLLBACK: a statement is its own snapshot, so one round
    /// trip instead of three. As in <see cref="BeginAsync(IsolationLevel, string, string?, CancellationToken)"/>, a pooled
    /// connection found dead is replaced once (the failure already cleared the pool); nothing was read, so reading again is safe.
    /// </summary>
    public async Task<T> ReadOneStatementAsync<T>(Func<ISsoRepositories, Task<T>> read, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var connection = await ConnectAsync(cancellationToken);
            try
            {
                return await read(new PostgresRepositories(new PostgresSession(this, connection, null)));
            }
            catch (SsoException e) when (attempt == 1 && e.InnerException is NpgsqlException inner && PostgresErrors.IsConnectionFailure(inner)
                                         && !PostgresErrors.IsTimeout(inner))
            {
                // Try once more on a new connection.
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>An older schema is upgraded on first use; a newer one is refused before anything is read.</summary>
    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (_schemaChecked)
        {
            return;
        }

        await MigrateAsync(cancellationToken);

        // The pool learned the server's types when it first connected, perhaps before a migration (here or on
        // another node) created citext; reload them so citext columns read as strings.
        try
        {
            await _dataSource.ReloadTypesAsync(cancellationToken);
        }
        catch (NpgsqlException e) when (PostgresErrors.IsOutage(e))
        {
            throw Failed(e);
        }

        _schemaChecked = true;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static async Task CreateDatabaseAsync(NpgsqlConnectionStringBuilder builder, string display, CancellationToken cancellationToken)
    {
        var name = builder.Database ?? throw new SsoException(SsoErrorCode.InvalidInput, $"{display} names no database.",
            "Add the database name: postgres://USER@HOST:PORT/DATABASE");
        var maintenance = new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Database = "postgres", Pooling = false };
        try
        {
            await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            var quoted = "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            await using var command = new NpgsqlCommand($"CREATE DATABASE {quoted}", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == "42P04")
        {
            // Another node created it a moment ago: fine.
        }
        catch (NpgsqlException e)
        {
            throw PostgresErrors.Unavailable(display, e);
        }
    }

    /// <param name="commandTimeout">Seconds, for the few statements that may run longer than the connection's command timeout.</param>
    internal static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql,
        CancellationToken cancellationToken, int? commandTimeout = null)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        if (commandTimeout is { } seconds)
        {
            command.CommandTimeout = seconds;
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
