using SsoVault.Core.Backup;
using SsoVault.Core.Crypto;
using SsoVault.Core.Errors;
using SsoVault.Core.Identity;
using SsoVault.Core.Nodes;
using SsoVault.Core.Security;
using SsoVault.Core.Storage;

namespace SsoVault.Core.MasterSecrets;

public sealed record DrillSample(ValueTable Table, string Record, uint DataKeyId, bool Decrypted);

public sealed record RestoreDrillResult(
    string BackupPath,
    IReadOnlyList<Guid> SecretsInBackup,
    IReadOnlyList<uint> DataKeysUnwrapped,
    IReadOnlyList<uint> DataKeysNotUnwrapped,
    IReadOnlyDictionary<uint, long> ValuesPerDataKey,
    IReadOnlyList<DrillSample> Samples,
    bool Passed,
    string Verdict);

/// <summary>
/// A restore rehearsal that touches nothing: the backup's secrets are opened in memory (never written to the secret
/// store), the key ring is unwrapped from a read-only snapshot of the live database, and a random sample of real values
/// from every table is decrypted. It proves the backup would bring the data back, before a disaster needs it.
/// </summary>
public static class RestoreDrill
{
    public const int DefaultSampleSize = 100;

    public static async Task<RestoreDrillResult> RunAsync(SsoNode node, Caller caller, string backupPath, BackupPassword password, int sampleSize,
        CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(backupPath);
        var (_, opened) = BackupFileReader.Open(BackupFiles.Read(fullPath), password);
        var secrets = opened.Select(s => s.Secret).ToList();
        try
        {
            await using var transaction = await node.Database.BeginReadAsync(cancellationToken);
            AccessPolicy.Require(caller, SsoOperation.ManageMasterSecret, await AccessLoader.SystemAsync(transaction, cancellationToken));
            var info = await node.GetSystemInfoAsync(transaction, cancellationToken);
            var unwrapped = new List<DataKey>();
            var missing = new List<uint>();
            foreach (var wrapped in await transaction.DataKeys.ListAsync(cancellationToken))
            {
                var secret = secrets.FirstOrDefault(s => s.Msid == wrapped.WrappedUnderMsid);
                if (secret is not null && DataKeyWrapper.TryUnwrap(secret, info.SystemId, wrapped.Id, wrapped.Wrapped, out var key))
                {
                    unwrapped.Add(key);
                }
                else
                {
                    missing.Add(wrapped.Id);
                }
            }

            try
            {
                var counts = await transaction.Values.CountByKeyAsync(cancellationToken);
                var samples = new List<DrillSample>();
                foreach (var table in Enum.GetValues<ValueTable>())
                {
                    foreach (var value in await SampleAsync(transaction, table, sampleSize, counts.Values.Sum(), cancellationToken))
                    {
                        var keyId = ValueEnvelope.TryReadKeyId(value.Envelope) ?? 0;
                        var key = unwrapped.FirstOrDefault(k => k.Id == keyId);
                        var ok = key is not null && TryDecrypt(key, value);
                        samples.Add(new DrillSample(table, string.Join("/", value.IdentityParts) + (table == ValueTable.Credentials ? $"#{value.Ordinal}" : ""), keyId, ok));
                    }
                }

                var passed = missing.Count == 0 && samples.All(s => s.Decrypted);
                var verdict = passed
                    ? $"Passed: the backup unwraps all {unwrapped.Count} data keys and decrypted {samples.Count} of {counts.Values.Sum():N0} stored values sampled at random."
                    : missing.Count > 0
                        ? $"Failed: the backup cannot unwrap data keys {string.Join(", ", missing)}; values under them would be lost."
                        : $"Failed: {samples.Count(s => !s.Decrypted)} sampled values did not decrypt.";
                return new RestoreDrillResult(fullPath, secrets.Select(s => s.Msid).ToList(), unwrapped.Select(k => k.Id).ToList(), missing,
                    counts, samples, passed, verdict);
            }
            finally
            {
                unwrapped.ForEach(k => k.Dispose());
            }
        }
        finally
        {
            secrets.ForEach(s => s.Dispose());
        }
    }

    /// <summary>Up to <paramref name="count"/> consecutive values from a random starting row, wrapping around to the first.</summary>
    private static async Task<IReadOnlyList<StoredValue>> SampleAsync(ISsoTransaction transaction, ValueTable table, int count, long total,
        CancellationToken cancellationToken)
    {
        // Key id 0 never exists, so "not under key 0" is every value.
        var start = total > count ? Random.Shared.NextInt64(total - count) : 0;
        var sample = (await transaction.Values.ListNotUnderKeyAsync(table, 0, start, count, cancellationToken)).ToList();
        if (sample.Count < count && start > 0)
        {
            sample.AddRange(await transaction.Values.ListNotUnderKeyAsync(table, 0, 0, count - sample.Count, cancellationToken));
        }

        return sample.DistinctBy(v => v.RowId).ToList();
    }

    private static bool TryDecrypt(DataKey key, StoredValue value)
    {
        try
        {
            var plaintext = ValueEnvelope.Decrypt(id => id == key.Id ? key : null, ReencryptionJob.IdentityOf(value), value.Envelope);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(plaintext);
            return true;
        }
        catch (SsoException e) when (e.Code == SsoErrorCode.DecryptionFailed)
        {
            return false;
        }
    }
}
