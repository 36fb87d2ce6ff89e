namespace SsoVault.Client;

// The wire shapes of the SSO server's /v1 API (camelCase JSON, enums as camelCase strings). See docs/api.md.

public sealed record ConfigProperty(string Name, string? Value, bool Masked, DateTimeOffset UpdatedUtc);

/// <summary>A config record. In an administrative read, masked properties have a null <see cref="ConfigProperty.Value"/>.</summary>
public sealed record ConfigInfo(string Application, string Identifier, bool Runtime, IReadOnlyList<ConfigProperty> Properties);

public sealed record ConfigSetResult(string Application, string Identifier, bool ApplicationCreated, int PropertiesSet, int PropertiesTotal);

public sealed record ConfigIdentifierSummary(string Identifier, int Properties);

public sealed record ConfigApplicationListing(string Application, IReadOnlyList<ConfigIdentifierSummary> Identifiers);

public enum AccountKind
{
    User,
    Group,
}

public sealed record Account(string Name, AccountKind Kind, DateTimeOffset CreatedUtc);

public sealed record AccountInfo(string Name, AccountKind Kind, IReadOnlyList<string> MemberOf, IReadOnlyList<string> Members, DateTimeOffset CreatedUtc);

public sealed record AddMemberResult(string Group, string Member, bool Added);

public sealed record ApiKeyInfo(string Id, string Account, string Description, DateTimeOffset CreatedUtc, DateTimeOffset? RevokedUtc);

/// <summary>A new API key. <see cref="Token"/> is returned once and never stored by the server.</summary>
public sealed record CreatedApiKey(string Id, string Account, string Token);

public sealed record MasterSecretInfo(Guid Msid, string KeyCheck, DateTimeOffset CreatedUtc);

/// <param name="State">pending, approved or removed (whether the master secret server releases data keys to it).</param>
public sealed record NodeInfo(string Name, DateTimeOffset JoinedUtc, string State = "approved");

/// <summary>ENTSSO's global info (ssomanage -displaydb).</summary>
public sealed record SystemInfo(Guid SystemId, string Database, int SchemaVersion, string SecretServer, string ThisNode,
    DateTimeOffset CreatedUtc, MasterSecretInfo? Current, MasterSecretInfo? Previous, IReadOnlyList<NodeInfo> Nodes, int DataKeys);

public sealed record SecretStatusSecret(Guid Msid, string KeyCheck, DateTimeOffset CreatedUtc, int AgeDays);

public enum LocalSecretState
{
    HoldsCurrent,
    Missing,
    Damaged,
    Stale,
}

public sealed record SecretStatus(string SecretServer, string ThisNode, bool ThisNodeIsSecretServer, SecretStatusSecret? Current,
    SecretStatusSecret? Previous, DateTimeOffset? LastBackupUtc, Guid? LastBackupMsid, bool CurrentSecretBackedUp,
    LocalSecretState LocalSecret, IReadOnlyList<string> Warnings)
{
    /// <summary>Every data key: its state, the values it encrypts, encryptions so far, and what its retirement waits for.</summary>
    public IReadOnlyList<DataKeyStatus> DataKeys { get; init; } = [];

    /// <summary>The latest re-encryption job's progress, if there has been one.</summary>
    public ReencryptionProgress? Reencryption { get; init; }
}

public sealed record DataKeyStatus(uint Id, string State, long Values, long Encryptions, DateTimeOffset CreatedUtc, DateTimeOffset? RetiredUtc,
    string? WaitingFor, Guid WrappedUnderMsid);

public sealed record ReencryptionProgress(long JobId, uint TargetKeyId, string Stage, long Processed, long Skipped, long Remaining, bool Finished);

public enum SsoRole
{
    None,
    ApplicationUser,
    ApplicationAdministrator,
    AffiliateAdministrator,
    SsoAdministrator,
}

public sealed record WhoAmI(string Account, IReadOnlyList<string> Memberships, SsoRole SystemRole);

public sealed record HealthCheck(string Name, bool Ok, string? Code, string Detail);

public sealed record ReadinessReport(string Status, string Node, IReadOnlyList<HealthCheck> Checks, IReadOnlyList<string> WaitingFor);
