using Npgsql;
using SsoVault.Core.Storage;

namespace SsoVault.Storage.Postgres;

internal sealed class PostgresMappingRepository(PostgresSession session) : IMappingRepository
{
    private const string Columns = "id, app_name, windows_account, external_user, enabled, flags, created_ms, updated_ms";

    /// <summary>The credentials of the mapping last found in a read-only snapshot, read with it (see <see cref="FindByWindowsAccountAsync"/>).</summary>
    private (long MappingId, IReadOnlyList<(int Ordinal, byte[] Envelope)> Credentials)? _prefetched;

    /// <summary>
    /// In a read-only snapshot (a lookup) the mapping comes with its credentials in one statement, and
    /// <see cref="GetCredentialsAsync"/> answers from them: a lookup makes one round trip fewer. The snapshot guarantees
    /// they are what a second statement would read. Write transactions read the mapping alone.
    /// </summary>
    public async Task<MappingRecord?> FindByWindowsAccountAsync(string application, string windowsAccount, CancellationToken cancellationToken)
    {
        if (!session.ReadOnlySnapshot)
        {
            return await session.FirstOrDefaultAsync($"SELECT {Columns} FROM mappings WHERE app_name = @app::citext AND windows_account = @key::citext",
                Read, cancellationToken, ("app", application), ("key", windowsAccount));
        }

        var rows = await session.ListAsync($"""
            SELECT {Columns}, c.ordinal, c.envelope FROM mappings LEFT JOIN credentials c ON c.mapping_id = mappings.id
            WHERE app_name = @app::citext AND windows_account = @key::citext ORDER BY mappings.id, c.ordinal
            """, reader => (Mapping: Read(reader), Ordinal: reader.IsDBNull(8) ? (int?)null : reader.GetInt32(8),
                Envelope: reader.IsDBNull(9) ? null : reader.GetFieldValue<byte[]>(9)),
            cancellationToken, ("app", application), ("key", windowsAccount));
        if (rows.Count == 0)
        {
            return null;
        }

        var mapping = rows[0].Mapping;
        _prefetched = (mapping.Id, rows.Where(r => r.Mapping.Id == mapping.Id && r.Ordinal is not null).Select(r => (r.Ordinal!.Value, r.Envelope!)).ToList());
        return mapping;
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
        _prefetched is { } prefetched && prefetched.MappingId == mappingId
            ? Task.FromResult(prefetched.Credentials)
            : session.ListAsync("SELECT ordinal, envelope FROM credentials WHERE mapping_id = @id ORDER BY ordinal",
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
