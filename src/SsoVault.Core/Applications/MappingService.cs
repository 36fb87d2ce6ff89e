using SsoVault.Core.ConfigStore;
using SsoVault.Core.Diagnostics;
using SsoVault.Core.Errors;
using SsoVault.Core.Identity;
using SsoVault.Core.Nodes;
using SsoVault.Core.Security;
using SsoVault.Core.Storage;

namespace SsoVault.Core.Applications;

public sealed record MappingView(string Application, string WindowsAccount, string ExternalUser, bool Enabled, bool HasCredentials,
    DateTimeOffset CreatedUtc, DateTimeOffset UpdatedUtc);

/// <summary>
/// Mappings between directory accounts and external accounts (ENTSSO's ISSOMapping, ssomanage -createmappings etc.):
/// individual applications map one user to one external account and let users manage their own; group applications map
/// one of their Application Users accounts to one external account, managed by administrators; host group applications
/// map many external accounts to their one Windows account. New mappings start disabled, as in ENTSSO.
/// </summary>
public static class MappingService
{
    public const int MaxExternalUserLength = 256;

    public static async Task<MappingView> CreateAsync(SsoNode node, Caller caller, string application, string? windowsAccount, string externalUser,
        CancellationToken cancellationToken)
    {
        await using var transaction = await node.Database.BeginAsync(cancellationToken);
        var mapping = await CreateInAsync(transaction, node, caller, application, windowsAccount, externalUser, cancellationToken);
        var view = await ViewAsync(transaction, mapping, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return view;
    }

    internal static async Task<MappingRecord> CreateInAsync(ISsoTransaction transaction, SsoNode node, Caller caller, string application,
        string? windowsAccount, string externalUser, CancellationToken cancellationToken)
    {
        var (app, system, access) = await ApplicationService.LoadAsync(transaction, ConfigNames.Application(application), cancellationToken);
        ValidateExternalUser(externalUser);
        var account = await WindowsAccountForAsync(transaction, caller, app, access, system, windowsAccount, cancellationToken);
        if (await transaction.Mappings.FindByExternalUserAsync(app.Name, externalUser, cancellationToken) is { } taken)
        {
            throw new SsoException(SsoErrorCode.Conflict,
                $"External account '{externalUser}' of '{app.Name}' is already mapped to '{taken.WindowsAccount}' (ENTSSO event 11046).",
                "Each external account maps once per application. Delete the other mapping first. Nothing was changed.");
        }

        if (app.Type != ApplicationType.HostGroup && await transaction.Mappings.FindByWindowsAccountAsync(app.Name, account, cancellationToken) is { } existing)
        {
            throw new SsoException(SsoErrorCode.Conflict,
                $"'{existing.WindowsAccount}' already has a mapping in '{app.Name}' (to '{existing.ExternalUser}'; ENTSSO event 11045).",
                "One mapping per account and application: delete it first to change the external account. Nothing was changed.");
        }

        var now = node.Clock.GetUtcNow();
        var mapping = await transaction.Mappings.AddAsync(new MappingRecord(0, app.Name, account, externalUser, Enabled: false, 0, now, now), cancellationToken);
        await transaction.Audit.AddAsync(new AuditEvent(now, AuditEventIds.MappingCreated, node.Name, caller.Account,
            $"Mapping {account} -> {externalUser} created in {app.Name}"), cancellationToken);
        return mapping;
    }

    public static Task<MappingView> SetEnabledAsync(SsoNode node, Caller caller, string application, string? key, bool enabled,
        CancellationToken cancellationToken) =>
        ChangeAsync(node, caller, application, key, cancellationToken, async (transaction, mapping) =>
        {
            await transaction.Mappings.SetEnabledAsync(mapping.Id, enabled, node.Clock.GetUtcNow(), cancellationToken);
            return mapping with { Enabled = enabled };
        });

    /// <summary>Deletes a mapping and its credentials (ssomanage -deletemapping).</summary>
    public static Task<MappingView> DeleteAsync(SsoNode node, Caller caller, string application, string? key, CancellationToken cancellationToken) =>
        ChangeAsync(node, caller, application, key, cancellationToken, async (transaction, mapping) =>
        {
            await transaction.Mappings.DeleteAsync(mapping.Id, cancellationToken);
            return mapping;
        });

    /// <summary>Mappings the caller may see: all of an application's for its administrators, otherwise the caller's own.</summary>
    public static async Task<IReadOnlyList<MappingView>> ListAsync(SsoNode node, Caller caller, string? application, string? windowsAccount,
        CancellationToken cancellationToken)
    {
        await using var transaction = await node.Database.BeginReadAsync(cancellationToken);
        var system = await AccessLoader.SystemAsync(transaction, cancellationToken);
        if (application is not null)
        {
            await ApplicationService.LoadAsync(transaction, application, cancellationToken);
        }

        var views = new List<MappingView>();
        var accessByApp = new Dictionary<string, ApplicationAccess>(StringComparer.OrdinalIgnoreCase);
        foreach (var mapping in await transaction.Mappings.ListAsync(application, windowsAccount, cancellationToken))
        {
            if (!accessByApp.TryGetValue(mapping.Application, out var access))
            {
                var app = (await transaction.Applications.FindAsync(mapping.Application, cancellationToken))!;
                accessByApp[mapping.Application] = access = await ApplicationAccessLoader.ForAsync(transaction, app, cancellationToken);
            }

            var isOwn = string.Equals(mapping.WindowsAccount, caller.Account, StringComparison.OrdinalIgnoreCase);
            if (AccessPolicy.IsAllowed(caller, SsoOperation.ManageAnyMapping, system, access) ||
                (isOwn && AccessPolicy.IsAllowed(caller, SsoOperation.ManageOwnMapping, system, access)))
            {
                views.Add(await ViewAsync(transaction, mapping, cancellationToken));
            }
        }

        return views;
    }

    /// <summary>
    /// Finds the mapping a command names — by Windows account, or by external account in a host group application —
    /// and checks the caller may change it: its own (individual applications) or any (application administrators).
    /// </summary>
    internal static async Task<(ApplicationRecord App, MappingRecord Mapping)> FindForChangeAsync(ISsoTransaction transaction, Caller caller,
        string application, string? key, CancellationToken cancellationToken)
    {
        var (app, system, access) = await ApplicationService.LoadAsync(transaction, ConfigNames.Application(application), cancellationToken);
        key ??= caller.IsLocalOperator
            ? throw new SsoException(SsoErrorCode.InvalidInput, "Name the account whose mapping to change.", @"Give DOMAIN\user (or use --as DOMAIN\user).")
            : caller.Account;
        var mapping = app.Type == ApplicationType.HostGroup
            ? await transaction.Mappings.FindByExternalUserAsync(app.Name, key, cancellationToken)
            : await transaction.Mappings.FindByWindowsAccountAsync(app.Name, key, cancellationToken);
        var isOwn = mapping is not null && app.Type == ApplicationType.Individual &&
                    string.Equals(mapping.WindowsAccount, caller.Account, StringComparison.OrdinalIgnoreCase);
        AccessPolicy.Require(caller, isOwn ? SsoOperation.ManageOwnMapping : SsoOperation.ManageAnyMapping, system, access);
        return mapping is null
            ? throw new SsoException(SsoErrorCode.NotFound, $"'{key}' has no mapping in application '{app.Name}'.",
                $"List mappings with: ssovault mapping list {app.Name}")
            : (app, mapping);
    }

    internal static void ValidateExternalUser(string externalUser)
    {
        if (string.IsNullOrWhiteSpace(externalUser) || externalUser.Length > MaxExternalUserLength || externalUser.Any(char.IsControl))
        {
            throw new SsoException(SsoErrorCode.InvalidInput, $"'{externalUser}' is not a valid external user id.",
                $"Give 1 to {MaxExternalUserLength} printable characters.");
        }
    }

    internal static async Task<MappingView> ViewAsync(ISsoTransaction transaction, MappingRecord mapping, CancellationToken cancellationToken) =>
        new(mapping.Application, mapping.WindowsAccount, mapping.ExternalUser, mapping.Enabled,
            (await transaction.Mappings.GetCredentialsAsync(mapping.Id, cancellationToken)).Count > 0, mapping.CreatedUtc, mapping.UpdatedUtc);

    private static async Task<MappingView> ChangeAsync(SsoNode node, Caller caller, string application, string? key, CancellationToken cancellationToken,
        Func<ISsoTransaction, MappingRecord, Task<MappingRecord>> change)
    {
        await using var transaction = await node.Database.BeginAsync(cancellationToken);
        var (_, mapping) = await FindForChangeAsync(transaction, caller, application, key, cancellationToken);
        var view = await ViewAsync(transaction, await change(transaction, mapping), cancellationToken);
        await transaction.Audit.AddAsync(new AuditEvent(node.Clock.GetUtcNow(), AuditEventIds.MappingChanged, node.Name, caller.Account,
            $"Mapping {mapping.WindowsAccount} -> {mapping.ExternalUser} in {mapping.Application} changed"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return view;
    }

    /// <summary>ENTSSO's rules for whose mapping may be created, by application type.</summary>
    private static async Task<string> WindowsAccountForAsync(ISsoTransaction transaction, Caller caller, ApplicationRecord app, ApplicationAccess access,
        SystemAccess system, string? windowsAccount, CancellationToken cancellationToken)
    {
        switch (app.Type)
        {
            case ApplicationType.ConfigStore:
                throw new SsoException(SsoErrorCode.InvalidInput, $"'{app.Name}' is a config store application; it has no mappings.",
                    "Use 'ssovault config set' for its properties.");
            case ApplicationType.HostGroup:
                AccessPolicy.Require(caller, SsoOperation.ManageAnyMapping, system, access);
                return access.UserAccounts.Count == 1
                    ? access.UserAccounts[0]
                    : throw new SsoException(SsoErrorCode.Conflict, $"Host group application '{app.Name}' has no Windows account yet.",
                        $"Set it first: ssovault app update {app.Name} --users \"DOMAIN\\account\"");
            case ApplicationType.Group:
                {
                    AccessPolicy.Require(caller, SsoOperation.ManageAnyMapping, system, access);
                    var named = windowsAccount ?? throw new SsoException(SsoErrorCode.InvalidInput,
                        $"Group application '{app.Name}' maps one of its Application Users accounts: name it.", "Give the group, e.g. \"CORP\\ERP Users\".");
                    return access.UserAccounts.FirstOrDefault(a => a.Equals(named, StringComparison.OrdinalIgnoreCase)) ?? throw new SsoException(
                        SsoErrorCode.InvalidInput,
                        $"'{named}' is not one of the Application Users accounts of '{app.Name}' ({string.Join(", ", access.UserAccounts)}; ENTSSO event 11026).",
                        "Group applications map their Application Users accounts; add it there first.");
                }

            default:
                {
                    var target = windowsAccount ?? (caller.IsLocalOperator
                        ? throw new SsoException(SsoErrorCode.InvalidInput, "Name the user to map.", @"Give DOMAIN\user (or use --as DOMAIN\user).")
                        : caller.Account);
                    var isOwn = string.Equals(target, caller.Account, StringComparison.OrdinalIgnoreCase);
                    AccessPolicy.Require(caller, isOwn ? SsoOperation.ManageOwnMapping : SsoOperation.ManageAnyMapping, system, access);
                    var account = await IdentityService.RequireAccountAsync(transaction, target, cancellationToken);
                    if (account.Kind != AccountKind.User)
                    {
                        throw new SsoException(SsoErrorCode.InvalidInput,
                            $"'{account.Name}' is a group; individual applications map users (ENTSSO event 10841).",
                            "Map each user, or use a group application for one shared external account.");
                    }

                    var member = Caller.ForAccount(account.Name, await transaction.Accounts.ResolveMembershipsAsync(account.Name, cancellationToken));
                    if (!member.IsAnyOf(access.UserAccounts))
                    {
                        throw new SsoException(SsoErrorCode.AccessDenied,
                            $"'{account.Name}' is not in the Application Users of '{app.Name}' ({string.Join(", ", access.UserAccounts)}; ENTSSO event 10853).",
                            "Add the user to one of those accounts first.");
                    }

                    return account.Name;
                }
        }
    }
}
