using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using SsoVault.Core.Crypto;
using SsoVault.Core.Diagnostics;
using SsoVault.Core.Errors;
using SsoVault.Core.Nodes;
using SsoVault.Core.Storage;

namespace SsoVault.Core.KeyDistribution;

/// <summary>
/// The master secret server's side of key distribution: it checks that the request comes from an approved node
/// (signature with the identity key the database records, time within <see cref="ClockSkew"/>), then seals every data
/// key for that node's ephemeral key. The master secret never leaves; only the data keys it unwraps do. Every grant and
/// every refusal is audited. A replayed request gains nothing: the answer is sealed for the original ephemeral key.
/// </summary>
public static class KeyRingRelease
{
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public static async Task<KeyRingGrant> GrantAsync(SsoNode node, KeyRingRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(request);
        SystemInfo info;
        NodeRecord? requester;
        NodeRecord? self;
        IReadOnlyList<WrappedDataKey> wrappedKeys;
        await using (var transaction = await node.Database.BeginReadAsync(cancellationToken))
        {
            info = await node.GetSystemInfoAsync(transaction, cancellationToken);
            wrappedKeys = await transaction.DataKeys.ListAsync(cancellationToken);
            requester = await transaction.Nodes.FindAsync(request.Node, cancellationToken);
            self = await transaction.Nodes.FindAsync(node.Name, cancellationToken);
        }

        node.RequireSecretServer(info, "Releasing data keys to another node");
        var refusal = Check(node, info, requester, request);
        if (refusal is not null)
        {
            NodeAudit.WriteAfterAnswer(node, AuditEventIds.KeyRingRefused, request.Node, $"Data keys refused to node '{request.Node}': {refusal.Message}");
            node.Logger.KeyRingRefused(request.Node, refusal.Code.ToString());
            throw refusal;
        }

        using var identity = NodeIdentity.Load(node.Home);
        if (self?.IdentityKey is null || !self.IdentityKey.AsSpan().SequenceEqual(identity.PublicKey))
        {
            throw new SsoException(SsoErrorCode.SecretUnavailable,
                $"The master secret server '{node.Name}' has not registered its identity key in the database.",
                $"Restart 'ssovault serve' on '{node.Name}': it registers the key at start.");
        }

        // A key made since this process loaded its ring (by 'secret generate' in another process) is unwrapped now.
        var ring = await node.GetKeyRingAsync(cancellationToken);
        if (wrappedKeys.Any(k => ring.Find(k.Id) is null))
        {
            ring = await node.RefreshKeyRingAsync(cancellationToken);
        }

        using var ephemeral = ChannelKey.NewEphemeral();
        var ephemeralKey = ephemeral.ExportSubjectPublicKeyInfo();
        var channel = Derive(ephemeral, request, info.SystemId);
        try
        {
            var keys = ring.KeyIds.Order().Select(id => new SealedDataKey(id,
                ChannelKey.Seal(channel, ring.Find(id)!.KeyBytes, KeyRingGrant.AssociatedData(info.SystemId, id)))).ToList();
            var signature = identity.Sign(KeyRingGrant.SignedBytes(info.SystemId, node.Name, request.Nonce, ephemeralKey, keys));
            NodeAudit.WriteAfterAnswer(node, AuditEventIds.KeyRingReleased, request.Node,
                $"Data keys {string.Join(", ", keys.Select(k => k.Id))} released to node '{requester!.Name}'");
            node.Logger.KeyRingReleased(requester.Name, keys.Count);
            return new KeyRingGrant(node.Name, ephemeralKey, keys, signature);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(channel);
        }
    }

    /// <summary>Whether a signed message's time is within <see cref="ClockSkew"/> of this server's clock.</summary>
    internal static bool IsWithinClockSkew(TimeProvider clock, long timeMs, out TimeSpan skew)
    {
        skew = (clock.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(timeMs)).Duration();
        return skew <= ClockSkew;
    }

    internal static byte[] Derive(ECDiffieHellman mine, KeyRingRequest request, Guid systemId)
    {
        try
        {
            return ChannelKey.Derive(mine, request.EphemeralKey, request.Nonce, $"{KeyRingGrant.ChannelLabel}|{systemId}|{request.Node.ToLowerInvariant()}");
        }
        catch (CryptographicException e)
        {
            throw new SsoException(SsoErrorCode.InvalidInput, "The request's ephemeral key is not a P-256 public key.",
                "Upgrade the requesting node to the same SsoVault version.", e);
        }
    }

    /// <summary>Why the request is refused, or null. Unknown nodes and bad signatures get the same answer (no oracle).</summary>
    private static SsoException? Check(SsoNode node, SystemInfo info, NodeRecord? requester, KeyRingRequest request)
    {
        var signed = KeyRingRequest.SignedBytes(info.SystemId, request.Node, request.TimeMs, request.Nonce, request.EphemeralKey);
        if (requester?.IdentityKey is null || request.Nonce.Length < 16 || !NodeIdentity.Verify(requester.IdentityKey, signed, request.Signature))
        {
            return new SsoException(SsoErrorCode.Unauthenticated,
                $"The request for data keys names node '{request.Node}', but it is not signed by that node's registered identity key.",
                "Only nodes that joined this SSO system (ssovault init --join) and were approved receive data keys.");
        }

        if (!IsWithinClockSkew(node.Clock, request.TimeMs, out var skew))
        {
            return new SsoException(SsoErrorCode.Unauthenticated,
                $"The request for data keys from node '{requester.Name}' is dated {skew.TotalMinutes:F0} minutes away from this server's clock.",
                "Synchronize the clocks of the nodes (NTP); requests older than five minutes are refused so they cannot be replayed.");
        }

        return requester.State switch
        {
            NodeState.Approved => null,
            NodeState.Pending => new SsoException(SsoErrorCode.NodeNotApproved,
                $"Node '{requester.Name}' is pending approval; the master secret server releases no data keys to it.",
                $"An SSO administrator approves it: ssovault node approve {requester.Name} (check its thumbprint {NodeIdentity.ThumbprintOf(requester.IdentityKey)} first)."),
            _ => new SsoException(SsoErrorCode.NodeNotApproved,
                $"Node '{requester.Name}' was removed from this SSO system; the master secret server releases no data keys to it.",
                $"To bring the machine back, join it again: ssovault init --join --node-name {requester.Name}, then ssovault node approve {requester.Name}."),
        };
    }
}
