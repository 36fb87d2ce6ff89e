namespace SsoVault.Core.Storage;

/// <summary>
/// The SSO system's global information (ENTSSO's global info): which node is the master secret server and which
/// master secrets the key ring is wrapped under. One row per database.
/// </summary>
public sealed record SystemInfo
{
    public required Guid SystemId { get; init; }
    public required string SecretServer { get; init; }
    public required DateTimeOffset CreatedUtc { get; init; }
    public MasterSecretInfo? Current { get; init; }
    public MasterSecretInfo? Previous { get; init; }
    /// <summary>When the newest backup known to the database was written, and of which current secret.</summary>
    public DateTimeOffset? LastBackupUtc { get; init; }
    public Guid? LastBackupMsid { get; init; }
}

/// <summary>A master secret as the database knows it: its id, key-check value and creation time, never its bytes.</summary>
public sealed record MasterSecretInfo(Guid Msid, string KeyCheck, DateTimeOffset CreatedUtc);

/// <summary>
/// A node that joined the SSO system. <see cref="IdentityKey"/> is the public half of the node's own signing key
/// (SubjectPublicKeyInfo, ECDSA P-256): the master secret server releases data keys only to approved nodes that sign
/// with it. <see cref="Address"/> and <see cref="CertificateSha256"/> are where the node's server listens and the TLS
/// certificate it presents there, recorded by <c>serve</c>, so other nodes can reach it and pin it.
/// </summary>
public sealed record NodeRecord(string Name, DateTimeOffset JoinedUtc)
{
    public NodeState State { get; init; } = NodeState.Approved;
    public byte[]? IdentityKey { get; init; }
    public string? Address { get; init; }
    public string? CertificateSha256 { get; init; }
    public DateTimeOffset? ChangedUtc { get; init; }
}

public enum NodeState
{
    /// <summary>Joined, not yet approved by an SSO administrator: the master secret server releases nothing to it.</summary>
    Pending,
    /// <summary>Trusted to receive the data keys.</summary>
    Approved,
    /// <summary>Removed by an SSO administrator: refused, kept for the audit trail until it joins again.</summary>
    Removed,
}

public enum DataKeyState
{
    /// <summary>Encrypts new values (the newest active key) and decrypts old ones.</summary>
    Active,
    /// <summary>Decrypts only; kept until no value uses it.</summary>
    Retired,
}

/// <summary>A data key as stored: wrapped under the master secret named by <see cref="WrappedUnderMsid"/>.</summary>
public sealed record WrappedDataKey(uint Id, DateTimeOffset CreatedUtc, Guid WrappedUnderMsid, byte[] Wrapped, DataKeyState State)
{
    /// <summary>How many values have been encrypted under the key (NIST SP 800-38D: rotate well before 2^32).</summary>
    public long Encryptions { get; init; }

    public DateTimeOffset? RetiredUtc { get; init; }
}

/// <summary>The tables that hold encrypted values.</summary>
public enum ValueTable
{
    Config = 1,
    Credentials = 2,
}

/// <summary>
/// One encrypted value with what is needed to rebuild the identity it is bound to: config values (application,
/// identifier, property), credentials (application, Windows account, external user, field ordinal).
/// </summary>
public sealed record StoredValue(ValueTable Table, long RowId, IReadOnlyList<string> IdentityParts, int Ordinal, byte[] Envelope);

/// <summary>A re-encryption job: moves every value to <see cref="TargetKeyId"/>, resumable from its checkpoint.</summary>
public sealed record ReencryptionJobRecord(long Id, uint TargetKeyId, DateTimeOffset StartedUtc, DateTimeOffset UpdatedUtc,
    DateTimeOffset? FinishedUtc, ValueTable Stage, long Cursor, long Processed, long Skipped);

/// <summary>
/// An affiliate application: a named back-end system (ENTSSO §4.2). <see cref="Flags"/> holds ENTSSO's SSO_FLAG_* bits
/// with their ENTSSO values; the type, name and fields never change after creation.
/// </summary>
public sealed record ApplicationRecord(string Name, ApplicationType Type, int Flags, DateTimeOffset CreatedUtc)
{
    public string Description { get; init; } = "";
    public string Contact { get; init; } = "";

    /// <summary>The per-application ticket timeout; null means the global one.</summary>
    public int? TicketTimeoutMinutes { get; init; }
}

/// <summary>Which of an application's account lists an account is in.</summary>
public enum ApplicationAccountRole
{
    /// <summary>Application Users (ordered: for group applications the first matching account wins).</summary>
    Users,
    /// <summary>Application Administrators.</summary>
    Administrators,
}

/// <summary>One field of an application: ordinal 0 is the external user id; the others are credentials.</summary>
public sealed record FieldRecord(int Ordinal, string Label, bool Masked, bool Synchronized);

/// <summary>
/// A mapping from a Windows-style account (a user, or for group applications a group) to an external account of one
/// application, with its state. Its credentials are stored separately, one envelope per credential field.
/// </summary>
public sealed record MappingRecord(long Id, string Application, string WindowsAccount, string ExternalUser, bool Enabled, int Flags,
    DateTimeOffset CreatedUtc, DateTimeOffset UpdatedUtc);

/// <summary>A mapping and its credential envelopes by field ordinal (1..n; empty when none were set), read together.</summary>
public sealed record MappingWithCredentials(MappingRecord Mapping, IReadOnlyList<(int Ordinal, byte[] Envelope)> Credentials);

/// <summary>ENTSSO's application types, with ENTSSO's SSO_APP_TYPE values.</summary>
public enum ApplicationType
{
    Individual = 0x1,
    Group = 0x2,
    ConfigStore = 0x4,
    HostGroup = 0x8,
}

/// <summary>One property of one config-store record, its value still encrypted.</summary>
public sealed record ConfigPropertyRecord(string Name, bool Masked, byte[] Envelope, DateTimeOffset UpdatedUtc);

/// <summary>An audited event, numbered with ENTSSO's event ids where one exists.</summary>
public sealed record AuditEvent(DateTimeOffset TimeUtc, int EventId, string Node, string Actor, string Message);

/// <summary>Whether a directory account is a user or a group.</summary>
public enum AccountKind
{
    User,
    Group,
}

/// <summary>An account of SsoVault's built-in directory: <c>DOMAIN\name</c>, a user or a group.</summary>
public sealed record AccountRecord(string Name, AccountKind Kind, DateTimeOffset CreatedUtc);

/// <summary>An API key as stored: its public id, the account it acts as, and a hash of its secret part.</summary>
public sealed record ApiKeyRecord(string Id, string Account, byte[] SecretHash, string Description, DateTimeOffset CreatedUtc, DateTimeOffset? RevokedUtc);

/// <summary>The two system-wide roles whose accounts are part of the global info (ENTSSO §1.5).</summary>
public enum SystemRole
{
    SsoAdministrators,
    AffiliateAdministrators,
}

/// <summary>
/// ENTSSO's global settings (§4.1): SSO on or off, the global ticket policy, the timeouts and the audit table sizes.
/// </summary>
public sealed record GlobalSettings
{
    public bool SsoEnabled { get; init; } = true;
    public bool TicketsAllowed { get; init; }
    public bool TicketsValidated { get; init; } = true;
    public int TicketTimeoutMinutes { get; init; } = 2;
    public int CredentialCacheTimeoutMinutes { get; init; } = 60;
    public int AuditDeletedApps { get; init; } = 1000;
    public int AuditDeletedMappings { get; init; } = 1000;
    public int AuditCredentialLookups { get; init; } = 1000;
}

/// <summary>The stored spelling of <see cref="NodeState"/> (both providers).</summary>
public static class NodeStates
{
    public static string ToText(NodeState state) => state switch
    {
        NodeState.Pending => "pending",
        NodeState.Approved => "approved",
        NodeState.Removed => "removed",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    public static NodeState Parse(string text) => text switch
    {
        "pending" => NodeState.Pending,
        "approved" => NodeState.Approved,
        "removed" => NodeState.Removed,
        _ => throw new FormatException($"Unknown node state '{text}'."),
    };
}
