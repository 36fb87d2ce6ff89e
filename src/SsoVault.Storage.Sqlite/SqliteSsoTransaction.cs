using Microsoft.Data.Sqlite;
using SsoVault.Core.Storage;

namespace SsoVault.Storage.Sqlite;

/// <summary>One SQLite transaction (BEGIN IMMEDIATE: the write lock is taken up front, so two writers queue
/// instead of deadlocking on a lock upgrade) and the repositories that work inside it.</summary>
internal sealed class SqliteSsoTransaction : ISsoTransaction
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly Action<SqliteConnection> _release;
    private readonly bool _readOnly;
    private bool _completed;

    /// <param name="readOnly">A read transaction: it changes nothing, so its commit waits for no lease.</param>
    public SqliteSsoTransaction(SqliteConnection connection, SqliteTransaction transaction, bool readOnly, Action<SqliteConnection> release)
    {
        _connection = connection;
        _transaction = transaction;
        _readOnly = readOnly;
        _release = release;
        var session = new SqliteSession(connection, transaction);
        System = new SqliteSystemRepository(session);
        Nodes = new SqliteNodeRepository(session);
        DataKeys = new SqliteDataKeyRepository(session);
        Applications = new SqliteApplicationRepository(session);
        Mappings = new SqliteMappingRepository(session);
        Config = new SqliteConfigRepository(session);
        Audit = new SqliteAuditRepository(session);
        Accounts = new SqliteAccountRepository(session);
        Values = new SqliteValueRepository(session);
    }

    public ISystemRepository System { get; }
    public INodeRepository Nodes { get; }
    public IDataKeyRepository DataKeys { get; }
    public IApplicationRepository Applications { get; }
    public IMappingRepository Mappings { get; }
    public IConfigRepository Config { get; }
    public IAuditRepository Audit { get; }
    public IAccountRepository Accounts { get; }
    public IValueRepository Values { get; }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await CommitKeepingAnswersAsync(cancellationToken);
        if (!_readOnly)
        {
            await ChangeEpochLease.WaitOutAsync(ChangeEpochLease.Now());
        }
    }

    public async Task CommitKeepingAnswersAsync(CancellationToken cancellationToken)
    {
        await _transaction.CommitAsync(cancellationToken);
        _completed = true;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_completed)
            {
                await _transaction.RollbackAsync();
            }

            await _transaction.DisposeAsync();
        }
        catch (SqliteException)
        {
            // A connection whose transaction cannot be rolled back is not reused; closing it rolls back.
            await _connection.DisposeAsync();
            throw;
        }

        _release(_connection);
    }
}

/// <summary>The connection and transaction a repository's commands run on, with small helpers.</summary>
/// <remarks>A null transaction: autocommit, each statement its own snapshot (single-statement reads only).</remarks>
internal sealed class SqliteSession(SqliteConnection connection, SqliteTransaction? transaction)
{
    public SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>
    /// A command kept with its connection and reused, so SQLite compiles the statement once per connection instead of once
    /// per call — for the statements on the lookup path, where compiling was a third of the time (docs/benchmarks.md).
    /// The caller must NOT dispose it; it lives as long as the pooled connection.
    /// </summary>
    public SqliteCommand Prepared(string sql, params (string Name, object? Value)[] parameters)
    {
        var commands = PreparedCommands.GetValue(connection, _ => new Dictionary<string, SqliteCommand>(StringComparer.Ordinal));
        if (!commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, _) in parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            commands[sql] = command;
        }

        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters[name].Value = value ?? DBNull.Value;
        }

        return command;
    }

    /// <summary>Reused commands per connection (a connection is used by one transaction at a time, so no locking).</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SqliteConnection, Dictionary<string, SqliteCommand>> PreparedCommands = new();

    public async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static long ToMs(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    /// <summary>The data key an envelope names, stored beside it so values can be counted and found by key.</summary>
    public static long KeyIdOf(byte[] envelope) =>
        Core.Crypto.ValueEnvelope.TryReadKeyId(envelope) ?? throw new ArgumentException("Not a value envelope.", nameof(envelope));

    public static DateTimeOffset FromMs(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);

    public static object? ToMs(DateTimeOffset? value) => value?.ToUnixTimeMilliseconds();

    public static DateTimeOffset? NullableFromMs(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : FromMs(reader.GetInt64(ordinal));

    public static Guid? NullableGuid(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Guid.Parse(reader.GetString(ordinal));
}
