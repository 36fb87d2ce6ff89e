using Microsoft.Data.Sqlite;
using SsoVault.Core.Storage;

namespace SsoVault.Storage.Sqlite;

/// <summary>The repositories over one session: a transaction's, or one autocommit statement's.</summary>
internal class SqliteRepositories(SqliteSession session) : ISsoRepositories
{
    public ISystemRepository System { get; } = new SqliteSystemRepository(session);
    public INodeRepository Nodes { get; } = new SqliteNodeRepository(session);
    public IDataKeyRepository DataKeys { get; } = new SqliteDataKeyRepository(session);
    public IApplicationRepository Applications { get; } = new SqliteApplicationRepository(session);
    public IMappingRepository Mappings { get; } = new SqliteMappingRepository(session);
    public IConfigRepository Config { get; } = new SqliteConfigRepository(session);
    public IAuditRepository Audit { get; } = new SqliteAuditRepository(session);
    public IAccountRepository Accounts { get; } = new SqliteAccountRepository(session);
    public IValueRepository Values { get; } = new SqliteValueRepository(session);
}

/// <summary>One SQLite transaction (BEGIN IMMEDIATE: the write lock is taken up front, so two writers queue
/// instead of deadlocking on a lock upgrade) and the repositories that work inside it.</summary>
internal sealed class SqliteSsoTransaction(SqliteConnection connection, SqliteTransaction transaction, Action<SqliteConnection> release)
    : SqliteRepositories(new SqliteSession(connection, transaction)), ISsoTransaction
{
    private bool _completed;

    public async Task CommitKeepingAnswersAsync(CancellationToken cancellationToken)
    {
        await transaction.CommitAsync(cancellationToken);
        _completed = true;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_completed)
            {
                await transaction.RollbackAsync();
            }

            await transaction.DisposeAsync();
        }
        catch (SqliteException)
        {
            // A connection whose transaction cannot be rolled back is not reused; closing it rolls back.
            await connection.DisposeAsync();
            throw;
        }

        release(connection);
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
