using SsoVault.Core.Applications;
using SsoVault.Core.Storage;

namespace SsoVault.Core.Security;

/// <summary>Reads an application's role accounts for the access checks.</summary>
public static class ApplicationAccessLoader
{
    public static async Task<ApplicationAccess> ForAsync(ISsoTransaction transaction, ApplicationRecord application, CancellationToken cancellationToken) =>
        new(application.Name,
            await transaction.Applications.GetAccountsAsync(application.Name, ApplicationAccountRole.Users, cancellationToken),
            await transaction.Applications.GetAccountsAsync(application.Name, ApplicationAccountRole.Administrators, cancellationToken),
            SsoFlags.Has(application.Flags, SsoFlags.AppAdminSame));
}
