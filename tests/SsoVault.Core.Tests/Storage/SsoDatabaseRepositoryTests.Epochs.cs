using SsoVault.Core.Storage;

namespace SsoVault.Core.Tests.Storage;

/// <summary>
/// The change epochs the credential cache relies on (bumped by the database's triggers, never by the code), and the
/// locking the services rely on: one writer at a time across database objects, readers never waiting.
/// </summary>
public abstract partial class SsoDatabaseRepositoryTests
{
    [Fact]
    public async Task ChangeEpochs_UnknownApplication_ReturnsNull()
    {
        await InsertSystemAsync();
        await using var tx = await Database.BeginAsync(Ct);

        Assert.Null(await tx.Applications.GetChangeEpochsAsync("Ghost", Ct));
    }

    [Fact]
    public async Task ChangeEpochs_MappingAddedChangedAndRemoved_BumpApplicationEpochOnly()
    {
        await SetUpEpochFixtureAsync();

        var added = await BumpsAsync(tx => tx.Mappings.AddAsync(Mapping("DOM\\alice", "alice"), Ct));
        var id = await FirstMappingIdAsync();
        var disabled = await BumpsAsync(tx => tx.Mappings.SetEnabledAsync(id, false, T0.AddMinutes(1), Ct));
        var credentials = await BumpsAsync(tx => tx.Mappings.SetCredentialsAsync(id, [(1, Envelope([1, 2, 3]))], T0.AddMinutes(2), Ct));
        var deleted = await BumpsAsync(tx => tx.Mappings.DeleteAsync(id, Ct));

        foreach (var (system, app, other) in new[] { added, disabled, credentials, deleted })
        {
            Assert.Equal(0, system);
            Assert.True(app > 0);
            Assert.Equal(0, other);
        }
    }

    [Fact]
    public async Task ChangeEpochs_ApplicationPropertiesAccountsAndFields_BumpApplicationEpoch()
    {
        await SetUpEpochFixtureAsync();
        var app = new ApplicationRecord("App", ApplicationType.Individual, 0, T0) { Description = "changed" };

        var updated = await BumpsAsync(tx => tx.Applications.UpdateAsync(app, Ct));
        var accounts = await BumpsAsync(tx => tx.Applications.SetAccountsAsync("app", ApplicationAccountRole.Users, ["DOM\\users"], Ct));
        var field = await BumpsAsync(tx => tx.Applications.AddFieldAsync("APP", new FieldRecord(2, "Pin", true, false), Ct));
        var purge = await BumpsAsync(tx => tx.Applications.BumpChangeEpochAsync("App", Ct));

        foreach (var (system, application, other) in new[] { updated, accounts, field, purge })
        {
            Assert.Equal((0, true, 0), (system, application > 0, other));
        }
    }

    [Fact]
    public async Task ChangeEpochs_GroupMembershipRolesSettingsAndAccountRemoval_BumpSystemEpoch()
    {
        await SetUpEpochFixtureAsync();

        var member = await BumpsAsync(tx => tx.Accounts.AddMemberAsync("DOM\\admins", "dom\\ALICE", Ct));
        var unmember = await BumpsAsync(tx => tx.Accounts.RemoveMemberAsync("DOM\\admins", "DOM\\alice", Ct));
        var roles = await BumpsAsync(tx => tx.System.SetRoleAccountsAsync(SystemRole.SsoAdministrators, ["DOM\\admins"], Ct));
        var settings = await BumpsAsync(async tx =>
            await tx.System.UpdateSettingsAsync((await tx.System.GetSettingsAsync(Ct)) with { TicketsAllowed = true }, Ct));
        var removed = await BumpsAsync(tx => tx.Accounts.RemoveAsync("DOM\\alice", Ct));

        foreach (var (system, app, other) in new[] { member, unmember, roles, settings, removed })
        {
            Assert.Equal((true, 0, 0), (system > 0, app, other));
        }
    }

    [Fact]
    public async Task ChangeEpochs_ApiKeyRevoked_BumpsSystemEpoch()
    {
        await SetUpEpochFixtureAsync();
        var key = new ApiKeyRecord("0123456789ab", "DOM\\alice", new byte[32], "key", T0, null);

        var added = await BumpsAsync(tx => tx.Accounts.AddApiKeyAsync(key, Ct));
        var revoked = await BumpsAsync(tx => tx.Accounts.RevokeApiKeyAsync(key.Id, T0.AddMinutes(1), Ct));

        // A new key is in no cache yet; a revoked one may be in every server's cache of authenticated keys.
        Assert.Equal((0, 0, 0), added);
        Assert.Equal((true, 0, 0), (revoked.System > 0, revoked.App, revoked.Other));
    }

    [Fact]
    public async Task SystemGetChangeEpoch_AfterChanges_IsTheSystemPartOfTheChangeEpochs()
    {
        await SetUpEpochFixtureAsync();
        await BumpsAsync(tx => tx.Accounts.AddMemberAsync("DOM\\admins", "DOM\\alice", Ct));

        await using var tx = await Database.BeginReadAsync(Ct);
        var epoch = await tx.System.GetChangeEpochAsync(Ct);

        Assert.True(epoch > 0);
        Assert.Equal((await tx.Applications.GetChangeEpochsAsync("App", Ct))!.Value.System, epoch);
    }

    [Fact]
    public async Task ChangeEpochs_AuditAndConfigOnlyChanges_BumpNothing()
    {
        await SetUpEpochFixtureAsync();

        var audit = await BumpsAsync(tx => tx.Audit.AddAsync(new AuditEvent(T0, 1, "node1", "me", "lookup"), Ct));
        var node = await BumpsAsync(tx => tx.Nodes.AddAsync(new NodeRecord("node9", T0), Ct));

        Assert.Equal((0, 0, 0), audit);
        Assert.Equal((0, 0, 0), node);
    }

    [Fact]
    public async Task BeginAsync_AnotherDatabaseObjectWriting_WaitsForItsCommitAndSeesIt()
    {
        await using var other = await OpenSecondAsync();
        await using var first = await Database.BeginAsync(Ct);
        await first.Nodes.AddAsync(new NodeRecord("first", T0), Ct);

        var second = Task.Run(async () =>
        {
            await using var tx = await other.BeginAsync(Ct);
            var seen = await tx.Nodes.FindAsync("first", Ct);
            await tx.Nodes.AddAsync(new NodeRecord("second", T0), Ct);
            await tx.CommitAsync(Ct);
            return seen;
        });
        await Task.Delay(500, Ct);
        Assert.False(second.IsCompleted, "a second writer must wait for the first one's commit");

        await first.CommitAsync(Ct);

        Assert.NotNull(await second.WaitAsync(TimeSpan.FromSeconds(30), Ct));
    }

    [Fact]
    public async Task BeginReadAsync_WhileAnotherObjectWrites_DoesNotWaitAndSeesOnlyCommittedData()
    {
        await using var other = await OpenSecondAsync();
        await using (await other.BeginReadAsync(Ct))
        {
            // A database object's first transaction checks the schema under the write lock: get that done first.
        }

        await using var writer = await Database.BeginAsync(Ct);
        await writer.Nodes.AddAsync(new NodeRecord("uncommitted", T0), Ct);

        var read = Task.Run(async () =>
        {
            await using var tx = await other.BeginReadAsync(Ct);
            return await tx.Nodes.ListAsync(Ct);
        });

        Assert.Empty(await read.WaitAsync(TimeSpan.FromSeconds(5), Ct));
    }

    // ---------------------------------------------------------------- epoch helpers

    /// <summary>A system, the application "App" and a bystander "Other", and a directory with a group and a user.</summary>
    /// <summary>
    /// Whether a transaction's many changes bump an epoch once (PostgreSQL since migration 10: each repeated UPDATE of
    /// the epoch's row inside one transaction added a row version, so an import was quadratic) or once per row (SQLite).
    /// </summary>
    protected virtual bool BumpsOncePerTransaction => false;

    [Fact]
    public async Task ChangeEpochs_ManyChangesInOneTransaction_BumpEachEpoch_AndTheNextTransactionBumpsAgain()
    {
        await SetUpEpochFixtureAsync();

        var many = await BumpsAsync(async tx =>
        {
            for (var i = 0; i < 20; i++)
            {
                var mapping = await tx.Mappings.AddAsync(Mapping($"DOM\\user{i}", $"user{i}"), Ct);
                await tx.Mappings.SetCredentialsAsync(mapping.Id, [(1, Envelope([1, 2, 3]))], T0, Ct);
            }

            await tx.Accounts.AddMemberAsync("DOM\\admins", "DOM\\alice", Ct);
            await tx.Accounts.AddMemberAsync("DOM\\users", "DOM\\alice", Ct);
        });
        var next = await BumpsAsync(tx => tx.Mappings.AddAsync(Mapping("DOM\\bob", "bob"), Ct));

        Assert.Equal(0, many.Other);
        Assert.True(many.System >= 1 && many.App >= 1);
        Assert.True(next.App >= 1);
        if (BumpsOncePerTransaction)
        {
            Assert.Equal((1, 1, 1), (many.System, many.App, next.App));
        }
    }

    private async Task SetUpEpochFixtureAsync()
    {
        await using var tx = await Database.BeginAsync(Ct);
        await tx.System.InsertAsync(FullSystemInfo(), Ct);
        await tx.Applications.AddAsync(new ApplicationRecord("App", ApplicationType.Individual, 0, T0), Ct);
        await tx.Applications.AddAsync(new ApplicationRecord("Other", ApplicationType.Individual, 0, T0), Ct);
        await tx.Applications.AddFieldAsync("App", new FieldRecord(1, "Password", true, false), Ct);
        await tx.Accounts.AddAsync(new AccountRecord("DOM\\admins", AccountKind.Group, T0), Ct);
        await tx.Accounts.AddAsync(new AccountRecord("DOM\\alice", AccountKind.User, T0), Ct);
        await tx.Accounts.AddAsync(new AccountRecord("DOM\\users", AccountKind.Group, T0), Ct);
        await tx.CommitAsync(Ct);
    }

    private static MappingRecord Mapping(string windows, string external) => new(0, "App", windows, external, true, 0, T0, T0);

    private async Task<long> FirstMappingIdAsync()
    {
        await using var tx = await Database.BeginReadAsync(Ct);
        return (await tx.Mappings.ListAsync("App", null, Ct))[0].Id;
    }

    /// <summary>Runs one committed change; returns how much it moved the system, "App" and "Other" epochs.</summary>
    private async Task<(long System, long App, long Other)> BumpsAsync(Func<ISsoTransaction, Task> change)
    {
        var before = await EpochsAsync();
        await using (var tx = await Database.BeginAsync(Ct))
        {
            await change(tx);
            await tx.CommitAsync(Ct);
        }

        var after = await EpochsAsync();
        return (after.App.System - before.App.System, after.App.Application - before.App.Application,
            after.Other.Application - before.Other.Application);
    }

    private async Task<(ChangeEpochs App, ChangeEpochs Other)> EpochsAsync()
    {
        await using var tx = await Database.BeginReadAsync(Ct);
        return ((await tx.Applications.GetChangeEpochsAsync("app", Ct))!.Value, (await tx.Applications.GetChangeEpochsAsync("OTHER", Ct))!.Value);
    }
}
