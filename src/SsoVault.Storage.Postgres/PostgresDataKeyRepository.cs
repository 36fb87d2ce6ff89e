using SsoVault.Core.Storage;

namespace SsoVault.Storage.Postgres;

internal sealed class PostgresDataKeyRepository(PostgresSession session) : IDataKeyRepository
{
    public Task<IReadOnlyList<WrappedDataKey>> ListAsync(CancellationToken cancellationToken) =>
        session.ListAsync("SELECT id, created_ms, wrapped_msid, wrapped, state, encryptions, retired_ms FROM data_keys ORDER BY id", reader => new WrappedDataKey(
            checked((uint)reader.GetInt64(0)),
            PostgresSession.FromMs(reader.GetInt64(1)),
            reader.GetGuid(2),
            reader.GetFieldValue<byte[]>(3),
            reader.GetString(4) == "active" ? DataKeyState.Active : DataKeyState.Retired)
        {
            Encryptions = reader.GetInt64(5),
            RetiredUtc = PostgresSession.NullableFromMs(reader, 6),
        }, cancellationToken);

    public Task RetireAllExceptAsync(uint keep, DateTimeOffset retiredUtc, CancellationToken cancellationToken) =>
        session.ExecuteAsync("UPDATE data_keys SET state = 'retired', retired_ms = @when WHERE id <> @keep AND state = 'active'", cancellationToken,
            ("keep", (long)keep), ("when", PostgresSession.ToMs(retiredUtc)));

    public Task AddEncryptionsAsync(uint id, long count, CancellationToken cancellationToken) =>
        session.ExecuteAsync("UPDATE data_keys SET encryptions = encryptions + @count WHERE id = @id", cancellationToken, ("id", (long)id), ("count", count));

    public async Task<bool> DeleteRetiredAsync(uint id, CancellationToken cancellationToken) =>
        await session.ExecuteAsync("DELETE FROM data_keys WHERE id = @id AND state = 'retired'", cancellationToken, ("id", (long)id)) > 0;

    public Task AddAsync(WrappedDataKey key, CancellationToken cancellationToken) =>
        session.ExecuteAsync("INSERT INTO data_keys (id, created_ms, wrapped_msid, wrapped, state) VALUES (@id, @created, @msid, @wrapped, @state)",
            cancellationToken,
            ("id", (long)key.Id), ("created", PostgresSession.ToMs(key.CreatedUtc)), ("msid", key.WrappedUnderMsid),
            ("wrapped", key.Wrapped), ("state", key.State == DataKeyState.Active ? "active" : "retired"));

    public async Task RewrapAsync(uint id, Guid wrappedUnderMsid, byte[] wrapped, CancellationToken cancellationToken)
    {
        var rows = await session.ExecuteAsync("UPDATE data_keys SET wrapped_msid = @msid, wrapped = @wrapped WHERE id = @id",
            cancellationToken, ("id", (long)id), ("msid", wrappedUnderMsid), ("wrapped", wrapped));
        if (rows != 1)
        {
            throw new InvalidOperationException($"Data key {id} vanished during a re-wrap.");
        }
    }
}
