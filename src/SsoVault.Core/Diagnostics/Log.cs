using Microsoft.Extensions.Logging;

namespace SsoVault.Core.Diagnostics;

/// <summary>
/// Every log message SsoVault writes, source-generated with stable event ids. Messages carry ids (MSIDs, key-check
/// values, node names, file paths), never key bytes, passwords or values.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(AuditEventIds.SystemCreated, LogLevel.Information,
        "Created SSO system {SystemId} in {Database}; node {Node} is the master secret server; first secret {Msid} (kcv {Kcv}) backed up to {BackupFile}")]
    public static partial void SystemCreated(this ILogger logger, Guid systemId, string database, string node, Guid msid, string kcv, string backupFile);

    [LoggerMessage(AuditEventIds.NodeJoined, LogLevel.Information, "Node {Node} joined SSO system {SystemId} in {Database}")]
    public static partial void NodeJoined(this ILogger logger, string node, Guid systemId, string database);

    [LoggerMessage(AuditEventIds.GenerateSecretOk, LogLevel.Information,
        "Generated master secret {Msid} (kcv {Kcv}); previous secret {PreviousMsid}; {KeyCount} data keys re-wrapped; backup {BackupFile}")]
    public static partial void SecretGenerated(this ILogger logger, Guid msid, string kcv, Guid previousMsid, int keyCount, string backupFile);

    [LoggerMessage(AuditEventIds.BackupSecretOk, LogLevel.Information,
        "Backed up master secret {Msid} (previous {PreviousMsid}) to {BackupFile}")]
    public static partial void SecretBackedUp(this ILogger logger, Guid msid, Guid? previousMsid, string backupFile);

    [LoggerMessage(AuditEventIds.RestoreSecretOk, LogLevel.Information,
        "Restored master secret {Msid} (previous {PreviousMsid}) from {BackupFile} on node {Node}")]
    public static partial void SecretRestored(this ILogger logger, Guid msid, Guid? previousMsid, string backupFile, string node);

    [LoggerMessage(AuditEventIds.RestoreSecretFailed, LogLevel.Warning, "Restore from {BackupFile} refused: {Code}")]
    public static partial void RestoreRefused(this ILogger logger, string backupFile, string code);

    [LoggerMessage(AuditEventIds.ChangedSecretServer, LogLevel.Information, "Master secret server changed from {OldServer} to {NewServer} by {Actor}")]
    public static partial void SecretServerChanged(this ILogger logger, string oldServer, string newServer, string actor);

    [LoggerMessage(20002, LogLevel.Warning, "The local secret store was damaged and has been set aside as {AsidePath}")]
    public static partial void DamagedStoreSetAside(this ILogger logger, string asidePath);

    [LoggerMessage(AuditEventIds.ConfigSet, LogLevel.Information, "Config {Application}/{Identifier}: {Count} properties set")]
    public static partial void ConfigSet(this ILogger logger, string application, string identifier, int count);

    [LoggerMessage(AuditEventIds.ConfigDeleted, LogLevel.Information, "Config {Application}/{Identifier}: {Count} properties deleted")]
    public static partial void ConfigDeleted(this ILogger logger, string application, string identifier, int count);

    [LoggerMessage(20003, LogLevel.Information, "Resumed an interrupted init of node {Node}")]
    public static partial void InitResumed(this ILogger logger, string node);

    [LoggerMessage(20004, LogLevel.Information, "Key ring loaded: {KeyCount} data keys under master secret {Msid}")]
    public static partial void KeyRingLoaded(this ILogger logger, int keyCount, Guid msid);

    [LoggerMessage(AuditEventIds.ReencryptionFinished, LogLevel.Information,
        "Re-encryption job {JobId} finished: {Moved} values moved to data key {KeyId}; {Skipped} could not be decrypted")]
    public static partial void ReencryptionFinished(this ILogger logger, long jobId, uint keyId, long moved, long skipped);
}
