using System.Text;
using SsoVault.Core.Applications;
using SsoVault.Core.Identity;
using SsoVault.Core.Nodes;
using SsoVault.Core.Storage;

namespace SsoVault.Bench.Fixtures;

/// <summary>
/// Fills a node with real mappings and credentials: the group and the application through the services (as an
/// administrator would), then per user an account, its group membership, an enabled mapping and two credentials
/// encrypted with the node's own key ring, written through the repositories in large transactions.
/// <see cref="CredentialService.SetAsync"/> would commit (fsync) and re-check access once per user; the rows stored are
/// the same, which the loader proves by looking a sample up through <see cref="CredentialService.LookupAsync"/>.
/// </summary>
internal static class CredentialBulkLoader
{
    private const int UsersPerTransaction = 10_000;

    public static async Task<CredentialStore> LoadAsync(SsoNode node, int users, CancellationToken cancellationToken)
    {
        var admin = Caller.LocalOperator;
        await IdentityService.AddAccountAsync(node, admin, CredentialStore.Group, AccountKind.Group, cancellationToken);
        await ApplicationService.CreateAsync(node, admin, new ApplicationDefinition
        {
            Name = CredentialStore.Application,
            Type = ApplicationType.Individual,
            UserAccounts = [CredentialStore.Group],
            AdminAccounts = [CredentialStore.Group],
            Fields = [new FieldDefinition("User id"), new FieldDefinition("Password", Masked: true), new FieldDefinition("Pin", Masked: true)],
        }, cancellationToken);
        await ApplicationService.SetEnabledAsync(node, admin, CredentialStore.Application, true, cancellationToken);

        var ring = await node.GetKeyRingAsync(cancellationToken);
        for (var first = 0; first < users; first += UsersPerTransaction)
        {
            var now = node.Clock.GetUtcNow();
            await using var transaction = await node.Database.BeginAsync(cancellationToken);
            var last = Math.Min(users, first + UsersPerTransaction);
            for (var user = first; user < last; user++)
            {
                var account = CredentialStore.Account(user);
                var external = CredentialStore.ExternalUser(user);
                await transaction.Accounts.AddAsync(new AccountRecord(account, AccountKind.User, now), cancellationToken);
                await transaction.Accounts.AddMemberAsync(CredentialStore.Group, account, cancellationToken);
                var mapping = await transaction.Mappings.AddAsync(
                    new MappingRecord(0, CredentialStore.Application, account, external, Enabled: true, 0, now, now), cancellationToken);
                var envelopes = new List<(int, byte[])>(CredentialStore.Fields);
                for (var ordinal = 1; ordinal <= CredentialStore.Fields; ordinal++)
                {
                    envelopes.Add((ordinal, ring.Encrypt(CredentialRecordIdentity.For(CredentialStore.Application, account, external, ordinal),
                        Encoding.UTF8.GetBytes(CredentialStore.ValueOf(user, ordinal)))));
                }

                await transaction.Mappings.SetCredentialsAsync(mapping.Id, envelopes, now, cancellationToken);
            }

            await transaction.DataKeys.AddEncryptionsAsync(ring.Current.Id, (long)(last - first) * CredentialStore.Fields, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var store = new CredentialStore(users);
        await CheckSampleAsync(node, store, cancellationToken);
        return store;
    }

    /// <summary>A few users resolved through the directory and looked up through the real service, bypassing the cache.</summary>
    public static async Task CheckSampleAsync(SsoNode node, CredentialStore store, CancellationToken cancellationToken)
    {
        foreach (var user in new[] { 0, store.Users / 2, store.Users - 1 }.Distinct())
        {
            var caller = await IdentityService.ResolveAsync(node.Database, CredentialStore.Account(user), cancellationToken);
            if (!caller.Memberships.SetEquals(store.CallerOf(user).Memberships))
            {
                throw new InvalidOperationException($"User {user} resolves to other memberships than the bench assumes.");
            }

            CredentialStore.Check(user, await CredentialService.LookupAsync(node, caller, CredentialStore.Application, cancellationToken, refresh: true));
        }
    }
}
