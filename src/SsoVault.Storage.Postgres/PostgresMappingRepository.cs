using Npgsql;
using SsoVault.Core.Storage;

namespace SsoVault.Storage.Postgres;

internal sealed class PostgresMappingRepository(PostgresSession session) : IMappingRepository
{
    private const string Columns = "id, app_name, windows_account, external_user, enabled, flags, created_ms, updated_ms";

    public Task<MappingRecord?> FindByWindowsAccountAsync(string application, string windowsAccount, CancellationToken cancellationToken) =>
        session.FirstOrDefaultAsync($"SELECT {Columns} FROM mappings WHERE app_name = @app::citext AND windows_account = @key::citext",
            Read, cancellationToken, ("app", application), ("key", windowsAccount));

    /// <summary>One statement: the mapping's row once per credential (or once with nulls when it has none).</summary>
    public async Task<MappingWithCredentials?> FindWithCredentialsAsync(string application, string windowsAccount, CancellationToken cancellationToken)
    {
        var rows = await session.ListAsync($"""
            SELECT {Columns}, c.ordinal, c.envelope FROM mappings LEFT JOIN credentials c ON c.mapping_id = mappings.id
            WHERE app_name = @app::citext AND windows_account = @key::citext ORDER BY c.ordinal
            """, reader => (Mapping: Read(reader), Ordinal: reader.IsDBNull(8) ? (int?)null : reader.GetInt32(8),
                Envelope: reader.IsDBNull(9) ? null : reader.GetFieldValue<byte[]>(9)),
            cancellationToken, ("app", application), ("key", windowsAccount));
        return rows.Count == 0
            ? null
            : new MappingWithCredentials(rows[0].Mapping, rows.Where(r => r.Ordinal is not null).Select(r => (r.Ordinal!.Value, r.Envelope!)).ToList());
    }

    public Task<MappingRecord?> FindByExternalUserAsync(string application, string externalUser, CancellationToken cancellationToken) =>
        session.FirstOrDefaultAsync($"SELECT {Columns} FROM mappings WHERE app_name = @app::citext AND external_user = @key::citext",
            Read, cancellationToken, ("app", application), ("key", externalUser));

    public Task<IReadOnlyList<MappingRecord>> ListAsync(string? application, string? windowsAccount, CancellationToken cancellationToken) =>
        session.ListAsync($"""
            SELECT {Columns} FROM mappings
            WHERE (@app::citext IS NULL OR app_name = @app::citext) AND (@win::citext IS NULL OR windows_account = @win::citext)
            ORDER BY app_name, windows_account, external_user
            """, Read, cancellationToken, ("app", application), ("win", windowsAccount));

    public async Task<MappingRecord> AddAsync(MappingRecord mapping, CancellationToken cancellationToken)
    {
        await using var command = session.Command("""
            INSERT INTO mappings (app_name, windows_account, external_user, host_group, enabled, flags, created_ms, updated_ms)
            VALUES (@app, @win, @ext, coalesce((SELECT app_type = 8 FROM applications WHERE name = @app::citext), FALSE),
                    @enabled, @flags, @created, @updated)
            RETURNING id
            """,
            ("app", mapping.Application), ("win", mapping.WindowsAccount), ("ext", mapping.ExternalUser), ("enabled", mapping.Enabled),
            ("flags", mapping.Flags), ("created", PostgresSession.ToMs(mapping.CreatedUtc)), ("updated", PostgresSession.ToMs(mapping.UpdatedUtc)));
        var id = (long)(await session.Guard(command.ExecuteScalarAsync(cancellationToken)))!;
        return mapping with { Id = id };
    }

    public Task SetEnabledAsync(long id, bool enabled, DateTimeOffset updatedUtc, CancellationToken cancellationToken) =>
        session.ExecuteAsync("UPDATE mappings SET enabled = @enabled, updated_ms = @updated WHERE id = @id", cancellationToken,
            ("id", id), ("enabled", enabled), ("updated", PostgresSession.ToMs(updatedUtc)));

    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken) =>
        await session.ExecuteAsync("DELETE FROM mappings WHERE id = @id", cancellationToken, ("id", id)) > 0;

    public Task<IReadOnlyList<(int Ordinal, byte[] Envelope)>> GetCredentialsAsync(long mappingId, CancellationToken cancellationToken) =>
        session.ListAsync("SELECT ordinal, envelope FROM credentials WHERE mapping_id = @id ORDER BY ordinal",
            reader => (reader.GetInt32(0), reader.GetFieldValue<byte[]>(1)), cancellationToken, ("id", mappingId));

    public async Task SetCredentialsAsync(long mappingId, IReadOnlyList<(int Ordinal, byte[] Envelope)> credentials, DateTimeOffset updatedUtc,
        CancellationToken cancellationToken)
    {
        await session.ExecuteAsync("DELETE FROM credentials WHERE mapping_id = @id", cancellationToken, ("id", mappingId));
        foreach (var (ordinal, envelope) in credentials)
        {
            await session.ExecuteAsync("INSERT INTO credentials (mapping_id, ordinal, envelope, key_id) VALUES (@id, @ordinal, @envelope, @key)",
                cancellationToken, ("id", mappingId), ("ordinal", ordinal), ("envelope", envelope), ("key", PostgresSession.KeyIdOf(envelope)));
        }

        await session.ExecuteAsync("UPDATE mappings SET updated_ms = @updated WHERE id = @id", cancellationToken,
            ("id", mappingId), ("updated", PostgresSession.ToMs(updatedUtc)));
    }

    private static MappingRecord Read(NpgsqlDataReader reader) =>
        new(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetBoolean(4), reader.GetInt32(5),
            PostgresSession.FromMs(reader.GetInt64(6)), PostgresSession.FromMs(reader.GetInt64(7)));
}
