using Microsoft.Extensions.Logging;
using SsoVault.Core.Diagnostics;
using SsoVault.Core.Errors;
using SsoVault.Core.Identity;
using SsoVault.Core.Security;
using SsoVault.Core.Storage;

namespace SsoVault.Core.Nodes;

/// <summary>A node as administrators see it: its state, the thumbprint of its identity key, where its server listens.</summary>
public sealed record NodeView(string Name, NodeState State, bool IsSecretServer, string? Thumbprint, string? Address,
    string? CertificateSha256, DateTimeOffset JoinedUtc, DateTimeOffset? ChangedUtc);

/// <summary>
/// Which nodes the master secret server trusts: SSO administrators list, approve and remove them. A node joins as
/// pending and receives no data key until approved; a removed node is refused at once (the secret server reads the
/// node's state on every request). The secret server itself cannot be removed: move it first.
/// </summary>
public static class NodeTrust
{
    public static async Task<IReadOnlyList<NodeView>> ListAsync(SsoNode node, Caller caller, CancellationToken cancellationToken)
    {
        await using var transaction = await node.Database.BeginReadAsync(cancellationToken);
        AccessPolicy.Require(caller, SsoOperation.ReadGlobalInfo, await AccessLoader.SystemAsync(transaction, cancellationToken));
        var info = await node.GetSystemInfoAsync(transaction, cancellationToken);
        return (await transaction.Nodes.ListAsync(cancellationToken)).Select(n => View(n, info)).ToList();
    }

    /// <param name="thumbprint">When given, the approval is refused unless the node's key has this thumbprint (read it on the node).</param>
    public static Task<NodeView> ApproveAsync(SsoNode node, Caller caller, string name, string? thumbprint, CancellationToken cancellationToken) =>
        ChangeAsync(node, caller, name, Log.NodeApproved, cancellationToken, (record, info) =>
        {
            if (record.State == NodeState.Removed)
            {
                throw new SsoException(SsoErrorCode.Conflict, $"Node '{record.Name}' was removed; a removed node is not approved again. Nothing was changed.",
                    $"On that machine, join again with a new identity: ssovault init --join --node-name {record.Name}");
            }

            if (record.IdentityKey is null)
            {
                throw new SsoException(SsoErrorCode.Conflict, $"Node '{record.Name}' has not registered an identity key yet. Nothing was changed.",
                    $"Start 'ssovault serve' on '{record.Name}' once (it registers its key), then approve it.");
            }

            var actual = NodeIdentity.ThumbprintOf(record.IdentityKey);
            if (thumbprint is not null && !string.Equals(thumbprint.Trim(), actual, StringComparison.OrdinalIgnoreCase))
            {
                throw new SsoException(SsoErrorCode.Conflict,
                    $"Node '{record.Name}' has identity thumbprint {actual}, not {thumbprint.Trim()}. Nothing was changed.",
                    "Another machine may have joined under this name: remove it (ssovault node remove NAME) and join the right machine again.");
            }

            return (record with { State = NodeState.Approved }, AuditEventIds.NodeApproved, $"Node {record.Name} approved (identity {actual})");
        });

    public static Task<NodeView> RemoveAsync(SsoNode node, Caller caller, string name, CancellationToken cancellationToken) =>
        ChangeAsync(node, caller, name, Log.NodeRemoved, cancellationToken, (record, info) =>
        {
            if (string.Equals(record.Name, info.SecretServer, StringComparison.OrdinalIgnoreCase))
            {
                throw new SsoException(SsoErrorCode.Conflict, $"Node '{record.Name}' is the master secret server and cannot be removed. Nothing was changed.",
                    "Move the master secret server to another node first: ssovault secret handover --to NODE");
            }

            return (record with { State = NodeState.Removed, Address = null }, AuditEventIds.NodeRemoved, $"Node {record.Name} removed");
        });

    /// <summary>
    /// At server start: records this node's identity key, address and certificate. A node that joined before node
    /// identities existed registers its key here and stays approved (it was trusted before the upgrade); a key that
    /// differs from the registered one is refused: the folder is not the machine that was approved.
    /// </summary>
    public static async Task RegisterEndpointAsync(SsoNode node, byte[] identityKey, string address, string certificateSha256,
        CancellationToken cancellationToken)
    {
        await using var transaction = await node.Database.BeginAsync(cancellationToken);
        await node.GetSystemInfoAsync(transaction, cancellationToken);
        var record = await transaction.Nodes.FindAsync(node.Name, cancellationToken) ?? throw new SsoException(SsoErrorCode.NodeNotApproved,
            $"Node '{node.Name}' is not a node of this SSO system (it was deleted from the database).",
            "Join this machine again into a new folder: ssovault init --join --node-name NAME");
        if (record.IdentityKey is not null && !record.IdentityKey.AsSpan().SequenceEqual(identityKey))
        {
            throw new SsoException(SsoErrorCode.NodeNotApproved,
                $"This node's identity key ({NodeIdentity.ThumbprintOf(identityKey)}) is not the one registered for '{node.Name}' " +
                $"({NodeIdentity.ThumbprintOf(record.IdentityKey)}).",
                $"If this machine replaced '{node.Name}', remove the old node (ssovault node remove {node.Name}) and join again.");
        }

        if (record.IdentityKey is not null && record.Address == address && record.CertificateSha256 == certificateSha256)
        {
            return;
        }

        await transaction.Nodes.UpdateAsync(record with
        {
            IdentityKey = identityKey,
            Address = address,
            CertificateSha256 = certificateSha256,
            ChangedUtc = node.Clock.GetUtcNow(),
        }, cancellationToken);
        await transaction.Audit.AddAsync(new AuditEvent(node.Clock.GetUtcNow(), AuditEventIds.NodeEndpointRegistered, node.Name, node.Actor,
            $"Node {node.Name} serves at {address} (certificate {certificateSha256})"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        node.Logger.NodeEndpointRegistered(node.Name, address, certificateSha256);
    }

    private static async Task<NodeView> ChangeAsync(SsoNode node, Caller caller, string name, Action<ILogger, string, string> log,
        CancellationToken cancellationToken, Func<NodeRecord, SystemInfo, (NodeRecord Changed, int EventId, string Message)> change)
    {
        name = NodeSettings.ValidateNodeName(name);
        await using var transaction = await node.Database.BeginAsync(cancellationToken);
        AccessPolicy.Require(caller, SsoOperation.UpdateGlobalInfo, await AccessLoader.SystemAsync(transaction, cancellationToken));
        var info = await node.GetSystemInfoAsync(transaction, cancellationToken);
        var record = await transaction.Nodes.FindAsync(name, cancellationToken) ?? throw new SsoException(SsoErrorCode.NotFound,
            $"No node named '{name}' has joined this SSO system.", "See the nodes with: ssovault node list");
        var (changed, eventId, message) = change(record, info);
        if (changed.State != record.State || changed.Address != record.Address)
        {
            changed = changed with { ChangedUtc = node.Clock.GetUtcNow() };
            await transaction.Nodes.UpdateAsync(changed, cancellationToken);
            await transaction.Audit.AddAsync(new AuditEvent(node.Clock.GetUtcNow(), eventId, node.Name, caller.Account, message), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            log(node.Logger, changed.Name, caller.Account);
        }

        return View(changed, info);
    }

    private static NodeView View(NodeRecord record, SystemInfo info) => new(record.Name, record.State,
        string.Equals(record.Name, info.SecretServer, StringComparison.OrdinalIgnoreCase),
        record.IdentityKey is null ? null : NodeIdentity.ThumbprintOf(record.IdentityKey), record.Address, record.CertificateSha256,
        record.JoinedUtc, record.ChangedUtc);
}
