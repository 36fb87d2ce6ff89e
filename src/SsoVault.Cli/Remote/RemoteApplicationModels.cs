using SsoVault.Core.Applications;
using SsoVault.Core.MasterSecrets;
using SsoVault.Core.Nodes;
using SsoVault.Core.Storage;
using C = SsoVault.Client;

namespace SsoVault.Cli.Remote;

/// <summary>Applications, mappings, credentials, tickets and global info between the client's wire records and the Core's types.</summary>
internal static class RemoteApplicationModels
{
    public static ApplicationView ToCore(this C.ApplicationInfo r) =>
        new(r.Name, Enum.Parse<ApplicationType>(r.Type.ToString()), r.Enabled, r.Description, r.Contact, r.UserAccounts, r.AdminAccounts, r.AdminAccountSame,
            r.Flags, r.FlagNames, r.Fields.Select(f => new FieldRecord(f.Ordinal, f.Label, f.Masked, f.Synchronized)).ToList(), r.TicketTimeoutMinutes, r.CreatedUtc);

    public static MappingView ToCore(this C.MappingInfo r) =>
        new(r.Application, r.WindowsAccount, r.ExternalUser, r.Enabled, r.HasCredentials, r.CreatedUtc, r.UpdatedUtc);

    public static CredentialLookupResult ToCore(this C.ExternalCredentials r) => new(r.Application, r.ExternalUser, r.Credentials, r.FieldLabels);

    public static IssuedTicket ToCore(this C.IssuedTicket r) => new(r.Ticket, r.Account, r.IssuedUtc, r.ExpiresUtc);

    public static GlobalInfoView ToCore(this C.GlobalInfo r) => new(
        new GlobalSettings
        {
            SsoEnabled = r.Settings.SsoEnabled,
            TicketsAllowed = r.Settings.TicketsAllowed,
            TicketsValidated = r.Settings.TicketsValidated,
            TicketTimeoutMinutes = r.Settings.TicketTimeoutMinutes,
            CredentialCacheTimeoutMinutes = r.Settings.CredentialCacheTimeoutMinutes,
            AuditDeletedApps = r.Settings.AuditDeletedApps,
            AuditDeletedMappings = r.Settings.AuditDeletedMappings,
            AuditCredentialLookups = r.Settings.AuditCredentialLookups,
        },
        r.SsoAdministrators, r.AffiliateAdministrators, r.SecretServer);

    public static MoveResult ToCore(this C.SecretServerMove r) => new(r.OldServer, r.NewServer, r.Changed, r.NewServerHoldsSecret);

    public static C.ApplicationDefinition ToClient(this ApplicationDefinition d) => new()
    {
        Name = d.Name,
        Type = Enum.Parse<C.ApplicationType>(d.Type.ToString()),
        Description = d.Description,
        Contact = d.Contact,
        UserAccounts = d.UserAccounts,
        AdminAccounts = d.AdminAccounts,
        Flags = d.Flags,
        Fields = d.Fields.Select(f => new C.FieldDefinition(f.Label, f.Masked, f.Synchronized)).ToList(),
    };

    public static C.ApplicationUpdate ToClient(this ApplicationUpdate u) => new()
    {
        Description = u.Description,
        Contact = u.Contact,
        UserAccounts = u.UserAccounts,
        AdminAccounts = u.AdminAccounts,
        Enabled = u.Enabled,
        AllowTickets = u.AllowTickets,
        ValidateTickets = u.ValidateTickets,
        TimeoutTickets = u.TimeoutTickets,
        TicketTimeoutMinutes = u.TicketTimeoutMinutes,
        DisableCredentialCache = u.DisableCredentialCache,
    };
}
