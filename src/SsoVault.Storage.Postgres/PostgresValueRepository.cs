using SsoVault.Core.Storage;

namespace SsoVault.Storage.Postgres;

/// <summary>Encrypted values by data key, for re-encryption and retirement; rows are addressed by their identity column row_id.</summary>
internal sealed class PostgresValueRepository(PostgresSession session) : IValueRepository
{
    public async Task<IReadOnlyDictionary<uint, long>> CountByKeyAsync(CancellationToken cancellationToken)
    {
        var rows = await session.ListAsync("""
            SELECT key_id, sum(n)::bigint FROM (
                SELECT key_id, count(*) AS n FROM config_values GROUP BY key_id
                UNION ALL
                SELECT key_id, count(*) AS n FROM credentials GROUP BY key_id) AS counts
            GROUP BY key_id
            """, reader => (Key: checked((uint)reader.GetInt64(0)), Count: reader.GetInt64(1)), cancellationToken);
        return rows.ToDictionary(r => r.Key, r => r.Count);
    }

    public Task<IReadOnlyList<StoredValue>> ListNotUnderKeyAsync(ValueTable table, uint keyId, long afterRowId, int limit,
        CancellationToken cancellationToken)
    {
        var sql = table switch
        {
            ValueTable.Config => """
                SELECT row_id, app_name::text, identifier, property, 0, envelope FROM config_values
                WHERE key_id <> @key AND row_id > @after ORDER BY row_id LIMIT @limit
                """,
            ValueTable.Credentials => """
                SELECT c.row_id, m.app_name::text, m.windows_account::text, m.external_user::text, c.ordinal, c.envelope
                FROM credentials c JOIN mappings m ON m.id = c.mapping_id
                WHERE c.key_id <> @key AND c.row_id > @after ORDER BY c.row_id LIMIT @limit
                """,
            _ => throw new ArgumentOutOfRangeException(nameof(table)),
        };
        return session.ListAsync(sql, reader => new StoredValue(table, reader.GetInt64(0),
                [reader.GetString(1), reader.GetString(2), reader.GetString(3)], reader.GetInt32(4), reader.GetFieldValue<byte[]>(5)),
            cancellationToken, ("key", (long)keyId), ("after", afterRowId), ("limit", limit));
    }

    public async Task<bool> ReplaceEnvelopeAsync(ValueTable table, long rowId, byte[] expected, byte[] replacement, uint keyId,
        CancellationToken cancellationToken)
    {
        var name = table switch
        {
            ValueTable.Config => "config_values",
            ValueTable.Credentials => "credentials",
            _ => throw new ArgumentOutOfRangeException(nameof(table)),
        };
        return await session.ExecuteAsync($"UPDATE {name} SET envelope = @new, key_id = @key WHERE row_id = @row AND envelope = @old",
            cancellationToken, ("new", replacement), ("key", (long)keyId), ("row", rowId), ("old", expected)) == 1;
    }

    public Task<ReencryptionJobRecord?> GetLatestJobAsync(CancellationToken cancellationToken) =>
        session.FirstOrDefaultAsync("""
            SELECT id, target_key_id, started_ms, updated_ms, finished_ms, stage, cursor, processed, skipped
            FROM reencryption_jobs ORDER BY id DESC LIMIT 1
            """, reader => new ReencryptionJobRecord(reader.GetInt64(0), checked((uint)reader.GetInt64(1)), PostgresSession.FromMs(reader.GetInt64(2)),
                PostgresSession.FromMs(reader.GetInt64(3)), PostgresSession.NullableFromMs(reader, 4), (ValueTable)reader.GetInt32(5),
                reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8)), cancellationToken);

    public async Task<ReencryptionJobRecord> AddJobAsync(uint targetKeyId, DateTimeOffset startedUtc, CancellationToken cancellationToken)
    {
        await using var command = session.Command("""
            INSERT INTO reencryption_jobs (target_key_id, started_ms, updated_ms, stage, cursor, processed, skipped)
            VALUES (@key, @at, @at, @stage, 0, 0, 0) RETURNING id
            """, ("key", (long)targetKeyId), ("at", PostgresSession.ToMs(startedUtc)), ("stage", (int)ValueTable.Config));
        var id = (long)(await session.Guard(command.ExecuteScalarAsync(cancellationToken)))!;
        return new ReencryptionJobRecord(id, targetKeyId, startedUtc, startedUtc, null, ValueTable.Config, 0, 0, 0);
    }

    public Task UpdateJobAsync(ReencryptionJobRecord job, CancellationToken cancellationToken) =>
        session.ExecuteAsync("""
            UPDATE reencryption_jobs SET updated_ms = @updated, finished_ms = @finished, stage = @stage, cursor = @cursor,
                processed = @processed, skipped = @skipped
            WHERE id = @id
            """, cancellationToken,
            ("id", job.Id), ("updated", PostgresSession.ToMs(job.UpdatedUtc)), ("finished", PostgresSession.ToMs(job.FinishedUtc)),
            ("stage", (int)job.Stage), ("cursor", job.Cursor), ("processed", job.Processed), ("skipped", job.Skipped));
}
