using System.Net;
using System.Net.Http.Json;
using SsoVault.Server.Tests.Infrastructure;

namespace SsoVault.Server.Tests;

/// <summary>Wrong role 403 with a code, unknown application or mapping 404, malformed JSON or XML 400 naming the member or line; nothing changes.</summary>
[Collection(ServerCollection.Name)]
public sealed class ApplicationRefusalTests(ServerFixture server)
{
    [Fact]
    public async Task Create_AsAccountWithoutRole_Is403AndNothingCreated()
    {
        var app = "Rogue" + Guid.NewGuid().ToString("N")[..8];
        var auditBefore = await server.AuditCountAsync();

        using var json = await server.AsNoRole.PostAsJsonAsync("/v1/apps", new { name = app, fields = new[] { new { label = "User" } } });
        using var xml = await server.AsNoRole.PostAsync("/v1/apps", EntssoFiles.Xml(EntssoFiles.Application(app, @"CORP\alice", @"CORP\alice")));
        using var global = await server.AsNoRole.PostAsync("/v1/system/global-info", EntssoFiles.Xml("<sso><globalInfo><ticketTimeout>9</ticketTimeout></globalInfo></sso>"));

        var problem = await Problems.AssertProblemAsync(json, HttpStatusCode.Forbidden, "AccessDenied");
        Assert.Contains("SSO Affiliate Administrators", problem.GetProperty("detail").GetString());
        await Problems.AssertProblemAsync(xml, HttpStatusCode.Forbidden, "AccessDenied");
        await Problems.AssertProblemAsync(global, HttpStatusCode.Forbidden, "AccessDenied");
        Assert.Equal(auditBefore, await server.AuditCountAsync());
        using var missing = await server.AsAdmin.GetAsync($"/v1/apps/{app}");
        await Problems.AssertProblemAsync(missing, HttpStatusCode.NotFound, "NotFound");
    }

    [Theory]
    [InlineData("GET", "/v1/apps/NoSuchApp")]
    [InlineData("PATCH", "/v1/apps/NoSuchApp")]
    [InlineData("DELETE", "/v1/apps/NoSuchApp")]
    [InlineData("POST", "/v1/apps/NoSuchApp/enable")]
    [InlineData("GET", "/v1/apps/NoSuchApp/credentials")]
    [InlineData("DELETE", "/v1/apps/NoSuchApp/mappings/CORP%5Cnobody")]
    public async Task UnknownApplication_Is404(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "PATCH")
        {
            request.Content = EntssoFiles.Json("""{"description":"x"}""");
        }

        using var response = await server.AsAdmin.SendAsync(request);

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "NotFound");
    }

    [Fact]
    public async Task UnknownMapping_Is404AndNothingChanged()
    {
        var app = "Known" + Guid.NewGuid().ToString("N")[..8];
        (await server.AsAdmin.PostAsJsonAsync("/v1/apps", new { name = app, fields = new[] { new { label = "User" }, new { label = "Password" } } })).EnsureSuccessStatusCode();
        var auditBefore = await server.AuditCountAsync();

        using var deleted = await server.AsAdmin.DeleteAsync($"/v1/apps/{app}/mappings/{Uri.EscapeDataString(@"CORP\nobody")}");
        using var enabled = await server.AsAdmin.PostAsync($"/v1/apps/{app}/mappings/{Uri.EscapeDataString(@"CORP\nobody")}/enable", null);

        await Problems.AssertProblemAsync(deleted, HttpStatusCode.NotFound, "NotFound");
        await Problems.AssertProblemAsync(enabled, HttpStatusCode.NotFound, "NotFound");
        Assert.Equal(auditBefore, await server.AuditCountAsync());
    }

    [Theory]
    [InlineData("/v1/apps", """{"name": 5}""", "$.name")]
    [InlineData("/v1/apps", """{"name": "A", "nmae": "B"}""", "nmae")]
    [InlineData("/v1/apps", """{"name": "A",""", "line 1")]
    [InlineData("/v1/apps/Any/credentials", """{"user": "CORP\\x"}""", "credentials")]
    [InlineData("/v1/apps/Any/tickets/redeem", """{"sender": "CORP\\x"}""", "ticket")]
    [InlineData("/v1/system/tickets", """{"allowed": "perhaps"}""", "$.allowed")]
    public async Task MalformedJson_Is400NamingTheMember(string path, string body, string named)
    {
        var method = path.EndsWith("credentials", StringComparison.Ordinal) || path.EndsWith("tickets", StringComparison.Ordinal) ? HttpMethod.Put : HttpMethod.Post;
        using var request = new HttpRequestMessage(method, path) { Content = EntssoFiles.Json(body) };

        using var response = await server.AsAdmin.SendAsync(request);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "InvalidInput");
        Assert.Contains(named, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/apps", "<sso>\n<application name=\"A\">", "line 2")]
    [InlineData("/v1/apps", "<sso>\n  <application name=\"A\">\n    <field ordinal=\"0\" label=\"U\"/>\n    <flags enableApp=\"maybe\"/>\n  </application>\n</sso>", "line 4")]
    [InlineData("/v1/mappings/import", "<sso><mapping><windowsDomain>CORP</windowsDomain></mapping></sso>", "windowsUserId")]
    [InlineData("/v1/mappings/import", "<sso>\n<mapping><windowsDomain>CORP</windowsDomain><windowsUserId>x</windowsUserId>" +
                                       "<externalApplication>NoSuchApp</externalApplication><externalUserId>X</externalUserId></mapping></sso>", "line 2")]
    [InlineData("/v1/system/global-info", "<sso><globalInfo><ticketTimeout>soon</ticketTimeout></globalInfo></sso>", "ticketTimeout")]
    [InlineData("/v1/apps", "<!DOCTYPE sso [<!ENTITY x \"y\">]><sso/>", "DTD")]
    public async Task MalformedXml_Is4xxNamingTheLineOrElement(string path, string body, string named)
    {
        var auditBefore = await server.AuditCountAsync();

        using var response = await server.AsAdmin.PostAsync(path, EntssoFiles.Xml(body));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, text);
        Assert.Contains(named, text, StringComparison.Ordinal);
        Assert.Contains("the request body", text, StringComparison.Ordinal);
        Assert.Equal(auditBefore, await server.AuditCountAsync());
    }

    [Fact]
    public async Task WrongContentType_Is415WithCode()
    {
        using var response = await server.AsAdmin.PostAsync("/v1/mappings/import", EntssoFiles.Json("{}"));

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "InvalidInput");
        Assert.Contains("Content-Type", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
