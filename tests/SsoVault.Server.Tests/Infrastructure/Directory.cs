using System.Net.Http.Json;
using System.Text.Json;

namespace SsoVault.Server.Tests.Infrastructure;

/// <summary>Accounts, groups and API keys made over HTTP as the SSO administrator, with names unique to one test.</summary>
public sealed class TestDirectory(ServerFixture server)
{
    public string Suffix { get; } = Guid.NewGuid().ToString("N")[..8];

    public string Name(string name) => $@"CORP\{name}{Suffix}";

    public async Task GroupAsync(string group, params string[] members)
    {
        (await server.AsAdmin.PostAsJsonAsync("/v1/accounts", new { name = group, kind = "group" })).EnsureSuccessStatusCode();
        foreach (var member in members)
        {
            (await server.AsAdmin.PostAsync($"/v1/groups/{Uri.EscapeDataString(group)}/members/{Uri.EscapeDataString(member)}", null)).EnsureSuccessStatusCode();
        }
    }

    /// <summary>A user and an HttpClient that authenticates as it.</summary>
    public async Task<HttpClient> UserAsync(string user)
    {
        (await server.AsAdmin.PostAsJsonAsync("/v1/accounts", new { name = user })).EnsureSuccessStatusCode();
        using var key = await server.AsAdmin.PostAsJsonAsync("/v1/apikeys", new { account = user });
        key.EnsureSuccessStatusCode();
        var token = (await key.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        return server.ClientWithKey(token);
    }
}
