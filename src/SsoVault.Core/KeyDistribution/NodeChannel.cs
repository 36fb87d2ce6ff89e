using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text.Json;
using SsoVault.Core.Errors;
using SsoVault.Core.Storage;

namespace SsoVault.Core.KeyDistribution;

/// <summary>
/// HTTPS from one node to another: the peer's address and certificate fingerprint come from its row in the database,
/// and only that certificate is accepted (nodes use self-signed certificates, so the fingerprint is the whole trust
/// decision). Refusals come back as RFC 7807 problems and become <see cref="SsoException"/>s with the peer's code.
/// </summary>
public static class NodeChannel
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<TResponse> PostAsync<TRequest, TResponse>(NodeRecord peer, string role, string path, TRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (peer.Address is null || peer.CertificateSha256 is null)
        {
            throw new SsoException(SsoErrorCode.ServerUnavailable,
                $"The {role} '{peer.Name}' has not published its address: its server has never started.",
                $"Start 'ssovault serve' on '{peer.Name}'.");
        }

        using var client = CreateClient(peer.CertificateSha256);
        var url = new Uri(new Uri(peer.Address), path);
        HttpResponseMessage response;
        try
        {
            response = await client.PostAsJsonAsync(url, request, Json, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new SsoException(SsoErrorCode.ServerUnavailable,
                $"The {role} '{peer.Name}' at {peer.Address} cannot be reached ({Reason(e)}).",
                $"Check that 'ssovault serve' runs on '{peer.Name}' and that this machine reaches {peer.Address}.", e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await ProblemAsync(response, peer, role, cancellationToken);
            }

            return await response.Content.ReadFromJsonAsync<TResponse>(Json, cancellationToken) ?? throw new SsoException(
                SsoErrorCode.ServerUnavailable, $"The {role} '{peer.Name}' sent an empty answer.", "Check that it runs the same SsoVault version.");
        }
    }

    private static HttpClient CreateClient(string fingerprint)
    {
        var pinned = Convert.FromHexString(fingerprint);
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(certificate.GetRawCertData()), pinned),
            },
        };
        return new HttpClient(handler) { Timeout = Timeout };
    }

    private static string Reason(Exception e) => e switch
    {
        TaskCanceledException => $"no answer within {Timeout.TotalSeconds:F0} s",
        HttpRequestException { InnerException: AuthenticationException } => "its certificate does not match the fingerprint the database records",
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "connection refused",
        _ => e.Message,
    };

    private static async Task<SsoException> ProblemAsync(HttpResponseMessage response, NodeRecord peer, string role, CancellationToken cancellationToken)
    {
        var code = SsoErrorCode.ServerUnavailable;
        string? detail = null;
        string? hint = null;
        try
        {
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var root = document.RootElement;
            if (root.TryGetProperty("code", out var c) && Enum.TryParse<SsoErrorCode>(c.GetString(), out var parsed))
            {
                code = parsed;
            }

            detail = root.TryGetProperty("detail", out var d) ? d.GetString() : null;
            hint = root.TryGetProperty("hint", out var h) ? h.GetString() : null;
        }
        catch (JsonException)
        {
            // Not a problem body (a proxy's page): the status says enough.
        }

        return new SsoException(code, $"The {role} '{peer.Name}' refused: {detail ?? $"HTTP {(int)response.StatusCode}"}",
            hint ?? $"See the log of '{peer.Name}'.");
    }
}
