using SsoVault.Core.Crypto;
using SsoVault.Core.Diagnostics;
using SsoVault.Core.Identity;
using SsoVault.Core.Nodes;
using SsoVault.Core.Storage;

namespace SsoVault.Core.MasterSecrets;

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
        return result;
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
        var toMove = (await transaction.Values.CountByKeyAsync(cancellationToken)).Where(c => c.Key != id).Sum(c => c.Value);
        await transaction.Audit.AddAsync(new AuditEvent(now, AuditEventIds.DataKeyRotated, node.Name, caller.Account,
            $"Data key {id} is now the active key; re-encryption job {job.Id} moves {toMove} values to it"), cancellationToken);
        return new DataKeyRotationResult(id, job.Id, toMove);
    }
}
