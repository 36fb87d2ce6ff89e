namespace SsoVault.Core.Errors;

/// <summary>
/// Stable, machine-readable error codes. The names are part of the public contract (CLI <c>--json</c> output,
/// later the HTTP problem type): never rename one, only add. Each maps to one process exit code in <see cref="ExitCodes"/>.
/// </summary>
public enum SsoErrorCode
{
    /// <summary>A command-line value, file or other input is malformed or out of range.</summary>
    InvalidInput,
    /// <summary>An application, identifier, node or file that was named does not exist.</summary>
    NotFound,
    /// <summary>The node directory holds no node yet: run <c>ssovault init</c>.</summary>
    NodeNotInitialized,
    /// <summary>The node directory (or database) is already set up.</summary>
    AlreadyInitialized,
    /// <summary>The database cannot be opened or reached.</summary>
    DatabaseUnavailable,
    /// <summary>The database schema is newer than this program.</summary>
    SchemaTooNew,
    /// <summary>The operation runs only on the master secret server, and this node is not it.</summary>
    NotSecretServer,
    /// <summary>This node holds no master secret that the database needs (never restored, or lost).</summary>
    SecretUnavailable,
    /// <summary>The local secret store exists but cannot be read or fails its integrity checks.</summary>
    SecretStoreDamaged,
    /// <summary>The backup password is wrong.</summary>
    WrongBackupPassword,
    /// <summary>The backup file is corrupt, truncated, altered, or not a SsoVault backup at all.</summary>
    CorruptBackupFile,
    /// <summary>The backup holds a master secret that does not belong to this database.</summary>
    WrongSecret,
    /// <summary>A password or reminder breaks the length rules.</summary>
    InvalidPassword,
    /// <summary>A stored value could not be decrypted (altered, moved, or its key is unavailable).</summary>
    DecryptionFailed,
    /// <summary>The request conflicts with the current state (for example a concurrent change).</summary>
    Conflict,
    /// <summary>A file could not be written or read for a reason outside SsoVault (permissions, disk full).</summary>
    IoFailure,
    /// <summary>The caller is authenticated but its roles do not allow the operation.</summary>
    AccessDenied,
    /// <summary>The caller did not present valid credentials (a missing, unknown or revoked API key).</summary>
    Unauthenticated,
    /// <summary>The SSO system, an application or a mapping is disabled.</summary>
    Disabled,
    /// <summary>A ticket is malformed, expired, or does not match its application or user.</summary>
    InvalidTicket,
    /// <summary>An SSO server did not answer (unreachable, timed out, or its certificate does not match the pinned fingerprint).</summary>
    ServerUnavailable,
    /// <summary>A node asked the master secret server for keys but is pending approval or was removed.</summary>
    NodeNotApproved,
}
