using SsoVault.Core.Storage;

namespace SsoVault.Core.Applications;

/// <summary>A field to create: ordinal 0 is the external user id (never masked); the others hold credentials.</summary>
public sealed record FieldDefinition(string Label, bool Masked = false, bool Synchronized = false);

/// <summary>Everything ENTSSO's application file (or CreateApplication + CreateFieldInfo) gives a new application.</summary>
public sealed record ApplicationDefinition
{
    public required string Name { get; init; }
    public ApplicationType Type { get; init; } = ApplicationType.Individual;
    public string Description { get; init; } = "";
    public string Contact { get; init; } = "";
    public IReadOnlyList<string> UserAccounts { get; init; } = [];
    public IReadOnlyList<string> AdminAccounts { get; init; } = [];

    /// <summary>ENTSSO flag bits beyond the type (see <see cref="SsoFlags"/>); null gives ENTSSO's defaults.</summary>
    public int? Flags { get; init; }
    public IReadOnlyList<FieldDefinition> Fields { get; init; } = [];
}

/// <summary>A partial update (ENTSSO's -updateapps / UpdateApplication): null leaves a property as it is.</summary>
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

    public bool ChangesTicketSettings => AllowTickets is not null || ValidateTickets is not null || TimeoutTickets is not null || TicketTimeoutMinutes is not null;
}

/// <summary>An application as shown to people and scripts.</summary>
public sealed record ApplicationView(
    string Name,
    ApplicationType Type,
    bool Enabled,
    string Description,
    string Contact,
    IReadOnlyList<string> UserAccounts,
    IReadOnlyList<string> AdminAccounts,
    bool AdminAccountSame,
    int Flags,
    IReadOnlyList<string> FlagNames,
    IReadOnlyList<FieldRecord> Fields,
    int? TicketTimeoutMinutes,
    DateTimeOffset CreatedUtc);
