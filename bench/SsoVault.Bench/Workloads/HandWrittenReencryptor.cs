using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using SsoVault.Bench.Fixtures;

namespace SsoVault.Bench.Workloads;

/// <summary>
/// The limit of re-encryption: a hand-written loop over the credentials of the same file in batches of 1,000, one
/// write transaction per batch with the same durability as SsoVault's connections (WAL, <c>synchronous = FULL</c>):
/// read the batch (joined with its mapping to rebuild each record identity), decrypt, encrypt with a fresh nonce,
/// update the row. It re-encrypts under the current data key, so the values stay readable by the node for the next
/// repetition; the cipher work is the same under any key.
/// </summary>
internal static class HandWrittenReencryptor
{
    public const int BatchSize = 1_000;

    /// <summary>Moves every credential once; returns how many. Bounded by the row count it expects and by the token.</summary>
    public static long Run(string databasePath, uint keyId, byte[] key, long expectedValues, CancellationToken cancellationToken)
    {
        using var aes = new AesGcm(key, RawEnvelope.TagSize);
        CryptographicOperations.ZeroMemory(key);
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        connection.Open();
        using (var pragmas = connection.CreateCommand())
        {
            pragmas.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000;";
            pragmas.ExecuteNonQuery();
        }

        using var select = connection.CreateCommand();
        select.CommandText = """
            SELECT c.rowid, m.app_name, m.windows_account, m.external_user, c.ordinal, c.envelope
            FROM credentials c JOIN mappings m ON m.id = c.mapping_id
            WHERE c.rowid > $after ORDER BY c.rowid LIMIT $limit
            """;
        var after = select.Parameters.Add("$after", SqliteType.Integer);
        select.Parameters.AddWithValue("$limit", BatchSize);
        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE credentials SET envelope = $envelope, key_id = $key WHERE rowid = $row";
        var envelopeParameter = update.Parameters.Add("$envelope", SqliteType.Blob);
        update.Parameters.AddWithValue("$key", (long)keyId);
        var row = update.Parameters.Add("$row", SqliteType.Integer);
        select.Prepare();
        update.Prepare();

        var plaintext = new byte[4096];
        long cursor = 0, moved = 0;
        var maxBatches = expectedValues / BatchSize + 2;
        for (var batch = 0L; batch < maxBatches; batch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var transaction = connection.BeginTransaction(deferred: false);
            select.Transaction = transaction;
            update.Transaction = transaction;
            after.Value = cursor;
            var rows = new List<(long RowId, byte[] Record, byte[] Envelope)>(BatchSize);
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    rows.Add((reader.GetInt64(0),
                        CredentialRecordIdentity.For(reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4)).Bytes,
                        (byte[])reader.GetValue(5)));
                }
            }

            if (rows.Count == 0)
            {
                return moved;
            }

            foreach (var (rowId, record, envelope) in rows)
            {
                var length = RawEnvelope.PlaintextLength(envelope);
                RawEnvelope.Open(aes, envelope, record, plaintext.AsSpan(0, length));
                var replacement = new byte[envelope.Length];
                RawEnvelope.Seal(aes, keyId, record, plaintext.AsSpan(0, length), replacement);
                envelopeParameter.Value = replacement;
                row.Value = rowId;
                moved += update.ExecuteNonQuery();
            }

            CryptographicOperations.ZeroMemory(plaintext);
            transaction.Commit();
            cursor = rows[^1].RowId;
        }

        throw new InvalidOperationException($"The hand-written re-encryption did not finish within {maxBatches} batches.");
    }
}
