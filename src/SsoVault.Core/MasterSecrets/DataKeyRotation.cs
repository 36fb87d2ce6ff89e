using SsoVault.Core.Crypto;
using SsoVault.Core.Diagnostics;
using SsoVault.Core.Identity;
using SsoVault.Core.Nodes;
using SsoVault.Core.Storage;

namespace SsoVault.Core.MasterSecrets;

/// <param name="ValuesToMove">How many values the job has to move (-1 when not counted, inside <c>secret generate</c>).</param>
public sealed record DataKeyRotationResult(uint NewKeyId, long JobId, long ValuesToMove);

/// <summary>
/// A new data key for new writes, the others retired (they still decrypt), and a re-encryption job that moves every
/// existing value to the new key in the background. Nothing blocks: ENTSSO's "re-encryption in progress" error has no
/// equivalent. Runs on the master secret server, which wraps the new key under the current master secret.
/// </summary>
public static class DataKeyRotation
{
    public static async Task<DataKeyRotationResult> RotateAsync(SsoNode node, Caller caller, CancellationToken cancellationToken)
    {
        DataKeyRotationResult result;
        await using (var session = await SecretServerSession.OpenAsync(node, caller, "Rotating the data key", cancellationToken))
        {
            result = await RotateInAsync(session.Transaction, node, caller, session.Info.SystemId, session.Current, session.WrappedKeys, cancellationToken);
            await session.Transaction.CommitAsync(cancellationToken);
        }

        node.InvalidateKeyRing();
        await using var snapshot = await node.Database.BeginReadAsync(cancellationToken);
        var toMove = (await snapshot.Values.CountByKeyAsync(cancellationToken)).Where(c => c.Key != result.NewKeyId).Sum(c => c.Value);
        return result with { ValuesToMove = toMove };
    }

    /// <summary>Inside the caller's transaction: <c>secret generate</c> rotates the data key in the same commit.</summary>
    internal static async Task<DataKeyRotationResult> RotateInAsync(ISsoTransaction transaction, SsoNode node, Caller caller, Guid systemId,
        MasterSecret wrapUnder, IReadOnlyList<WrappedDataKey> existing, CancellationToken cancellationToken)
    {
        var now = node.Clock.GetUtcNow();
        var id = existing.Select(k => k.Id).DefaultIfEmpty(0u).Max() + 1;
        using (var key = DataKey.Generate(id))
        {
            await transaction.DataKeys.AddAsync(new WrappedDataKey(id, now, wrapUnder.Msid, DataKeyWrapper.Wrap(wrapUnder, systemId, key), DataKeyState.Active),
                cancellationToken);
        }

        await transaction.DataKeys.RetireAllExceptAsync(id, now, cancellationToken);
        var job = await transaction.Values.AddJobAsync(id, now, cancellationToken);
        await transaction.Audit.AddAsync(new AuditEvent(now, AuditEventIds.DataKeyRotated, node.Name, caller.Account,
            $"Data key {id} is now the active key; re-encryption job {job.Id} moves the existing values to it"), cancellationToken);

        // Not counted here: a count reads every value's key index, and this runs under the write lock inside
        // 'secret generate', whose cost must not grow with the data (benchmarks: +25 ms per million values).
        return new DataKeyRotationResult(id, job.Id, ValuesToMove: -1);
    }
}
