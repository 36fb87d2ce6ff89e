using System.Security.Cryptography.X509Certificates;

namespace SsoVault.Server.Hosting;

/// <summary>How <c>ssovault serve</c> listens.</summary>
public sealed class SsoVaultServerOptions
{
    public const string DefaultUrl = "https://127.0.0.1:5443";

    /// <summary>Addresses to listen on, e.g. https://127.0.0.1:5443 (port 0 picks a free one). Hosts must be IP addresses or localhost.</summary>
    public IReadOnlyList<string> Urls { get; init; } = [DefaultUrl];

    /// <summary>The TLS certificate; null for the node's own self-signed one (made when missing).</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Allows http:// addresses (behind TLS termination, tests, benchmarks). Off unless asked for.</summary>
    public bool AllowHttp { get; init; }

    /// <summary>Background key maintenance: re-encryption and data-key rotation policy.</summary>
    public KeyMaintenanceOptions KeyMaintenance { get; init; } = new();

    /// <summary>How often the server reads the global info to follow changes made by other nodes.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The https address other nodes reach this server at (default: the first https address it listens on).</summary>
    public string? AdvertisedUrl { get; init; }
}
