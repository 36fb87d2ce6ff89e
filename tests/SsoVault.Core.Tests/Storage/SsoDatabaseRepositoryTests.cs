using SsoVault.Core.Storage;

namespace SsoVault.Core.Tests.Storage;

/// <summary>
/// The repository contract, written once for every provider: a provider's test class derives from this one and
/// passes its <see cref="ITestDatabaseSource"/>. Each test gets a fresh, migrated database.
/// </summary>
public abstract partial class SsoDatabaseRepositoryTests : IAsyncLifetime
{
    /// <summary>Times are stored with millisecond precision: test values have no finer part.</summary>
    protected static readonly DateTimeOffset T0 = new(2024, 5, 1, 12, 0, 0, 123, TimeSpan.Zero);

    private readonly ITestDatabaseSource _source;
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(2));
    private ISsoDatabase? _database;
    private string _location = "";

    protected SsoDatabaseRepositoryTests(ITestDatabaseSource source) => _source = source;

    protected CancellationToken Ct => _timeout.Token;

    protected ISsoDatabase Database => _database ?? throw new InvalidOperationException("Not initialized.");

    public async Task InitializeAsync()
    {
        _location = await _source.NewLocationAsync(Ct);
        _database = await _source.Provider.OpenAsync(_location, create: true, Ct);
        await _database.MigrateAsync(Ct);
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        await _source.DisposeAsync();
        _timeout.Dispose();
    }

    /// <summary>A second, independent database object on the same database (another process, in effect).</summary>
    protected Task<ISsoDatabase> OpenSecondAsync() => _source.Provider.OpenAsync(_location, create: false, Ct);

    // ---------------------------------------------------------------- schema

    [Fact]
    public async Task MigrateAsync_FreshDatabase_IsAtLatestVersion()
    {
        var version = await Database.GetSchemaVersionAsync(Ct);

        Assert.Equal(Database.LatestSchemaVersion, version);
        Assert.True(version >= 3);
    }

    [Fact]
    public async Task MigrateAsync_RunTwice_ChangesNothing()
    {
        await InsertSystemAsync();

        await Database.MigrateAsync(Ct);

        Assert.Equal(Database.LatestSchemaVersion, await Database.GetSchemaVersionAsync(Ct));
        await using var tx = await Database.BeginAsync(Ct);
        Assert.NotNull(await tx.System.GetAsync(Ct));
    }

    // ---------------------------------------------------------------- system info

    [Fact]
    public async Task SystemGet_EmptyDatabase_ReturnsNull()
    {
        await using var tx = await Database.BeginAsync(Ct);

        Assert.Null(await tx.System.GetAsync(Ct));
    }

    [Fact]
    public async Task SystemInsert_EveryField_ReadsBackEqual()
    {
        var info = FullSystemInfo();

        await using (var tx = await Database.BeginAsync(Ct))
        {
            await tx.System.InsertAsync(info, Ct);
            await tx.CommitAsync(Ct);
        }

        await using var read = await Database.BeginAsync(Ct);
        Assert.Equal(info, await read.System.GetAsync(Ct));
    }

    [Fact]
    public async Task SystemInsert_NoPreviousNoBackup_ReadsBackNulls()
    {
        var info = new SystemInfo
        {
            SystemId = Guid.NewGuid(),
            SecretServer = "node1",
            CreatedUtc = T0,
            Current = new MasterSecretInfo(Guid.NewGuid(), "0011223344556677", T0),
        };

        await using var tx = await Database.BeginAsync(Ct);
        await tx.System.InsertAsync(info, Ct);
        var read = await tx.System.GetAsync(Ct);

        Assert.NotNull(read);
        Assert.Null(read.Previous);
        Assert.Null(read.LastBackupUtc);
        Assert.Null(read.LastBackupMsid);
        Assert.Equal(info, read);
    }

    [Fact]
    public async Task SystemUpdate_RotatedSecret_ReplacesEveryField()
    {
        var original = FullSystemInfo();
        var next = new MasterSecretInfo(Guid.NewGuid(), "ffeeddccbbaa9988", T0.AddDays(30));
        var updated = original with
        {
            SecretServer = "node2",
            Current = next,
            Previous = original.Current,
            LastBackupUtc = T0.AddDays(30),
            LastBackupMsid = next.Msid,
        };
        await using (var tx = await Database.BeginAsync(Ct))
        {
            await tx.System.InsertAsync(original, Ct);
            await tx.CommitAsync(Ct);
        }

        await using (var tx = await Database.BeginAsync(Ct))
        {
            await tx.System.UpdateAsync(updated, Ct);
            await tx.CommitAsync(Ct);
        }

        await using var read = await Database.BeginAsync(Ct);
        Assert.Equal(updated, await read.System.GetAsync(Ct));
    }

    [Fact]
    public async Task SystemUpdate_PreviousSetToNull_ClearsPrevious()
    {
        var original = FullSystemInfo();
        await using var tx = await Database.BeginAsync(Ct);
        await tx.System.InsertAsync(original, Ct);

        await tx.System.UpdateAsync(original with { Previous = null, LastBackupUtc = null, LastBackupMsid = null }, Ct);

        var read = await tx.System.GetAsync(Ct);
        Assert.NotNull(read);
        Assert.Null(read.Previous);
        Assert.Null(read.LastBackupUtc);
        Assert.Null(read.LastBackupMsid);
        Assert.Equal(original.Current, read.Current);
    }

    [Fact]
    public async Task SystemInsert_SecondRow_IsRejected()
    {
        await using var tx = await Database.BeginAsync(Ct);
        await tx.System.InsertAsync(FullSystemInfo(), Ct);

        await Assert.ThrowsAnyAsync<Exception>(() => tx.System.InsertAsync(FullSystemInfo(), Ct));
    }

    [Fact]
    public async Task SystemUpdate_NoRow_Throws()
    {
        await using var tx = await Database.BeginAsync(Ct);

        await Assert.ThrowsAnyAsync<Exception>(() => tx.System.UpdateAsync(FullSystemInfo(), Ct));
    }

    // ---------------------------------------------------------------- nodes

    [Fact]
    public async Task NodeFind_OtherCase_ReturnsNodeAsStored()
    {
        await using var tx = await Database.BeginAsync(Ct);
        await tx.Nodes.AddAsync(new NodeRecord("Node-One", T0), Ct);

        var found = await tx.Nodes.FindAsync("nODE-one", Ct);

        Assert.Equal(new NodeRecord("Node-One", T0), found);
    }

    [Fact]
    public async Task NodeFind_Unknown_ReturnsNull()
    {
        await using var tx = await Database.BeginAsync(Ct);
        await tx.Nodes.AddAsync(new NodeRecord("node1", T0), Ct);

        Assert.Null(await tx.Nodes.FindAsync("node2", Ct));
    }

    [Fact]
    public async Task NodeList_SeveralNodes_InJoinOrder()
    {
        await using var tx = await Database.BeginAsync(Ct);
        await tx.Nodes.AddAsync(new NodeRecord("zeta", T0), Ct);
        await tx.Nodes.AddAsync(new NodeRecord("alpha", T0.AddMinutes(5)), Ct);
        await tx.Nodes.AddAsync(new NodeRecord("mid", T0.AddMinutes(1)), Ct);

        var nodes = await tx.Nodes.ListAsync(Ct);

        Assert.Equal(["zeta", "mid", "alpha"], nodes.Select(n => n.Name));
        Assert.Equal(T0.AddMinutes(5), nodes[2].JoinedUtc);
    }

    [Fact]
    public async Task NodeAdd_DuplicateNameOtherCase_IsRejectedAndFirstKept()
    {
        await using (var tx = await Database.BeginAsync(Ct))
        {
            await tx.Nodes.AddAsync(new NodeRecord("node1", T0), Ct);
            await tx.CommitAsync(Ct);
        }

        await using (var tx = await Database.BeginAsync(Ct))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => tx.Nodes.AddAsync(new NodeRecord("NODE1", T0.AddDays(1)), Ct));
        }

        await using var read = await Database.BeginAsync(Ct);
        Assert.Equal([new NodeRecord("node1", T0)], await read.Nodes.ListAsync(Ct));
    }

    // ---------------------------------------------------------------- data keys

    [Fact]
    public async Task DataKeyList_SeveralKeys_OrderedByIdWithEveryField()
    {
        var msid = Guid.NewGuid();
        var k2 = new WrappedDataKey(2, T0.AddDays(1), msid, [4, 5, 6], DataKeyState.Active);
        var k1 = new WrappedDataKey(1, T0, msid, [1, 2, 3], DataKeyState.Retired);
        var kMax = new WrappedDataKey(uint.MaxValue, T0.AddDays(2), Guid.NewGuid(), [7], DataKeyState.Active);
        await using var tx = await Database.BeginAsync(Ct);
        await tx.DataKeys.AddAsync(k2, Ct);
        await tx.DataKeys.AddAsync(kMax, Ct);
        await tx.DataKeys.AddAsync(k1, Ct);

        var keys = await tx.DataKeys.ListAsync(Ct);

        Assert.Equal([1u, 2u, uint.MaxValue], keys.Select(k => k.Id));
        AssertKey(k1, keys[0]);
        AssertKey(k2, keys[1]);
        AssertKey(kMax, keys[2]);
    }

    [Fact]
    public async Task DataKeyAdd_DuplicateId_IsRejected()
    {
        await using var tx = await Database.BeginAsync(Ct);
        await tx.DataKeys.AddAsync(new WrappedDataKey(1, T0, Guid.NewGuid(), [1], DataKeyState.Active), Ct);

        await Assert.ThrowsAnyAsync<Exception>(() =>
            tx.DataKeys.AddAsync(new WrappedDataKey(1, T0, Guid.NewGuid(), [2], DataKeyState.Active), Ct));
    }

    [Fact]
    public async Task DataKeyRewrap_ExistingKey_ChangesOnlyMsidAndWrappedBytes()
    {
        var oldMsid = Guid.NewGuid();
        var newMsid = Guid.NewGuid();
        var key = new WrappedDataKey(7, T0, oldMsid, [1, 2, 3], DataKeyState.Retired);
        var other = new WrappedDataKey(8, T0, oldMsid, [9, 9], DataKeyState.Active);
        await using (var tx = await Database.BeginAsync(Ct))
        {
            await tx.DataKeys.AddAsync(key, Ct);
            await tx.DataKeys.AddAsync(other, Ct);
            await tx.CommitAsync(Ct);
        }

        await using (var tx = await Database.BeginAsync(Ct))
        {
            await tx.DataKeys.RewrapAsync(7, newMsid, [10, 20, 30, 40], Ct);
            await tx.CommitAsync(Ct);
        }

        await using var read = await Database.BeginAsync(Ct);
        var keys = await read.DataKeys.ListAsync(Ct);
        AssertKey(key with { WrappedUnderMsid = newMsid, Wrapped = [10, 20, 30, 40] }, keys[0]);
        AssertKey(other, keys[1]);
    }

    [Fact]
    public async Task DataKeyRewrap_UnknownId_Throws()
    {
        await using var tx = await Database.BeginAsync(Ct);

        await Assert.ThrowsAnyAsync<Exception>(() => tx.DataKeys.RewrapAsync(42, Guid.NewGuid(), [1], Ct));
    }

    // ---------------------------------------------------------------- config: applications

    [Fact]
    public async Task ConfigFindApplication_OtherCase_ReturnsStoredRecord()
    {
        var app = new ApplicationRecord("MyApp", ApplicationType.ConfigStore, 0x140000, T0);
        await using var tx = await Database.BeginAsync(Ct);
        await tx.Applications.AddAsync(app, Ct);

        Assert.Equal(app, await tx.Applications.FindAsync("MYAPP", Ct));
        Assert.Equal(app, await tx.Applications.FindAsync("myapp", Ct));
        Assert.Null(await tx.Applications.FindAsync("MyApp2", Ct));
    }

    [Fact]
    public async Task ConfigAddApplication_SameNameOtherCase_IsRejected()
    {
        await using var tx = await Database.BeginAsync(Ct);
        await tx.Applications.AddAsync(new ApplicationRecord("MyApp", ApplicationType.ConfigStore, 0, T0), Ct);

        await Assert.ThrowsAnyAsync<Exception>(() =>
            tx.Applications.AddAsync(new ApplicationRecord("MYAPP", ApplicationType.Individual, 0, T0), Ct));
    }

    [Fact]
    public async Task ConfigListApplications_MixedCase_SortedCaseInsensitively()
    {
        await using var tx = await Database.BeginAsync(Ct);
        foreach (var name in new[] { "beta", "Alpha", "GAMMA", "alpha2" })
        {
            await tx.Applications.AddAsync(new ApplicationRecord(name, ApplicationType.ConfigStore, 0, T0), Ct);
        }

        var apps = await tx.Applications.ListAsync(Ct);

        Assert.Equal(["Alpha", "alpha2", "beta", "GAMMA"], apps.Select(a => a.Name));
    }

    [Fact]
    public async Task ConfigDeleteApplication_WithValues_CascadesToItsValuesOnly()
    {
        await using var tx = await Database.BeginAsync(Ct);
        await AddAppAsync(tx, "Doomed");
        await AddAppAsync(tx, "Kept");
        await tx.Config.UpsertPropertyAsync("Doomed", "rec", Property("a"), Ct);
        await tx.Config.UpsertPropertyAsync("Doomed", "rec2", Property("b"), Ct);
        await tx.Config.UpsertPropertyAsync("Kept", "rec", Property("c"), Ct);

        var deleted = await tx.Applications.DeleteAsync("DOOMED", Ct);

        Assert.True(deleted);
        Assert.Null(await tx.Applications.FindAsync("Doomed", Ct));
        Assert.Empty(await tx.Config.ListIdentifiersAsync("Doomed", Ct));
        Assert.Empty(await tx.Config.GetPropertiesAsync("Doomed", "rec", Ct));
        var all = await ScanAllAsync(tx);
        Assert.Equal([("Kept", "rec", "c")], all.Select(v => (v.Application, v.Identifier, v.Property.Name)));
    }

    [Fact]
    public async Task ConfigDeleteApplication_Unknown_ReturnsFalse()
    {
        await using var tx = await Database.BeginAsync(Ct);

        Assert.False(await tx.Applications.DeleteAsync("Nothing", Ct));
    }

    // ---------------------------------------------------------------- config: properties

    [Fact]
    public async Task ConfigUpsert_NewProperties_ReturnedInFirstSetOrder()
    {
        await using var tx = await Database.BeginAsync(Ct);
        await AddAppAsync(tx, "App");

        foreach (var name in new[] { "zulu", "alpha", "mike" })
        {
            await tx.Config.UpsertPropertyAsync("App", "rec", Property(name), Ct);
        }

        var properties = await tx.Config.GetPropertiesAsync("App", "rec", Ct);
        Assert.Equal(["zulu", "alpha", "mike"], properties.Select(p => p.Name));
    }

    [Fact]
    public async Task ConfigUpsert_ExistingProperty_UpdatesInPlaceKeepingOrder()
    {
        await using var tx = await Database.BeginAsync(Ct);
        await AddAppAsync(tx, "App");
        await tx.Config.UpsertPropertyAsync("App", "rec", Property("first"), Ct);
        await tx.Config.UpsertPropertyAsync("App", "rec", Property("second"), Ct);
        await tx.Config.UpsertPropertyAsync("App", "rec", Property("third"), Ct);
        var replacement = new ConfigPropertyRecord("first", Masked: true, Envelope([0xAA, 0xBB]), T0.AddHours(1));

        await tx.Config.UpsertPropertyAsync("App", "rec", replacement, Ct);

        var properties = await tx.Config.GetPropertiesAsync("App", "rec", Ct);
        Assert.Equal(["first", "second", "third"], properties.Select(p => p.Name));
        AssertProperty(replacement, properties[0]);
        AssertProperty(Property("second"), properties[1]);
    }

    [Fact]
    public async Task ConfigUpsert_PropertyDeletedThenSetAgain_MovesToTheEnd()
    {
        await using var tx = await Database.BeginAsync(Ct);
        await AddAppAsync(tx, "App");
        foreach (var name in new[] { "a", "b", "c" })
        {
            await tx.Config.UpsertPropertyAsync("App", "rec", Property(name), Ct);
        }

        await tx.Config.DeleteAsync("App", "rec", "a", Ct);
        await tx.Config.UpsertPropertyAsync("App", "rec", Property("a"), Ct);

        var properties = await tx.Config.GetPropertiesAsync("App", "rec", Ct);
        Assert.Equal(["b", "c", "a"], properties.Select(p => p.Name));
    }

    [Fact]
    public async Task ConfigUpsert_PropertyNamesAreCaseSensitive_TwoProperties()
    {
        await using var tx = await Database.BeginAsync(Ct);
        await AddAppAsync(tx, "App");

        await tx.Config.UpsertPropertyAsync("App", "rec", Property("Name"), Ct);
        await tx.Config.UpsertPropertyAsync("App", "rec", Property("name"), Ct);

        Assert.Equal(["Name", "name"], (await tx.Config.GetPropertiesAsync("App", "rec", Ct)).Select(p => p.Name));
    }

    [Fact]
    public async Task ConfigUpsert_ApplicationNameOtherCase_SameRecord()
    {
        await using var tx = await Database.BeginAsync(Ct);
        await AddAppAsync(tx, "MyApp");

        await tx.Config.UpsertPropertyAsync("MyApp", "rec", Property("a"), Ct);
        await tx.Config.UpsertPropertyAsync("MYAPP", "rec", Property("a") with { Envelope = Envelope([42]) }, Ct);

        var properties = await tx.Config.GetPropertiesAsync("myapp", "rec", Ct);
        Assert.Single(properties);
        Assert.Equal(Envelope([42]), properties[0].Envelope);
    }

    [Fact]
    public async Task ConfigUpsert_UnknownApplication_IsRejected()
    {
        await using var tx = await Database.BeginAsync(Ct);

        await Assert.ThrowsAnyAsync<Exception>(() => tx.Config.UpsertPropertyAsync("Ghost", "rec", Property("a"), Ct));
    }

    [Fact]
    public async Task ConfigGetProperties_NoRecord_ReturnsEmpty()
    {
        await using var tx = await Database.BeginAsync(Ct);
        await AddAppAsync(tx, "App");

        Assert.Empty(await tx.Config.GetPropertiesAsync("App", "missing", Ct));
    }

    [Fact]
    public async Task ConfigDelete_OneProperty_RemovesOnlyThatOne()
    {
        await using var tx = await Database.BeginAsync(Ct);
        await AddAppAsync(tx, "App");
        await tx.Config.UpsertPropertyAsync("App", "rec", Property("a"), Ct);
        await tx.Config.UpsertPropertyAsync("App", "rec", Property("b"), Ct);
        await tx.Config.UpsertPropertyAsync("App", "other", Property("a"), Ct);

        var removed = await tx.Config.DeleteAsync("App", "rec", "a", Ct);

        Assert.Equal(1, removed);
        Assert.Equal(["b"], (await tx.Config.GetPropertiesAsync("App", "rec", Ct)).Select(p => p.Name));
        Assert.Equal(["a"], (await tx.Config.GetPropertiesAsync("App", "other", Ct)).Select(p => p.Name));
    }

    [Fact]
    public async Task ConfigDelete_MissingProperty_ReturnsZero()
    {
        await using var tx = await Database.BeginAsync(Ct);
        await AddAppAsync(tx, "App");
        await tx.Config.UpsertPropertyAsync("App", "rec", Property("a"), Ct);

        Assert.Equal(0, await tx.Config.DeleteAsync("App", "rec", "zzz", Ct));
        Assert.Equal(0, await tx.Config.DeleteAsync("App", "nope", null, Ct));
        Assert.Single(await tx.Config.GetPropertiesAsync("App", "rec", Ct));
    }

    [Fact]
    public async Task ConfigDelete_WholeRecord_RemovesEveryPropertyAndKeepsOtherRecords()
    {
        await using var tx = await Database.BeginAsync(Ct);
        await AddAppAsync(tx, "App");
        foreach (var name in new[] { "a", "b", "c" })
        {
            await tx.Config.UpsertPropertyAsync("App", "rec", Property(name), Ct);
        }

        await tx.Config.UpsertPropertyAsync("App", "other", Property("x"), Ct);

        var removed = await tx.Config.DeleteAsync("App", "rec", null, Ct);

        Assert.Equal(3, removed);
        Assert.Empty(await tx.Config.GetPropertiesAsync("App", "rec", Ct));
        Assert.Equal([("other", 1)], await tx.Config.ListIdentifiersAsync("App", Ct));
        Assert.NotNull(await tx.Applications.FindAsync("App", Ct));
    }

    [Fact]
    public async Task ConfigListIdentifiers_SeveralRecords_CountsPropertiesPerRecord()
    {
        await using var tx = await Database.BeginAsync(Ct);
        await AddAppAsync(tx, "App");
        await AddAppAsync(tx, "Other");
        await tx.Config.UpsertPropertyAsync("App", "two", Property("a"), Ct);
        await tx.Config.UpsertPropertyAsync("App", "two", Property("b"), Ct);
        await tx.Config.UpsertPropertyAsync("App", "one", Property("a"), Ct);
        await tx.Config.UpsertPropertyAsync("App", "two", Property("a"), Ct); // an update, not a third property
        await tx.Config.UpsertPropertyAsync("Other", "three", Property("a"), Ct);

        var identifiers = await tx.Config.ListIdentifiersAsync("app", Ct);

        Assert.Equal([("one", 1), ("two", 2)], identifiers);
        Assert.Empty(await tx.Config.ListIdentifiersAsync("Nothing", Ct));
    }

    [Fact]
    public async Task ConfigScan_SeveralApplications_SeesEveryValue()
    {
        await using (var tx = await Database.BeginAsync(Ct))
        {
            await AddAppAsync(tx, "B-App");
            await AddAppAsync(tx, "A-App");
            await tx.Config.UpsertPropertyAsync("B-App", "r1", Property("p2"), Ct);
            await tx.Config.UpsertPropertyAsync("B-App", "r1", Property("p1"), Ct);
            await tx.Config.UpsertPropertyAsync("A-App", "r9", Property("x", masked: true), Ct);
            await tx.Config.UpsertPropertyAsync("A-App", "r0", Property("y"), Ct);
            await tx.CommitAsync(Ct);
        }

        await using var read = await Database.BeginAsync(Ct);
        var all = await ScanAllAsync(read);

        Assert.Equal(4, all.Count);
        Assert.Equal(
            new[] { ("A-App", "r0", "y"), ("A-App", "r9", "x"), ("B-App", "r1", "p1"), ("B-App", "r1", "p2") },
            all.Select(v => (v.Application, v.Identifier, v.Property.Name)).Order());
        var masked = all.Single(v => v.Property.Name == "x").Property;
        AssertProperty(Property("x", masked: true), masked);
    }

    [Fact]
    public async Task ConfigScan_EmptyDatabase_YieldsNothing()
    {
        await using var tx = await Database.BeginAsync(Ct);

        Assert.Empty(await ScanAllAsync(tx));
    }

    [Fact]
    public async Task ConfigUpsert_LargeEnvelope_RoundTripsExactly()
    {
        var body = new byte[70_000];
        new Random(7).NextBytes(body);
        var envelope = Envelope(body);
        await using var tx = await Database.BeginAsync(Ct);
        await AddAppAsync(tx, "App");

        await tx.Config.UpsertPropertyAsync("App", "rec", new ConfigPropertyRecord("big", false, envelope, T0), Ct);

        Assert.Equal(envelope, (await tx.Config.GetPropertiesAsync("App", "rec", Ct))[0].Envelope);
    }

    // ---------------------------------------------------------------- audit

    [Fact]
    public async Task AuditListRecent_MoreEventsThanAsked_NewestFirst()
    {
        await using var tx = await Database.BeginAsync(Ct);
        for (var i = 1; i <= 5; i++)
        {
            await tx.Audit.AddAsync(new AuditEvent(T0.AddMinutes(i), 10500 + i, "node1", "me@node1", $"event {i}"), Ct);
        }

        var recent = await tx.Audit.ListRecentAsync(3, Ct);

        Assert.Equal(["event 5", "event 4", "event 3"], recent.Select(e => e.Message));
        Assert.Equal(new AuditEvent(T0.AddMinutes(5), 10505, "node1", "me@node1", "event 5"), recent[0]);
        Assert.Equal(5, (await tx.Audit.ListRecentAsync(100, Ct)).Count);
    }

    [Fact]
    public async Task AuditListRecent_NoEvents_ReturnsEmpty()
    {
        await using var tx = await Database.BeginAsync(Ct);

        Assert.Empty(await tx.Audit.ListRecentAsync(10, Ct));
    }

    // ---------------------------------------------------------------- transactions

    [Fact]
    public async Task Transaction_DisposedWithoutCommit_LeavesNothing()
    {
        await using (var tx = await Database.BeginAsync(Ct))
        {
            await tx.System.InsertAsync(FullSystemInfo(), Ct);
            await tx.Nodes.AddAsync(new NodeRecord("node1", T0), Ct);
            await tx.DataKeys.AddAsync(new WrappedDataKey(1, T0, Guid.NewGuid(), [1], DataKeyState.Active), Ct);
            await AddAppAsync(tx, "App");
            await tx.Config.UpsertPropertyAsync("App", "rec", Property("a"), Ct);
            await tx.Audit.AddAsync(new AuditEvent(T0, 1, "node1", "me", "m"), Ct);
        }

        await using var read = await Database.BeginAsync(Ct);
        Assert.Null(await read.System.GetAsync(Ct));
        Assert.Empty(await read.Nodes.ListAsync(Ct));
        Assert.Empty(await read.DataKeys.ListAsync(Ct));
        Assert.Empty(await read.Applications.ListAsync(Ct));
        Assert.Empty(await ScanAllAsync(read));
        Assert.Empty(await read.Audit.ListRecentAsync(10, Ct));
    }

    [Fact]
    public async Task Transaction_FailedStatementThenDispose_RollsBackEarlierWrites()
    {
        await using (var tx = await Database.BeginAsync(Ct))
        {
            await tx.Nodes.AddAsync(new NodeRecord("node1", T0), Ct);
            await Assert.ThrowsAnyAsync<Exception>(() => tx.Nodes.AddAsync(new NodeRecord("node1", T0), Ct));
        }

        await using var read = await Database.BeginAsync(Ct);
        Assert.Empty(await read.Nodes.ListAsync(Ct));
    }

    [Fact]
    public async Task Transaction_SequentialTransactions_SecondSeesFirstsCommit()
    {
        var info = FullSystemInfo();
        await using (var first = await Database.BeginAsync(Ct))
        {
            await first.System.InsertAsync(info, Ct);
            await first.Nodes.AddAsync(new NodeRecord("node1", T0), Ct);
            await first.CommitAsync(Ct);
        }

        await using var second = await Database.BeginAsync(Ct);
        Assert.Equal(info, await second.System.GetAsync(Ct));
        Assert.NotNull(await second.Nodes.FindAsync("node1", Ct));
    }

    [Fact]
    public async Task Transaction_SecondDatabaseObject_SeesCommittedData()
    {
        var info = FullSystemInfo();
        await using (var tx = await Database.BeginAsync(Ct))
        {
            await tx.System.InsertAsync(info, Ct);
            await AddAppAsync(tx, "App");
            await tx.Config.UpsertPropertyAsync("App", "rec", Property("a"), Ct);
            await tx.CommitAsync(Ct);
        }

        await using var other = await OpenSecondAsync();
        await using var read = await other.BeginAsync(Ct);

        Assert.Equal(info, await read.System.GetAsync(Ct));
        AssertProperty(Property("a"), Assert.Single(await read.Config.GetPropertiesAsync("App", "rec", Ct)));
    }

    [Fact]
    public async Task Transaction_SecondDatabaseObjectCommits_FirstSeesItNext()
    {
        await using (var other = await OpenSecondAsync())
        {
            await using var tx = await other.BeginAsync(Ct);
            await tx.Nodes.AddAsync(new NodeRecord("from-other", T0), Ct);
            await tx.CommitAsync(Ct);
        }

        await using var read = await Database.BeginAsync(Ct);
        Assert.NotNull(await read.Nodes.FindAsync("from-other", Ct));
    }

    [Fact]
    public async Task Transaction_SecondDatabaseObjectRollsBack_FirstSeesNothing()
    {
        await using (var other = await OpenSecondAsync())
        {
            await using var tx = await other.BeginAsync(Ct);
            await tx.Nodes.AddAsync(new NodeRecord("from-other", T0), Ct);
        }

        await using var read = await Database.BeginAsync(Ct);
        Assert.Empty(await read.Nodes.ListAsync(Ct));
    }

    // ---------------------------------------------------------------- helpers

    protected static SystemInfo FullSystemInfo() => new()
    {
        SystemId = Guid.NewGuid(),
        SecretServer = "node1",
        CreatedUtc = T0,
        Current = new MasterSecretInfo(Guid.NewGuid(), "0123456789abcdef", T0.AddDays(2)),
        Previous = new MasterSecretInfo(Guid.NewGuid(), "fedcba9876543210", T0.AddDays(1)),
        LastBackupUtc = T0.AddDays(3),
        LastBackupMsid = Guid.NewGuid(),
    };

    protected static ConfigPropertyRecord Property(string name, bool masked = false) =>
        new(name, masked, Envelope(System.Text.Encoding.UTF8.GetBytes("envelope of " + name)), T0);

    /// <summary>
    /// Bytes shaped like a value envelope under data key 1 (the repositories record which key a value is under) — the
    /// repositories never decrypt, so the body is arbitrary.
    /// </summary>
    protected static byte[] Envelope(byte[] body, uint keyId = 1)
    {
        var envelope = new byte[SsoVault.Core.Crypto.ValueEnvelope.Overhead + body.Length];
        envelope[0] = SsoVault.Core.Crypto.ValueEnvelope.FormatVersion;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(envelope.AsSpan(1), keyId);
        body.CopyTo(envelope, SsoVault.Core.Crypto.ValueEnvelope.HeaderSize + 12);
        return envelope;
    }

    protected Task AddAppAsync(ISsoTransaction tx, string name) =>
        tx.Applications.AddAsync(new ApplicationRecord(name, ApplicationType.ConfigStore, 0x140000, T0), Ct);

    protected async Task<List<(string Application, string Identifier, ConfigPropertyRecord Property)>> ScanAllAsync(ISsoTransaction tx)
    {
        var all = new List<(string, string, ConfigPropertyRecord)>();
        await foreach (var value in tx.Config.ScanAsync(Ct))
        {
            all.Add(value);
        }

        return all;
    }

    /// <summary>Records holding byte arrays compare arrays by reference: compare field by field.</summary>
    private static void AssertKey(WrappedDataKey expected, WrappedDataKey actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.CreatedUtc, actual.CreatedUtc);
        Assert.Equal(expected.WrappedUnderMsid, actual.WrappedUnderMsid);
        Assert.Equal(expected.Wrapped, actual.Wrapped);
        Assert.Equal(expected.State, actual.State);
    }

    private static void AssertProperty(ConfigPropertyRecord expected, ConfigPropertyRecord actual)
    {
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Masked, actual.Masked);
        Assert.Equal(expected.Envelope, actual.Envelope);
        Assert.Equal(expected.UpdatedUtc, actual.UpdatedUtc);
    }

    private async Task InsertSystemAsync()
    {
        await using var tx = await Database.BeginAsync(Ct);
        await tx.System.InsertAsync(FullSystemInfo(), Ct);
        await tx.CommitAsync(Ct);
    }
}
