using System.Net;
using System.Net.Http.Json;
using SsoVault.Client;
using SsoVault.Server.Tests.Infrastructure;

namespace SsoVault.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class DirectoryEndpointTests(ServerFixture server)
{
    [Fact]
    public async Task Accounts_AddGroupKeyRevoke_ThroughTheClient()
    {
        using var admin = new SsoVaultClient(server.NewHttpClient(), server.AdminKey);

        await admin.AddAccountAsync(@"CORP\bob");
        await admin.AddAccountAsync(@"CORP\ERP Users", AccountKind.Group);
        var added = await admin.AddGroupMemberAsync(@"CORP\ERP Users", @"CORP\bob");
        var key = await admin.CreateApiKeyAsync(@"CORP\bob", "bob's key");
        using var asBob = new SsoVaultClient(server.NewHttpClient(), key.Token);
        var bob = await asBob.WhoAmIAsync();
        await admin.RevokeApiKeyAsync(key.Id);
        var afterRevoke = await Assert.ThrowsAsync<SsoVaultException>(() => asBob.WhoAmIAsync());

        Assert.True(added.Added);
        Assert.Contains(@"CORP\ERP Users", bob.Memberships);
        Assert.Equal(SsoRole.None, bob.SystemRole);
        Assert.Equal("Unauthenticated", afterRevoke.Code);
        Assert.Equal(401, afterRevoke.Status);
        Assert.Contains((await admin.ListApiKeysAsync(@"CORP\bob")), k => k.Id == key.Id && k.RevokedUtc is not null);
    }

    [Fact]
    public async Task AccountRemove_WithEncodedBackslash_Removes()
    {
        using var add = await server.AsAdmin.PostAsJsonAsync("/v1/accounts", new { name = @"CORP\temp", kind = "user" });
        Assert.Equal(HttpStatusCode.Created, add.StatusCode);

        using var remove = await server.AsAdmin.DeleteAsync("/v1/accounts/CORP%5Ctemp");
        using var again = await server.AsAdmin.DeleteAsync("/v1/accounts/CORP%5Ctemp");

        Assert.Equal(HttpStatusCode.NoContent, remove.StatusCode);
        await Problems.AssertProblemAsync(again, HttpStatusCode.NotFound, "NotFound");
    }

    [Fact]
    public async Task AccountAdd_Duplicate_Is409()
    {
        using var response = await server.AsAdmin.PostAsJsonAsync("/v1/accounts", new { name = ServerFixture.NoRole });

        await Problems.AssertProblemAsync(response, HttpStatusCode.Conflict, "Conflict");
    }

    [Fact]
    public async Task Client_RefusalCarriesCodeStatusAndHint()
    {
        using var client = new SsoVaultClient(server.NewHttpClient(), server.NoRoleKey);

        var error = await Assert.ThrowsAsync<SsoVaultException>(() => client.GetSystemInfoAsync());

        Assert.Equal("AccessDenied", error.Code);
        Assert.Equal(403, error.Status);
        Assert.NotNull(error.Hint);
        Assert.Equal("https://ssovault.dev/errors/access-denied", error.Type);
    }

    [Fact]
    public async Task Client_ConfigRoundTrip()
    {
        using var client = new SsoVaultClient(server.NewHttpClient(), server.AdminKey);

        await client.SetConfigInfoAsync("ClientApp", "Props", new Dictionary<string, string> { ["user"] = "svc", ["secret"] = "s3cret" }, ["secret"]);
        var admin = await client.GetConfigInfoAsync("ClientApp", "Props");
        var runtime = await client.GetConfigInfoAsync("ClientApp", "Props", runtime: true);
        var deleted = await client.DeleteConfigInfoAsync("ClientApp", "Props");

        Assert.Null(admin.Properties.Single(p => p.Name == "secret").Value);
        Assert.Equal("s3cret", runtime.Properties.Single(p => p.Name == "secret").Value);
        Assert.Equal(2, deleted);
    }
}
