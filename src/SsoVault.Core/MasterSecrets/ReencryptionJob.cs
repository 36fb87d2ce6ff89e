using SsoVault.Core.Applications;
using SsoVault.Core.Crypto;
using SsoVault.Core.Diagnostics;
using SsoVault.Core.Errors;
using SsoVault.Core.Nodes;
using SsoVault.Core.Storage;

namespace SsoVault.Core.MasterSecrets;

public sealed record ReencryptionProgress(long JobId, uint TargetKeyId, ValueTable Stage, long Processed, long Skipped, long Remaining, bool Finished);

/// <summary>How the job shares the machine: batch size, and how long it rests after each batch (as a multiple of the batch's time).</summary>
public sealed record ReencryptionOptions(int BatchSize = 1000, double RestFactor = 1.0, int? MaxBatches = null)
{
    public static ReencryptionOptions Default { get; } = new();
}

/// <summary>
/// Moves every value to the re-encryption job's target data key, in batches, each in its own transaction together with
/// the job's checkpoint (table and last row), so a kill at any point loses at most one uncommitted batch and a restart
/// resumes where the last commit left off. A value a writer changed meanwhile is not overwritten (compare-and-swap on
/// the envelope): the writer's value is already under the active key. Values that cannot be decrypted are counted and
/// left as they are — they block their key's retirement — rather than stopping the job. Normal operations never wait
/// for it: lookups read snapshots, and each batch's write lock is short.
/// </summary>
public static class ReencryptionJob
{
    /// <summary>Runs the latest unfinished job to its end (or for <see cref="ReencryptionOptions.MaxBatches"/>); null when there is none.</summary>
    public static async Task<ReencryptionProgress?> RunAsync(SsoNode node, ReencryptionOptions options, IProgress<ReencryptionProgress>? progress,
        CancellationToken cancellationToken)
    {
        ReencryptionProgress? last = null;
        long passProcessedAtStart = -1;
        var ring = await RingWithEveryKeyAsync(node, cancellationToken);
        for (var batches = 0; options.MaxBatches is not { } max || batches < max; batches++)
        {
            var started = node.Clock.GetTimestamp();
            await using var transaction = await node.Database.BeginAsync(cancellationToken);
            var job = await transaction.Values.GetLatestJobAsync(cancellationToken);
            if (job is null || job.FinishedUtc is not null)
            {
                return job is null ? null : await ReportAsync(transaction, job, progress, cancellationToken);
            }

            var target = ring.Find(job.TargetKeyId) ?? throw new SsoException(SsoErrorCode.SecretUnavailable,
                $"Data key {job.TargetKeyId} of re-encryption job {job.Id} was made while this run was going on.",
                "Run the job again: 'ssovault secret reencrypt' (a server does so at its next maintenance interval).");
            var batch = await transaction.Values.ListNotUnderKeyAsync(job.Stage, job.TargetKeyId, job.Cursor, options.BatchSize, cancellationToken);
            job = batch.Count == 0
                ? await NextStageAsync(transaction, node, job, passProcessedAtStart, cancellationToken)
                : await MoveAsync(transaction, ring, target, job, batch, node.Clock.GetUtcNow(), cancellationToken);
            if (job.Stage == ValueTable.Config && job.Cursor == 0 && batch.Count == 0)
            {
                passProcessedAtStart = job.Processed;
            }

            await transaction.Values.UpdateJobAsync(job, cancellationToken);
            FaultInjection.CrashPoint("reencrypt.before-commit");
            // The values' plaintexts are unchanged, so no cached answer goes stale: no need to wait out the epoch leases.
            await transaction.CommitKeepingAnswersAsync(cancellationToken);
            FaultInjection.CrashPoint("reencrypt.between-batches");
            if (job.FinishedUtc is not null)
            {
                node.Logger.ReencryptionFinished(job.Id, job.TargetKeyId, job.Processed, job.Skipped);
                return await ReportAsync(node, job, progress, cancellationToken);
            }

            // Counting what remains reads every table's key index: only worth it when someone is watching.
            last = progress is null ? null : await ReportAsync(node, job, progress, cancellationToken);

            if (batch.Count > 0 && options.RestFactor > 0)
            {
                await Task.Delay(node.Clock.GetElapsedTime(started) * options.RestFactor, node.Clock, cancellationToken);
            }
        }

        return last ?? await CurrentAsync(node, cancellationToken);
    }

    /// <summary>
    /// The key ring with every data key the database lists, fetched once before the run's write transactions: a node
    /// that is not the secret server must never wait for the secret server while it holds the write lock.
    /// </summary>
    private static async Task<KeyRing> RingWithEveryKeyAsync(SsoNode node, CancellationToken cancellationToken)
    {
        var ring = await node.GetKeyRingAsync(cancellationToken);
        await using var read = await node.Database.BeginReadAsync(cancellationToken);
        var keys = await read.DataKeys.ListAsync(cancellationToken);
        return keys.All(k => ring.Find(k.Id) is not null) ? ring : await node.RefreshKeyRingAsync(cancellationToken);
    }

    /// <summary>The latest job's progress, or null when there has been none.</summary>
    public static async Task<ReencryptionProgress?> CurrentAsync(SsoNode node, CancellationToken cancellationToken)
    {
        await using var transaction = await node.Database.BeginReadAsync(cancellationToken);
        var job = await transaction.Values.GetLatestJobAsync(cancellationToken);
        return job is null ? null : await ReportAsync(transaction, job, null, cancellationToken);
    }

    private static async Task<ReencryptionJobRecord> MoveAsync(ISsoTransaction transaction, KeyRing ring, DataKey target, ReencryptionJobRecord job,
        IReadOnlyList<StoredValue> batch, DateTimeOffset now, CancellationToken cancellationToken)
    {
        long moved = 0, skipped = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            if (i == batch.Count / 2)
            {
                FaultInjection.CrashPoint("reencrypt.mid-batch");
            }

            var value = batch[i];
            var identity = IdentityOf(value);
            byte[] plaintext;
            try
            {
                plaintext = ring.Decrypt(identity, value.Envelope);
            }
            catch (SsoException e) when (e.Code == SsoErrorCode.DecryptionFailed)
            {
                skipped++;
                continue;
            }

            try
            {
                var replacement = ValueEnvelope.Encrypt(target, identity, plaintext);
                if (await transaction.Values.ReplaceEnvelopeAsync(value.Table, value.RowId, value.Envelope, replacement, target.Id, cancellationToken))
                {
                    moved++;
                }
            }
            finally
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(plaintext);
            }
        }

        await transaction.DataKeys.AddEncryptionsAsync(target.Id, moved, cancellationToken);
        return job with { Cursor = batch[^1].RowId, Processed = job.Processed + moved, Skipped = job.Skipped + skipped, UpdatedUtc = now };
    }

    /// <summary>
    /// The end of a table: on to the next; after the last, either done (only undecryptable values remain) or another
    /// pass, for values a writer with an older key ring put under an old key meanwhile.
    /// </summary>
    private static async Task<ReencryptionJobRecord> NextStageAsync(ISsoTransaction transaction, SsoNode node, ReencryptionJobRecord job,
        long passProcessedAtStart, CancellationToken cancellationToken)
    {
        var now = node.Clock.GetUtcNow();
        if (job.Stage == ValueTable.Config)
        {
            return job with { Stage = ValueTable.Credentials, Cursor = 0, UpdatedUtc = now };
        }

        var remaining = await RemainingAsync(transaction, job.TargetKeyId, cancellationToken);
        var passMadeNoProgress = passProcessedAtStart == job.Processed;
        if (remaining == 0 || passMadeNoProgress)
        {
            await transaction.Audit.AddAsync(new AuditEvent(now, AuditEventIds.ReencryptionFinished, node.Name, "re-encryption job",
                $"Re-encryption job {job.Id} finished: {job.Processed} values moved to data key {job.TargetKeyId}, {remaining} left behind"), cancellationToken);
            return job with { FinishedUtc = now, UpdatedUtc = now, Skipped = remaining };
        }

        return job with { Stage = ValueTable.Config, Cursor = 0, Skipped = 0, UpdatedUtc = now };
    }

    private static async Task<long> RemainingAsync(ISsoTransaction transaction, uint target, CancellationToken cancellationToken) =>
        (await transaction.Values.CountByKeyAsync(cancellationToken)).Where(c => c.Key != target).Sum(c => c.Value);

    private static async Task<ReencryptionProgress> ReportAsync(ISsoTransaction transaction, ReencryptionJobRecord job,
        IProgress<ReencryptionProgress>? progress, CancellationToken cancellationToken)
    {
        var report = new ReencryptionProgress(job.Id, job.TargetKeyId, job.Stage, job.Processed, job.Skipped,
            await RemainingAsync(transaction, job.TargetKeyId, cancellationToken), job.FinishedUtc is not null);
        progress?.Report(report);
        return report;
    }

    private static async Task<ReencryptionProgress> ReportAsync(SsoNode node, ReencryptionJobRecord job, IProgress<ReencryptionProgress>? progress,
        CancellationToken cancellationToken)
    {
        await using var transaction = await node.Database.BeginReadAsync(cancellationToken);
        return await ReportAsync(transaction, job, progress, cancellationToken);
    }

    /// <summary>The identity a stored value is bound to, rebuilt from its row.</summary>
    internal static RecordIdentity IdentityOf(StoredValue value) => value.Table switch
    {
        ValueTable.Config => RecordIdentity.ConfigProperty(value.IdentityParts[0], value.IdentityParts[1], value.IdentityParts[2]),
        ValueTable.Credentials => CredentialIdentity.For(value.IdentityParts[0], value.IdentityParts[1], value.IdentityParts[2], value.Ordinal),
        _ => throw new ArgumentOutOfRangeException(nameof(value)),
    };
}
