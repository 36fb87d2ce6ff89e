using System.Diagnostics;
using SsoVault.Core.Storage;

namespace SsoVault.Bench.Fixtures;

/// <summary>
/// Timestamps of the data-key calls a <c>secret generate</c> makes, seen through a pass-through decorator of the
/// real SQLite database. Between the end of its <c>DataKeys.ListAsync</c> (the key ring is read) and its first
/// <c>DataKeys.RewrapAsync</c> (the key ring is re-wrapped) generate makes no database call at all: it derives keys,
/// writes and reads back the backup file and saves the local secret store. That window holds the whole KDF and no
/// work that could depend on the number of values, so the rest of generate can be timed exactly, without subtracting a
/// separately measured (and noisy) KDF figure.
/// </summary>
internal sealed class DataKeyCallClock
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();

    public TimeSpan Now => _watch.Elapsed;

    public TimeSpan? KeysListed { get; private set; }

    public TimeSpan? FirstRewrap { get; private set; }

    public void Reset() => (KeysListed, FirstRewrap) = (null, null);

    public void OnKeysListed()
    {
        if (FirstRewrap is null)
        {
            KeysListed = Now;
        }
    }

    public void OnRewrap() => FirstRewrap ??= Now;

    /// <summary>The window between reading and re-wrapping the key ring; throws if generate did not make both calls.</summary>
    public TimeSpan Window => KeysListed is { } listed && FirstRewrap is { } rewrap && rewrap >= listed
        ? rewrap - listed
        : throw new InvalidOperationException("secret generate did not read then re-wrap the key ring: the benchmark's method no longer applies.");
}

internal sealed class TimedDatabaseProvider(ISsoDatabaseProvider inner, DataKeyCallClock clock) : ISsoDatabaseProvider
{
    public async Task<ISsoDatabase> OpenAsync(string location, bool create, CancellationToken cancellationToken) =>
        new TimedDatabase(await inner.OpenAsync(location, create, cancellationToken), clock);

    public string Normalize(string location) => inner.Normalize(location);
}

internal sealed class TimedDatabase(ISsoDatabase inner, DataKeyCallClock clock) : ISsoDatabase
{
    public string DisplayLocation => inner.DisplayLocation;

    public int LatestSchemaVersion => inner.LatestSchemaVersion;

    public Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken) => inner.GetSchemaVersionAsync(cancellationToken);

    public Task MigrateAsync(CancellationToken cancellationToken) => inner.MigrateAsync(cancellationToken);

    public async Task<ISsoTransaction> BeginAsync(CancellationToken cancellationToken) =>
        new TimedTransaction(await inner.BeginAsync(cancellationToken), clock);

    public async Task<ISsoTransaction> BeginReadAsync(CancellationToken cancellationToken) =>
        new TimedTransaction(await inner.BeginReadAsync(cancellationToken), clock);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}

internal sealed class TimedTransaction(ISsoTransaction inner, DataKeyCallClock clock) : ISsoTransaction
{
    public ISystemRepository System => inner.System;
    public INodeRepository Nodes => inner.Nodes;
    public IDataKeyRepository DataKeys { get; } = new TimedDataKeys(inner.DataKeys, clock);
    public IApplicationRepository Applications => inner.Applications;
    public IMappingRepository Mappings => inner.Mappings;
    public IConfigRepository Config => inner.Config;
    public IAuditRepository Audit => inner.Audit;
    public IAccountRepository Accounts => inner.Accounts;
    public IValueRepository Values => inner.Values;

    public Task CommitKeepingAnswersAsync(CancellationToken cancellationToken) => inner.CommitKeepingAnswersAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}

internal sealed class TimedDataKeys(IDataKeyRepository inner, DataKeyCallClock clock) : IDataKeyRepository
{
    public async Task<IReadOnlyList<WrappedDataKey>> ListAsync(CancellationToken cancellationToken)
    {
        var keys = await inner.ListAsync(cancellationToken);
        clock.OnKeysListed();
        return keys;
    }

    public Task AddAsync(WrappedDataKey key, CancellationToken cancellationToken) => inner.AddAsync(key, cancellationToken);

    public Task RetireAllExceptAsync(uint keep, DateTimeOffset retiredUtc, CancellationToken cancellationToken) =>
        inner.RetireAllExceptAsync(keep, retiredUtc, cancellationToken);

    public Task AddEncryptionsAsync(uint id, long count, CancellationToken cancellationToken) => inner.AddEncryptionsAsync(id, count, cancellationToken);

    public Task<bool> DeleteRetiredAsync(uint id, CancellationToken cancellationToken) => inner.DeleteRetiredAsync(id, cancellationToken);

    public Task RewrapAsync(uint id, Guid wrappedUnderMsid, byte[] wrapped, CancellationToken cancellationToken)
    {
        clock.OnRewrap();
        return inner.RewrapAsync(id, wrappedUnderMsid, wrapped, cancellationToken);
    }
}
