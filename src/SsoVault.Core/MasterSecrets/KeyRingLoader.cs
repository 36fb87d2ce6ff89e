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
    public static async Task<KeyRing> LoadAsync(SsoNode node, CancellationToken cancellationToken)
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

        if (!node.IsSecretServer(info) && !HoldsEverySecret(node, info, keys))
        {
            return await RemoteKeyRing.FetchAsync(node, info, keys, secretServer, cancellationToken);
        }

        using var store = LoadStoreFor(node, info);
        var ring = Unwrap(info, keys, store.Secrets);
        node.Logger.KeyRingLoaded(ring.KeyIds.Count, info.Current!.Msid);
        return ring;
    }

    /// <summary>True when the local store can unwrap every data key (a node that restored a backup, or a former secret server).</summary>
    private static bool HoldsEverySecret(SsoNode node, SystemInfo info, IReadOnlyList<WrappedDataKey> keys)
    {
        if (!node.SecretStore.Exists)
        {
            return false;
        }

        try
        {
            using var store = node.SecretStore.Load();
            return store is not null && store.SystemId == info.SystemId && keys.All(k => store.Find(k.WrappedUnderMsid) is not null);
        }
        catch (SsoException)
        {
            return false;
        }
    }

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

            var current = wrappedKeys.Where(k => k.State == DataKeyState.Active).Select(k => k.Id).DefaultIfEmpty(wrappedKeys[^1].Id).Max();
            return new KeyRing(unwrapped, current);
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
