using SsoVault.Core.Crypto;
using SsoVault.Core.Identity;
using SsoVault.Core.Nodes;
using SsoVault.Core.Secrets;
using SsoVault.Core.Security;
using SsoVault.Core.Storage;

namespace SsoVault.Core.MasterSecrets;

/// <summary>
/// The starting point of every procedure that uses the master secret on the secret server: an open write transaction,
/// the global info, the wrapped data keys, the local store, and the key ring unwrapped from them — which proves that
/// the store holds the secrets the database needs before anything is changed.
/// </summary>
internal sealed class SecretServerSession : IAsyncDisposable
{
    private SecretServerSession(ISsoTransaction transaction, SystemInfo info, IReadOnlyList<WrappedDataKey> wrappedKeys,
        SecretStoreContents store, KeyRing ring)
    {
        Transaction = transaction;
        Info = info;
        WrappedKeys = wrappedKeys;
        Store = store;
        Ring = ring;
    }

    public ISsoTransaction Transaction { get; }
    public SystemInfo Info { get; }
    public IReadOnlyList<WrappedDataKey> WrappedKeys { get; }
    public SecretStoreContents Store { get; }
    public KeyRing Ring { get; }

    /// <summary>The current master secret, as the database names it.</summary>
    public MasterSecret Current => Store.Find(Info.Current!.Msid)!;

    /// <summary>The previous master secret, when the database names one and the store holds it.</summary>
    public MasterSecret? Previous => Info.Previous is null ? null : Store.Find(Info.Previous.Msid);

    /// <param name="operation">For the refusal on another node, e.g. "Backing up the master secret".</param>
    public static async Task<SecretServerSession> OpenAsync(SsoNode node, Caller caller, string operation, CancellationToken cancellationToken)
    {
        var transaction = await node.Database.BeginAsync(cancellationToken);
        SecretStoreContents? store = null;
        try
        {
            AccessPolicy.Require(caller, SsoOperation.ManageMasterSecret, await AccessLoader.SystemAsync(transaction, cancellationToken));
            var info = await node.GetSystemInfoAsync(transaction, cancellationToken);
            node.RequireSecretServer(info, operation);
            var wrappedKeys = await transaction.DataKeys.ListAsync(cancellationToken);
            store = KeyRingLoader.LoadStoreFor(node, info);
            var ring = KeyRingLoader.Unwrap(info, wrappedKeys, store.Secrets);
            return new SecretServerSession(transaction, info, wrappedKeys, store, ring);
        }
        catch
        {
            store?.Dispose();
            await transaction.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Ring.Dispose();
        Store.Dispose();
        await Transaction.DisposeAsync();
    }
}
