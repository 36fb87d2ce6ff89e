using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SsoVault.Server.Tests.Infrastructure;

namespace SsoVault.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class ConfigEndpointTests(ServerFixture server)
{
    [Fact]
    public async Task Config_RoundTrip_MaskedValuesOnlyInRuntimeRead()
    {
        using var set = await server.AsAdmin.PutAsJsonAsync("/v1/config/ErpAdapter/ConfigProperties",
            new { properties = new Dictionary<string, string> { ["endpoint"] = "https://erp", ["password"] = "erp-Pa55" }, masked = new[] { "password" } });
        Assert.True(set.StatusCode == HttpStatusCode.OK, await set.Content.ReadAsStringAsync());
        var result = JsonDocument.Parse(await set.Content.ReadAsStringAsync()).RootElement;
        Assert.True(result.GetProperty("applicationCreated").GetBoolean());
        Assert.Equal(2, result.GetProperty("propertiesTotal").GetInt32());

        using var patch = await server.AsAdmin.PatchAsJsonAsync("/v1/config/ErpAdapter/ConfigProperties",
            new { properties = new Dictionary<string, string> { ["timeout"] = "30" } });
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);

        var admin = await server.AsAdmin.GetStringAsync("/v1/config/ErpAdapter/ConfigProperties");
        var runtime = await server.AsAdmin.GetStringAsync("/v1/config/ErpAdapter/ConfigProperties?runtime=true");

        Assert.DoesNotContain("erp-Pa55", admin);
        Assert.Contains("https://erp", admin);
        Assert.Contains("\"timeout\"", admin);
        Assert.Contains("erp-Pa55", runtime);
        var list = await server.AsAdmin.GetStringAsync("/v1/config");
        Assert.Contains("ErpAdapter", list);

        using var deleted = await server.AsAdmin.DeleteAsync("/v1/config/ErpAdapter/ConfigProperties?property=timeout");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.DoesNotContain("\"timeout\"", await server.AsAdmin.GetStringAsync("/v1/config/ErpAdapter/ConfigProperties"));
    }

    [Theory]
    [InlineData("/v1/config/NoSuchApp/ConfigProperties")]
    [InlineData("/v1/config/NoSuchApp")]
    public async Task Config_UnknownApplication_Is404(string path)
    {
        using var response = await server.AsAdmin.GetAsync(path);

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "NotFound");
    }

    [Fact]
    public async Task Config_UnknownRecord_Is404()
    {
        using var set = await server.AsAdmin.PutAsJsonAsync("/v1/config/KnownApp/One", new { properties = new { a = "1" } });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);

        using var get = await server.AsAdmin.GetAsync("/v1/config/KnownApp/Two");
        using var delete = await server.AsAdmin.DeleteAsync("/v1/config/KnownApp/Two");

        await Problems.AssertProblemAsync(get, HttpStatusCode.NotFound, "NotFound");
        await Problems.AssertProblemAsync(delete, HttpStatusCode.NotFound, "NotFound");
    }

    [Fact]
    public async Task Config_MalformedJson_Is400NamingThePosition()
    {
        using var content = new StringContent("{\"properties\": {\"a\": }", Encoding.UTF8, "application/json");

        using var response = await server.AsAdmin.PutAsync("/v1/config/BadJsonApp/Settings", content);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "InvalidInput");
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("$.properties.a", detail);
        Assert.Contains("line 1", detail);
        using var unchanged = await server.AsAdmin.GetAsync("/v1/config/BadJsonApp");
        Assert.Equal(HttpStatusCode.NotFound, unchanged.StatusCode);
    }

    [Fact]
    public async Task Config_WrongValueType_Is400NamingTheField()
    {
        using var response = await server.AsAdmin.PutAsJsonAsync("/v1/config/BadJsonApp/Settings", new { properties = new { a = 5 } });

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "InvalidInput");
        Assert.Contains("$.properties.a", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Config_MissingRequiredField_Is400NamingIt()
    {
        using var response = await server.AsAdmin.PutAsJsonAsync("/v1/config/BadJsonApp/Settings", new { masked = new[] { "a" } });

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "InvalidInput");
        Assert.Contains("properties", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task UnknownRoute_Is404Problem()
    {
        using var response = await server.AsAdmin.GetAsync("/v1/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
