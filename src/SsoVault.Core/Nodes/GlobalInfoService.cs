using SsoVault.Core.Diagnostics;
using SsoVault.Core.Entsso;
using SsoVault.Core.Errors;
using SsoVault.Core.Identity;
using SsoVault.Core.MasterSecrets;
using SsoVault.Core.Security;
using SsoVault.Core.Storage;

namespace SsoVault.Core.Nodes;

public sealed record GlobalInfoView(GlobalSettings Settings, IReadOnlyList<string> SsoAdministrators, IReadOnlyList<string> AffiliateAdministrators,
    string SecretServer);

/// <summary>
/// ENTSSO's global settings (ISSOAdmin.GetGlobalInfo/UpdateGlobalInfo, ssomanage -updatedb, -enablesso/-disablesso,
/// -tickets), SSO administrators only, with ENTSSO's rule that the administrator accounts change only while SSO is
/// disabled and only to accounts that still include the caller (events 10773, 10597).
/// </summary>
public static class GlobalInfoService
{
    public static async Task<GlobalInfoView> GetAsync(SsoNode node, Caller caller, CancellationToken cancellationToken)
    {
        await using var transaction = await node.Database.BeginReadAsync(cancellationToken);
        var system = await AccessLoader.SystemAsync(transaction, cancellationToken);
        AccessPolicy.Require(caller, SsoOperation.ReadGlobalInfo, system);
        var info = await node.GetSystemInfoAsync(transaction, cancellationToken);
        return new GlobalInfoView(await transaction.System.GetSettingsAsync(cancellationToken), system.SsoAdministrators, system.AffiliateAdministrators,
            info.SecretServer);
    }

    public static Task<GlobalInfoView> SetSsoEnabledAsync(SsoNode node, Caller caller, bool enabled, CancellationToken cancellationToken) =>
        ChangeAsync(node, caller, SsoOperation.EnableDisableSso, s => s with { SsoEnabled = enabled }, $"SSO {(enabled ? "enabled" : "disabled")}", cancellationToken);

    public static Task<GlobalInfoView> SetTicketsAsync(SsoNode node, Caller caller, bool? allowed, bool? validated, CancellationToken cancellationToken) =>
        ChangeAsync(node, caller, SsoOperation.UpdateGlobalInfo,
            s => s with { TicketsAllowed = allowed ?? s.TicketsAllowed, TicketsValidated = validated ?? s.TicketsValidated },
            $"Tickets: allowed {allowed?.ToString() ?? "unchanged"}, validated {validated?.ToString() ?? "unchanged"}", cancellationToken);

    /// <summary>
    /// Applies a global info update file in one transaction. A file that moves the secret server may, from a node that
    /// is not the secret server, contain nothing else (ENTSSO's rule, so a lost server can be replaced from anywhere
    /// without other changes riding along).
    /// </summary>
    public static async Task<(GlobalInfoView View, MoveResult? Move)> ApplyAsync(SsoNode node, Caller caller, GlobalInfoFile file,
        CancellationToken cancellationToken)
    {
        await using var transaction = await node.Database.BeginAsync(cancellationToken);
        var system = await AccessLoader.SystemAsync(transaction, cancellationToken);
        AccessPolicy.Require(caller, SsoOperation.UpdateGlobalInfo, system);
        var info = await node.GetSystemInfoAsync(transaction, cancellationToken);
        if (file.SecretServer is not null && file.ChangesSettings && !node.IsSecretServer(info))
        {
            throw new SsoException(SsoErrorCode.InvalidInput,
                $"From a node that is not the master secret server ('{info.SecretServer}'), an update that moves the secret server may contain only <secretServer>.",
                "Split the file: move the secret server first, then apply the other settings.");
        }

        var settings = await transaction.System.GetSettingsAsync(cancellationToken);
        if (file.SsoAdminAccounts is not null || file.AffiliateAdminAccounts is not null)
        {
            await ChangeRoleAccountsAsync(transaction, caller, settings, file, cancellationToken);
        }

        var updated = settings with
        {
            AuditDeletedApps = file.AuditDeletedApps ?? settings.AuditDeletedApps,
            AuditDeletedMappings = file.AuditDeletedMappings ?? settings.AuditDeletedMappings,
            AuditCredentialLookups = file.AuditCredentialLookups ?? settings.AuditCredentialLookups,
            TicketTimeoutMinutes = file.TicketTimeoutMinutes ?? settings.TicketTimeoutMinutes,
            CredentialCacheTimeoutMinutes = file.CredentialCacheTimeoutMinutes ?? settings.CredentialCacheTimeoutMinutes,
        };
        await transaction.System.UpdateSettingsAsync(updated, cancellationToken);
        var move = file.SecretServer is null ? null : await SecretServerMove.MoveInAsync(transaction, node, caller, info, file.SecretServer, cancellationToken);
        await transaction.Audit.AddAsync(new AuditEvent(node.Clock.GetUtcNow(), AuditEventIds.GlobalInfoChanged, node.Name, caller.Account,
            "Global info updated from a file"), cancellationToken);
        var view = new GlobalInfoView(updated, await transaction.System.GetRoleAccountsAsync(SystemRole.SsoAdministrators, cancellationToken),
            await transaction.System.GetRoleAccountsAsync(SystemRole.AffiliateAdministrators, cancellationToken), move?.NewServer ?? info.SecretServer);
        await transaction.CommitAsync(cancellationToken);
        return (view, move);
    }

    private static async Task ChangeRoleAccountsAsync(ISsoTransaction transaction, Caller caller, GlobalSettings settings, GlobalInfoFile file,
        CancellationToken cancellationToken)
    {
        AccessPolicy.Require(caller, SsoOperation.ChangeSystemRoleAccounts, await AccessLoader.SystemAsync(transaction, cancellationToken));
        if (settings.SsoEnabled)
        {
            throw new SsoException(SsoErrorCode.Conflict,
                "The SSO Administrators and SSO Affiliate Administrators accounts can change only while SSO is disabled (ENTSSO event 10773).",
                "Run 'ssovault system disable', apply the file, then 'ssovault system enable'. Nothing was changed.");
        }

        foreach (var (role, accounts) in new[] { (SystemRole.SsoAdministrators, file.SsoAdminAccounts), (SystemRole.AffiliateAdministrators, file.AffiliateAdminAccounts) })
        {
            if (accounts is null)
            {
                continue;
            }

            var resolved = new List<string>();
            foreach (var name in accounts)
            {
                resolved.Add((await IdentityService.RequireAccountAsync(transaction, name, cancellationToken)).Name);
            }

            if (role == SystemRole.SsoAdministrators && !caller.IsLocalOperator && !caller.IsAnyOf(resolved))
            {
                throw new SsoException(SsoErrorCode.Conflict,
                    $"'{caller.Account}' would lock itself out: it is not in the new SSO Administrators accounts (ENTSSO event 10597).",
                    "Include an account you belong to. Nothing was changed.");
            }

            await transaction.System.SetRoleAccountsAsync(role, resolved, cancellationToken);
        }
    }

    private static async Task<GlobalInfoView> ChangeAsync(SsoNode node, Caller caller, SsoOperation operation, Func<GlobalSettings, GlobalSettings> change,
        string auditText, CancellationToken cancellationToken)
    {
        await using var transaction = await node.Database.BeginAsync(cancellationToken);
        var system = await AccessLoader.SystemAsync(transaction, cancellationToken);
        AccessPolicy.Require(caller, operation, system);
        var info = await node.GetSystemInfoAsync(transaction, cancellationToken);
        var updated = change(await transaction.System.GetSettingsAsync(cancellationToken));
        await transaction.System.UpdateSettingsAsync(updated, cancellationToken);
        await transaction.Audit.AddAsync(new AuditEvent(node.Clock.GetUtcNow(), AuditEventIds.GlobalInfoChanged, node.Name, caller.Account, auditText),
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new GlobalInfoView(updated, system.SsoAdministrators, system.AffiliateAdministrators, info.SecretServer);
    }
}
