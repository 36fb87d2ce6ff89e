using SsoVault.Bench.Fixtures;
using SsoVault.Core.Nodes;
using SsoVault.Core.Storage;

namespace SsoVault.Bench.Workloads;

/// <summary>
/// The database reads <c>CredentialService.LookupAsync</c> makes on a cache miss, replayed through the same repositories
/// in one read transaction, with no access check, decryption or cache: where the time of a cache-off lookup goes.
/// </summary>
internal static class LookupStatements
{
    /// <summary>How many statements one miss runs: the list below, in the order the service runs them.</summary>
    public const int Count = 11;

    public static async Task<int> ReplayAsync(SsoNode node, string application, string account, CancellationToken cancellationToken)
    {
        await using var transaction = await node.Database.BeginReadAsync(cancellationToken);
        await transaction.Applications.GetChangeEpochsAsync(application, cancellationToken);
        await transaction.Applications.FindAsync(application, cancellationToken);
        await transaction.System.GetRoleAccountsAsync(SystemRole.SsoAdministrators, cancellationToken);
        await transaction.System.GetRoleAccountsAsync(SystemRole.AffiliateAdministrators, cancellationToken);
        await transaction.Applications.GetAccountsAsync(application, ApplicationAccountRole.Users, cancellationToken);
        await transaction.Applications.GetAccountsAsync(application, ApplicationAccountRole.Administrators, cancellationToken);
        await transaction.System.GetSettingsAsync(cancellationToken);
        var mapping = await transaction.Mappings.FindByWindowsAccountAsync(application, account, cancellationToken)
                      ?? throw new InvalidOperationException($"No mapping for {account}.");
        await transaction.Applications.GetFieldsAsync(application, cancellationToken);
        var credentials = await transaction.Mappings.GetCredentialsAsync(mapping.Id, cancellationToken);
        await transaction.System.GetSettingsAsync(cancellationToken);
        return credentials.Count == CredentialStore.Fields ? credentials.Count : throw new InvalidOperationException($"{account} has {credentials.Count} credentials.");
    }
}
