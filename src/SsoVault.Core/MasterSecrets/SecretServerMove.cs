using SsoVault.Core.Diagnostics;
using SsoVault.Core.Errors;
using SsoVault.Core.Identity;
using SsoVault.Core.Nodes;
using SsoVault.Core.Security;
using SsoVault.Core.Storage;

namespace SsoVault.Core.MasterSecrets;

public sealed record MoveResult(string OldServer, string NewServer, bool Changed, bool NewServerHoldsSecret);

/// <summary>
/// Moving the master secret server (ssomanage -updatedb with &lt;secretServer&gt;): the database's pointer changes in
/// one transaction. Allowed from any node — the old server may be lost — but only to a node that has joined the
/// system, so a typo cannot strand the secret. The new server then needs 'secret restore'.
/// </summary>
public static class SecretServerMove
{
    public static async Task<MoveResult> UpdateAsync(SsoNode node, Caller caller, string newServer, CancellationToken cancellationToken)
    {
        await using var transaction = await node.Database.BeginAsync(cancellationToken);
        AccessPolicy.Require(caller, SsoOperation.UpdateGlobalInfo, await AccessLoader.SystemAsync(transaction, cancellationToken));
        var info = await node.GetSystemInfoAsync(transaction, cancellationToken);
        var result = await MoveInAsync(transaction, node, caller, info, newServer, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (result.Changed)
        {
            node.Logger.SecretServerChanged(result.OldServer, result.NewServer, caller.Account);
        }

        return result;
    }

    /// <summary>The move inside the caller's transaction (a global info file may change other settings with it).</summary>
    internal static async Task<MoveResult> MoveInAsync(ISsoTransaction transaction, SsoNode node, Caller caller, SystemInfo info, string newServer,
        CancellationToken cancellationToken)
    {
        newServer = NodeSettings.ValidateNodeName(newServer);
        var target = await transaction.Nodes.FindAsync(newServer, cancellationToken);
        if (target is null)
        {
            var nodes = await transaction.Nodes.ListAsync(cancellationToken);
            throw new SsoException(SsoErrorCode.NotFound,
                $"No node named '{newServer}' has joined this SSO system (nodes: {string.Join(", ", nodes.Select(n => n.Name))}). Nothing was changed.",
                $"On the new machine, join it first: ssovault init --join --db {node.Database.DisplayLocation} --node-name {newServer}");
        }

        var holdsSecret = IsThisNode(node, target.Name) && HoldsCurrentSecret(node, info);
        if (string.Equals(info.SecretServer, target.Name, StringComparison.OrdinalIgnoreCase))
        {
            return new MoveResult(info.SecretServer, target.Name, Changed: false, holdsSecret);
        }

        await transaction.System.UpdateAsync(info with { SecretServer = target.Name }, cancellationToken);
        await transaction.Audit.AddAsync(new AuditEvent(node.Clock.GetUtcNow(), AuditEventIds.ChangedSecretServer, node.Name, caller.Account,
            $"Master secret server changed from {info.SecretServer} to {target.Name}"), cancellationToken);
        return new MoveResult(info.SecretServer, target.Name, Changed: true, holdsSecret);
    }

    private static bool IsThisNode(SsoNode node, string name) => string.Equals(node.Name, name, StringComparison.OrdinalIgnoreCase);

    private static bool HoldsCurrentSecret(SsoNode node, SystemInfo info)
    {
        try
        {
            using var store = node.SecretStore.Load();
            return store is not null && store.SystemId == info.SystemId && info.Current is not null && store.Find(info.Current.Msid) is not null;
        }
        catch (SsoException)
        {
            return false;
        }
    }
}
