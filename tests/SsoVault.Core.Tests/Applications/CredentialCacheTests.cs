using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SsoVault.Core.Applications;
using SsoVault.Core.Errors;
using SsoVault.Core.Identity;
using SsoVault.Core.Nodes;
using SsoVault.Core.Storage;
using SsoVault.Core.Tests.MasterSecrets;
using SsoVault.Storage.Sqlite;

namespace SsoVault.Core.Tests.Applications;

/// <summary>
/// The credential cache serves repeated lookups, and never serves an answer that a change has made wrong — on the node
/// that made the change or on another node sharing the database.
/// </summary>
[Collection(NodeTemplateCollection.Name)]
public sealed class CredentialCacheTests(NodeTemplateFixture template)
{
    private const string App = "SAP";
    private const string Alice = @"CORP\alice";
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly FakeTimeProvider _clock = new(NodeTemplateFixture.CreatedUtc.AddDays(1));

    [Fact]
    public async Task Lookup_Repeated_ServedFromCache()
    {
        await using var test = await ArrangeAsync();
        var alice = await AliceAsync(test.Node);

        var first = await CredentialService.LookupAsync(test.Node, alice, App, Ct);
        var second = await CredentialService.LookupAsync(test.Node, alice, App, Ct);

        Assert.Equal(1, test.Node.CredentialCache.Count);
        Assert.Same(first, second);
    }

    [Fact]
    public async Task Lookup_AfterCredentialsChangeOnAnotherNode_ReturnsNewValue()
    {
        await using var test = await ArrangeAsync();
        await using var other = await SsoNode.OpenAsync(test.Node.Home, new SqliteDatabaseProvider(), _clock, NullLogger.Instance, Ct);
        var alice = await AliceAsync(test.Node);
        await CredentialService.LookupAsync(test.Node, alice, App, Ct);

        await CredentialService.SetAsync(other, Caller.LocalOperator, App, Alice, null, ["new-password"], Ct);
        var after = await CredentialService.LookupAsync(test.Node, alice, App, Ct);

        Assert.Equal("new-password", after.Credentials[0]);
    }

    [Fact]
    public async Task Lookup_AfterMappingDisabledOnAnotherNode_RefusedDespiteCache()
    {
        await using var test = await ArrangeAsync();
        await using var other = await SsoNode.OpenAsync(test.Node.Home, new SqliteDatabaseProvider(), _clock, NullLogger.Instance, Ct);
        var alice = await AliceAsync(test.Node);
        await CredentialService.LookupAsync(test.Node, alice, App, Ct);

        await MappingService.SetEnabledAsync(other, Caller.LocalOperator, App, Alice, false, Ct);
        var error = await Assert.ThrowsAsync<SsoException>(() => CredentialService.LookupAsync(test.Node, alice, App, Ct));

        Assert.Equal(SsoErrorCode.Disabled, error.Code);
    }

    [Fact]
    public async Task Lookup_AfterRemovalFromUsersGroup_DeniedDespiteCache()
    {
        await using var test = await ArrangeAsync();
        var alice = await AliceAsync(test.Node);
        await CredentialService.LookupAsync(test.Node, alice, App, Ct);

        await IdentityService.RemoveMemberAsync(test.Node, Caller.LocalOperator, @"CORP\SAP Users", Alice, Ct);
        var nextRequest = await AliceAsync(test.Node);
        var error = await Assert.ThrowsAsync<SsoException>(() => CredentialService.LookupAsync(test.Node, nextRequest, App, Ct));

        Assert.Equal(SsoErrorCode.AccessDenied, error.Code);
    }

    [Fact]
    public async Task Lookup_SsoDisabled_RefusedDespiteCache()
    {
        await using var test = await ArrangeAsync();
        var alice = await AliceAsync(test.Node);
        await CredentialService.LookupAsync(test.Node, alice, App, Ct);

        await GlobalInfoService.SetSsoEnabledAsync(test.Node, Caller.LocalOperator, false, Ct);

        var error = await Assert.ThrowsAsync<SsoException>(() => CredentialService.LookupAsync(test.Node, alice, App, Ct));
        Assert.Equal(SsoErrorCode.Disabled, error.Code);
    }

    [Fact]
    public async Task Lookup_AfterTimeout_ReadsAgain()
    {
        await using var test = await ArrangeAsync();
        var alice = await AliceAsync(test.Node);
        var first = await CredentialService.LookupAsync(test.Node, alice, App, Ct);

        _clock.Advance(TimeSpan.FromMinutes(61));
        var second = await CredentialService.LookupAsync(test.Node, alice, App, Ct);

        Assert.NotSame(first, second);
        Assert.Equal(first.Credentials, second.Credentials);
    }

    [Fact]
    public async Task Lookup_Refresh_BypassesCache()
    {
        await using var test = await ArrangeAsync();
        var alice = await AliceAsync(test.Node);
        var first = await CredentialService.LookupAsync(test.Node, alice, App, Ct);

        var refreshed = await CredentialService.LookupAsync(test.Node, alice, App, Ct, refresh: true);

        Assert.NotSame(first, refreshed);
    }

    [Fact]
    public async Task Lookup_Refresh_LeavesCacheAsItIs()
    {
        await using var test = await ArrangeAsync();
        var alice = await AliceAsync(test.Node);

        await CredentialService.LookupAsync(test.Node, alice, App, Ct, refresh: true);

        Assert.Equal(0, test.Node.CredentialCache.Count);
    }

    /// <summary>
    /// The change-epoch lease (decision 41): a node looking up without pause keeps its lease on the epochs warm, so a
    /// lookup right after another node's write returned would be served from the cache if the write had not waited the
    /// lease out. Every one of these lookups must see the value just written.
    /// </summary>
    [Fact]
    public async Task Lookup_RightAfterAnotherNodesWriteReturned_SeesIt_WhileLookupsRunWithoutPause()
    {
        await using var test = await ArrangeAsync();
        await using var writer = await SsoNode.OpenAsync(test.Node.Home, new SqliteDatabaseProvider(), _clock, NullLogger.Instance, Ct);
        var alice = await AliceAsync(test.Node);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var busyLookups = Task.Run(async () =>
        {
            var count = 0;
            while (!stop.IsCancellationRequested)
            {
                await CredentialService.LookupAsync(test.Node, alice, App, Ct);
                count++;
            }

            return count;
        });

        var stale = new List<string>();
        for (var i = 0; i < 100 && !stop.IsCancellationRequested; i++)
        {
            var value = $"password-{i}";
            await CredentialService.SetAsync(writer, Caller.LocalOperator, App, Alice, null, [value], Ct);
            var seen = (await CredentialService.LookupAsync(test.Node, alice, App, Ct)).Credentials[0];
            if (seen != value)
            {
                stale.Add($"wrote {value}, read {seen}");
            }
        }

        await stop.CancelAsync();
        Assert.True(await busyLookups > 100, "The background lookups did not run, so the lease was never warm.");
        Assert.Empty(stale);
    }

    [Fact]
    public async Task Lookup_DisableCredCacheFlag_NeverCached()
    {
        await using var test = await ArrangeAsync();
        await ApplicationService.UpdateAsync(test.Node, Caller.LocalOperator, App, new ApplicationUpdate { DisableCredentialCache = true }, Ct);
        var alice = await AliceAsync(test.Node);

        await CredentialService.LookupAsync(test.Node, alice, App, Ct);

        Assert.Equal(0, test.Node.CredentialCache.Count);
    }

    [Fact]
    public async Task PurgeCache_OnAnotherNode_InvalidatesThisNodesEntries()
    {
        await using var test = await ArrangeAsync();
        await using var other = await SsoNode.OpenAsync(test.Node.Home, new SqliteDatabaseProvider(), _clock, NullLogger.Instance, Ct);
        var alice = await AliceAsync(test.Node);
        var first = await CredentialService.LookupAsync(test.Node, alice, App, Ct);

        await ApplicationService.PurgeCacheAsync(other, Caller.LocalOperator, App, Ct);
        var after = await CredentialService.LookupAsync(test.Node, alice, App, Ct);

        Assert.NotSame(first, after);
    }

    private async Task<TestNode> ArrangeAsync()
    {
        var test = await template.CloneAsync(_clock);
        var node = test.Node;
        var op = Caller.LocalOperator;
        await IdentityService.AddAccountAsync(node, op, Alice, AccountKind.User, Ct);
        await IdentityService.AddAccountAsync(node, op, @"CORP\SAP Users", AccountKind.Group, Ct);
        await IdentityService.AddMemberAsync(node, op, @"CORP\SAP Users", Alice, Ct);
        await ApplicationService.CreateAsync(node, op, new ApplicationDefinition
        {
            Name = App,
            UserAccounts = [@"CORP\SAP Users"],
            Fields = [new FieldDefinition("User Id"), new FieldDefinition("Password", Masked: true)],
        }, Ct);
        await CredentialService.SetAsync(node, op, App, Alice, "ALICE01", ["old-password"], Ct);
        await ApplicationService.SetEnabledAsync(node, op, App, true, Ct);
        return test;
    }

    private static Task<Caller> AliceAsync(SsoNode node) => IdentityService.ResolveAsync(node.Database, Alice, Ct);
}
