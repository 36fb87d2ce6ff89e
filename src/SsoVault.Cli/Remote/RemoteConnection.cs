using System.Text;
using SsoVault.Client;
using SsoVault.Core.Errors;
using SsoVault.Core.IO;
using SsoVault.Core.Nodes;
using SsoVault.Server.Hosting;

namespace SsoVault.Cli.Remote;

/// <summary>
/// The CLI's remote mode (--server URL): the API key from --api-key-file or SSOVAULT_API_KEY, and the server certificate
/// pinned by --server-fingerprint, SSOVAULT_SERVER_FINGERPRINT, or the fingerprint a server on this machine wrote to
/// its node folder (tls/server.sha256). Without any, the platform's certificate validation applies.
/// </summary>
internal static class RemoteConnection
{
    public const string ApiKeyVariable = "SSOVAULT_API_KEY";
    public const string FingerprintVariable = "SSOVAULT_SERVER_FINGERPRINT";

    public static SsoVaultClient Open(string server, string? apiKeyFile, string? fingerprint, NodeHome home)
    {
        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new SsoException(SsoErrorCode.InvalidInput, $"--server '{server}' is not an http(s) URL.", "Example: --server https://127.0.0.1:5443");
        }

        var key = ReadApiKey(apiKeyFile);
        fingerprint ??= Environment.GetEnvironmentVariable(FingerprintVariable);
        var pinFile = NodeCertificate.FingerprintPath(home);
        if (fingerprint is null && File.Exists(pinFile))
        {
            fingerprint = File.ReadAllText(pinFile).Trim();
        }

        try
        {
            var baseAddress = new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
            return new SsoVaultClient(baseAddress, key, string.IsNullOrWhiteSpace(fingerprint) ? null : fingerprint);
        }
        catch (ArgumentException e)
        {
            throw new SsoException(SsoErrorCode.InvalidInput, $"The server fingerprint is not valid: {e.Message}",
                "Give the 64 hex digits 'ssovault serve' printed (colons allowed).");
        }
    }

    private static string ReadApiKey(string? file)
    {
        string? key;
        if (file is not null)
        {
            key = Encoding.UTF8.GetString(AtomicFile.ReadBounded(file, 4096, "API key file")).Split('\n')[0].Trim();
        }
        else
        {
            key = Environment.GetEnvironmentVariable(ApiKeyVariable)?.Trim();
        }

        return string.IsNullOrEmpty(key)
            ? throw new SsoException(SsoErrorCode.Unauthenticated, "--server needs an API key.",
                $"Give --api-key-file FILE or set {ApiKeyVariable}; an SSO administrator creates keys with 'ssovault apikey create ACCOUNT'.")
            : key;
    }

    /// <summary>A server's refusal becomes the same error (code, message, hint, exit code) as a local refusal.</summary>
    public static SsoException ToSsoException(SsoVaultException e) =>
        new(Enum.TryParse<SsoErrorCode>(e.Code, ignoreCase: false, out var code) && Enum.IsDefined(code) ? code : SsoErrorCode.ServerUnavailable,
            e.Message, e.Hint);
}
