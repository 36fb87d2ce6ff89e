using SsoVault.Core.Storage;

namespace SsoVault.Core.Tests.Storage;

/// <summary>
/// The reads of a credential lookup in a read transaction (where a provider may fetch a mapping and its credentials in
/// one statement): the same answers as the two reads one by one, for the mapping found last and for others.
/// </summary>
public abstract partial class SsoDatabaseRepositoryTests
{
    [Fact]
    public async Task MappingsGetCredentials_AfterFindInReadTransaction_CredentialsOfTheAskedMapping()
    {
        await SetUpEpochFixtureAsync();
        long aliceId;
        await using (var tx = await Database.BeginAsync(Ct))
        {
            aliceId = (await tx.Mappings.AddAsync(Mapping("DOM\\alice", "alice"), Ct)).Id;
            await tx.Mappings.AddAsync(Mapping("DOM\\bob", "bob"), Ct);
            await tx.Mappings.SetCredentialsAsync(aliceId, [(2, Envelope([4])), (1, Envelope([1, 2, 3]))], T0, Ct);
            await tx.CommitAsync(Ct);
        }

        await using var read = await Database.BeginReadAsync(Ct);
        var alice = await read.Mappings.FindByWindowsAccountAsync("app", "dom\\ALICE", Ct);
        var bob = await read.Mappings.FindByWindowsAccountAsync("App", "DOM\\bob", Ct);
        var carol = await read.Mappings.FindByWindowsAccountAsync("App", "DOM\\carol", Ct);
        var aliceCredentials = await read.Mappings.GetCredentialsAsync(aliceId, Ct);
        var bobCredentials = await read.Mappings.GetCredentialsAsync(bob!.Id, Ct);

        Assert.Equal(("alice", aliceId), (alice!.ExternalUser, alice.Id));
        Assert.Null(carol);
        Assert.Equal([1, 2], aliceCredentials.Select(c => c.Ordinal));
        Assert.Equal([Envelope([1, 2, 3]), Envelope([4])], aliceCredentials.Select(c => c.Envelope));
        Assert.Empty(bobCredentials);
    }
}
