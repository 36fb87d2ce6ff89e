using SsoVault.Core.Errors;
using SsoVault.Core.Identity;

namespace SsoVault.Core.Security;

/// <summary>
/// ENTSSO's permission matrix (reference/entsso.md §1.5), in one place: each operation has a minimum role, and a caller's
/// role is the highest one any of its memberships grants. Every service checks here before it reads or changes
/// anything; docs/security.md is this table in prose, and a test runs every operation as every role against it.
/// </summary>
public static class AccessPolicy
{
    /// <summary>The matrix. Operations marked "own" act only on the caller's own mapping, credentials or tickets.</summary>
    public static readonly IReadOnlyDictionary<SsoOperation, SsoRole> MinimumRole = new Dictionary<SsoOperation, SsoRole>
    {
        [SsoOperation.ReadGlobalInfo] = SsoRole.SsoAdministrator,
        [SsoOperation.UpdateGlobalInfo] = SsoRole.SsoAdministrator,
        [SsoOperation.EnableDisableSso] = SsoRole.SsoAdministrator,
        [SsoOperation.ChangeSystemRoleAccounts] = SsoRole.SsoAdministrator,
        [SsoOperation.ManageMasterSecret] = SsoRole.SsoAdministrator,
        [SsoOperation.ManageDirectory] = SsoRole.SsoAdministrator,
        [SsoOperation.ManageAnyApiKey] = SsoRole.SsoAdministrator,
        [SsoOperation.ReadDirectory] = SsoRole.AffiliateAdministrator,
        [SsoOperation.CreateApplication] = SsoRole.AffiliateAdministrator,

        [SsoOperation.ChangeApplicationTicketSettings] = SsoRole.SsoAdministrator,
        [SsoOperation.ChangeApplicationAdminAccounts] = SsoRole.AffiliateAdministrator,
        [SsoOperation.DeleteApplication] = SsoRole.AffiliateAdministrator,
        [SsoOperation.UpdateApplication] = SsoRole.ApplicationAdministrator,
        [SsoOperation.EnableDisableApplication] = SsoRole.ApplicationAdministrator,
        [SsoOperation.AddField] = SsoRole.ApplicationAdministrator,
        [SsoOperation.PurgeCache] = SsoRole.ApplicationAdministrator,
        [SsoOperation.ManageAnyMapping] = SsoRole.ApplicationAdministrator,
        [SsoOperation.SetAnyCredentials] = SsoRole.ApplicationAdministrator,
        [SsoOperation.RedeemTicket] = SsoRole.ApplicationAdministrator,
        [SsoOperation.WriteConfig] = SsoRole.ApplicationAdministrator,
        [SsoOperation.ReadApplication] = SsoRole.ApplicationUser,
        [SsoOperation.ManageOwnMapping] = SsoRole.ApplicationUser,
        [SsoOperation.SetOwnCredentials] = SsoRole.ApplicationUser,
        [SsoOperation.LookupOwnCredentials] = SsoRole.ApplicationUser,
        [SsoOperation.ReadConfig] = SsoRole.ApplicationUser,
        [SsoOperation.ReadConfigRuntime] = SsoRole.ApplicationUser,

        // A ticket names no application: any account may have one issued to itself. Redemption checks that the
        // ticket's user is one of the application's users (ENTSSO event 10596).
        [SsoOperation.IssueTicket] = SsoRole.None,
    };

    /// <summary>The highest role the caller holds, system-wide and (when given) for one application.</summary>
    public static SsoRole RoleOf(Caller caller, SystemAccess system, ApplicationAccess? application = null)
    {
        if (caller.IsLocalOperator || caller.IsAnyOf(system.SsoAdministrators))
        {
            return SsoRole.SsoAdministrator;
        }

        if (caller.IsAnyOf(system.AffiliateAdministrators))
        {
            return SsoRole.AffiliateAdministrator;
        }

        if (application is null)
        {
            return SsoRole.None;
        }

        // "Application administrators same as affiliate administrators" was handled above.
        if (!application.AdminAccountSame && caller.IsAnyOf(application.AdminAccounts))
        {
            return SsoRole.ApplicationAdministrator;
        }

        return caller.IsAnyOf(application.UserAccounts) ? SsoRole.ApplicationUser : SsoRole.None;
    }

    public static bool IsAllowed(Caller caller, SsoOperation operation, SystemAccess system, ApplicationAccess? application = null) =>
        RoleOf(caller, system, application) >= MinimumRole[operation];

    /// <summary>Refuses with <see cref="SsoErrorCode.AccessDenied"/>, naming the role that is needed and the accounts that hold it.</summary>
    public static void Require(Caller caller, SsoOperation operation, SystemAccess system, ApplicationAccess? application = null)
    {
        var needed = MinimumRole[operation];
        if (RoleOf(caller, system, application) >= needed)
        {
            return;
        }

        var holders = needed switch
        {
            SsoRole.SsoAdministrator => system.SsoAdministrators,
            SsoRole.AffiliateAdministrator => system.AffiliateAdministrators,
            SsoRole.ApplicationAdministrator => application?.AdminAccounts ?? [],
            _ => application?.UserAccounts ?? [],
        };
        var scope = application is null ? "" : $" of application '{application.Application}'";
        throw new SsoException(SsoErrorCode.AccessDenied,
            $"'{caller.Account}' may not {Describe(operation)}: that needs the {Describe(needed)} role{scope}.",
            holders.Count == 0
                ? "Ask an SSO administrator to grant the role."
                : $"Ask an SSO administrator to add '{caller.Account}' to one of: {string.Join(", ", holders)}.");
    }

    public static string Describe(SsoRole role) => role switch
    {
        SsoRole.SsoAdministrator => "SSO Administrators",
        SsoRole.AffiliateAdministrator => "SSO Affiliate Administrators",
        SsoRole.ApplicationAdministrator => "Application Administrators",
        SsoRole.ApplicationUser => "Application Users",
        _ => "no",
    };

    private static string Describe(SsoOperation operation)
    {
        var words = System.Text.RegularExpressions.Regex.Replace(operation.ToString(), "(?<=[a-z])(?=[A-Z])", " ");
        return words.ToLowerInvariant();
    }
}
