using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Authentication;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SsoVault.Client;

/// <summary>
/// A client of the SSO server's /v1 API, with ENTSSO's names where ENTSSO has them (ISSOConfigStore.GetConfigInfo →
/// <see cref="GetConfigInfoAsync"/>). Every refusal is an <see cref="SsoVaultException"/> carrying the server's code,
/// status, detail and hint. Thread-safe; keep one per server.
/// </summary>
public sealed partial class SsoVaultClient : IDisposable
{
    private static readonly JsonSerializerOptions Json = CreateJsonOptions();
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <summary>Connects to <paramref name="server"/>, trusting only the certificate with this SHA-256 fingerprint when one is given.</summary>
    public SsoVaultClient(Uri server, string apiKey, string? serverCertificateSha256)
        : this(new HttpClient(CertificatePinning.CreateHandler(serverCertificateSha256)) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(100) }, apiKey)
    {
        _ownsHttp = true;
    }

    /// <summary>Uses an HttpClient the caller configured (its BaseAddress is the server); the client does not dispose it.</summary>
    public SsoVaultClient(HttpClient http, string apiKey)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        _http = http;
        ApiKey = apiKey.Trim();
    }

    private string ApiKey { get; }

    // ISSOConfigStore

    /// <summary>ISSOConfigStore.GetConfigInfo. With <paramref name="runtime"/> (SSO_FLAG_RUNTIME) masked properties are included.</summary>
    public Task<ConfigInfo> GetConfigInfoAsync(string application, string identifier, bool runtime = false, CancellationToken cancellationToken = default) =>
        SendAsync<ConfigInfo>(HttpMethod.Get, $"v1/config/{E(application)}/{E(identifier)}{(runtime ? "?runtime=true" : "")}", null, cancellationToken);

    /// <summary>ISSOConfigStore.SetConfigInfo: sets the given properties; the others keep their values. The application is created on first use.</summary>
    public Task<ConfigSetResult> SetConfigInfoAsync(string application, string identifier, IReadOnlyDictionary<string, string> properties,
        IEnumerable<string>? masked = null, CancellationToken cancellationToken = default) =>
        SendAsync<ConfigSetResult>(HttpMethod.Put, $"v1/config/{E(application)}/{E(identifier)}",
            new { properties, masked = masked?.ToList() ?? [] }, cancellationToken);

    /// <summary>ISSOConfigStore.DeleteConfigInfo: the whole record, or one property. Returns how many properties were deleted.</summary>
    public async Task<int> DeleteConfigInfoAsync(string application, string identifier, string? property = null, CancellationToken cancellationToken = default)
    {
        var query = property is null ? "" : $"?property={E(property)}";
        var result = await SendAsync<JsonElement>(HttpMethod.Delete, $"v1/config/{E(application)}/{E(identifier)}{query}", null, cancellationToken);
        return result.GetProperty("deleted").GetInt32();
    }

    /// <summary>Config store applications and their records (all the caller may read, or one application's).</summary>
    public Task<IReadOnlyList<ConfigApplicationListing>> ListConfigAsync(string? application = null, CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<ConfigApplicationListing>>(HttpMethod.Get, application is null ? "v1/config" : $"v1/config/{E(application)}", null, cancellationToken);

    // ISSOAdmin: global info and the master secret

    /// <summary>ssomanage -displaydb: the secret server, master secrets, database and nodes.</summary>
    public Task<SystemInfo> GetSystemInfoAsync(CancellationToken cancellationToken = default) =>
        SendAsync<SystemInfo>(HttpMethod.Get, "v1/system", null, cancellationToken);

    public Task<SecretStatus> GetSecretStatusAsync(CancellationToken cancellationToken = default) =>
        SendAsync<SecretStatus>(HttpMethod.Get, "v1/secret/status", null, cancellationToken);

    // Directory and API keys (ENTSSO relies on Active Directory for these)

    public Task<IReadOnlyList<AccountInfo>> ListAccountsAsync(CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<AccountInfo>>(HttpMethod.Get, "v1/accounts", null, cancellationToken);

    public Task<Account> AddAccountAsync(string name, AccountKind kind = AccountKind.User, CancellationToken cancellationToken = default) =>
        SendAsync<Account>(HttpMethod.Post, "v1/accounts", new { name, kind }, cancellationToken);

    public Task RemoveAccountAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync<JsonElement?>(HttpMethod.Delete, $"v1/accounts/{E(name)}", null, cancellationToken);

    public Task<AddMemberResult> AddGroupMemberAsync(string group, string member, CancellationToken cancellationToken = default) =>
        SendAsync<AddMemberResult>(HttpMethod.Post, $"v1/groups/{E(group)}/members", new { member }, cancellationToken);

    public Task<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync(string? account = null, CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<ApiKeyInfo>>(HttpMethod.Get, account is null ? "v1/apikeys" : $"v1/apikeys?account={E(account)}", null, cancellationToken);

    public Task<CreatedApiKey> CreateApiKeyAsync(string account, string? description = null, CancellationToken cancellationToken = default) =>
        SendAsync<CreatedApiKey>(HttpMethod.Post, "v1/apikeys", new { account, description }, cancellationToken);

    public Task RevokeApiKeyAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<JsonElement?>(HttpMethod.Delete, $"v1/apikeys/{E(id)}", null, cancellationToken);

    public Task<WhoAmI> WhoAmIAsync(CancellationToken cancellationToken = default) =>
        SendAsync<WhoAmI>(HttpMethod.Get, "v1/whoami", null, cancellationToken);

    // Health (no authentication)

    /// <summary>The readiness report; a server that is up but not ready returns its report too (503), not an exception.</summary>
    public async Task<ReadinessReport> GetReadinessAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendRawAsync(new HttpRequestMessage(HttpMethod.Get, "v1/health/ready"), cancellationToken);
        if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable)
        {
            return (await response.Content.ReadFromJsonAsync<ReadinessReport>(Json, cancellationToken))!;
        }

        throw await ProblemReader.ToExceptionAsync(response, cancellationToken);
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken) =>
        SendAsync<T>(method, path, body is null ? null : JsonContent.Create(body, body.GetType(), options: Json), cancellationToken);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        request.Content = content;

        using var response = await SendRawAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await ProblemReader.ToExceptionAsync(response, cancellationToken);
        }

        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return default!;
        }

        return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!;
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e) when (e.InnerException is AuthenticationException)
        {
            throw new SsoVaultException(SsoVaultException.ServerUnavailableCode, 0,
                $"The server at {_http.BaseAddress} presented a TLS certificate that does not match the pinned fingerprint.",
                "Check the fingerprint (the server prints it at start and writes it to tls/server.sha256 in its node folder).", null, e);
        }
        catch (HttpRequestException e)
        {
            throw new SsoVaultException(SsoVaultException.ServerUnavailableCode, 0, $"Cannot reach the SSO server at {_http.BaseAddress}: {e.Message}",
                "Check the address and that 'ssovault serve' runs there.", null, e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SsoVaultException(SsoVaultException.ServerUnavailableCode, 0, $"The SSO server at {_http.BaseAddress} did not answer in time.",
                "Check that the server is up and not overloaded.", null, e);
        }
    }

    private static string E(string value) => Uri.EscapeDataString(value);

    private static JsonSerializerOptions CreateJsonOptions()
    {
        // Members left null are omitted: the server then applies its defaults (and refuses null where a value is required).
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        return options;
    }
}
