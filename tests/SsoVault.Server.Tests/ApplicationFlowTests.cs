using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SsoVault.Server.Tests.Infrastructure;

namespace SsoVault.Server.Tests;

/// <summary>
/// ENTSSO's daily work over HTTP: ENTSSO files imported, credentials set and looked up as the user, a ticket issued as
/// the user and redeemed by an application administrator (redeem-only refused where validation is required).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ApplicationFlowTests(ServerFixture server)
{
    [Fact]
    public async Task ImportSetLookupTicket_OverHttp_WorksEndToEnd()
    {
        var directory = new TestDirectory(server);
        var app = "SAP" + directory.Suffix;
        string alice = directory.Name("alice"), carol = directory.Name("carol");
        using var asAlice = await directory.UserAsync(alice);
        using var asCarol = await directory.UserAsync(carol);
        await directory.GroupAsync(directory.Name("SapUsers"), alice);
        await directory.GroupAsync(directory.Name("SapAdmins"), carol);

        using var imported = await server.AsAdmin.PostAsync("/v1/apps",
            EntssoFiles.Xml(EntssoFiles.Application(app, directory.Name("SapUsers"), directory.Name("SapAdmins"))));
        using var mapped = await server.AsAdmin.PostAsync("/v1/mappings/import", EntssoFiles.Xml(EntssoFiles.Mapping("CORP", "alice" + directory.Suffix, app, "ALICE01")));
        using var enabled = await server.AsAdmin.PostAsync($"/v1/apps/{app}/enable", null);
        using var set = await asAlice.PutAsJsonAsync($"/v1/apps/{app}/credentials", new { credentials = new[] { "alice-sap-password" } });
        using var lookup = await asAlice.GetAsync($"/v1/apps/{app}/credentials?refresh=true");
        using var policy = await server.AsAdmin.PutAsJsonAsync("/v1/system/tickets", new { allowed = true });
        using var issued = await asAlice.PostAsync("/v1/tickets", null);
        var ticket = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticket").GetString();
        using var redeemOnly = await asCarol.PostAsJsonAsync($"/v1/apps/{app}/tickets/redeem", new { ticket });
        using var redeemed = await asCarol.PostAsJsonAsync($"/v1/apps/{app}/tickets/redeem", new { ticket, sender = alice.ToUpperInvariant() });
        using var byAlice = await asAlice.PostAsJsonAsync($"/v1/apps/{app}/tickets/redeem", new { ticket, sender = alice });

        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        Assert.Equal(HttpStatusCode.OK, mapped.StatusCode);
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(HttpStatusCode.OK, policy.StatusCode);
        Assert.Equal(HttpStatusCode.OK, lookup.StatusCode);
        Assert.Equal("no-store", lookup.Headers.CacheControl?.ToString());
        var credentials = await lookup.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ALICE01", credentials.GetProperty("externalUser").GetString());
        Assert.Equal("alice-sap-password", credentials.GetProperty("credentials")[0].GetString());
        await Problems.AssertProblemAsync(redeemOnly, HttpStatusCode.BadRequest, "InvalidTicket");
        Assert.Equal(HttpStatusCode.OK, redeemed.StatusCode);
        Assert.Equal("alice-sap-password", (await redeemed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("credentials")[0].GetString());
        await Problems.AssertProblemAsync(byAlice, HttpStatusCode.Forbidden, "AccessDenied");
    }

    [Fact]
    public async Task CreateFromJson_FieldsMappingsAndToggles_Work()
    {
        var directory = new TestDirectory(server);
        var app = "Erp" + directory.Suffix;
        var bob = directory.Name("bob");
        using var asBob = await directory.UserAsync(bob);

        using var created = await server.AsAdmin.PostAsJsonAsync("/v1/apps", new
        {
            name = app,
            type = "individual",
            description = "ERP",
            userAccounts = new[] { bob },
            fields = new object[] { new { label = "User" } },
        });
        using var field = await server.AsAdmin.PostAsJsonAsync($"/v1/apps/{app}/fields", new { label = "Password", masked = true });
        using var patched = await server.AsAdmin.PatchAsJsonAsync($"/v1/apps/{app}", new { description = "ERP, patched" });
        using var mapping = await server.AsAdmin.PostAsJsonAsync($"/v1/apps/{app}/mappings", new { account = bob, externalUser = "BOB7" });
        using var enabledMapping = await server.AsAdmin.PostAsync($"/v1/apps/{app}/mappings/{Uri.EscapeDataString(bob)}/enable", null);
        var ownList = await asBob.GetFromJsonAsync<JsonElement>($"/v1/mappings?app={app}");
        using var ownDisable = await asBob.PostAsync($"/v1/apps/{app}/mappings/disable", null);
        var shown = await server.AsAdmin.GetFromJsonAsync<JsonElement>($"/v1/apps/{app}");
        var listed = await asBob.GetFromJsonAsync<JsonElement>("/v1/apps");
        using var deletedMapping = await server.AsAdmin.DeleteAsync($"/v1/apps/{app}/mappings/{Uri.EscapeDataString(bob)}");
        using var deleted = await server.AsAdmin.DeleteAsync($"/v1/apps/{app}");
        using var gone = await server.AsAdmin.GetAsync($"/v1/apps/{app}");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/v1/apps/{app}", created.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, field.StatusCode);
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal(HttpStatusCode.Created, mapping.StatusCode);
        Assert.True((await enabledMapping.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enabled").GetBoolean());
        Assert.Equal("BOB7", ownList[0].GetProperty("externalUser").GetString());
        Assert.False((await ownDisable.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enabled").GetBoolean());
        Assert.Equal("ERP, patched", shown.GetProperty("description").GetString());
        Assert.Equal(2, shown.GetProperty("fields").GetArrayLength());
        Assert.Contains(listed.EnumerateArray(), a => a.GetProperty("name").GetString() == app);
        Assert.Equal(HttpStatusCode.OK, deletedMapping.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await Problems.AssertProblemAsync(gone, HttpStatusCode.NotFound, "NotFound");
    }

    [Fact]
    public async Task GlobalInfo_ReadToggleAndUpdateFile_Work()
    {
        var before = await server.AsAdmin.GetFromJsonAsync<JsonElement>("/v1/system/global-info");
        using var updated = await server.AsAdmin.PostAsync("/v1/system/global-info",
            EntssoFiles.Xml("<SSO><globalInfo><credCacheTimeout>45</credCacheTimeout></globalInfo></SSO>"));
        using var disabled = await server.AsAdmin.PostAsync("/v1/system/disable", null);
        using var enabled = await server.AsAdmin.PostAsync("/v1/system/enable", null);
        using var refused = await server.AsNoRole.PostAsync("/v1/system/disable", null);

        Assert.Equal("node1", before.GetProperty("secretServer").GetString());
        var result = await updated.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(45, result.GetProperty("globalInfo").GetProperty("settings").GetProperty("credentialCacheTimeoutMinutes").GetInt32());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("move").ValueKind);
        Assert.False((await disabled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("settings").GetProperty("ssoEnabled").GetBoolean());
        Assert.True((await enabled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("settings").GetProperty("ssoEnabled").GetBoolean());
        await Problems.AssertProblemAsync(refused, HttpStatusCode.Forbidden, "AccessDenied");
    }
}
