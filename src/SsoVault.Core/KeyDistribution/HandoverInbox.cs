using System.Collections.Concurrent;
using System.Security.Cryptography;
using SsoVault.Core.Crypto;
using SsoVault.Core.Diagnostics;
using SsoVault.Core.Errors;
using SsoVault.Core.MasterSecrets;
using SsoVault.Core.Nodes;
using SsoVault.Core.Secrets;
using SsoVault.Core.Storage;

namespace SsoVault.Core.KeyDistribution;

/// <summary>
/// The receiving side of <c>secret handover</c>, in the new secret server's process. It accepts an offer only from the
/// node the database names as the secret server, addressed to this node, and only when this node is approved; it
/// keeps the offer's ephemeral key in memory for <see cref="OfferLifetime"/>, one use. On delivery it checks every
/// secret against the key-check values the database records before storing it, and proves it holds them. It never
/// changes the database: the old server flips the pointer once the proof checks out.
/// </summary>
public sealed class HandoverInbox
{
    public static readonly TimeSpan OfferLifetime = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<string, PendingOffer> _offers = new();

    private sealed record PendingOffer(HandoverOffer Offer, ECDiffieHellman Ephemeral, byte[] EphemeralKey, DateTimeOffset ExpiresUtc);

    public async Task<HandoverAcceptance> AcceptAsync(SsoNode node, HandoverOffer offer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(offer);
        var (info, from, self) = await ReadAsync(node, offer.From, cancellationToken);
        var signed = HandoverOffer.SignedBytes(info.SystemId, offer.From, offer.To, offer.TimeMs, offer.Nonce);
        if (from?.IdentityKey is null || !NodeIdentity.Verify(from.IdentityKey, signed, offer.Signature) || offer.Nonce.Length < 16)
        {
            throw Refuse(node, offer.From, SsoErrorCode.Unauthenticated,
                $"The handover offer names node '{offer.From}' but is not signed by that node's registered identity key.", null);
        }

        if (!string.Equals(info.SecretServer, from.Name, StringComparison.OrdinalIgnoreCase))
        {
            throw Refuse(node, offer.From, SsoErrorCode.NotSecretServer,
                $"Node '{from.Name}' offered the master secret, but the master secret server is '{info.SecretServer}'.",
                $"Run the handover on '{info.SecretServer}'.");
        }

        if (!string.Equals(offer.To, node.Name, StringComparison.OrdinalIgnoreCase))
        {
            throw Refuse(node, offer.From, SsoErrorCode.InvalidInput,
                $"The handover offer is addressed to '{offer.To}', but this is node '{node.Name}'.", "Check the node's address in 'ssovault node list'.");
        }

        if (self is not { State: NodeState.Approved })
        {
            throw Refuse(node, offer.From, SsoErrorCode.NodeNotApproved,
                $"Node '{node.Name}' is not approved, so it does not take the master secret.", $"Approve it first: ssovault node approve {node.Name}");
        }

        if (!KeyRingRelease.IsWithinClockSkew(node.Clock, offer.TimeMs, out _))
        {
            throw Refuse(node, offer.From, SsoErrorCode.Unauthenticated,
                $"The handover offer from '{from.Name}' is dated more than five minutes away from this server's clock.",
                "Synchronize the clocks of the nodes (NTP).");
        }

        Sweep(node.Clock.GetUtcNow());
        var ephemeral = ChannelKey.NewEphemeral();
        var ephemeralKey = ephemeral.ExportSubjectPublicKeyInfo();
        if (!_offers.TryAdd(Convert.ToBase64String(offer.Nonce), new PendingOffer(offer, ephemeral, ephemeralKey, node.Clock.GetUtcNow() + OfferLifetime)))
        {
            ephemeral.Dispose();
            throw new SsoException(SsoErrorCode.Conflict, "This handover offer was already received.", "Start the handover again.");
        }

        using var identity = NodeIdentity.Load(node.Home);
        return new HandoverAcceptance(node.Name, ephemeralKey,
            identity.Sign(HandoverAcceptance.SignedBytes(info.SystemId, offer.From, node.Name, offer.Nonce, ephemeralKey)));
    }

    public async Task<HandoverReceipt> ReceiveAsync(SsoNode node, HandoverDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(delivery);
        if (!_offers.TryRemove(Convert.ToBase64String(delivery.OfferNonce), out var pending) || pending.ExpiresUtc < node.Clock.GetUtcNow())
        {
            pending?.Ephemeral.Dispose();
            throw new SsoException(SsoErrorCode.Conflict, "No open handover offer matches this delivery (expired after two minutes, or already used).",
                "Start the handover again: ssovault secret handover --to NODE");
        }

        using var ephemeral = pending.Ephemeral;
        var (info, from, _) = await ReadAsync(node, delivery.From, cancellationToken);
        var signed = HandoverDelivery.SignedBytes(info.SystemId, delivery.From, node.Name, delivery.OfferNonce, delivery.EphemeralKey, delivery.Sealed);
        if (from?.IdentityKey is null || !string.Equals(from.Name, pending.Offer.From, StringComparison.OrdinalIgnoreCase)
                                      || !NodeIdentity.Verify(from.IdentityKey, signed, delivery.Signature))
        {
            throw Refuse(node, delivery.From, SsoErrorCode.Unauthenticated,
                "The handover delivery is not signed by the node that made the offer.", null);
        }

        var secrets = Open(info, delivery, ephemeral, node.Name);
        try
        {
            Store(node, info, secrets);
            using var identity = NodeIdentity.Load(node.Home);
            var proofs = secrets.Select(s => new SecretProof(s.Msid, HandoverReceipt.Prove(s, delivery.OfferNonce))).ToList();
            return new HandoverReceipt(node.Name, proofs, identity.Sign(HandoverReceipt.SignedBytes(info.SystemId, node.Name, delivery.OfferNonce, proofs)));
        }
        finally
        {
            secrets.ForEach(s => s.Dispose());
        }
    }

    private static List<MasterSecret> Open(SystemInfo info, HandoverDelivery delivery, ECDiffieHellman ephemeral, string self)
    {
        List<MasterSecret> secrets;
        try
        {
            var channel = ChannelKey.Derive(ephemeral, delivery.EphemeralKey, delivery.OfferNonce, HandoverDelivery.Label(info.SystemId, delivery.From, self));
            var payload = ChannelKey.Open(channel, delivery.Sealed, delivery.OfferNonce);
            CryptographicOperations.ZeroMemory(channel);
            secrets = HandoverPayload.Read(payload);
            CryptographicOperations.ZeroMemory(payload);
        }
        catch (CryptographicException e)
        {
            throw new SsoException(SsoErrorCode.DecryptionFailed, "The handed-over secrets failed their integrity check. Nothing was stored.",
                "Start the handover again; check that both nodes run the same SsoVault version.", e);
        }

        // Only the secrets the database names, each matching its key-check value: a secret server cannot plant a stranger.
        var expected = new[] { info.Current, info.Previous }.OfType<MasterSecretInfo>().ToList();
        var wrong = secrets.Where(s => !expected.Any(e => e.Msid == s.Msid && e.KeyCheck == s.KeyCheck.ToString())).ToList();
        if (info.Current is null || wrong.Count > 0 || secrets.All(s => s.Msid != info.Current.Msid))
        {
            secrets.ForEach(s => s.Dispose());
            throw new SsoException(SsoErrorCode.WrongSecret,
                $"The handed-over secrets do not match the key-check values the database records for {KeyRingLoader.Describe(info.Current)}. Nothing was stored.",
                "Run the handover from the master secret server after its store was checked: ssovault secret status");
        }

        return secrets;
    }

    /// <summary>The received secrets join whatever this node's store already holds for the system (newest wins on overflow).</summary>
    private static void Store(SsoNode node, SystemInfo info, List<MasterSecret> received)
    {
        SecretStoreContents? existing = null;
        try
        {
            existing = node.SecretStore.Exists ? node.SecretStore.Load() : null;
        }
        catch (SsoException)
        {
            existing = null; // a damaged store is replaced by what the secret server vouches for.
        }

        using (existing)
        {
            var keep = existing is not null && existing.SystemId == info.SystemId
                ? existing.Secrets.Where(s => received.All(r => r.Msid != s.Msid)).ToList()
                : [];
            var all = received.Concat(keep).OrderByDescending(s => s.CreatedUtc).Take(LocalSecretStore.MaxEntries).ToList();
            node.SecretStore.Save(info.SystemId, all);
        }

        FaultInjection.CrashPoint("handover.target-stored");
    }

    private static async Task<(SystemInfo Info, NodeRecord? From, NodeRecord? Self)> ReadAsync(SsoNode node, string from, CancellationToken cancellationToken)
    {
        await using var transaction = await node.Database.BeginReadAsync(cancellationToken);
        var info = await node.GetSystemInfoAsync(transaction, cancellationToken);
        return (info, await transaction.Nodes.FindAsync(from, cancellationToken), await transaction.Nodes.FindAsync(node.Name, cancellationToken));
    }

    private static SsoException Refuse(SsoNode node, string from, SsoErrorCode code, string message, string? hint)
    {
        NodeAudit.WriteAfterAnswer(node, AuditEventIds.HandoverFailed, from, $"Handover refused: {message}");
        return new SsoException(code, message, hint);
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (nonce, offer) in _offers)
        {
            if (offer.ExpiresUtc < now && _offers.TryRemove(nonce, out var expired))
            {
                expired.Ephemeral.Dispose();
            }
        }
    }
}
