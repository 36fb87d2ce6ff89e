namespace SsoVault.Client;

// The wire shapes of applications, mappings, credentials, tickets and global info (see docs/api.md).

/// <summary>ENTSSO's application types.</summary>
public enum ApplicationType
{
    Individual,
    Group,
    ConfigStore,
    HostGroup,
}

/// <summary>A field to create: the first field (ordinal 0) is the external user id, the others hold credentials.</summary>
public sealed record FieldDefinition(string Label, bool Masked = false, bool Synchronized = false);

public sealed record FieldInfo(int Ordinal, string Label, bool Masked, bool Synchronized);

/// <summary>ISSOAdmin.CreateApplication and CreateFieldInfo in one: a new application, created disabled.</summary>
public sealed record ApplicationDefinition
{
    public required string Name { get; init; }
    public ApplicationType Type { get; init; } = ApplicationType.Individual;
    public string? Description { get; init; }
    public string? Contact { get; init; }
    public IReadOnlyList<string>? UserAccounts { get; init; }
    public IReadOnlyList<string>? AdminAccounts { get; init; }

    /// <summary>ENTSSO flag bits beyond the type; null gives ENTSSO's defaults.</summary>
    public int? Flags { get; init; }
    public IReadOnlyList<FieldDefinition>? Fields { get; init; }
}

/// <summary>ISSOAdmin.UpdateApplication: null leaves a property as it is.</summary>
public sealed record ApplicationUpdate
{
    public string? Description { get; init; }
    public string? Contact { get; init; }
    public IReadOnlyList<string>? UserAccounts { get; init; }
    public IReadOnlyList<string>? AdminAccounts { get; init; }
    public bool? Enabled { get; init; }
    public bool? AllowTickets { get; init; }
    public bool? ValidateTickets { get; init; }
    public bool? TimeoutTickets { get; init; }
    public int? TicketTimeoutMinutes { get; init; }
    public bool? DisableCredentialCache { get; init; }
}

/// <summary>ISSOAdmin.GetApplicationInfo.</summary>
public sealed record ApplicationInfo(string Name, ApplicationType Type, bool Enabled, string Description, string Contact,
    IReadOnlyList<string> UserAccounts, IReadOnlyList<string> AdminAccounts, bool AdminAccountSame, int Flags, IReadOnlyList<string> FlagNames,
    IReadOnlyList<FieldInfo> Fields, int? TicketTimeoutMinutes, DateTimeOffset CreatedUtc);

public sealed record MappingInfo(string Application, string WindowsAccount, string ExternalUser, bool Enabled, bool HasCredentials,
    DateTimeOffset CreatedUtc, DateTimeOffset UpdatedUtc);

/// <summary>ISSOLookup.GetCredentials (and a redeemed ticket): the external user id and one credential per credential field.</summary>
public sealed record ExternalCredentials(string Application, string ExternalUser, IReadOnlyList<string> Credentials, IReadOnlyList<string> FieldLabels);

/// <summary>ISSOTicket.IssueTicket: the ticket, for <see cref="Account"/>, valid until <see cref="ExpiresUtc"/>.</summary>
public sealed record IssuedTicket(string Ticket, string Account, DateTimeOffset IssuedUtc, DateTimeOffset ExpiresUtc);

public sealed record GlobalSettings(bool SsoEnabled, bool TicketsAllowed, bool TicketsValidated, int TicketTimeoutMinutes, int CredentialCacheTimeoutMinutes,
    int AuditDeletedApps, int AuditDeletedMappings, int AuditCredentialLookups);

/// <summary>ISSOAdmin.GetGlobalInfo.</summary>
public sealed record GlobalInfo(GlobalSettings Settings, IReadOnlyList<string> SsoAdministrators, IReadOnlyList<string> AffiliateAdministrators, string SecretServer);

public sealed record SecretServerMove(string OldServer, string NewServer, bool Changed, bool NewServerHoldsSecret);

/// <summary>The settings after an update file, and the secret server move when the file named a new one.</summary>
public sealed record GlobalInfoUpdateResult(GlobalInfo GlobalInfo, SecretServerMove? Move);
