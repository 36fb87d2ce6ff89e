using SsoVault.Core.Diagnostics;
using SsoVault.Core.Errors;
using SsoVault.Core.Nodes;
using SsoVault.Core.Storage;

namespace SsoVault.Core.KeyDistribution;

/// <summary>
/// The audit trail of node-to-node calls, written after the answer, never before: the calling node may hold the
/// database's write lock while it waits (a writer that met a newer data key), and an audit row needs that lock, so
/// writing it first would deadlock the two nodes until the request timed out. The log line is written at once.
/// </summary>
internal static class NodeAudit
{
    public static void WriteAfterAnswer(SsoNode node, int eventId, string caller, string message)
    {
        var time = node.Clock.GetUtcNow();
        _ = Task.Run(async () =>
        {
            try
            {
                await using var transaction = await node.Database.BeginAsync(CancellationToken.None);
                await transaction.Audit.AddAsync(new AuditEvent(time, eventId, node.Name, $"node:{caller}", message), CancellationToken.None);
                await transaction.CommitAsync(CancellationToken.None);
            }
            catch (Exception e) when (e is SsoException or ObjectDisposedException or InvalidOperationException)
            {
                node.Logger.AuditWriteFailed(eventId, e.Message);
            }
        });
    }
}
