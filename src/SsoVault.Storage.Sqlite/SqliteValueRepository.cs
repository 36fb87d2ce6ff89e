using SsoVault.Core.Storage;

namespace SsoVault.Storage.Sqlite;

/// <summary>Encrypted values by data key, for re-encryption and retirement. Rows are addressed by SQLite's rowid.</summary>
internal sealed class SqliteValueRepository(SqliteSession session) : IValueRepository
{
    public async Task<IReadOnlyDictionary<uint, long>> CountByKeyAsync(CancellationToken cancellationToken)
    {
        await using var command = session.Command("""
            SELECT key_id, sum(n) FROM (
                SELECT key_id, count(*) AS n FROM config_values GROUP BY key_id
                UNION ALL
                SELECT key_id, count(*) AS n FROM credentials GROUP BY key_id)
            GROUP BY key_id
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new Dictionary<uint, long>();
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[checked((uint)reader.GetInt64(0))] = reader.GetInt64(1);
        }

        return counts;
    }

    public async Task<IReadOnlyList<StoredValue>> ListNotUnderKeyAsync(ValueTable table, uint keyId, long afterRowId, int limit,
        CancellationToken cancellationToken)
    {
        var sql = table switch
        {
            ValueTable.Config => """
                SELECT rowid, app_name, identifier, property, 0, envelope FROM config_values
                WHERE key_id <> $key AND rowid > $after ORDER BY rowid LIMIT $limit
                """,
            ValueTable.Credentials => """
                SELECT c.rowid, m.app_name, m.windows_account, m.external_user, c.ordinal, c.envelope
                FROM credentials c JOIN mappings m ON m.id = c.mapping_id
                WHERE c.key_id <> $key AND c.rowid > $after ORDER BY c.rowid LIMIT $limit
                """,
            _ => throw new ArgumentOutOfRangeException(nameof(table)),
        };
        await using var command = session.Command(sql, ("$key", (long)keyId), ("$after", afterRowId), ("$limit", limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var values = new List<StoredValue>();
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add(new StoredValue(table, reader.GetInt64(0), [reader.GetString(1), reader.GetString(2), reader.GetString(3)],
                reader.GetInt32(4), (byte[])reader.GetValue(5)));
        }

        return values;
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
        return await session.ExecuteAsync($"UPDATE {name} SET envelope = $new, key_id = $key WHERE rowid = $row AND envelope = $old",
            cancellationToken, ("$new", replacement), ("$key", (long)keyId), ("$row", rowId), ("$old", expected)) == 1;
    }

    public async Task<ReencryptionJobRecord?> GetLatestJobAsync(CancellationToken cancellationToken)
    {
        await using var command = session.Command("""
            SELECT id, target_key_id, started_ms, updated_ms, finished_ms, stage, cursor, processed, skipped
            FROM reencryption_jobs ORDER BY id DESC LIMIT 1
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ReencryptionJobRecord(reader.GetInt64(0), checked((uint)reader.GetInt64(1)), SqliteSession.FromMs(reader.GetInt64(2)),
                SqliteSession.FromMs(reader.GetInt64(3)), SqliteSession.NullableFromMs(reader, 4), (ValueTable)reader.GetInt32(5),
                reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8))
            : null;
    }

    public async Task<ReencryptionJobRecord> AddJobAsync(uint targetKeyId, DateTimeOffset startedUtc, CancellationToken cancellationToken)
    {
        await using var command = session.Command("""
            INSERT INTO reencryption_jobs (target_key_id, started_ms, updated_ms, stage, cursor, processed, skipped)
            VALUES ($key, $at, $at, $stage, 0, 0, 0) RETURNING id
            """, ("$key", (long)targetKeyId), ("$at", SqliteSession.ToMs(startedUtc)), ("$stage", (int)ValueTable.Config));
        var id = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        return new ReencryptionJobRecord(id, targetKeyId, startedUtc, startedUtc, null, ValueTable.Config, 0, 0, 0);
    }

    public Task UpdateJobAsync(ReencryptionJobRecord job, CancellationToken cancellationToken) =>
        session.ExecuteAsync("""
            UPDATE reencryption_jobs SET updated_ms = $updated, finished_ms = $finished, stage = $stage, cursor = $cursor,
                processed = $processed, skipped = $skipped
            WHERE id = $id
            """, cancellationToken,
            ("$id", job.Id), ("$updated", SqliteSession.ToMs(job.UpdatedUtc)), ("$finished", SqliteSession.ToMs(job.FinishedUtc)),
            ("$stage", (int)job.Stage), ("$cursor", job.Cursor), ("$processed", job.Processed), ("$skipped", job.Skipped));
}
