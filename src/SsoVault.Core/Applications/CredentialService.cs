using System.Text;
using SsoVault.Core.ConfigStore;
using SsoVault.Core.Diagnostics;
using SsoVault.Core.Errors;
using SsoVault.Core.Identity;
using SsoVault.Core.Nodes;
using SsoVault.Core.Security;
using SsoVault.Core.Storage;

namespace SsoVault.Core.Applications;

/// <summary>The answer to a lookup: the external user id and one credential per credential field, in field order.</summary>
public sealed record CredentialLookupResult(string Application, string ExternalUser, IReadOnlyList<string> Credentials, IReadOnlyList<string> FieldLabels);

/// <summary>
/// Setting credentials (ISSOMapper.SetExternalCredentials, ssomanage/ssoclient -setcredentials) and looking them up
/// (ISSOLookup.GetCredentials): the caller's own credentials, or for a group application those of the first of its
/// Application Users accounts the caller belongs to. Every credential is encrypted under the key ring and bound to its
/// mapping and field.
/// </summary>
public static class CredentialService
{
    public const int MaxCredentialBytes = 4096;

    /// <param name="key">Whose credentials: a Windows account (a host group application: an external account); null = the caller's own.</param>
    /// <param name="externalUser">Creates the mapping when it does not exist yet, as -setcredentials prompts for it.</param>
    public static async Task<MappingView> SetAsync(SsoNode node, Caller caller, string application, string? key, string? externalUser,
        IReadOnlyList<string> credentials, CancellationToken cancellationToken)
    {
        var ring = await node.GetKeyRingAsync(cancellationToken);
        await using var transaction = await node.Database.BeginAsync(cancellationToken);
        var (app, system, access) = await ApplicationService.LoadAsync(transaction, ConfigNames.Application(application), cancellationToken);
        var existing = app.Type == ApplicationType.HostGroup
            ? await transaction.Mappings.FindByExternalUserAsync(app.Name, key ?? externalUser ?? "", cancellationToken)
            : await transaction.Mappings.FindByWindowsAccountAsync(app.Name, key ?? caller.Account, cancellationToken);
        MappingRecord mapping;
        if (existing is null)
        {
            if (externalUser is null)
            {
                throw new SsoException(SsoErrorCode.NotFound, $"'{key ?? caller.Account}' has no mapping in '{app.Name}' yet.",
                    "Give the external user id too (--external-user NAME) to create the mapping with its credentials.");
            }

            mapping = await MappingService.CreateInAsync(transaction, node, caller, app.Name, app.Type == ApplicationType.HostGroup ? null : key, externalUser,
                cancellationToken);
            await transaction.Mappings.SetEnabledAsync(mapping.Id, true, node.Clock.GetUtcNow(), cancellationToken);
            mapping = mapping with { Enabled = true };
        }
        else
        {
            (_, mapping) = await MappingService.FindForChangeAsync(transaction, caller, app.Name,
                app.Type == ApplicationType.HostGroup ? existing.ExternalUser : existing.WindowsAccount, cancellationToken);
            var isOwn = app.Type == ApplicationType.Individual && string.Equals(mapping.WindowsAccount, caller.Account, StringComparison.OrdinalIgnoreCase);
            AccessPolicy.Require(caller, isOwn ? SsoOperation.SetOwnCredentials : SsoOperation.SetAnyCredentials, system, access);
            if (isOwn && !mapping.Enabled)
            {
                // ssoclient -setcredentials enables the user's own mapping; an administrator's change leaves the state alone.
                await transaction.Mappings.SetEnabledAsync(mapping.Id, true, node.Clock.GetUtcNow(), cancellationToken);
                mapping = mapping with { Enabled = true };
            }
        }

        ring = await node.GetKeyRingForWritingAsync(transaction, cancellationToken);
        var fields = await transaction.Applications.GetFieldsAsync(app.Name, cancellationToken);
        var labels = fields.Skip(1).Select(f => f.Label).ToList();
        if (credentials.Count != labels.Count)
        {
            throw new SsoException(SsoErrorCode.InvalidInput,
                $"Application '{app.Name}' has {labels.Count} credential fields ({string.Join(", ", labels)}); {credentials.Count} values were given. Nothing was changed.",
                "Give exactly one value per credential field, in field order.");
        }

        var envelopes = new List<(int, byte[])>(credentials.Count);
        for (var i = 0; i < credentials.Count; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(credentials[i]);
            if (bytes.Length > MaxCredentialBytes)
            {
                throw new SsoException(SsoErrorCode.InvalidInput, $"The value for '{labels[i]}' is longer than {MaxCredentialBytes} bytes.", "Shorten it.");
            }

            var ordinal = i + 1;
            envelopes.Add((ordinal, ring.Encrypt(CredentialIdentity.For(app.Name, mapping.WindowsAccount, mapping.ExternalUser, ordinal), bytes)));
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(bytes);
        }

        var now = node.Clock.GetUtcNow();
        await transaction.Mappings.SetCredentialsAsync(mapping.Id, envelopes, now, cancellationToken);
        await transaction.DataKeys.AddEncryptionsAsync(ring.Current.Id, envelopes.Count, cancellationToken);
        await transaction.Audit.AddAsync(new AuditEvent(now, AuditEventIds.CredentialsSet, node.Name, caller.Account,
            $"Credentials set for {mapping.WindowsAccount} -> {mapping.ExternalUser} in {app.Name}"), cancellationToken);
        var view = await MappingService.ViewAsync(transaction, mapping, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return view;
    }

    /// <summary>
    /// ENTSSO's GetCredentials for the caller, answered from the node's credential cache while it is valid.
    /// <paramref name="refresh"/> is ENTSSO's SSO_FLAG_REFRESH: bypass the cache — read again, and leave the cache as it
    /// is (an entry is never stale, so there is nothing to correct, and a caller refreshing many users must not churn it).
    /// </summary>
    /// <remarks>
    /// Validity is checked against the node's leased change epochs (<see cref="ChangeEpochLease"/>): a hit reads nothing
    /// from the database, and still never misses a write that returned before the lookup began. A miss whose application
    /// context is cached reads the caller's mapping and credentials in one statement, without a transaction.
    /// </remarks>
    public static Task<CredentialLookupResult> LookupAsync(SsoNode node, Caller caller, string application, CancellationToken cancellationToken,
        bool refresh = false)
    {
        // A hit on epochs still within their lease completes without awaiting anything: the cached answer's own task.
        if (!refresh && node.LoadedKeyRing is not null && node.Epochs.TryGetLeased(ConfigNames.Application(application), out var leased)
            && leased is { } current && node.CredentialCache.TryGet(application, caller.Account, current, node.Clock.GetUtcNow(), out var hit))
        {
            return hit;
        }

        return LookupReadingAsync(node, caller, application, refresh, cancellationToken);
    }

    /// <summary><see cref="LookupAsync"/> when something must be read first: the key ring, the epochs or the answer.</summary>
    private static async Task<CredentialLookupResult> LookupReadingAsync(SsoNode node, Caller caller, string application, bool refresh,
        CancellationToken cancellationToken)
    {
        // Loaded once, before anything else: loading it reads the database too.
        await node.GetKeyRingAsync(cancellationToken);

        var now = node.Clock.GetUtcNow();
        var epochs = await node.Epochs.ForApplicationAsync(ConfigNames.Application(application), cancellationToken);
        if (!refresh && epochs is { } current && node.CredentialCache.TryGet(application, caller.Account, current, now, out var hit))
        {
            // Valid: nothing the answer or the caller's right to it depends on has changed since it was cached.
            return await hit;
        }

        var context = await node.ApplicationContexts.GetAsync(node, application, epochs, cancellationToken);
        AccessPolicy.Require(caller, SsoOperation.LookupOwnCredentials, context.System, context.Access);
        var result = await LookupForAsync(node, (app, account) => node.Database.ReadMappingWithCredentialsAsync(app, account, cancellationToken),
            context, caller, cancellationToken);
        var timeout = context.Settings.CredentialCacheTimeoutMinutes;
        if (!refresh && epochs is { } read && timeout > 0 && !SsoFlags.Has(context.App.Flags, SsoFlags.DisableCredentialCache))
        {
            // Cached under epochs read before the answer: any change since makes it miss, never the other way round.
            node.CredentialCache.Put(context.App.Name, caller.Account, result, read, now.AddMinutes(timeout));
        }

        return result;
    }

    /// <summary>The credentials <paramref name="user"/> gets from <paramref name="app"/>: shared by lookups and ticket redemption.</summary>
    /// <param name="findMapping">Reads a mapping (application, Windows account) with its credentials: in a transaction or as one statement.</param>
    internal static async Task<CredentialLookupResult> LookupForAsync(SsoNode node, Func<string, string, Task<MappingWithCredentials?>> findMapping,
        ApplicationContext context, Caller user, CancellationToken cancellationToken)
    {
        var (app, _, access, fields, settings) = context;
        if (!settings.SsoEnabled)
        {
            throw new SsoException(SsoErrorCode.Disabled, "Single sign-on is disabled for the whole system (ENTSSO event 10537).",
                "An SSO administrator enables it with: ssovault system enable");
        }

        if (!SsoFlags.Has(app.Flags, SsoFlags.Enabled))
        {
            throw new SsoException(SsoErrorCode.Disabled, $"Application '{app.Name}' is disabled.", $"An administrator enables it with: ssovault app enable {app.Name}");
        }

        var (mapping, stored) = await ResolveMappingAsync(findMapping, app, access, user);
        if (!mapping.Enabled)
        {
            throw new SsoException(SsoErrorCode.Disabled, $"The mapping of '{mapping.WindowsAccount}' in '{app.Name}' is disabled.",
                $"Enable it: ssovault mapping enable {app.Name} \"{mapping.WindowsAccount}\"");
        }

        if (stored.Count != fields.Count - 1)
        {
            throw new SsoException(SsoErrorCode.NotFound,
                $"The mapping of '{mapping.WindowsAccount}' in '{app.Name}' has no complete credentials yet.",
                $"Set them: ssovault credentials set {app.Name}");
        }

        var values = new List<string>(stored.Count);
        foreach (var (ordinal, envelope) in stored)
        {
            values.Add(Encoding.UTF8.GetString(await node.DecryptAsync(
                CredentialIdentity.For(app.Name, mapping.WindowsAccount, mapping.ExternalUser, ordinal), envelope, cancellationToken)));
        }

        return new CredentialLookupResult(app.Name, mapping.ExternalUser, values, fields.Skip(1).Select(f => f.Label).ToList());
    }

    private static async Task<MappingWithCredentials> ResolveMappingAsync(Func<string, string, Task<MappingWithCredentials?>> findMapping,
        ApplicationRecord app, ApplicationAccess access, Caller user)
    {
        switch (app.Type)
        {
            case ApplicationType.Individual:
                return await findMapping(app.Name, user.Account) ?? throw NoMapping(app, user);
            case ApplicationType.Group:
                // ENTSSO: the first Application Users account, in the configured order, that the caller belongs to and that has a mapping.
                foreach (var account in access.UserAccounts.Where(a => user.Memberships.Contains(a)))
                {
                    if (await findMapping(app.Name, account) is { } mapping)
                    {
                        return mapping;
                    }
                }

                throw NoMapping(app, user);
            default:
                throw new SsoException(SsoErrorCode.InvalidInput,
                    $"'{app.Name}' is a {app.Type} application: it has no Windows-initiated lookup.",
                    "Look up credentials in individual or group applications; config store applications are read with 'ssovault config get'.");
        }
    }

    private static SsoException NoMapping(ApplicationRecord app, Caller user) => new(
        SsoErrorCode.NotFound, $"'{user.Account}' has no mapping in application '{app.Name}'.",
        $"Create one with credentials: ssovault credentials set {app.Name} --external-user NAME");
}
