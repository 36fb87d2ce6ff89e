using System.Text;
using SsoVault.Core.Crypto;
using SsoVault.Core.Diagnostics;
using SsoVault.Core.Errors;
using SsoVault.Core.Identity;
using SsoVault.Core.MasterSecrets;
using SsoVault.Core.Nodes;
using SsoVault.Core.Security;
using SsoVault.Core.Storage;

namespace SsoVault.Core.ConfigStore;

public sealed record ConfigProperty(string Name, string? Value, bool Masked, DateTimeOffset UpdatedUtc);

public sealed record ConfigRecord(string Application, string Identifier, bool Runtime, IReadOnlyList<ConfigProperty> Properties);

public sealed record ConfigSetResult(string Application, string Identifier, bool ApplicationCreated, int PropertiesSet, int PropertiesTotal);

public sealed record ConfigApplicationSummary(string Application, IReadOnlyList<(string Identifier, int Properties)> Identifiers);

/// <summary>
/// ENTSSO's config store (ISSOConfigStore) without its rigid predefined fields: any property can be added to a record
/// at any time. Semantics kept from ENTSSO: a set is a partial update (omitted properties keep their values),
/// masked properties are left out of an administrative read and returned only by a runtime read. Every value is
/// encrypted under the key ring, bound to its application, identifier and property.
/// </summary>
public static class ConfigStoreService
{
    /// <summary>SSO_FLAG_APP_CONFIG_STORE | SSO_FLAG_APP_ALLOW_LOCAL, as ENTSSO tools create config-store apps.</summary>
    public const int ConfigStoreFlags = 0x100000 | 0x40000;

    public static async Task<ConfigSetResult> SetAsync(SsoNode node, Caller caller, string application, string identifier,
        IReadOnlyList<KeyValuePair<string, string>> values, IReadOnlyCollection<string> masked, CancellationToken cancellationToken)
    {
        ConfigNames.Application(application);
        ConfigNames.Identifier(identifier);
        if (values.Count == 0)
        {
            throw new SsoException(SsoErrorCode.InvalidInput, "No property was given.", "Give at least one name=value.");
        }

        var duplicates = values.GroupBy(v => v.Key, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            throw new SsoException(SsoErrorCode.InvalidInput, $"Property '{duplicates[0]}' is given twice.", "Give each property once.");
        }

        foreach (var name in masked.Where(m => values.All(v => v.Key != m)))
        {
            throw new SsoException(SsoErrorCode.InvalidInput, $"--masked names '{name}', which is not being set.",
                "List in --masked only properties given as name=value in the same command.");
        }

        var plaintexts = values.Select(v => (Name: ConfigNames.Property(v.Key), Bytes: ConfigNames.Value(v.Key, v.Value))).ToList();
        var ring = await node.GetKeyRingAsync(cancellationToken);
        await using var transaction = await node.Database.BeginAsync(cancellationToken);
        var system = await AccessLoader.SystemAsync(transaction, cancellationToken);
        var app = await transaction.Applications.FindAsync(application, cancellationToken);
        var created = false;
        var now = node.Clock.GetUtcNow();
        if (app is null)
        {
            AccessPolicy.Require(caller, SsoOperation.CreateApplication, system);
            app = new ApplicationRecord(application, ApplicationType.ConfigStore, ConfigStoreFlags, now);
            await transaction.Applications.AddAsync(app, cancellationToken);
            created = true;
        }
        else if (app.Type != ApplicationType.ConfigStore)
        {
            throw NotConfigStore(app);
        }
        else
        {
            AccessPolicy.Require(caller, SsoOperation.WriteConfig, system, await ApplicationAccessLoader.ForAsync(transaction, app, cancellationToken));
        }

        ring = await node.GetKeyRingForWritingAsync(transaction, cancellationToken);
        var existing = await transaction.Config.GetPropertiesAsync(app.Name, identifier, cancellationToken);
        foreach (var (name, bytes) in plaintexts)
        {
            // Masking is sticky, as ENTSSO's field flag is immutable: a masked property stays masked.
            var isMasked = masked.Contains(name) || existing.Any(p => p.Name == name && p.Masked);
            var envelope = ring.Encrypt(RecordIdentity.ConfigProperty(app.Name, identifier, name), bytes);
            await transaction.Config.UpsertPropertyAsync(app.Name, identifier, new ConfigPropertyRecord(name, isMasked, envelope, now),
                cancellationToken);
        }

        await transaction.DataKeys.AddEncryptionsAsync(ring.Current.Id, plaintexts.Count, cancellationToken);
        var total = existing.Select(p => p.Name).Union(plaintexts.Select(p => p.Name), StringComparer.Ordinal).Count();
        await transaction.Audit.AddAsync(new AuditEvent(now, AuditEventIds.ConfigSet, node.Name, node.Actor,
            $"Config {app.Name}/{identifier}: set {string.Join(", ", plaintexts.Select(p => p.Name))}"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        node.Logger.ConfigSet(app.Name, identifier, plaintexts.Count);
        return new ConfigSetResult(app.Name, identifier, created, plaintexts.Count, total);
    }

    /// <param name="runtime">ENTSSO's runtime (lookup) read: masked properties included.</param>
    public static async Task<ConfigRecord> GetAsync(SsoNode node, Caller caller, string application, string identifier, bool runtime,
        CancellationToken cancellationToken)
    {
        ConfigNames.Application(application);
        ConfigNames.Identifier(identifier);
        await node.GetKeyRingAsync(cancellationToken);

        // As a credential lookup: the application and its access lists from the node's context cache, valid while the
        // leased change epochs hold, then the record itself in one statement. Adapters read their settings at runtime.
        var epochs = await node.Epochs.ForApplicationAsync(application, cancellationToken) ?? throw NoApplication(application);
        var context = await node.ApplicationContexts.GetAsync(node, application, epochs, cancellationToken);
        var app = context.App.Type == ApplicationType.ConfigStore ? context.App : throw NotConfigStore(context.App);
        AccessPolicy.Require(caller, runtime ? SsoOperation.ReadConfigRuntime : SsoOperation.ReadConfig, context.System, context.Access);
        var stored = await node.Database.ReadConfigPropertiesAsync(app.Name, identifier, cancellationToken);
        if (stored.Count == 0)
        {
            throw new SsoException(SsoErrorCode.NotFound,
                $"Application '{app.Name}' has no config record '{identifier}' (ENTSSO event 10757).",
                $"List its records with: ssovault config list {app.Name}");
        }

        var properties = new List<ConfigProperty>(stored.Count);
        foreach (var p in stored)
        {
            var value = p.Masked && !runtime
                ? null
                : Encoding.UTF8.GetString(await node.DecryptAsync(RecordIdentity.ConfigProperty(app.Name, identifier, p.Name), p.Envelope, cancellationToken));
            properties.Add(new ConfigProperty(p.Name, value, p.Masked, p.UpdatedUtc));
        }

        return new ConfigRecord(app.Name, identifier, runtime, properties);
    }

    /// <summary>Deletes one property, or the whole record; deleting what is not there is an error, as with ENTSSO's 10757.</summary>
    public static async Task<int> DeleteAsync(SsoNode node, Caller caller, string application, string identifier, string? property,
        CancellationToken cancellationToken)
    {
        ConfigNames.Application(application);
        ConfigNames.Identifier(identifier);
        await using var transaction = await node.Database.BeginAsync(cancellationToken);
        var app = await RequireApplicationAsync(transaction, application, cancellationToken);
        AccessPolicy.Require(caller, SsoOperation.WriteConfig,
            await AccessLoader.SystemAsync(transaction, cancellationToken), await ApplicationAccessLoader.ForAsync(transaction, app, cancellationToken));
        var removed = await transaction.Config.DeleteAsync(app.Name, identifier, property, cancellationToken);
        if (removed == 0)
        {
            throw new SsoException(SsoErrorCode.NotFound,
                property is null
                    ? $"Application '{app.Name}' has no config record '{identifier}'. Nothing was changed."
                    : $"Config record '{app.Name}/{identifier}' has no property '{property}'. Nothing was changed.",
                $"List what exists with: ssovault config list {app.Name}");
        }

        var now = node.Clock.GetUtcNow();
        await transaction.Audit.AddAsync(new AuditEvent(now, AuditEventIds.ConfigDeleted, node.Name, node.Actor,
            $"Config {app.Name}/{identifier}: deleted {property ?? "the whole record"}"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        node.Logger.ConfigDeleted(app.Name, identifier, removed);
        return removed;
    }

    /// <summary>Config-store applications with their identifiers (or one application's).</summary>
    public static async Task<IReadOnlyList<ConfigApplicationSummary>> ListAsync(SsoNode node, Caller caller, string? application,
        CancellationToken cancellationToken)
    {
        await using var transaction = await node.Database.BeginReadAsync(cancellationToken);
        IReadOnlyList<ApplicationRecord> apps = application is null
            ? (await transaction.Applications.ListAsync(cancellationToken)).Where(a => a.Type == ApplicationType.ConfigStore).ToList()
            : [await RequireApplicationAsync(transaction, ConfigNames.Application(application), cancellationToken)];
        var result = new List<ConfigApplicationSummary>(apps.Count);
        var system = await AccessLoader.SystemAsync(transaction, cancellationToken);
        foreach (var app in apps)
        {
            if (!AccessPolicy.IsAllowed(caller, SsoOperation.ReadConfig, system, await ApplicationAccessLoader.ForAsync(transaction, app, cancellationToken)))
            {
                if (application is null)
                {
                    continue;
                }

                AccessPolicy.Require(caller, SsoOperation.ReadConfig, system, await ApplicationAccessLoader.ForAsync(transaction, app, cancellationToken));
            }

            result.Add(new ConfigApplicationSummary(app.Name, await transaction.Config.ListIdentifiersAsync(app.Name, cancellationToken)));
        }

        return result;
    }

    private static async Task<ApplicationRecord> RequireApplicationAsync(ISsoTransaction transaction, string application,
        CancellationToken cancellationToken)
    {
        var app = await transaction.Applications.FindAsync(application, cancellationToken) ?? throw NoApplication(application);
        return app.Type == ApplicationType.ConfigStore ? app : throw NotConfigStore(app);
    }

    private static SsoException NoApplication(string application) => new(
        SsoErrorCode.NotFound, $"There is no config store application '{application}'.", "List them with: ssovault config list");

    private static SsoException NotConfigStore(ApplicationRecord app) => new(
        SsoErrorCode.InvalidInput,
        $"Application '{app.Name}' is a {app.Type} application, not a config store application.",
        "Use another application name for configuration.");
}
