using SsoVault.Core.Storage;

namespace SsoVault.Core.Nodes;

public sealed record SystemOverviewResult(
    Guid SystemId,
    string Database,
    int SchemaVersion,
    string SecretServer,
    string ThisNode,
    DateTimeOffset CreatedUtc,
    MasterSecretInfo? Current,
    MasterSecretInfo? Previous,
    IReadOnlyList<NodeRecord> Nodes,
    int DataKeys);

/// <summary>ENTSSO's "display the SSO database information" (ssomanage -displaydb): the global info of the system.</summary>
public static class SystemOverview
{
    public static async Task<SystemOverviewResult> GetAsync(SsoNode node, CancellationToken cancellationToken)
    {
        await using var transaction = await node.Database.BeginReadAsync(cancellationToken);
        var info = await node.GetSystemInfoAsync(transaction, cancellationToken);
        var nodes = await transaction.Nodes.ListAsync(cancellationToken);
        var keys = await transaction.DataKeys.ListAsync(cancellationToken);
        var version = await node.Database.GetSchemaVersionAsync(cancellationToken);
        return new SystemOverviewResult(info.SystemId, node.Database.DisplayLocation, version, info.SecretServer, node.Name,
            info.CreatedUtc, info.Current, info.Previous, nodes, keys.Count);
    }
}
