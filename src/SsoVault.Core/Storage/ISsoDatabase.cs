namespace SsoVault.Core.Storage;

/// <summary>
/// The SSO database: one per SSO system, shared by all its nodes. Providers (SQLite, later PostgreSQL) implement
/// it with the same schema versions and the same behaviour; every change happens inside a transaction.
/// </summary>
public interface ISsoDatabase : IAsyncDisposable
{
    /// <summary>Where the database is, for people (never includes a password).</summary>
    string DisplayLocation { get; }

    /// <summary>The newest schema version this program knows.</summary>
    int LatestSchemaVersion { get; }

    /// <summary>The schema version the database has (0 when it is empty).</summary>
    Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Creates the schema or upgrades an older one, in one transaction. A newer schema is refused with
    /// <see cref="Errors.SsoErrorCode.SchemaTooNew"/> and left untouched.
    /// </summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    Task<ISsoTransaction> BeginAsync(CancellationToken cancellationToken);
}

/// <summary>A unit of work: nothing is visible to others, or durable, until <see cref="CommitAsync"/>.</summary>
public interface ISsoTransaction : IAsyncDisposable
{
    ISystemRepository System { get; }
    INodeRepository Nodes { get; }
    IDataKeyRepository DataKeys { get; }
    IConfigRepository Config { get; }
    IAuditRepository Audit { get; }

    Task CommitAsync(CancellationToken cancellationToken);
}

public interface ISystemRepository
{
    Task<SystemInfo?> GetAsync(CancellationToken cancellationToken);
    Task InsertAsync(SystemInfo info, CancellationToken cancellationToken);
    Task UpdateAsync(SystemInfo info, CancellationToken cancellationToken);
}

public interface INodeRepository
{
    Task<IReadOnlyList<NodeRecord>> ListAsync(CancellationToken cancellationToken);
    Task<NodeRecord?> FindAsync(string name, CancellationToken cancellationToken);
    Task AddAsync(NodeRecord node, CancellationToken cancellationToken);
}

public interface IDataKeyRepository
{
    Task<IReadOnlyList<WrappedDataKey>> ListAsync(CancellationToken cancellationToken);
    Task AddAsync(WrappedDataKey key, CancellationToken cancellationToken);
    Task RewrapAsync(uint id, Guid wrappedUnderMsid, byte[] wrapped, CancellationToken cancellationToken);
}

public interface IConfigRepository
{
    Task<ApplicationRecord?> FindApplicationAsync(string name, CancellationToken cancellationToken);
    Task AddApplicationAsync(ApplicationRecord application, CancellationToken cancellationToken);
    Task<bool> DeleteApplicationAsync(string name, CancellationToken cancellationToken);
    Task<IReadOnlyList<ApplicationRecord>> ListApplicationsAsync(CancellationToken cancellationToken);

    /// <summary>The identifiers of one application's config records, with their property counts.</summary>
    Task<IReadOnlyList<(string Identifier, int Properties)>> ListIdentifiersAsync(string application, CancellationToken cancellationToken);

    /// <summary>The properties of one record, in the order they were first set; empty when there is no record.</summary>
    Task<IReadOnlyList<ConfigPropertyRecord>> GetPropertiesAsync(string application, string identifier, CancellationToken cancellationToken);

    Task UpsertPropertyAsync(string application, string identifier, ConfigPropertyRecord property, CancellationToken cancellationToken);

    /// <summary>Deletes one property, or the whole record when <paramref name="property"/> is null; returns rows removed.</summary>
    Task<int> DeleteAsync(string application, string identifier, string? property, CancellationToken cancellationToken);

    /// <summary>Every stored value, for whole-database checks (verification, re-encryption, drills).</summary>
    IAsyncEnumerable<(string Application, string Identifier, ConfigPropertyRecord Property)> ScanAsync(CancellationToken cancellationToken);
}

public interface IAuditRepository
{
    Task AddAsync(AuditEvent auditEvent, CancellationToken cancellationToken);
    Task<IReadOnlyList<AuditEvent>> ListRecentAsync(int count, CancellationToken cancellationToken);
}
