using Microsoft.Extensions.Logging;

namespace SsoVault.Server.Diagnostics;

/// <summary>
/// The server's log messages with stable event ids (21000-21099; Core's own start at 20000). They carry codes, paths,
/// fingerprints and trace ids, never API keys, values or key material.
/// </summary>
internal static partial class ServerLog
{
    [LoggerMessage(21000, LogLevel.Information, "SSO server for node {Node} listening on {Addresses}")]
    public static partial void Listening(this ILogger logger, string node, string addresses);

    [LoggerMessage(21001, LogLevel.Warning,
        "PLAIN HTTP is enabled on {Address}: API keys and credentials cross the network in clear. Use it only behind TLS termination or for tests.")]
    public static partial void PlainHttp(this ILogger logger, string address);

    [LoggerMessage(21002, LogLevel.Information, "Created a self-signed certificate for node {Node} in {Path}; SHA-256 fingerprint {Fingerprint}")]
    public static partial void CertificateCreated(this ILogger logger, string node, string path, string fingerprint);

    [LoggerMessage(21003, LogLevel.Information, "Using the TLS certificate {Subject} from {Path}; SHA-256 fingerprint {Fingerprint}")]
    public static partial void CertificateLoaded(this ILogger logger, string subject, string path, string fingerprint);

    [LoggerMessage(21010, LogLevel.Information, "Request refused with {Status} {Code}: {Method} {Path} (trace {TraceId})")]
    public static partial void Refused(this ILogger logger, int status, string code, string method, string path, string traceId);

    [LoggerMessage(21011, LogLevel.Error, "Unexpected failure in {Method} {Path} (trace {TraceId})")]
    public static partial void Unexpected(this ILogger logger, Exception exception, string method, string path, string traceId);

    [LoggerMessage(21012, LogLevel.Error, "A stored value could not be decrypted in {Method} {Path} (trace {TraceId}): {Message}")]
    public static partial void DecryptionFailed(this ILogger logger, string method, string path, string traceId, string message);

    [LoggerMessage(21020, LogLevel.Warning, "Not ready: {Check} is waiting ({Code})")]
    public static partial void NotReady(this ILogger logger, string check, string code);

    [LoggerMessage(30100, LogLevel.Information, "Data key {KeyId} is now active (automatic rotation: {Reason})")]
    public static partial void DataKeyRotatedAutomatically(this ILogger logger, uint keyId, string reason);

    [LoggerMessage(30101, LogLevel.Information, "Re-encryption job {JobId} completed: {Moved} values moved, {Skipped} could not be decrypted")]
    public static partial void ReencryptionCompleted(this ILogger logger, long jobId, long moved, long skipped);

    [LoggerMessage(30102, LogLevel.Warning, "Key maintenance deferred to the next interval: {Code}: {Message}")]
    public static partial void KeyMaintenanceDeferred(this ILogger logger, string code, string message);

    [LoggerMessage(30110, LogLevel.Information, "Following master secret server {SecretServer} (was {Previous})")]
    public static partial void FollowingSecretServer(this ILogger logger, string secretServer, string previous);

    [LoggerMessage(30111, LogLevel.Information, "Key ring loaded: data keys {KeyIds}")]
    public static partial void KeyRingFollowed(this ILogger logger, string keyIds);

    [LoggerMessage(30112, LogLevel.Warning, "Waiting for data keys: {Code}: {Message}")]
    public static partial void WaitingForKeys(this ILogger logger, string code, string message);

    [LoggerMessage(30113, LogLevel.Warning, "Could not register this node's address: {Code}: {Message}")]
    public static partial void EndpointNotRegistered(this ILogger logger, string code, string message);
}
