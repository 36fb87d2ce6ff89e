using System.Net;
using SsoVault.Server.Tests.Infrastructure;

namespace SsoVault.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class AuthenticationTests(ServerFixture server)
{
    [Fact]
    public async Task Request_WithoutKey_Is401WithChallenge()
    {
        using var response = await server.Anonymous.GetAsync("/v1/whoami");

        await Problems.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "Unauthenticated");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("not-a-key")]
    [InlineData("ssv1_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Request_WithBadKey_Is401(string key)
    {
        using var client = server.ClientWithKey(key);

        using var response = await client.GetAsync("/v1/whoami");

        await Problems.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "Unauthenticated");
    }

    [Fact]
    public async Task Request_WithRevokedKey_Is401()
    {
        using var client = server.ClientWithKey(server.RevokedKey);

        using var response = await client.GetAsync("/v1/whoami");

        await Problems.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "Unauthenticated");
    }

    [Fact]
    public async Task Request_WithXApiKeyHeader_IsAuthenticated()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/whoami");
        request.Headers.Add("X-Api-Key", server.AdminKey);

        using var response = await server.Anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains(@"CORP\\admin", body);
        Assert.Contains("\"systemRole\":\"ssoAdministrator\"", body);
    }

    [Fact]
    public async Task Health_NeedsNoKey()
    {
        using var live = await server.Anonymous.GetAsync("/v1/health/live");
        using var ready = await server.Anonymous.GetAsync("/v1/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("\"status\":\"ready\"", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ready_OnNodeWithoutSecret_Is503SayingWhatItWaitsFor()
    {
        using var response = await server.JoinedNode.GetAsync("/v1/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"waitingFor\":[\"keyRing\"]", body);
        Assert.Contains("SecretUnavailable", body);
    }

    [Fact]
    public async Task OpenApiDocument_IsServed()
    {
        using var response = await server.Anonymous.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("/v1/config/{app}/{identifier}", body);
        Assert.Contains("/v1/health/ready", body);
        Assert.Contains("/v1/apps/{app}/credentials", body);
        Assert.Contains("/v1/apps/{app}/tickets/redeem", body);
        Assert.Contains("/v1/mappings/import", body);
        Assert.Contains("/v1/system/global-info", body);
        Assert.Contains("application/xml", body);
    }
}
