using System.Security.Cryptography.X509Certificates;
using SsoVault.Core.Nodes;

namespace SsoVault.Server.Hosting;

/// <summary>The certificate the server presents, its fingerprint (what clients pin), and where it came from.</summary>
public sealed record ServerTls(X509Certificate2 Certificate, string Fingerprint, bool Created, string Source)
{
    /// <summary>The configured certificate, else the node's own (made now if missing); its fingerprint is recorded in the node folder.</summary>
    public static ServerTls Resolve(NodeHome home, X509Certificate2? configured, string? configuredPath, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(home);
        ArgumentNullException.ThrowIfNull(clock);
        ServerTls tls;
        if (configured is not null)
        {
            tls = new ServerTls(configured, NodeCertificate.Fingerprint(configured), false, configuredPath ?? "(configured)");
        }
        else
        {
            var (certificate, created) = NodeCertificate.LoadOrCreate(home, NodeSettings.Load(home).NodeName, clock);
            tls = new ServerTls(certificate, NodeCertificate.Fingerprint(certificate), created, NodeCertificate.CertificatePath(home));
        }

        NodeCertificate.WriteFingerprint(home, tls.Certificate);
        return tls;
    }
}
