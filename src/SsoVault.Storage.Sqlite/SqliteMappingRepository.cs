using SsoVault.Core.Storage;

namespace SsoVault.Storage.Sqlite;

internal sealed class SqliteMappingRepository(SqliteSession session) : IMappingRepository
{
    private const string Columns = "id, app_name, windows_account, external_user, enabled, flags, created_ms, updated_ms";

    public Task<MappingRecord?> FindByWindowsAccountAsync(string application, string windowsAccount, CancellationToken cancellationToken) =>
        FindOneAsync("app_name = $app AND windows_account = $key", application, windowsAccount, cancellationToken);

    public Task<MappingRecord?> FindByExternalUserAsync(string application, string externalUser, CancellationToken cancellationToken) =>
        FindOneAsync("app_name = $app AND external_user = $key", application, externalUser, cancellationToken);

    public async Task<IReadOnlyList<MappingRecord>> ListAsync(string? application, string? windowsAccount, CancellationToken cancellationToken)
    {
        await using var command = session.Command($"""
            SELECT {Columns} FROM mappings
            WHERE ($app IS NULL OR app_name = $app) AND ($win IS NULL OR windows_account = $win)
            ORDER BY app_name COLLATE NOCASE, windows_account COLLATE NOCASE, external_user COLLATE NOCASE
            """, ("$app", application), ("$win", windowsAccount));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var mappings = new List<MappingRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            mappings.Add(Read(reader));
        }

        return mappings;
    }

    public async Task<MappingRecord> AddAsync(MappingRecord mapping, CancellationToken cancellationToken)
    {
        await using var command = session.Command("""
            INSERT INTO mappings (app_name, windows_account, external_user, host_group, enabled, flags, created_ms, updated_ms)
            VALUES ($app, $win, $ext, (SELECT app_type = 8 FROM applications WHERE name = $app), $enabled, $flags, $created, $updated)
            RETURNING id
            """,
            ("$app", mapping.Application), ("$win", mapping.WindowsAccount), ("$ext", mapping.ExternalUser), ("$enabled", mapping.Enabled ? 1 : 0),
            ("$flags", mapping.Flags), ("$created", SqliteSession.ToMs(mapping.CreatedUtc)), ("$updated", SqliteSession.ToMs(mapping.UpdatedUtc)));
        var id = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        return mapping with { Id = id };
    }

    public Task SetEnabledAsync(long id, bool enabled, DateTimeOffset updatedUtc, CancellationToken cancellationToken) =>
        session.ExecuteAsync("UPDATE mappings SET enabled = $enabled, updated_ms = $updated WHERE id = $id", cancellationToken,
            ("$id", id), ("$enabled", enabled ? 1 : 0), ("$updated", SqliteSession.ToMs(updatedUtc)));

    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken) =>
        await session.ExecuteAsync("DELETE FROM mappings WHERE id = $id", cancellationToken, ("$id", id)) > 0;

    /// <summary>One prepared statement: the mapping's row once per credential (or once with nulls when it has none).</summary>
    public async Task<MappingWithCredentials?> FindWithCredentialsAsync(string application, string windowsAccount, CancellationToken cancellationToken)
    {
        var command = session.Prepared($"""
            SELECT {Columns}, c.ordinal, c.envelope FROM mappings LEFT JOIN credentials c ON c.mapping_id = mappings.id
            WHERE app_name = $app AND windows_account = $key ORDER BY c.ordinal
            """, ("$app", application), ("$key", windowsAccount));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var mapping = Read(reader);
        var credentials = new List<(int, byte[])>(2);
        do
        {
            if (!reader.IsDBNull(8))
            {
                credentials.Add((reader.GetInt32(8), (byte[])reader.GetValue(9)));
            }
        }
        while (await reader.ReadAsync(cancellationToken));

        return new MappingWithCredentials(mapping, credentials);
    }

    public async Task<IReadOnlyList<(int Ordinal, byte[] Envelope)>> GetCredentialsAsync(long mappingId, CancellationToken cancellationToken)
    {
        var command = session.Prepared("SELECT ordinal, envelope FROM credentials WHERE mapping_id = $id ORDER BY ordinal", ("$id", mappingId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var credentials = new List<(int, byte[])>();
        while (await reader.ReadAsync(cancellationToken))
        {
            credentials.Add((reader.GetInt32(0), (byte[])reader.GetValue(1)));
        }

        return credentials;
    }

    public async Task SetCredentialsAsync(long mappingId, IReadOnlyList<(int Ordinal, byte[] Envelope)> credentials, DateTimeOffset updatedUtc,
        CancellationToken cancellationToken)
    {
        await session.ExecuteAsync("DELETE FROM credentials WHERE mapping_id = $id", cancellationToken, ("$id", mappingId));
        foreach (var (ordinal, envelope) in credentials)
        {
            await session.ExecuteAsync("INSERT INTO credentials (mapping_id, ordinal, envelope, key_id) VALUES ($id, $ordinal, $envelope, $key)",
                cancellationToken, ("$id", mappingId), ("$ordinal", ordinal), ("$envelope", envelope), ("$key", SqliteSession.KeyIdOf(envelope)));
        }

        await session.ExecuteAsync("UPDATE mappings SET updated_ms = $updated WHERE id = $id", cancellationToken,
            ("$id", mappingId), ("$updated", SqliteSession.ToMs(updatedUtc)));
    }

    private async Task<MappingRecord?> FindOneAsync(string where, string application, string key, CancellationToken cancellationToken)
    {
        var command = session.Prepared($"SELECT {Columns} FROM mappings WHERE {where}", ("$app", application), ("$key", key));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static MappingRecord Read(Microsoft.Data.Sqlite.SqliteDataReader reader) =>
        new(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4) != 0, reader.GetInt32(5),
            SqliteSession.FromMs(reader.GetInt64(6)), SqliteSession.FromMs(reader.GetInt64(7)));
}
