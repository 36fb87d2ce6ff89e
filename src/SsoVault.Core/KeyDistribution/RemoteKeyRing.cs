using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using SsoVault.Core.Crypto;
using SsoVault.Core.Diagnostics;
using SsoVault.Core.Errors;
using SsoVault.Core.MasterSecrets;
using SsoVault.Core.Nodes;
using SsoVault.Core.Storage;

namespace SsoVault.Core.KeyDistribution;

/// <summary>
/// A node that is not the master secret server gets its key ring from it: a signed request with a fresh ephemeral
/// key, an answer signed by the secret server's registered identity key, each data key sealed for this request only.
/// The keys live in this process's memory, never on disk.
/// </summary>
public static class RemoteKeyRing
{
    public const string Path = "/v1/nodes/key-ring";

    public static async Task<KeyRing> FetchAsync(SsoNode node, SystemInfo info, IReadOnlyList<WrappedDataKey> wrappedKeys,
        NodeRecord? secretServer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(info);
        if (secretServer is null)
        {
            throw new SsoException(SsoErrorCode.SecretUnavailable, $"The master secret server '{info.SecretServer}' is not a node of this SSO system.",
                "Point the database at a node that joined: ssovault system update --secret-server NODE");
        }

        using var identity = NodeIdentity.Load(node.Home);
        using var ephemeral = ChannelKey.NewEphemeral();
        var ephemeralKey = ephemeral.ExportSubjectPublicKeyInfo();
        var nonce = RandomNumberGenerator.GetBytes(32);
        var time = node.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        var request = new KeyRingRequest(node.Name, time, nonce, ephemeralKey,
            identity.Sign(KeyRingRequest.SignedBytes(info.SystemId, node.Name, time, nonce, ephemeralKey)));
        KeyRingGrant grant;
        try
        {
            grant = await NodeChannel.PostAsync<KeyRingRequest, KeyRingGrant>(secretServer, "master secret server", Path, request, cancellationToken);
        }
        catch (SsoException e) when (e.Code == SsoErrorCode.ServerUnavailable)
        {
            throw new SsoException(SsoErrorCode.SecretUnavailable,
                $"This node ('{node.Name}') waits for data keys {string.Join(", ", wrappedKeys.Select(k => k.Id))} from the master secret server: {e.Message}",
                $"{e.Hint} If '{secretServer.Name}' is lost, make this node the secret server: ssovault system update --secret-server {node.Name}, " +
                "then ssovault secret restore FILE", e);
        }

        var ring = Open(info, wrappedKeys, secretServer, request, grant, ephemeral);
        node.Logger.KeyRingReceived(secretServer.Name, ring.KeyIds.Count);
        return ring;
    }

    private static KeyRing Open(SystemInfo info, IReadOnlyList<WrappedDataKey> wrappedKeys, NodeRecord secretServer, KeyRingRequest request,
        KeyRingGrant grant, ECDiffieHellman ephemeral)
    {
        var signed = KeyRingGrant.SignedBytes(info.SystemId, secretServer.Name, request.Nonce, grant.EphemeralKey, grant.Keys);
        if (secretServer.IdentityKey is null || !string.Equals(grant.SecretServer, secretServer.Name, StringComparison.OrdinalIgnoreCase)
                                             || !NodeIdentity.Verify(secretServer.IdentityKey, signed, grant.Signature))
        {
            throw new SsoException(SsoErrorCode.SecretUnavailable,
                $"The answer from '{secretServer.Name}' is not signed by the identity key the database records for the master secret server. No key was accepted.",
                $"Restart 'ssovault serve' on '{secretServer.Name}' (it registers its key), and check that nothing else answers at {secretServer.Address}.");
        }

        var channel = ChannelKey.Derive(ephemeral, grant.EphemeralKey, request.Nonce,
            $"{KeyRingGrant.ChannelLabel}|{info.SystemId}|{request.Node.ToLowerInvariant()}");
        var keys = new List<DataKey>(grant.Keys.Count);
        try
        {
            foreach (var sealedKey in grant.Keys)
            {
                var bytes = ChannelKey.Open(channel, sealedKey.Sealed, KeyRingGrant.AssociatedData(info.SystemId, sealedKey.Id));
                try
                {
                    keys.Add(new DataKey(sealedKey.Id, bytes));
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(bytes);
                }
            }

            var missing = wrappedKeys.Select(k => k.Id).Except(keys.Select(k => k.Id)).ToList();
            if (missing.Count > 0)
            {
                throw new SsoException(SsoErrorCode.SecretUnavailable,
                    $"The master secret server '{secretServer.Name}' sent no data key {string.Join(", ", missing)}; it may not have loaded them yet.",
                    "Try again in a moment; if it persists, restart 'ssovault serve' on the master secret server.");
            }

            return new KeyRing(keys, KeyRingLoader.CurrentKeyId(wrappedKeys));
        }
        catch (CryptographicException e)
        {
            keys.ForEach(k => k.Dispose());
            throw new SsoException(SsoErrorCode.SecretUnavailable, $"A data key from '{secretServer.Name}' failed its integrity check. No key was accepted.",
                "Check that both nodes run the same SsoVault version.", e);
        }
        catch
        {
            keys.ForEach(k => k.Dispose());
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(channel);
        }
    }
}
