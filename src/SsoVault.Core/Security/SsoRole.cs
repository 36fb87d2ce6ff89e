namespace SsoVault.Core.Security;

/// <summary>
/// ENTSSO's four roles (reference/entsso.md §1.5), ordered: each can do everything the ones below it can.
/// Application roles hold per application; the two administrator roles hold system-wide.
/// </summary>
public enum SsoRole
{
    None = 0,
    ApplicationUser = 1,
    ApplicationAdministrator = 2,
    AffiliateAdministrator = 3,
    SsoAdministrator = 4,
}

/// <summary>The accounts configured for the system-wide roles.</summary>
public sealed record SystemAccess(IReadOnlyList<string> SsoAdministrators, IReadOnlyList<string> AffiliateAdministrators);

/// <summary>The accounts configured for one application's roles.</summary>
public sealed record ApplicationAccess(string Application, IReadOnlyList<string> UserAccounts, IReadOnlyList<string> AdminAccounts, bool AdminAccountSame);
