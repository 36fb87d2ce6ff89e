using SsoVault.Core.Storage;

namespace SsoVault.Core.Tests.Storage;

/// <summary>
/// The reads of a credential lookup: a mapping with its credentials in one statement (in a transaction, and outside any
/// as <see cref="ISsoDatabase.ReadMappingWithCredentialsAsync"/>), and the node's leased view of the change epochs.
/// </summary>
public abstract partial class SsoDatabaseRepositoryTests
{
    [Fact]
    public async Task FindWithCredentials_InTransactionAndAsOneStatement_SameAnswers()
    {
        var aliceId = await AddAliceWithCredentialsAndBobWithoutAsync();

        await using var read = await Database.BeginReadAsync(Ct);
        var inTransaction = await read.Mappings.FindWithCredentialsAsync("app", "dom\\ALICE", Ct);
        var oneStatement = await Database.ReadMappingWithCredentialsAsync("APP", "DOM\\alice", Ct);

        foreach (var alice in new[] { inTransaction, oneStatement })
        {
            Assert.Equal(("alice", aliceId), (alice!.Mapping.ExternalUser, alice.Mapping.Id));
            Assert.Equal([1, 2], alice.Credentials.Select(c => c.Ordinal));
            Assert.Equal([Envelope([1, 2, 3]), Envelope([4])], alice.Credentials.Select(c => c.Envelope));
        }
    }

    [Fact]
    public async Task FindWithCredentials_MappingWithoutCredentials_EmptyList_AndUnknown_Null()
    {
        await AddAliceWithCredentialsAndBobWithoutAsync();

        var bob = await Database.ReadMappingWithCredentialsAsync("App", "DOM\\bob", Ct);
        var carol = await Database.ReadMappingWithCredentialsAsync("App", "DOM\\carol", Ct);
        await using var read = await Database.BeginReadAsync(Ct);
        var bobInTransaction = await read.Mappings.FindWithCredentialsAsync("App", "DOM\\bob", Ct);

        Assert.Equal("bob", bob!.Mapping.ExternalUser);
        Assert.Empty(bob.Credentials);
        Assert.Empty(bobInTransaction!.Credentials);
        Assert.Null(carol);
    }

    [Fact]
    public async Task LeasedEpochs_WithinLease_AnswerFromMemory_AfterIt_ReadTheCommittedOnes()
    {
        await SetUpEpochFixtureAsync();
        var epochs = new LeasedChangeEpochs(Database);
        var committed = await epochs.ForApplicationAsync("App", Ct);
        var minute = System.Diagnostics.Stopwatch.Frequency * 60;

        // Readings stamped a minute ahead (still within their lease whatever the machine's load) and a minute ago.
        epochs.Observe("App", new ChangeEpochs(98, 99), ChangeEpochLease.Now() + minute);
        var withinLease = await epochs.ForApplicationAsync("app", Ct);
        var other = new LeasedChangeEpochs(Database);
        other.Observe("App", new ChangeEpochs(98, 99), ChangeEpochLease.Now() - minute);
        var afterLease = await other.ForApplicationAsync("APP", Ct);

        Assert.Equal(new ChangeEpochs(98, 99), withinLease);
        Assert.Equal(committed, afterLease);
    }

    [Fact]
    public async Task LeasedEpochs_AfterCommitReturned_SeeTheChange()
    {
        await SetUpEpochFixtureAsync();
        var epochs = new LeasedChangeEpochs(Database);
        var before = await epochs.ForApplicationAsync("App", Ct);

        await using (var tx = await Database.BeginAsync(Ct))
        {
            await tx.Applications.BumpChangeEpochAsync("App", Ct);
            await tx.CommitAsync(Ct);
        }

        Assert.Equal(before!.Value.Application + 1, (await epochs.ForApplicationAsync("App", Ct))!.Value.Application);
    }

    [Fact]
    public async Task LeasedEpochs_UnknownApplication_Null_AndSystemEpochFollowsApplicationReads()
    {
        await SetUpEpochFixtureAsync();
        var epochs = new LeasedChangeEpochs(Database);

        var ghost = await epochs.ForApplicationAsync("Ghost", Ct);
        var app = await epochs.ForApplicationAsync("App", Ct);

        Assert.Null(ghost);
        Assert.Equal(app!.Value.System, await epochs.ForSystemAsync(Ct));
    }

    private async Task<long> AddAliceWithCredentialsAndBobWithoutAsync()
    {
        await SetUpEpochFixtureAsync();
        await using var tx = await Database.BeginAsync(Ct);
        var aliceId = (await tx.Mappings.AddAsync(Mapping("DOM\\alice", "alice"), Ct)).Id;
        await tx.Mappings.AddAsync(Mapping("DOM\\bob", "bob"), Ct);
        await tx.Mappings.SetCredentialsAsync(aliceId, [(2, Envelope([4])), (1, Envelope([1, 2, 3]))], T0, Ct);
        await tx.CommitAsync(Ct);
        return aliceId;
    }
}
