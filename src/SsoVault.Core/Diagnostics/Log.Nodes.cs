using Microsoft.Extensions.Logging;

namespace SsoVault.Core.Diagnostics;

/// <summary>Log messages of node trust, key distribution and following the master secret server.</summary>
internal static partial class Log
{
    [LoggerMessage(AuditEventIds.KeyRingReleased, LogLevel.Information, "Released {KeyCount} data keys to node {Node}")]
    public static partial void KeyRingReleased(this ILogger logger, string node, int keyCount);

    [LoggerMessage(AuditEventIds.KeyRingRefused, LogLevel.Warning, "Refused data keys to node {Node}: {Code}")]
    public static partial void KeyRingRefused(this ILogger logger, string node, string code);

    [LoggerMessage(20097, LogLevel.Information, "Received {KeyCount} data keys from master secret server {SecretServer}")]
    public static partial void KeyRingReceived(this ILogger logger, string secretServer, int keyCount);

    [LoggerMessage(AuditEventIds.NodeApproved, LogLevel.Information, "Node {Node} approved by {Actor}")]
    public static partial void NodeApproved(this ILogger logger, string node, string actor);

    [LoggerMessage(AuditEventIds.NodeRemoved, LogLevel.Information, "Node {Node} removed by {Actor}")]
    public static partial void NodeRemoved(this ILogger logger, string node, string actor);

    [LoggerMessage(AuditEventIds.NodeEndpointRegistered, LogLevel.Information, "Node {Node} registered its address {Address} (certificate {Fingerprint})")]
    public static partial void NodeEndpointRegistered(this ILogger logger, string node, string address, string fingerprint);

    [LoggerMessage(AuditEventIds.SecretHandedOver, LogLevel.Information, "Master secret server handed over from {OldServer} to {NewServer}")]
    public static partial void SecretHandedOver(this ILogger logger, string oldServer, string newServer);

    [LoggerMessage(20098, LogLevel.Warning, "Keeping the key ring in memory: reloading it failed ({Code}); {Detail}")]
    public static partial void KeyRingReloadFailed(this ILogger logger, string code, string detail);
}
