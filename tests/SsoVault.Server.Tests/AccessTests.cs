using System.Net;
using System.Net.Http.Json;
using SsoVault.Server.Tests.Infrastructure;

namespace SsoVault.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class AccessTests(ServerFixture server)
{
    [Theory]
    [InlineData("/v1/system")]
    [InlineData("/v1/secret/status")]
    public async Task GlobalInfo_AsAccountWithoutRole_Is403WithCode(string path)
    {
        using var response = await server.AsNoRole.GetAsync(path);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.Forbidden, "AccessDenied");
        Assert.Equal("https://ssovault.dev/errors/access-denied", problem.GetProperty("type").GetString());
        Assert.Contains("SSO Administrators", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task GlobalInfo_AsSsoAdministrator_IsReturned()
    {
        using var response = await server.AsAdmin.GetAsync("/v1/system");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"secretServer\":\"node1\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ConfigWrite_AsAccountWithoutRole_Is403AndChangesNothing()
    {
        using (var setup = await server.AsAdmin.PutAsJsonAsync("/v1/config/AccessApp/Settings", new { properties = new { endpoint = "https://a" } }))
        {
            Assert.Equal(HttpStatusCode.OK, setup.StatusCode);
        }

        var auditBefore = await server.AuditCountAsync();

        using var refusedUpdate = await server.AsNoRole.PutAsJsonAsync("/v1/config/AccessApp/Settings", new { properties = new { endpoint = "https://evil" } });
        using var refusedCreate = await server.AsNoRole.PutAsJsonAsync("/v1/config/NewApp/Settings", new { properties = new { endpoint = "https://evil" } });
        using var refusedDelete = await server.AsNoRole.DeleteAsync("/v1/config/AccessApp/Settings");

        await Problems.AssertProblemAsync(refusedUpdate, HttpStatusCode.Forbidden, "AccessDenied");
        await Problems.AssertProblemAsync(refusedCreate, HttpStatusCode.Forbidden, "AccessDenied");
        await Problems.AssertProblemAsync(refusedDelete, HttpStatusCode.Forbidden, "AccessDenied");
        Assert.Equal(auditBefore, await server.AuditCountAsync());
        var record = await server.AsAdmin.GetStringAsync("/v1/config/AccessApp/Settings");
        Assert.Contains("https://a", record);
        Assert.DoesNotContain("evil", record);
        using var missing = await server.AsAdmin.GetAsync("/v1/config/NewApp/Settings");
        await Problems.AssertProblemAsync(missing, HttpStatusCode.NotFound, "NotFound");
    }

    [Fact]
    public async Task AccountAdd_AsAccountWithoutRole_Is403()
    {
        using var response = await server.AsNoRole.PostAsJsonAsync("/v1/accounts", new { name = @"CORP\mallory" });

        await Problems.AssertProblemAsync(response, HttpStatusCode.Forbidden, "AccessDenied");
        var accounts = await server.AsAdmin.GetStringAsync("/v1/accounts");
        Assert.DoesNotContain("mallory", accounts);
    }
}
