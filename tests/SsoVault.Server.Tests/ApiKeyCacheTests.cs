using System.Net;
using SsoVault.Client;
using SsoVault.Core.Identity;
using SsoVault.Server.Tests.Infrastructure;

namespace SsoVault.Server.Tests;

/// <summary>
/// The server's cache of authenticated API keys: warm, it must still see every revocation, account removal and
/// membership change on the very next request — made through this server, another node's server, or the CLI on a node
/// (another process on the same database) — and must still refuse a wrong secret.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ApiKeyCacheTests(ServerFixture server)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Request_KeyRevokedThroughAnotherNodeWhileCached_NextRequestIs401()
    {
        var (id, token) = await NewUserWithKeyAsync(@"CORP\cache-revoke");
        using var client = server.ClientWithKey(token);
        using var warm = await client.GetAsync("/v1/whoami");
        Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        Assert.True((await server.ServerNodeAsync()).ApiKeys.Contains(id));

        using var otherNode = server.JoinedNodeWithKey(server.AdminKey);
        using var revoke = await otherNode.DeleteAsync($"/v1/apikeys/{id}");
        Assert.True(revoke.IsSuccessStatusCode, $"revoke through the other node: {revoke.StatusCode}");
        using var next = await client.GetAsync("/v1/whoami");

        await Problems.AssertProblemAsync(next, HttpStatusCode.Unauthorized, "Unauthenticated");
    }

    [Fact]
    public async Task Request_KeyRevokedByTheCliWhileCached_NextRequestIs401()
    {
        var (id, token) = await NewUserWithKeyAsync(@"CORP\cache-revoke-cli");
        using var client = server.ClientWithKey(token);
        using var warm = await client.GetAsync("/v1/whoami");
        Assert.Equal(HttpStatusCode.OK, warm.StatusCode);

        await using (var node = await server.OpenNodeAsync())
        {
            await IdentityService.RevokeApiKeyAsync(node, Caller.LocalOperator, id, Ct);
        }

        using var next = await client.GetAsync("/v1/whoami");

        await Problems.AssertProblemAsync(next, HttpStatusCode.Unauthorized, "Unauthenticated");
    }

    [Fact]
    public async Task Request_AccountRemovedWhileCached_NextRequestIs401()
    {
        var (_, token) = await NewUserWithKeyAsync(@"CORP\cache-removed");
        using var client = server.ClientWithKey(token);
        using var warm = await client.GetAsync("/v1/whoami");
        Assert.Equal(HttpStatusCode.OK, warm.StatusCode);

        await using (var node = await server.OpenNodeAsync())
        {
            await IdentityService.RemoveAccountAsync(node, Caller.LocalOperator, @"CORP\cache-removed", Ct);
        }

        using var next = await client.GetAsync("/v1/whoami");

        await Problems.AssertProblemAsync(next, HttpStatusCode.Unauthorized, "Unauthenticated");
    }

    [Fact]
    public async Task Request_MembershipRemovedWhileCached_NextRequestHasNoneOfItsRights()
    {
        const string User = @"CORP\cache-member";
        var (id, token) = await NewUserWithKeyAsync(User);
        await using (var node = await server.OpenNodeAsync())
        {
            await IdentityService.AddMemberAsync(node, Caller.LocalOperator, @"SSO\SSO Administrators", User, Ct);
        }

        using var asUser = new SsoVaultClient(server.NewHttpClient(), token);
        using var http = server.ClientWithKey(token);
        var before = await asUser.WhoAmIAsync();
        using var listBefore = await http.GetAsync("/v1/accounts");
        Assert.True((await server.ServerNodeAsync()).ApiKeys.Contains(id));

        await using (var node = await server.OpenNodeAsync())
        {
            await IdentityService.RemoveMemberAsync(node, Caller.LocalOperator, @"SSO\SSO Administrators", User, Ct);
        }

        var after = await asUser.WhoAmIAsync();
        using var listAfter = await http.GetAsync("/v1/accounts");

        Assert.Equal(SsoRole.SsoAdministrator, before.SystemRole);
        Assert.Contains(@"SSO\SSO Administrators", before.Memberships);
        Assert.Equal(HttpStatusCode.OK, listBefore.StatusCode);
        Assert.Equal(SsoRole.None, after.SystemRole);
        Assert.DoesNotContain(@"SSO\SSO Administrators", after.Memberships);
        await Problems.AssertProblemAsync(listAfter, HttpStatusCode.Forbidden, "AccessDenied");
    }

    [Fact]
    public async Task Request_WrongSecretForACachedKeyId_Is401AndTheRightKeyStillWorks()
    {
        var (id, token) = await NewUserWithKeyAsync(@"CORP\cache-wrong");
        using var client = server.ClientWithKey(token);
        using var warm = await client.GetAsync("/v1/whoami");
        Assert.True((await server.ServerNodeAsync()).ApiKeys.Contains(id));
        // Same public id, another well-formed 32-byte secret.
        var wrongToken = $"ssv1_{id}_{System.Buffers.Text.Base64Url.EncodeToString(new byte[32])}";
        Assert.NotEqual(token, wrongToken);

        using var wrong = server.ClientWithKey(wrongToken);
        using var refused = await wrong.GetAsync("/v1/whoami");
        using var again = await client.GetAsync("/v1/whoami");

        Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        await Problems.AssertProblemAsync(refused, HttpStatusCode.Unauthorized, "Unauthenticated");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    private async Task<(string Id, string Token)> NewUserWithKeyAsync(string account)
    {
        await using var node = await server.OpenNodeAsync();
        await IdentityService.AddAccountAsync(node, Caller.LocalOperator, account, Core.Storage.AccountKind.User, Ct);
        var key = await IdentityService.CreateApiKeyAsync(node, Caller.LocalOperator, account, "cache test", Ct);
        return (key.Id, key.Token);
    }
}
