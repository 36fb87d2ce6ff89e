using Microsoft.Extensions.Logging;
using SsoVault.Core.Crypto;
using SsoVault.Core.Diagnostics;
using SsoVault.Core.Errors;
using SsoVault.Core.KeyDistribution;
using SsoVault.Core.Nodes;
using SsoVault.Core.Secrets;
using SsoVault.Core.Storage;

namespace SsoVault.Core.MasterSecrets;

/// <summary>
/// Loads the key ring. On the master secret server (or any node whose local store holds every secret the key ring is
/// wrapped under) it unwraps the database's data keys locally; each data key names the MSID it is wrapped under, so a
/// store that holds more secrets than needed (an interrupted generate) works as well, and a missing secret is reported
/// by its MSID. Any other node asks the master secret server for the data keys (<see cref="RemoteKeyRing"/>).
/// </summary>
public static class KeyRingLoader
{
    /// <param name="allowRemote">False inside a write transaction: asking the master secret server while holding the
    /// database's write lock could deadlock with it, so a node that would need to ask gets SecretUnavailable instead.</param>
    public static async Task<KeyRing> LoadAsync(SsoNode node, CancellationToken cancellationToken, bool allowRemote = true)
    {
        SystemInfo info;
        IReadOnlyList<WrappedDataKey> keys;
        NodeRecord? secretServer;
        await using (var transaction = await node.Database.BeginReadAsync(cancellationToken))
        {
            info = await node.GetSystemInfoAsync(transaction, cancellationToken);
            keys = await transaction.DataKeys.ListAsync(cancellationToken);
            secretServer = await transaction.Nodes.FindAsync(info.SecretServer, cancellationToken);
        }

        // The secret server must hold the secrets (its errors name the fix); another node uses its store only when the
        // store can unwrap every key (it restored a backup, or was the secret server before), and else asks.
        using var store = node.IsSecretServer(info) ? LoadStoreFor(node, info) : LoadStoreHoldingEvery(node, info, keys);
        if (store is null)
        {
            return allowRemote
                ? await RemoteKeyRing.FetchAsync(node, info, keys, secretServer, cancellationToken)
                : throw new SsoException(SsoErrorCode.SecretUnavailable, $"This node would have to ask '{info.SecretServer}' for the data keys.",
                    "The keys are fetched outside the write transaction.");
        }

        var ring = Unwrap(info, keys, store.Secrets);
        node.Logger.KeyRingLoaded(ring.KeyIds.Count, info.Current!.Msid);
        return ring;
    }

    /// <summary>The local store when it can unwrap every data key; null when it is missing, damaged, foreign or short.</summary>
    private static SecretStoreContents? LoadStoreHoldingEvery(SsoNode node, SystemInfo info, IReadOnlyList<WrappedDataKey> keys)
    {
        if (!node.SecretStore.Exists)
        {
            return null;
        }

        SecretStoreContents? store;
        try
        {
            store = node.SecretStore.Load();
        }
        catch (SsoException)
        {
            return null;
        }

        if (store is not null && store.SystemId == info.SystemId && keys.All(k => store.Find(k.WrappedUnderMsid) is not null))
        {
            return store;
        }

        store?.Dispose();
        return null;
    }

    /// <summary>The id of the key that encrypts: the newest active one (the newest of all when none is marked active).</summary>
    public static uint CurrentKeyId(IReadOnlyList<WrappedDataKey> keys) =>
        keys.Where(k => k.State == DataKeyState.Active).Select(k => k.Id).DefaultIfEmpty(keys[^1].Id).Max();

    /// <summary>Reads the local store, refusing with an error that names the fix when it cannot serve this system.</summary>
    public static SecretStoreContents LoadStoreFor(SsoNode node, SystemInfo info)
    {
        var store = node.SecretStore.Load();
        if (store is null)
        {
            throw node.IsSecretServer(info)
                ? new SsoException(SsoErrorCode.SecretUnavailable,
                    $"This node ('{node.Name}') is the master secret server but holds no master secret " +
                    $"(the database needs {Describe(info.Current)}).",
                    "Restore the master secret from its backup file: ssovault secret restore FILE")
                : new SsoException(SsoErrorCode.SecretUnavailable,
                    $"This node ('{node.Name}') holds no master secret; the master secret server is '{info.SecretServer}'.",
                    $"Run this on '{info.SecretServer}'. To make this node the secret server: " +
                    $"ssovault system update --secret-server {node.Name}, then ssovault secret restore FILE");
        }

        if (store.SystemId != info.SystemId)
        {
            store.Dispose();
            throw new SsoException(SsoErrorCode.SecretUnavailable,
                $"The local secret store {node.SecretStore.FilePath} belongs to SSO system {store.SystemId}, not to {info.SystemId}.",
                "Restore this system's backup on this node: ssovault secret restore FILE");
        }

        return store;
    }

    /// <summary>Unwraps every data key; the newest active key becomes the one that encrypts.</summary>
    public static KeyRing Unwrap(SystemInfo info, IReadOnlyList<WrappedDataKey> wrappedKeys, IReadOnlyList<MasterSecret> secrets)
    {
        if (wrappedKeys.Count == 0)
        {
            throw new SsoException(SsoErrorCode.DatabaseUnavailable, "The SSO database has no data keys.",
                "The database is incomplete: restore it from a database backup.");
        }

        var unwrapped = new List<DataKey>(wrappedKeys.Count);
        try
        {
            foreach (var wrapped in wrappedKeys)
            {
                var secret = secrets.FirstOrDefault(s => s.Msid == wrapped.WrappedUnderMsid) ?? throw new SsoException(
                    SsoErrorCode.SecretUnavailable,
                    $"Data key {wrapped.Id} is wrapped under master secret {wrapped.WrappedUnderMsid}, which this node does not hold " +
                    $"(it holds {string.Join(", ", secrets.Select(s => s.Msid))}).",
                    $"Restore the backup that holds master secret {wrapped.WrappedUnderMsid}: ssovault secret restore FILE");
                unwrapped.Add(DataKeyWrapper.Unwrap(secret, info.SystemId, wrapped.Id, wrapped.Wrapped));
            }

            return new KeyRing(unwrapped, CurrentKeyId(wrappedKeys));
        }
        catch
        {
            unwrapped.ForEach(k => k.Dispose());
            throw;
        }
    }

    internal static string Describe(MasterSecretInfo? secret) =>
        secret is null ? "no secret" : $"master secret {secret.Msid} (kcv {secret.KeyCheck})";
}
