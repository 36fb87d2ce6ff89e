namespace SsoVault.Core.Security;

/// <summary>Every operation that is access-checked. The minimum role of each is in <see cref="AccessPolicy"/>.</summary>
public enum SsoOperation
{
    // System scope
    ReadGlobalInfo,
    UpdateGlobalInfo,
    EnableDisableSso,
    ChangeSystemRoleAccounts,
    ManageMasterSecret,
    ManageDirectory,
    ReadDirectory,
    ManageAnyApiKey,
    CreateApplication,

    // Application scope
    ReadApplication,
    UpdateApplication,
    ChangeApplicationAdminAccounts,
    ChangeApplicationTicketSettings,
    EnableDisableApplication,
    DeleteApplication,
    AddField,
    PurgeCache,
    ManageAnyMapping,
    ManageOwnMapping,
    SetAnyCredentials,
    SetOwnCredentials,
    LookupOwnCredentials,
    IssueTicket,
    RedeemTicket,
    ReadConfig,
    ReadConfigRuntime,
    WriteConfig,
}
