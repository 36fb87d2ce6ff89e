using Microsoft.Extensions.Logging;
using SsoVault.Core.Backup;
using SsoVault.Core.Crypto;
using SsoVault.Core.Diagnostics;
using SsoVault.Core.Errors;
using SsoVault.Core.MasterSecrets;
using SsoVault.Core.Secrets;
using SsoVault.Core.Storage;

namespace SsoVault.Core.Nodes;

public sealed record InitResult(Guid SystemId, string NodeName, string Database, Guid Msid, string KeyCheck, string BackupPath, bool Resumed);

/// <param name="Thumbprint">The node's identity thumbprint, for the administrator who approves it.</param>
public sealed record JoinResult(Guid SystemId, string NodeName, string Database, string SecretServer, string Thumbprint, NodeState State);

/// <summary>
/// Creating an SSO system (ENTSSO's "Create a new SSO system": database, master secret server, first secret and its
/// backup) and joining a node to one ("Join an existing SSO system": no secret is retrieved).
/// </summary>
public static class SystemSetup
{
    /// <summary>
    /// Order: backup written and read back, then the local store, then one database transaction, then node.json.
    /// A crash before the commit leaves an empty database that a new init reuses; a crash after it is finished by
    /// running init again (the store already holds the secret the database names).
    /// </summary>
    public static async Task<InitResult> InitializeAsync(NodeHome home, string nodeName, string? database, string backupPath,
        string reminder, BackupPassword password, ISsoDatabaseProvider provider, TimeProvider clock, ILogger logger,
        CancellationToken cancellationToken)
    {
        nodeName = NodeSettings.ValidateNodeName(nodeName);
        reminder = PasswordReminder.Validate(reminder);
        RefuseIfInitialized(home);
        var location = provider.Normalize(database ?? home.DefaultDatabasePath);
        Directory.CreateDirectory(home.Root);

        await using var db = await provider.OpenAsync(location, create: true, cancellationToken);
        await db.MigrateAsync(cancellationToken);
        var existing = await ReadSystemAsync(db, cancellationToken);
        if (existing is not null)
        {
            return ResumeOrRefuse(home, nodeName, location, db.DisplayLocation, existing, logger);
        }

        var systemId = Guid.NewGuid();
        using var secret = MasterSecret.Generate(clock);
        using var dataKey = DataKey.Generate(1);
        var now = clock.GetUtcNow();
        var fullBackupPath = Path.GetFullPath(backupPath);

        BackupFiles.WriteVerified(fullBackupPath, [(BackupSecretRole.Current, secret)], systemId, password, reminder, now);
        FaultInjection.CrashPoint("init.backup-written");

        var store = new LocalSecretStore(home.SecretsDirectory);
        store.Save(systemId, [secret]);
        FaultInjection.CrashPoint("init.store-written");
        using var identity = NodeIdentity.LoadOrCreate(home);

        await using (var transaction = await db.BeginAsync(cancellationToken))
        {
            var secretInfo = new MasterSecretInfo(secret.Msid, secret.KeyCheck.ToString(), secret.CreatedUtc);
            await transaction.System.InsertAsync(new SystemInfo
            {
                SystemId = systemId,
                SecretServer = nodeName,
                CreatedUtc = now,
                Current = secretInfo,
                LastBackupUtc = now,
                LastBackupMsid = secret.Msid,
            }, cancellationToken);
            await transaction.Nodes.AddAsync(new NodeRecord(nodeName, now) { IdentityKey = identity.PublicKey }, cancellationToken);
            await transaction.DataKeys.AddAsync(new WrappedDataKey(dataKey.Id, now, secret.Msid,
                DataKeyWrapper.Wrap(secret, systemId, dataKey), DataKeyState.Active), cancellationToken);
            await transaction.Audit.AddAsync(new AuditEvent(now, AuditEventIds.SystemCreated, nodeName, Actor(nodeName),
                $"SSO system created; master secret server {nodeName}; secret {secret.Msid} backed up to {fullBackupPath}"), cancellationToken);
            FaultInjection.CrashPoint("init.before-commit");
            await transaction.CommitAsync(cancellationToken);
        }

        FaultInjection.CrashPoint("init.committed");
        new NodeSettings(nodeName, location, systemId).Save(home);
        logger.SystemCreated(systemId, db.DisplayLocation, nodeName, secret.Msid, secret.KeyCheck.ToString(), fullBackupPath);
        return new InitResult(systemId, nodeName, db.DisplayLocation, secret.Msid, secret.KeyCheck.ToString(), fullBackupPath, Resumed: false);
    }

    public static async Task<JoinResult> JoinAsync(NodeHome home, string nodeName, string database, ISsoDatabaseProvider provider,
        TimeProvider clock, ILogger logger, CancellationToken cancellationToken)
    {
        nodeName = NodeSettings.ValidateNodeName(nodeName);
        RefuseIfInitialized(home);
        var location = provider.Normalize(database);
        await using var db = await provider.OpenAsync(location, create: false, cancellationToken);
        await using var transaction = await db.BeginAsync(cancellationToken);
        var info = await transaction.System.GetAsync(cancellationToken) ?? throw new SsoException(
            SsoErrorCode.DatabaseUnavailable, $"The database {db.DisplayLocation} holds no SSO system to join.",
            "Create one with 'ssovault init --backup FILE' on the node that will be the master secret server.");
        if (await transaction.Nodes.FindAsync(nodeName, cancellationToken) is { } clash)
        {
            if (clash.State != NodeState.Removed)
            {
                throw new SsoException(SsoErrorCode.Conflict,
                    $"SSO system {info.SystemId} already has a node named '{clash.Name}' (joined {clash.JoinedUtc:u}).",
                    "Choose another --node-name, or remove the old node first (ssovault node remove NAME). Nothing was changed.");
            }

            // A removed node joins again as a new identity, pending approval like any newcomer.
            await transaction.Nodes.DeleteAsync(clash.Name, cancellationToken);
        }

        Directory.CreateDirectory(home.Root);
        using var identity = NodeIdentity.LoadOrCreate(home);
        var now = clock.GetUtcNow();
        await transaction.Nodes.AddAsync(new NodeRecord(nodeName, now) { State = NodeState.Pending, IdentityKey = identity.PublicKey }, cancellationToken);
        await transaction.Audit.AddAsync(new AuditEvent(now, AuditEventIds.NodeJoined, nodeName, Actor(nodeName),
            $"Node {nodeName} joined (identity {identity.Thumbprint}), pending approval; no master secret was retrieved"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        new NodeSettings(nodeName, location, info.SystemId).Save(home);
        logger.NodeJoined(nodeName, info.SystemId, db.DisplayLocation);
        return new JoinResult(info.SystemId, nodeName, db.DisplayLocation, info.SecretServer, identity.Thumbprint, NodeState.Pending);
    }

    private static void RefuseIfInitialized(NodeHome home)
    {
        if (home.IsInitialized)
        {
            throw new SsoException(SsoErrorCode.AlreadyInitialized,
                $"{home.Root} already holds a SsoVault node. Nothing was changed.",
                "Use another --home for a new node, or 'ssovault system show' to see this one.");
        }
    }

    private static async Task<SystemInfo?> ReadSystemAsync(ISsoDatabase db, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginReadAsync(cancellationToken);
        return await transaction.System.GetAsync(cancellationToken);
    }

    /// <summary>An init killed after its commit is finished here; any other existing system is refused.</summary>
    /// <param name="location">The location to record in node.json (it may carry a password: never printed).</param>
    /// <param name="display">The same location fit for people and logs.</param>
    private static InitResult ResumeOrRefuse(NodeHome home, string nodeName, string location, string display, SystemInfo existing, ILogger logger)
    {
        var store = new LocalSecretStore(home.SecretsDirectory);
        using var contents = store.Exists ? store.Load() : null;
        var resumable = string.Equals(existing.SecretServer, nodeName, StringComparison.OrdinalIgnoreCase)
                        && existing.Current is not null
                        && contents is not null && contents.SystemId == existing.SystemId
                        && contents.Find(existing.Current.Msid) is not null;
        if (!resumable)
        {
            throw new SsoException(SsoErrorCode.AlreadyInitialized,
                $"The database {display} already holds SSO system {existing.SystemId} (master secret server '{existing.SecretServer}'). Nothing was changed.",
                $"To add this machine to it: ssovault init --join --db {display} --node-name NAME");
        }

        new NodeSettings(existing.SecretServer, location, existing.SystemId).Save(home);
        logger.InitResumed(existing.SecretServer);
        return new InitResult(existing.SystemId, existing.SecretServer, display, existing.Current!.Msid, existing.Current.KeyCheck,
            BackupPath: "(written by the interrupted init)", Resumed: true);
    }

    internal static string Actor(string nodeName) => $"{Environment.UserName}@{nodeName}";
}
