using SsoVault.Core.Diagnostics;
using SsoVault.Core.Errors;
using SsoVault.Core.Identity;
using SsoVault.Core.Nodes;
using SsoVault.Core.Security;
using SsoVault.Core.Storage;

namespace SsoVault.Core.Applications;

/// <summary>
/// Affiliate applications (ENTSSO's ISSOAdmin: CreateApplication, CreateFieldInfo, UpdateApplication, DeleteApplication,
/// GetApplicationInfo, and ssomanage -createapps/-updateapps/-deleteapp/-enableapp/-disableapp/-listapps/-displayapp),
/// with ENTSSO's rules: created disabled, enabled only when complete, name, type and fields immutable.
/// </summary>
public static class ApplicationService
{
    public static async Task<ApplicationView> CreateAsync(SsoNode node, Caller caller, ApplicationDefinition definition,
        CancellationToken cancellationToken)
    {
        await using var transaction = await node.Database.BeginAsync(cancellationToken);
        var view = await CreateInAsync(transaction, node, caller, definition, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return view;
    }

    /// <summary>Creates inside the caller's transaction, so an import of many applications is all or nothing.</summary>
    internal static async Task<ApplicationView> CreateInAsync(ISsoTransaction transaction, SsoNode node, Caller caller,
        ApplicationDefinition definition, CancellationToken cancellationToken)
    {
        ApplicationRules.ValidateDefinition(definition);
        var system = await AccessLoader.SystemAsync(transaction, cancellationToken);
        AccessPolicy.Require(caller, SsoOperation.CreateApplication, system);
        if (await transaction.Applications.FindAsync(definition.Name, cancellationToken) is { } existing)
        {
            throw new SsoException(SsoErrorCode.Conflict, $"An application named '{existing.Name}' already exists (names are case-insensitive).",
                "Choose another name, or change it with 'ssovault app update'.");
        }

        var users = await RequireAccountsAsync(transaction, definition.UserAccounts, "application users", cancellationToken);
        var admins = await RequireAccountsAsync(transaction, definition.AdminAccounts, "application administrators", cancellationToken);
        var flags = TypeFlags(definition.Type) | (definition.Flags ?? SsoFlags.NewApplicationDefault);
        var now = node.Clock.GetUtcNow();
        var record = new ApplicationRecord(definition.Name, definition.Type, flags & ~SsoFlags.Enabled, now)
        {
            Description = definition.Description,
            Contact = definition.Contact,
        };
        await transaction.Applications.AddAsync(record, cancellationToken);
        await transaction.Applications.SetAccountsAsync(record.Name, ApplicationAccountRole.Users, users, cancellationToken);
        await transaction.Applications.SetAccountsAsync(record.Name, ApplicationAccountRole.Administrators, admins, cancellationToken);
        for (var i = 0; i < definition.Fields.Count; i++)
        {
            var field = definition.Fields[i];
            await transaction.Applications.AddFieldAsync(record.Name, new FieldRecord(i, field.Label, i > 0 && field.Masked, field.Synchronized), cancellationToken);
        }

        await transaction.Audit.AddAsync(new AuditEvent(now, AuditEventIds.ApplicationCreated, node.Name, caller.Account,
            $"Application {record.Name} ({record.Type}) created with {definition.Fields.Count} fields"), cancellationToken);
        return await ViewAsync(transaction, record, cancellationToken);
    }

    public static async Task<ApplicationView> UpdateAsync(SsoNode node, Caller caller, string name, ApplicationUpdate update,
        CancellationToken cancellationToken)
    {
        await using var transaction = await node.Database.BeginAsync(cancellationToken);
        var view = await UpdateInAsync(transaction, node, caller, name, update, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return view;
    }

    /// <summary>
    /// Each kind of change needs its own role (ENTSSO §4.2): ticket settings need SSO administrators, the administrator
    /// accounts need affiliate administrators, the rest application administrators. Unlike ENTSSO, which ignores a
    /// change the caller may not make (event 10566), the whole update is refused and nothing changes.
    /// </summary>
    internal static async Task<ApplicationView> UpdateInAsync(ISsoTransaction transaction, SsoNode node, Caller caller, string name,
        ApplicationUpdate update, CancellationToken cancellationToken)
    {
        var (app, system, access) = await LoadAsync(transaction, name, cancellationToken);
        AccessPolicy.Require(caller, SsoOperation.UpdateApplication, system, access);
        if (update.AdminAccounts is not null)
        {
            AccessPolicy.Require(caller, SsoOperation.ChangeApplicationAdminAccounts, system, access);
        }

        if (update.ChangesTicketSettings)
        {
            AccessPolicy.Require(caller, SsoOperation.ChangeApplicationTicketSettings, system, access);
        }

        if (update.Enabled is not null)
        {
            AccessPolicy.Require(caller, SsoOperation.EnableDisableApplication, system, access);
        }

        if (update.TicketTimeoutMinutes is { } timeout)
        {
            ApplicationRules.ValidateTicketTimeout(timeout);
        }

        ApplicationRules.ValidateText(update.Description ?? "", "description");
        ApplicationRules.ValidateText(update.Contact ?? "", "contact");
        var flags = app.Flags;
        flags = Set(flags, SsoFlags.AllowTickets, update.AllowTickets);
        flags = Set(flags, SsoFlags.ValidateTickets, update.ValidateTickets);
        flags = Set(flags, SsoFlags.AppTicketTimeout, update.TimeoutTickets);
        flags = Set(flags, SsoFlags.DisableCredentialCache, update.DisableCredentialCache);
        flags = Set(flags, SsoFlags.Enabled, update.Enabled);
        if (update.UserAccounts is { } users)
        {
            if (app.Type == ApplicationType.HostGroup && users.Count > 1)
            {
                throw new SsoException(SsoErrorCode.InvalidInput, $"Host group application '{app.Name}' maps to exactly one Windows account (ENTSSO event 10846).",
                    "Give a single account.");
            }

            await transaction.Applications.SetAccountsAsync(app.Name, ApplicationAccountRole.Users,
                await RequireAccountsAsync(transaction, users, "application users", cancellationToken), cancellationToken);
        }

        if (update.AdminAccounts is { } admins)
        {
            await transaction.Applications.SetAccountsAsync(app.Name, ApplicationAccountRole.Administrators,
                await RequireAccountsAsync(transaction, admins, "application administrators", cancellationToken), cancellationToken);
        }

        if (update.Enabled == true && !SsoFlags.Has(app.Flags, SsoFlags.Enabled))
        {
            await RequireCompleteAsync(transaction, app, cancellationToken);
        }

        var updated = app with
        {
            Flags = flags,
            Description = update.Description ?? app.Description,
            Contact = update.Contact ?? app.Contact,
            TicketTimeoutMinutes = update.TicketTimeoutMinutes ?? app.TicketTimeoutMinutes,
        };
        await transaction.Applications.UpdateAsync(updated, cancellationToken);
        await transaction.Audit.AddAsync(new AuditEvent(node.Clock.GetUtcNow(), AuditEventIds.ApplicationUpdated, node.Name, caller.Account,
            $"Application {app.Name} updated"), cancellationToken);
        return await ViewAsync(transaction, updated, cancellationToken);
    }

    public static Task<ApplicationView> SetEnabledAsync(SsoNode node, Caller caller, string name, bool enabled, CancellationToken cancellationToken) =>
        UpdateAsync(node, caller, name, new ApplicationUpdate { Enabled = enabled }, cancellationToken);

    /// <summary>Deletes the application with all its fields, mappings and credentials (ssomanage -deleteapp).</summary>
    public static async Task DeleteAsync(SsoNode node, Caller caller, string name, CancellationToken cancellationToken)
    {
        await using var transaction = await node.Database.BeginAsync(cancellationToken);
        var (app, system, access) = await LoadAsync(transaction, name, cancellationToken);
        AccessPolicy.Require(caller, SsoOperation.DeleteApplication, system, access);
        var mappings = await transaction.Mappings.ListAsync(app.Name, null, cancellationToken);
        await transaction.Applications.DeleteAsync(app.Name, cancellationToken);
        await transaction.Audit.AddAsync(new AuditEvent(node.Clock.GetUtcNow(), AuditEventIds.ApplicationDeleted, node.Name, caller.Account,
            $"Application {app.Name} deleted with {mappings.Count} mappings"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// ENTSSO's PurgeCacheForApplication (ssomanage -purgecache): every node's cached lookups of the application are
    /// dropped — here at once, because the bumped change epoch invalidates them wherever they are.
    /// </summary>
    public static async Task PurgeCacheAsync(SsoNode node, Caller caller, string name, CancellationToken cancellationToken)
    {
        await using var transaction = await node.Database.BeginAsync(cancellationToken);
        var (app, system, access) = await LoadAsync(transaction, name, cancellationToken);
        AccessPolicy.Require(caller, SsoOperation.PurgeCache, system, access);
        await transaction.Applications.BumpChangeEpochAsync(app.Name, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        node.CredentialCache.Purge(app.Name);
    }

    /// <summary>Appends a field (ENTSSO's CreateFieldInfo); only while the application is disabled and has no credentials.</summary>
    public static async Task<ApplicationView> AddFieldAsync(SsoNode node, Caller caller, string name, FieldDefinition field,
        CancellationToken cancellationToken)
    {
        await using var transaction = await node.Database.BeginAsync(cancellationToken);
        var (app, system, access) = await LoadAsync(transaction, name, cancellationToken);
        AccessPolicy.Require(caller, SsoOperation.AddField, system, access);
        if (app.Type == ApplicationType.ConfigStore)
        {
            throw new SsoException(SsoErrorCode.InvalidInput, $"'{app.Name}' is a config store application: its properties need no fields.",
                "Set properties directly with 'ssovault config set'.");
        }

        if (SsoFlags.Has(app.Flags, SsoFlags.Enabled))
        {
            throw new SsoException(SsoErrorCode.Conflict, $"Application '{app.Name}' is enabled; fields can be added only while it is disabled.",
                $"Disable it first: ssovault app disable {app.Name}");
        }

        var fields = await transaction.Applications.GetFieldsAsync(app.Name, cancellationToken);
        foreach (var mapping in await transaction.Mappings.ListAsync(app.Name, null, cancellationToken))
        {
            if ((await transaction.Mappings.GetCredentialsAsync(mapping.Id, cancellationToken)).Count > 0)
            {
                throw new SsoException(SsoErrorCode.Conflict,
                    $"Application '{app.Name}' already stores credentials; a new field would leave them incomplete.",
                    "Fields are fixed once credentials exist (ENTSSO: fields are create-only). Create a new application instead.");
            }
        }

        ApplicationRules.ValidateFields(app.Name, fields, [field]);
        await transaction.Applications.AddFieldAsync(app.Name, new FieldRecord(fields.Count, field.Label, fields.Count > 0 && field.Masked, field.Synchronized),
            cancellationToken);
        var view = await ViewAsync(transaction, app, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return view;
    }

    /// <summary>The applications the caller has any role on (ENTSSO: application users see their own applications).</summary>
    public static async Task<IReadOnlyList<ApplicationView>> ListAsync(SsoNode node, Caller caller, bool includeConfigStore,
        CancellationToken cancellationToken)
    {
        await using var transaction = await node.Database.BeginReadAsync(cancellationToken);
        var system = await AccessLoader.SystemAsync(transaction, cancellationToken);
        var views = new List<ApplicationView>();
        foreach (var app in await transaction.Applications.ListAsync(cancellationToken))
        {
            if ((includeConfigStore || app.Type != ApplicationType.ConfigStore) &&
                AccessPolicy.IsAllowed(caller, SsoOperation.ReadApplication, system, await ApplicationAccessLoader.ForAsync(transaction, app, cancellationToken)))
            {
                views.Add(await ViewAsync(transaction, app, cancellationToken));
            }
        }

        return views;
    }

    public static async Task<ApplicationView> ShowAsync(SsoNode node, Caller caller, string name, CancellationToken cancellationToken)
    {
        await using var transaction = await node.Database.BeginReadAsync(cancellationToken);
        var (app, system, access) = await LoadAsync(transaction, name, cancellationToken);
        AccessPolicy.Require(caller, SsoOperation.ReadApplication, system, access);
        return await ViewAsync(transaction, app, cancellationToken);
    }

    internal static async Task<(ApplicationRecord App, SystemAccess System, ApplicationAccess Access)> LoadAsync(ISsoTransaction transaction,
        string name, CancellationToken cancellationToken)
    {
        var app = await transaction.Applications.FindAsync(name, cancellationToken) ?? throw new SsoException(
            SsoErrorCode.NotFound, $"There is no application '{name}'.", "List applications with: ssovault app list");
        return (app, await AccessLoader.SystemAsync(transaction, cancellationToken), await ApplicationAccessLoader.ForAsync(transaction, app, cancellationToken));
    }

    internal static async Task<ApplicationView> ViewAsync(ISsoTransaction transaction, ApplicationRecord app, CancellationToken cancellationToken) =>
        new(app.Name, app.Type, SsoFlags.Has(app.Flags, SsoFlags.Enabled), app.Description, app.Contact,
            await transaction.Applications.GetAccountsAsync(app.Name, ApplicationAccountRole.Users, cancellationToken),
            await transaction.Applications.GetAccountsAsync(app.Name, ApplicationAccountRole.Administrators, cancellationToken),
            SsoFlags.Has(app.Flags, SsoFlags.AppAdminSame), app.Flags, ApplicationRules.FlagNames(app.Flags),
            await transaction.Applications.GetFieldsAsync(app.Name, cancellationToken), app.TicketTimeoutMinutes, app.CreatedUtc);

    /// <summary>Every named account must exist in the directory (ENTSSO event 10786, "account name is not valid").</summary>
    private static async Task<IReadOnlyList<string>> RequireAccountsAsync(ISsoTransaction transaction, IReadOnlyList<string> names, string role,
        CancellationToken cancellationToken)
    {
        var accounts = new List<string>();
        foreach (var name in names)
        {
            var account = await transaction.Accounts.FindAsync(AccountName.Validate(name), cancellationToken) ?? throw new SsoException(
                SsoErrorCode.NotFound, $"The {role} account '{name}' is not in the directory (ENTSSO event 10786). Nothing was changed.",
                $"Add it first: ssovault account add \"{name}\" --group");
            if (!accounts.Contains(account.Name, StringComparer.OrdinalIgnoreCase))
            {
                accounts.Add(account.Name);
            }
        }

        return accounts;
    }

    /// <summary>An application can be enabled only once it is usable (ENTSSO events 10595/10769).</summary>
    private static async Task RequireCompleteAsync(ISsoTransaction transaction, ApplicationRecord app, CancellationToken cancellationToken)
    {
        if (app.Type != ApplicationType.ConfigStore && (await transaction.Applications.GetFieldsAsync(app.Name, cancellationToken)).Count == 0)
        {
            throw new SsoException(SsoErrorCode.Conflict,
                $"Application '{app.Name}' has no fields yet, so it cannot be enabled (ENTSSO event 10595).",
                $"Add at least the external user id field: ssovault field add {app.Name} \"User Id\"");
        }

        if (app.Type != ApplicationType.ConfigStore && (await transaction.Applications.GetAccountsAsync(app.Name, ApplicationAccountRole.Users, cancellationToken)).Count == 0)
        {
            throw new SsoException(SsoErrorCode.Conflict,
                $"Application '{app.Name}' has no Application Users account, so nobody could use it.",
                $"Set one: ssovault app update {app.Name} --users \"DOMAIN\\Group\"");
        }
    }

    private static int TypeFlags(ApplicationType type) => type switch
    {
        ApplicationType.Group => SsoFlags.AppUsesGroupMapping,
        ApplicationType.ConfigStore => SsoFlags.AppConfigStore | SsoFlags.AppAllowLocal,
        ApplicationType.HostGroup => SsoFlags.ExternalToWindows | SsoFlags.AppUsesGroupMapping,
        _ => 0,
    };

    private static int Set(int flags, int flag, bool? value) => value switch
    {
        true => flags | flag,
        false => flags & ~flag,
        null => flags,
    };
}
