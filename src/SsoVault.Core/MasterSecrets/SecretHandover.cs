using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using SsoVault.Core.Crypto;
using SsoVault.Core.Diagnostics;
using SsoVault.Core.Errors;
using SsoVault.Core.Identity;
using SsoVault.Core.KeyDistribution;
using SsoVault.Core.Nodes;
using SsoVault.Core.Security;
using SsoVault.Core.Storage;

namespace SsoVault.Core.MasterSecrets;

public sealed record HandoverResult(string OldServer, string NewServer, IReadOnlyList<Guid> Msids, bool OldCopyRemoved);

/// <summary>
/// Moves the master secret server directly (<c>secret handover --to NODE</c>), run on the old one: the secrets travel
/// to the new node over its pinned TLS endpoint, sealed for an ephemeral key it signed; the new node checks them
/// against the database's key-check values, stores them and proves it holds each one; only then does the database's
/// pointer flip, in one transaction that also checks nothing changed meanwhile. Any failure before that commit leaves
/// the old server in charge (the new node may keep an unused copy, which makes it no more than a restored standby).
/// After the commit the old node deletes its own copy: the secret lives on one server.
/// </summary>
public static class SecretHandover
{
    public const string OfferPath = "/v1/nodes/handover/offer";
    public const string DeliverPath = "/v1/nodes/handover/deliver";

    public static async Task<HandoverResult> RunAsync(SsoNode node, Caller caller, string target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        target = NodeSettings.ValidateNodeName(target);
        var (info, newServer) = await PrepareAsync(node, caller, target, cancellationToken);
        using var store = KeyRingLoader.LoadStoreFor(node, info);
        var secrets = new[] { info.Current, info.Previous }.OfType<MasterSecretInfo>()
            .Select(s => store.Find(s.Msid)).OfType<MasterSecret>().ToList();
        if (info.Current is null || secrets.All(s => s.Msid != info.Current.Msid))
        {
            throw new SsoException(SsoErrorCode.SecretUnavailable, $"This node does not hold the current master secret ({KeyRingLoader.Describe(info.Current)}).",
                "Restore it from its backup first: ssovault secret restore FILE");
        }

        using var identity = NodeIdentity.Load(node.Home);
        var nonce = RandomNumberGenerator.GetBytes(32);
        var time = node.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        var offer = new HandoverOffer(node.Name, newServer.Name, time, nonce,
            identity.Sign(HandoverOffer.SignedBytes(info.SystemId, node.Name, newServer.Name, time, nonce)));
        var acceptance = await NodeChannel.PostAsync<HandoverOffer, HandoverAcceptance>(newServer, "new master secret server", OfferPath, offer, cancellationToken);
        if (!NodeIdentity.Verify(newServer.IdentityKey!, HandoverAcceptance.SignedBytes(info.SystemId, node.Name, newServer.Name, nonce, acceptance.EphemeralKey),
                acceptance.Signature))
        {
            throw Refused(newServer, "its acceptance is not signed by the identity key the database records for it");
        }

        FaultInjection.CrashPoint("handover.accepted");
        var receipt = await DeliverAsync(node, info, newServer, identity, nonce, acceptance, secrets, cancellationToken);
        Verify(info, newServer, nonce, receipt, secrets);
        FaultInjection.CrashPoint("handover.proven");
        await FlipAsync(node, caller, info, newServer, cancellationToken);
        FaultInjection.CrashPoint("handover.committed");
        var removed = node.SecretStore.TryDelete();
        node.Logger.SecretHandedOver(node.Name, newServer.Name);
        return new HandoverResult(node.Name, newServer.Name, secrets.Select(s => s.Msid).ToList(), removed);
    }

    private static async Task<(SystemInfo Info, NodeRecord Target)> PrepareAsync(SsoNode node, Caller caller, string target, CancellationToken cancellationToken)
    {
        await using var transaction = await node.Database.BeginReadAsync(cancellationToken);
        AccessPolicy.Require(caller, SsoOperation.ManageMasterSecret, await AccessLoader.SystemAsync(transaction, cancellationToken));
        var info = await node.GetSystemInfoAsync(transaction, cancellationToken);
        node.RequireSecretServer(info, "Handing over the master secret");
        var record = await transaction.Nodes.FindAsync(target, cancellationToken) ?? throw new SsoException(SsoErrorCode.NotFound,
            $"No node named '{target}' has joined this SSO system. Nothing was changed.", "See the nodes with: ssovault node list");
        if (string.Equals(record.Name, node.Name, StringComparison.OrdinalIgnoreCase))
        {
            throw new SsoException(SsoErrorCode.InvalidInput, $"'{record.Name}' already is the master secret server. Nothing was changed.",
                "Name the node that should take over: ssovault secret handover --to NODE");
        }

        if (record.State != NodeState.Approved || record.IdentityKey is null)
        {
            throw new SsoException(SsoErrorCode.NodeNotApproved, $"Node '{record.Name}' is {NodeStates.ToText(record.State)}; only an approved node takes the master secret. Nothing was changed.",
                $"Approve it first: ssovault node approve {record.Name}");
        }

        return (info, record);
    }

    private static async Task<HandoverReceipt> DeliverAsync(SsoNode node, SystemInfo info, NodeRecord newServer, NodeIdentity identity, byte[] nonce,
        HandoverAcceptance acceptance, IReadOnlyList<MasterSecret> secrets, CancellationToken cancellationToken)
    {
        using var ephemeral = ChannelKey.NewEphemeral();
        var ephemeralKey = ephemeral.ExportSubjectPublicKeyInfo();
        var channel = ChannelKey.Derive(ephemeral, acceptance.EphemeralKey, nonce, HandoverDelivery.Label(info.SystemId, node.Name, newServer.Name));
        var payload = HandoverPayload.Write(secrets);
        byte[] sealedSecrets;
        try
        {
            sealedSecrets = ChannelKey.Seal(channel, payload, nonce);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(channel);
            CryptographicOperations.ZeroMemory(payload);
        }

        var delivery = new HandoverDelivery(node.Name, nonce, ephemeralKey, sealedSecrets,
            identity.Sign(HandoverDelivery.SignedBytes(info.SystemId, node.Name, newServer.Name, nonce, ephemeralKey, sealedSecrets)));
        return await NodeChannel.PostAsync<HandoverDelivery, HandoverReceipt>(newServer, "new master secret server", DeliverPath, delivery, cancellationToken);
    }

    /// <summary>The new node must prove, for each secret sent, that it computed an HMAC under that secret over this handover's nonce.</summary>
    private static void Verify(SystemInfo info, NodeRecord newServer, byte[] nonce, HandoverReceipt receipt, IReadOnlyList<MasterSecret> secrets)
    {
        if (!NodeIdentity.Verify(newServer.IdentityKey!, HandoverReceipt.SignedBytes(info.SystemId, newServer.Name, nonce, receipt.Proofs), receipt.Signature))
        {
            throw Refused(newServer, "its receipt is not signed by the identity key the database records for it");
        }

        foreach (var secret in secrets)
        {
            var proof = receipt.Proofs.FirstOrDefault(p => p.Msid == secret.Msid);
            if (proof is null || !CryptographicOperations.FixedTimeEquals(proof.Proof, HandoverReceipt.Prove(secret, nonce)))
            {
                throw Refused(newServer, $"it did not prove that it holds master secret {secret.Msid}");
            }
        }
    }

    private static async Task FlipAsync(SsoNode node, Caller caller, SystemInfo before, NodeRecord newServer, CancellationToken cancellationToken)
    {
        await using var transaction = await node.Database.BeginAsync(cancellationToken);
        var info = await node.GetSystemInfoAsync(transaction, cancellationToken);
        if (!string.Equals(info.SecretServer, node.Name, StringComparison.OrdinalIgnoreCase) || info.Current?.Msid != before.Current?.Msid
                                                                                              || info.Previous?.Msid != before.Previous?.Msid)
        {
            throw new SsoException(SsoErrorCode.Conflict,
                $"The master secret or its server changed while handing over (now '{info.SecretServer}', {KeyRingLoader.Describe(info.Current)}). The pointer was not moved.",
                "Check 'ssovault system show', then run the handover again.");
        }

        await transaction.System.UpdateAsync(info with { SecretServer = newServer.Name }, cancellationToken);
        await transaction.Audit.AddAsync(new AuditEvent(node.Clock.GetUtcNow(), AuditEventIds.SecretHandedOver, node.Name, caller.Account,
            $"Master secret server handed over from {node.Name} to {newServer.Name}; {newServer.Name} proved it holds {KeyRingLoader.Describe(info.Current)}"),
            cancellationToken);
        FaultInjection.CrashPoint("handover.before-commit");
        await transaction.CommitAsync(cancellationToken);
    }

    private static SsoException Refused(NodeRecord newServer, string why) => new(SsoErrorCode.Conflict,
        $"The handover to '{newServer.Name}' was not completed: {why}. The master secret server did not change.",
        $"Check the log of '{newServer.Name}' and that nothing else answers at {newServer.Address}; then run the handover again.");
}
