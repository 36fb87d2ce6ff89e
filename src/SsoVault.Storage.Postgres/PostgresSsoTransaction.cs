using Npgsql;
using SsoVault.Core.Errors;
using SsoVault.Core.Storage;

namespace SsoVault.Storage.Postgres;

/// <summary>The repositories over one session: a transaction's, or one autocommit statement's.</summary>
internal class PostgresRepositories(PostgresSession session) : ISsoRepositories
{
    protected PostgresSession Session { get; } = session;
    public ISystemRepository System { get; } = new PostgresSystemRepository(session);
    public INodeRepository Nodes { get; } = new PostgresNodeRepository(session);
    public IDataKeyRepository DataKeys { get; } = new PostgresDataKeyRepository(session);
    public IApplicationRepository Applications { get; } = new PostgresApplicationRepository(session);
    public IMappingRepository Mappings { get; } = new PostgresMappingRepository(session);
    public IConfigRepository Config { get; } = new PostgresConfigRepository(session);
    public IAuditRepository Audit { get; } = new PostgresAuditRepository(session);
    public IAccountRepository Accounts { get; } = new PostgresAccountRepository(session);
    public IValueRepository Values { get; } = new PostgresValueRepository(session);
}

/// <summary>One PostgreSQL transaction on its own pooled connection, and the repositories that work inside it.</summary>
internal sealed class PostgresSsoTransaction(PostgresSsoDatabase database, NpgsqlConnection connection, NpgsqlTransaction transaction)
    : PostgresRepositories(new PostgresSession(database, connection, transaction)), ISsoTransaction
{
    private readonly NpgsqlConnection _connection = connection;
    private readonly NpgsqlTransaction _transaction = transaction;
    private bool _completed;

    public async Task CommitKeepingAnswersAsync(CancellationToken cancellationToken)
    {
        await Session.Guard(_transaction.CommitAsync(cancellationToken));
        _completed = true;
    }

    /// <summary>Rolls back what was not committed (the advisory lock goes with it) and returns the connection to the pool.</summary>
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
        catch (NpgsqlException)
        {
            // A broken connection: the server rolls back when it closes. Nothing more to do here.
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }
}

/// <summary>
/// The connection and transaction a repository's commands run on, with small helpers. Every statement runs through
/// <see cref="Guard{T}"/>, so a database that goes away mid-transaction is <see cref="SsoErrorCode.DatabaseUnavailable"/>
/// (HTTP 503, and the pool is cleared), never a raw Npgsql exception.
/// </summary>
/// <remarks>A null transaction: autocommit, each statement its own snapshot (single-statement reads only).</remarks>
internal sealed class PostgresSession(PostgresSsoDatabase database, NpgsqlConnection connection, NpgsqlTransaction? transaction)
{
    /// <summary>Awaits one database operation, turning an outage into the product's error.</summary>
    public async Task<T> Guard<T>(Task<T> operation)
    {
        try
        {
            return await operation;
        }
        catch (NpgsqlException e) when (PostgresErrors.IsOutage(e))
        {
            throw database.Failed(e);
        }
    }

    /// <summary><see cref="Guard{T}(Task{T})"/> for an operation without a result.</summary>
    public async Task Guard(Task operation)
    {
        try
        {
            await operation;
        }
        catch (NpgsqlException e) when (PostgresErrors.IsOutage(e))
        {
            throw database.Failed(e);
        }
    }

    public NpgsqlCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    public async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        return await Guard(command.ExecuteNonQueryAsync(cancellationToken));
    }

    public async Task<IReadOnlyList<T>> ListAsync<T>(string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        await using var reader = await Guard(command.ExecuteReaderAsync(cancellationToken));
        var rows = new List<T>();
        while (await Guard(reader.ReadAsync(cancellationToken)))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    public async Task<T?> FirstOrDefaultAsync<T>(string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters) where T : class
    {
        await using var command = Command(sql, parameters);
        await using var reader = await Guard(command.ExecuteReaderAsync(cancellationToken));
        return await Guard(reader.ReadAsync(cancellationToken)) ? read(reader) : null;
    }

    public static long ToMs(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    /// <summary>The data key an envelope names, stored beside it so values can be counted and found by key.</summary>
    public static long KeyIdOf(byte[] envelope) =>
        Core.Crypto.ValueEnvelope.TryReadKeyId(envelope) ?? throw new ArgumentException("Not a value envelope.", nameof(envelope));

    public static object? ToMs(DateTimeOffset? value) => value?.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromMs(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);

    public static DateTimeOffset? NullableFromMs(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : FromMs(reader.GetInt64(ordinal));

    public static Guid? NullableGuid(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetGuid(ordinal);
}
