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

/// <summary>A node that joined the SSO system.</summary>
public sealed record NodeRecord(string Name, DateTimeOffset JoinedUtc);

public enum DataKeyState
{
    /// <summary>Encrypts new values (the newest active key) and decrypts old ones.</summary>
    Active,
    /// <summary>Decrypts only; kept until no value uses it.</summary>
    Retired,
}

/// <summary>A data key as stored: wrapped under the master secret named by <see cref="WrappedUnderMsid"/>.</summary>
public sealed record WrappedDataKey(uint Id, DateTimeOffset CreatedUtc, Guid WrappedUnderMsid, byte[] Wrapped, DataKeyState State);

/// <summary>An affiliate application (issue 2 knows config-store applications only).</summary>
public sealed record ApplicationRecord(string Name, ApplicationType Type, int Flags, DateTimeOffset CreatedUtc);

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
