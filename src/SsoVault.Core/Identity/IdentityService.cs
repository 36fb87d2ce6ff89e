using SsoVault.Core.Errors;
using SsoVault.Core.Nodes;
using SsoVault.Core.Security;
using SsoVault.Core.Storage;

namespace SsoVault.Core.Identity;

public sealed record AccountView(string Name, AccountKind Kind, IReadOnlyList<string> MemberOf, IReadOnlyList<string> Members, DateTimeOffset CreatedUtc);

public sealed record ApiKeyView(string Id, string Account, string Description, DateTimeOffset CreatedUtc, DateTimeOffset? RevokedUtc);

/// <summary>A newly created API key. <see cref="Token"/> is shown once and never stored.</summary>
public sealed record CreatedApiKey(string Id, string Account, string Token);

/// <summary>
/// The built-in directory (ENTSSO relies on Active Directory; SsoVault carries its own): users and groups named
/// <c>DOMAIN\name</c>, nested group memberships, and API keys that let an account call an SSO server.
/// </summary>
public static class IdentityService
{
    public static async Task<AccountRecord> AddAccountAsync(SsoNode node, Caller caller, string name, AccountKind kind,
        CancellationToken cancellationToken)
    {
        name = AccountName.Validate(name);
        await using var transaction = await node.Database.BeginAsync(cancellationToken);
        AccessPolicy.Require(caller, SsoOperation.ManageDirectory, await AccessLoader.SystemAsync(transaction, cancellationToken));
        if (await transaction.Accounts.FindAsync(name, cancellationToken) is { } existing)
        {
            throw new SsoException(SsoErrorCode.Conflict, $"The account '{existing.Name}' already exists (a {existing.Kind.ToString().ToLowerInvariant()}).",
                "Nothing was changed.");
        }

        var account = new AccountRecord(name, kind, node.Clock.GetUtcNow());
        await transaction.Accounts.AddAsync(account, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return account;
    }

    public static async Task RemoveAccountAsync(SsoNode node, Caller caller, string name, CancellationToken cancellationToken)
    {
        await using var transaction = await node.Database.BeginAsync(cancellationToken);
        var system = await AccessLoader.SystemAsync(transaction, cancellationToken);
        AccessPolicy.Require(caller, SsoOperation.ManageDirectory, system);
        var account = await RequireAccountAsync(transaction, name, cancellationToken);
        if (system.SsoAdministrators.Concat(system.AffiliateAdministrators).Contains(account.Name, StringComparer.OrdinalIgnoreCase))
        {
            throw new SsoException(SsoErrorCode.Conflict,
                $"'{account.Name}' holds a system-wide role (SSO Administrators or SSO Affiliate Administrators) and cannot be removed.",
                "Give the role to another account first. Nothing was changed.");
        }

        await transaction.Accounts.RemoveAsync(account.Name, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public static async Task<IReadOnlyList<AccountView>> ListAccountsAsync(SsoNode node, Caller caller, CancellationToken cancellationToken)
    {
        await using var transaction = await node.Database.BeginReadAsync(cancellationToken);
        AccessPolicy.Require(caller, SsoOperation.ReadDirectory, await AccessLoader.SystemAsync(transaction, cancellationToken));
        var views = new List<AccountView>();
        foreach (var account in await transaction.Accounts.ListAsync(cancellationToken))
        {
            views.Add(new AccountView(account.Name, account.Kind,
                await transaction.Accounts.ListGroupsOfAsync(account.Name, cancellationToken),
                account.Kind == AccountKind.Group ? await transaction.Accounts.ListMembersAsync(account.Name, cancellationToken) : [],
                account.CreatedUtc));
        }

        return views;
    }

    /// <summary>Adds a user or group to a group; a membership that would make a cycle is refused.</summary>
    public static async Task<bool> AddMemberAsync(SsoNode node, Caller caller, string group, string member, CancellationToken cancellationToken)
    {
        await using var transaction = await node.Database.BeginAsync(cancellationToken);
        AccessPolicy.Require(caller, SsoOperation.ManageDirectory, await AccessLoader.SystemAsync(transaction, cancellationToken));
        var groupAccount = await RequireGroupAsync(transaction, group, cancellationToken);
        var memberAccount = await RequireAccountAsync(transaction, member, cancellationToken);
        var groupIsInside = await transaction.Accounts.ResolveMembershipsAsync(groupAccount.Name, cancellationToken);
        if (groupIsInside.Contains(memberAccount.Name, StringComparer.OrdinalIgnoreCase))
        {
            throw new SsoException(SsoErrorCode.Conflict,
                $"Adding '{memberAccount.Name}' to '{groupAccount.Name}' would make a cycle: '{groupAccount.Name}' is already inside '{memberAccount.Name}'.",
                "Nothing was changed.");
        }

        var added = await transaction.Accounts.AddMemberAsync(groupAccount.Name, memberAccount.Name, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return added;
    }

    public static async Task RemoveMemberAsync(SsoNode node, Caller caller, string group, string member, CancellationToken cancellationToken)
    {
        await using var transaction = await node.Database.BeginAsync(cancellationToken);
        AccessPolicy.Require(caller, SsoOperation.ManageDirectory, await AccessLoader.SystemAsync(transaction, cancellationToken));
        var groupAccount = await RequireGroupAsync(transaction, group, cancellationToken);
        if (!await transaction.Accounts.RemoveMemberAsync(groupAccount.Name, member, cancellationToken))
        {
            throw new SsoException(SsoErrorCode.NotFound, $"'{member}' is not a direct member of '{groupAccount.Name}'.", "Nothing was changed.");
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>SSO administrators create keys for any account; any other caller only for itself.</summary>
    public static async Task<CreatedApiKey> CreateApiKeyAsync(SsoNode node, Caller caller, string account, string description,
        CancellationToken cancellationToken)
    {
        if (description.Length > 200 || description.Any(char.IsControl))
        {
            throw new SsoException(SsoErrorCode.InvalidInput, "An API key description is at most 200 printable characters.", "Shorten it.");
        }

        await using var transaction = await node.Database.BeginAsync(cancellationToken);
        var target = await RequireAccountAsync(transaction, account, cancellationToken);
        RequireSelfOrAdministrator(caller, target.Name, await AccessLoader.SystemAsync(transaction, cancellationToken));
        if (target.Kind != AccountKind.User)
        {
            throw new SsoException(SsoErrorCode.InvalidInput, $"'{target.Name}' is a group; API keys belong to user accounts.",
                "Create the key for a user (or a service account) that is a member of the group.");
        }

        var (id, token, hash) = ApiKeyToken.Create();
        await transaction.Accounts.AddApiKeyAsync(new ApiKeyRecord(id, target.Name, hash, description, node.Clock.GetUtcNow(), null), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CreatedApiKey(id, target.Name, token);
    }

    public static async Task RevokeApiKeyAsync(SsoNode node, Caller caller, string id, CancellationToken cancellationToken)
    {
        await using var transaction = await node.Database.BeginAsync(cancellationToken);
        var key = await transaction.Accounts.FindApiKeyAsync(id, cancellationToken) ?? throw new SsoException(
            SsoErrorCode.NotFound, $"There is no API key with id '{id}'.", "List keys with: ssovault apikey list");
        RequireSelfOrAdministrator(caller, key.Account, await AccessLoader.SystemAsync(transaction, cancellationToken));
        if (!await transaction.Accounts.RevokeApiKeyAsync(key.Id, node.Clock.GetUtcNow(), cancellationToken))
        {
            throw new SsoException(SsoErrorCode.Conflict, $"API key '{id}' is already revoked.", "Nothing was changed.");
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public static async Task<IReadOnlyList<ApiKeyView>> ListApiKeysAsync(SsoNode node, Caller caller, string? account, CancellationToken cancellationToken)
    {
        await using var transaction = await node.Database.BeginReadAsync(cancellationToken);
        var system = await AccessLoader.SystemAsync(transaction, cancellationToken);
        if (!AccessPolicy.IsAllowed(caller, SsoOperation.ManageAnyApiKey, system))
        {
            account = caller.Account;
        }

        var keys = await transaction.Accounts.ListApiKeysAsync(account, cancellationToken);
        return keys.Select(k => new ApiKeyView(k.Id, k.Account, k.Description, k.CreatedUtc, k.RevokedUtc)).ToList();
    }

    /// <summary>The caller an API key authenticates; any failure is the same <see cref="SsoErrorCode.Unauthenticated"/> error.</summary>
    /// <remarks>Reads the database every time; a server authenticates through its node's cache (the overload taking the node).</remarks>
    public static Task<Caller> AuthenticateAsync(ISsoDatabase database, string? token, CancellationToken cancellationToken) =>
        AuthenticateAsync(database, null, token, cancellationToken);

    /// <summary>
    /// The caller an API key authenticates, through the node's <see cref="ApiKeyCache"/>: while the system's change epoch
    /// holds (as the node's leased view has it, <see cref="ChangeEpochLease"/>), a request reads nothing from the
    /// database. A revoked key, a removed account or a changed membership bumps the epoch, so it is refused (or resolved
    /// anew) on any request that starts after the change returned.
    /// </summary>
    public static async Task<Caller> AuthenticateAsync(SsoNode node, string? token, CancellationToken cancellationToken)
    {
        var (id, hash) = ApiKeyToken.Parse(token);
        if (node.ApiKeys.TryGet(id, await node.Epochs.ForSystemAsync(cancellationToken), out var storedHash, out var cached))
        {
            // The epoch it was cached under is still the committed one: nothing it depends on has changed since.
            return ApiKeyToken.Matches(hash, storedHash) ? cached : throw ApiKeyToken.Invalid();
        }

        return await AuthenticateAsync(node.Database, node, token, cancellationToken);
    }

    private static async Task<Caller> AuthenticateAsync(ISsoDatabase database, SsoNode? cachingNode, string? token, CancellationToken cancellationToken)
    {
        var (id, hash) = ApiKeyToken.Parse(token);
        var started = ChangeEpochLease.Now();
        await using var transaction = await database.BeginReadAsync(cancellationToken);
        // The epoch is read first in this snapshot: what is read after it is never older, so an entry is cached under
        // an epoch no newer than its data, and any later change makes it miss.
        var epoch = cachingNode is null ? 0 : await transaction.System.GetChangeEpochAsync(cancellationToken);
        cachingNode?.Epochs.ObserveSystem(epoch, started);

        var key = await transaction.Accounts.FindApiKeyAsync(id, cancellationToken);
        if (key is null || key.RevokedUtc is not null || !ApiKeyToken.Matches(hash, key.SecretHash))
        {
            throw ApiKeyToken.Invalid();
        }

        var caller = Caller.ForAccount(key.Account, await transaction.Accounts.ResolveMembershipsAsync(key.Account, cancellationToken));
        cachingNode?.ApiKeys.Put(key.Id, key.SecretHash, caller, epoch);
        return caller;
    }

    /// <summary>A directory account as a caller (the local CLI's --as ACCOUNT).</summary>
    public static async Task<Caller> ResolveAsync(ISsoDatabase database, string account, CancellationToken cancellationToken)
    {
        await using var transaction = await database.BeginReadAsync(cancellationToken);
        var record = await RequireAccountAsync(transaction, account, cancellationToken);
        return Caller.ForAccount(record.Name, await transaction.Accounts.ResolveMembershipsAsync(record.Name, cancellationToken));
    }

    internal static async Task<AccountRecord> RequireAccountAsync(ISsoTransaction transaction, string name, CancellationToken cancellationToken) =>
        await transaction.Accounts.FindAsync(AccountName.Validate(name), cancellationToken) ?? throw new SsoException(
            SsoErrorCode.NotFound, $"There is no account '{name}' in the directory.",
            $"Add it first: ssovault account add \"{name}\" (use --group for a group).");

    private static async Task<AccountRecord> RequireGroupAsync(ISsoTransaction transaction, string name, CancellationToken cancellationToken)
    {
        var account = await RequireAccountAsync(transaction, name, cancellationToken);
        return account.Kind == AccountKind.Group
            ? account
            : throw new SsoException(SsoErrorCode.InvalidInput, $"'{account.Name}' is a user, not a group.", "Name a group account.");
    }

    private static void RequireSelfOrAdministrator(Caller caller, string account, SystemAccess system)
    {
        if (!string.Equals(caller.Account, account, StringComparison.OrdinalIgnoreCase))
        {
            AccessPolicy.Require(caller, SsoOperation.ManageAnyApiKey, system);
        }
    }
}
