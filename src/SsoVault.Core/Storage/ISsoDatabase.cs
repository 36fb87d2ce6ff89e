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

    /// <summary>A transaction that may write: it takes the write lock at once, so two writers queue rather than deadlock.</summary>
    Task<ISsoTransaction> BeginAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A transaction for reading only: a consistent snapshot that does not block, or wait for, writers. Never write in
    /// it (a provider may refuse). Lookups use it, so they run in parallel.
    /// </summary>
    Task<ISsoTransaction> BeginReadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Runs a read of ONE statement outside any transaction: a single statement is its own consistent snapshot, so
    /// <c>BEGIN</c>/<c>ROLLBACK</c> would only add round trips. <paramref name="read"/> must run exactly one statement.
    /// This default opens a read transaction, which is always correct; providers override it with autocommit.
    /// </summary>
    async Task<T> ReadOneStatementAsync<T>(Func<ISsoRepositories, Task<T>> read, CancellationToken cancellationToken)
    {
        await using var transaction = await BeginReadAsync(cancellationToken);
        return await read(transaction);
    }

    /// <summary>
    /// The system's change epoch (<see cref="ISystemRepository.GetChangeEpochAsync"/>) as one statement: what a cache's
    /// validity check reads. A cache that misses reads it again inside its read transaction, before anything else.
    /// </summary>
    Task<long> ReadSystemChangeEpochAsync(CancellationToken cancellationToken) =>
        ReadOneStatementAsync(repositories => repositories.System.GetChangeEpochAsync(cancellationToken), cancellationToken);

    /// <summary>An application's change epochs (<see cref="IApplicationRepository.GetChangeEpochsAsync"/>) as one statement.</summary>
    Task<ChangeEpochs?> ReadChangeEpochsAsync(string application, CancellationToken cancellationToken) =>
        ReadOneStatementAsync(repositories => repositories.Applications.GetChangeEpochsAsync(application, cancellationToken), cancellationToken);

    /// <summary>
    /// A mapping found by Windows account with its credentials (<see cref="IMappingRepository.FindWithCredentialsAsync"/>)
    /// as one statement: a lookup whose application context is cached needs nothing else.
    /// </summary>
    Task<MappingWithCredentials?> ReadMappingWithCredentialsAsync(string application, string windowsAccount, CancellationToken cancellationToken) =>
        ReadOneStatementAsync(repositories => repositories.Mappings.FindWithCredentialsAsync(application, windowsAccount, cancellationToken), cancellationToken);

    /// <summary>One config record's properties (<see cref="IConfigRepository.GetPropertiesAsync"/>) as one statement.</summary>
    Task<IReadOnlyList<ConfigPropertyRecord>> ReadConfigPropertiesAsync(string application, string identifier, CancellationToken cancellationToken) =>
        ReadOneStatementAsync(repositories => repositories.Config.GetPropertiesAsync(application, identifier, cancellationToken), cancellationToken);
}

/// <summary>The repositories, as a transaction or a single autocommit statement (<see cref="ISsoDatabase.ReadOneStatementAsync{T}"/>) offers them.</summary>
public interface ISsoRepositories
{
    ISystemRepository System { get; }
    INodeRepository Nodes { get; }
    IDataKeyRepository DataKeys { get; }
    IApplicationRepository Applications { get; }
    IMappingRepository Mappings { get; }
    IConfigRepository Config { get; }
    IAuditRepository Audit { get; }
    IAccountRepository Accounts { get; }
    IValueRepository Values { get; }
}

/// <summary>A unit of work: nothing is visible to others, or durable, until <see cref="CommitAsync"/>.</summary>
public interface ISsoTransaction : ISsoRepositories, IAsyncDisposable
{
    /// <summary>
    /// Commits, then returns only when every node's lease on the change epochs it read before the commit has run out
    /// (<see cref="ChangeEpochLease"/>): once this returns, a lookup anywhere sees what the transaction changed. The
    /// rule lives here, once, so no provider can forget it.
    /// </summary>
    async Task CommitAsync(CancellationToken cancellationToken)
    {
        await CommitKeepingAnswersAsync(cancellationToken);
        await ChangeEpochLease.WaitOutAsync(ChangeEpochLease.Now());
    }

    /// <summary>
    /// Commits without waiting out the leases: only for writes that leave every answer a cache holds as it was — the
    /// re-encryption job moves values to a new data key, their plaintexts stay the same.
    /// </summary>
    Task CommitKeepingAnswersAsync(CancellationToken cancellationToken);
}

public interface ISystemRepository
{
    Task<SystemInfo?> GetAsync(CancellationToken cancellationToken);
    Task InsertAsync(SystemInfo info, CancellationToken cancellationToken);
    Task UpdateAsync(SystemInfo info, CancellationToken cancellationToken);
    Task<GlobalSettings> GetSettingsAsync(CancellationToken cancellationToken);
    Task UpdateSettingsAsync(GlobalSettings settings, CancellationToken cancellationToken);

    /// <summary>The accounts configured for a system-wide role, in the order they were added.</summary>
    Task<IReadOnlyList<string>> GetRoleAccountsAsync(SystemRole role, CancellationToken cancellationToken);
    Task SetRoleAccountsAsync(SystemRole role, IReadOnlyList<string> accounts, CancellationToken cancellationToken);

    /// <summary>
    /// The system's change epoch alone (see <see cref="ChangeEpochs.System"/>): bumped by the database on every change to
    /// the settings, the roles, the directory (accounts, group memberships) and API keys. What a cached authentication
    /// depends on.
    /// </summary>
    Task<long> GetChangeEpochAsync(CancellationToken cancellationToken);
}

public interface INodeRepository
{
    Task<IReadOnlyList<NodeRecord>> ListAsync(CancellationToken cancellationToken);
    Task<NodeRecord?> FindAsync(string name, CancellationToken cancellationToken);
    Task AddAsync(NodeRecord node, CancellationToken cancellationToken);

    /// <summary>Writes the node's state, identity key, address and certificate (the name and join time never change).</summary>
    Task UpdateAsync(NodeRecord node, CancellationToken cancellationToken);

    /// <summary>Deletes the row of a removed node that joins again under the same name.</summary>
    Task DeleteAsync(string name, CancellationToken cancellationToken);
}

public interface IDataKeyRepository
{
    Task<IReadOnlyList<WrappedDataKey>> ListAsync(CancellationToken cancellationToken);
    Task AddAsync(WrappedDataKey key, CancellationToken cancellationToken);
    Task RewrapAsync(uint id, Guid wrappedUnderMsid, byte[] wrapped, CancellationToken cancellationToken);

    /// <summary>Marks every active key other than <paramref name="keep"/> retired: they decrypt but no longer encrypt.</summary>
    Task RetireAllExceptAsync(uint keep, DateTimeOffset retiredUtc, CancellationToken cancellationToken);

    /// <summary>Adds to a key's encryption count (an upper bound: counted when written, even if the transaction fails later).</summary>
    Task AddEncryptionsAsync(uint id, long count, CancellationToken cancellationToken);

    /// <summary>Destroys a retired key. The caller has proven that no value uses it.</summary>
    Task<bool> DeleteRetiredAsync(uint id, CancellationToken cancellationToken);
}

/// <summary>Encrypted values across tables, as the re-encryption job and key retirement see them.</summary>
public interface IValueRepository
{
    /// <summary>How many values each data key encrypts, over every table.</summary>
    Task<IReadOnlyDictionary<uint, long>> CountByKeyAsync(CancellationToken cancellationToken);

    /// <summary>The next values of a table not yet under <paramref name="keyId"/>, after a row, in row order.</summary>
    Task<IReadOnlyList<StoredValue>> ListNotUnderKeyAsync(ValueTable table, uint keyId, long afterRowId, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces one value's envelope only if it still holds <paramref name="expected"/>; false when a writer changed or
    /// deleted it meanwhile (its new value needs no re-encryption by the job).
    /// </summary>
    Task<bool> ReplaceEnvelopeAsync(ValueTable table, long rowId, byte[] expected, byte[] replacement, uint keyId, CancellationToken cancellationToken);

    Task<ReencryptionJobRecord?> GetLatestJobAsync(CancellationToken cancellationToken);
    Task<ReencryptionJobRecord> AddJobAsync(uint targetKeyId, DateTimeOffset startedUtc, CancellationToken cancellationToken);
    Task UpdateJobAsync(ReencryptionJobRecord job, CancellationToken cancellationToken);
}

/// <summary>Affiliate applications, their account lists and their fields.</summary>
public interface IApplicationRepository
{
    Task<ApplicationRecord?> FindAsync(string name, CancellationToken cancellationToken);
    Task AddAsync(ApplicationRecord application, CancellationToken cancellationToken);
    Task UpdateAsync(ApplicationRecord application, CancellationToken cancellationToken);

    /// <summary>Deletes the application with its fields, accounts, mappings, credentials and config records.</summary>
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken);
    Task<IReadOnlyList<ApplicationRecord>> ListAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> GetAccountsAsync(string application, ApplicationAccountRole role, CancellationToken cancellationToken);
    Task SetAccountsAsync(string application, ApplicationAccountRole role, IReadOnlyList<string> accounts, CancellationToken cancellationToken);

    Task<IReadOnlyList<FieldRecord>> GetFieldsAsync(string application, CancellationToken cancellationToken);
    Task AddFieldAsync(string application, FieldRecord field, CancellationToken cancellationToken);

    /// <summary>
    /// The change epochs a cached lookup of this application depends on: the system's (settings, roles, directory) and
    /// the application's (its properties, accounts, fields, mappings, credentials). The database bumps them on every such
    /// change; null when the application does not exist.
    /// </summary>
    Task<ChangeEpochs?> GetChangeEpochsAsync(string application, CancellationToken cancellationToken);

    /// <summary>Bumps the application's epoch without another change: a purge of every node's cache for it.</summary>
    Task BumpChangeEpochAsync(string application, CancellationToken cancellationToken);
}

/// <summary>The pair of change counters a cached answer was read with; it stays valid while both are unchanged.</summary>
public readonly record struct ChangeEpochs(long System, long Application);

/// <summary>Mappings and their encrypted credentials.</summary>
public interface IMappingRepository
{
    Task<MappingRecord?> FindByWindowsAccountAsync(string application, string windowsAccount, CancellationToken cancellationToken);
    Task<MappingRecord?> FindByExternalUserAsync(string application, string externalUser, CancellationToken cancellationToken);
    Task<IReadOnlyList<MappingRecord>> ListAsync(string? application, string? windowsAccount, CancellationToken cancellationToken);

    /// <summary>Adds a mapping and returns it with its id.</summary>
    Task<MappingRecord> AddAsync(MappingRecord mapping, CancellationToken cancellationToken);
    Task SetEnabledAsync(long id, bool enabled, DateTimeOffset updatedUtc, CancellationToken cancellationToken);
    Task<bool> DeleteAsync(long id, CancellationToken cancellationToken);

    /// <summary>A mapping found by Windows account together with its credential envelopes, in one statement.</summary>
    Task<MappingWithCredentials?> FindWithCredentialsAsync(string application, string windowsAccount, CancellationToken cancellationToken);

    /// <summary>The credential envelopes of a mapping, by field ordinal (1..n); empty when none were set.</summary>
    Task<IReadOnlyList<(int Ordinal, byte[] Envelope)>> GetCredentialsAsync(long mappingId, CancellationToken cancellationToken);

    /// <summary>Replaces all credentials of a mapping.</summary>
    Task SetCredentialsAsync(long mappingId, IReadOnlyList<(int Ordinal, byte[] Envelope)> credentials, DateTimeOffset updatedUtc,
        CancellationToken cancellationToken);
}

public interface IConfigRepository
{
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

/// <summary>The built-in directory: users, groups, memberships, and the API keys that authenticate accounts.</summary>
public interface IAccountRepository
{
    Task<AccountRecord?> FindAsync(string name, CancellationToken cancellationToken);
    Task<IReadOnlyList<AccountRecord>> ListAsync(CancellationToken cancellationToken);
    Task AddAsync(AccountRecord account, CancellationToken cancellationToken);
    Task<bool> RemoveAsync(string name, CancellationToken cancellationToken);

    /// <summary>Adds a member to a group; false when it already was one.</summary>
    Task<bool> AddMemberAsync(string group, string member, CancellationToken cancellationToken);
    Task<bool> RemoveMemberAsync(string group, string member, CancellationToken cancellationToken);
    Task<IReadOnlyList<string>> ListMembersAsync(string group, CancellationToken cancellationToken);

    /// <summary>The groups an account is directly a member of.</summary>
    Task<IReadOnlyList<string>> ListGroupsOfAsync(string member, CancellationToken cancellationToken);

    /// <summary>Every account the given account belongs to, directly or through nested groups, itself included.</summary>
    Task<IReadOnlyList<string>> ResolveMembershipsAsync(string account, CancellationToken cancellationToken);

    Task AddApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken);
    Task<ApiKeyRecord?> FindApiKeyAsync(string id, CancellationToken cancellationToken);
    Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(string? account, CancellationToken cancellationToken);
    Task<bool> RevokeApiKeyAsync(string id, DateTimeOffset revokedUtc, CancellationToken cancellationToken);
}

public interface IAuditRepository
{
    Task AddAsync(AuditEvent auditEvent, CancellationToken cancellationToken);
    Task<IReadOnlyList<AuditEvent>> ListRecentAsync(int count, CancellationToken cancellationToken);
}
