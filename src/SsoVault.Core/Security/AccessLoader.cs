using SsoVault.Core.Storage;

namespace SsoVault.Core.Security;

/// <summary>Reads the role accounts the access checks need, inside the caller's transaction.</summary>
public static class AccessLoader
{
    public static async Task<SystemAccess> SystemAsync(ISsoTransaction transaction, CancellationToken cancellationToken) =>
        new(await transaction.System.GetRoleAccountsAsync(SystemRole.SsoAdministrators, cancellationToken),
            await transaction.System.GetRoleAccountsAsync(SystemRole.AffiliateAdministrators, cancellationToken));
}
