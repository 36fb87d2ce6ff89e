using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SsoVault.Core.Errors;
using SsoVault.Core.IO;
using SsoVault.Core.Nodes;

namespace SsoVault.Server.Hosting;

/// <summary>
/// The node's TLS identity. Without a configured certificate, the node makes its own self-signed one (ECDSA P-256,
/// SAN localhost, 127.0.0.1, ::1 and the node name, two years) and keeps it in <c>tls/server.pfx</c>: owner-only
/// (0600 in a 0700 folder) and password-less, since a password stored beside it would protect nothing more than the
/// file mode does. Clients pin the certificate by its SHA-256 fingerprint, which is also written to
/// <c>tls/server.sha256</c> so a CLI on the same machine can pin without being told.
/// </summary>
public static class NodeCertificate
{
    public static readonly TimeSpan Validity = TimeSpan.FromDays(730);

    public static string DirectoryOf(NodeHome home) => Path.Combine(home.Root, "tls");

    public static string CertificatePath(NodeHome home) => Path.Combine(DirectoryOf(home), "server.pfx");

    public static string FingerprintPath(NodeHome home) => Path.Combine(DirectoryOf(home), "server.sha256");

    /// <summary>The certificate alone (no key) in PEM, for tools that trust a CA file: curl --cacert tls/server.pem.</summary>
    public static string PemPath(NodeHome home) => Path.Combine(DirectoryOf(home), "server.pem");

    /// <summary>The certificate's SHA-256 fingerprint as 64 upper-case hex digits.</summary>
    public static string Fingerprint(X509Certificate2 certificate) =>
        Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));

    /// <summary>Loads the node's certificate, or makes it when missing. Created is true when it was made now.</summary>
    public static (X509Certificate2 Certificate, bool Created) LoadOrCreate(NodeHome home, string nodeName, TimeProvider clock)
    {
        var path = CertificatePath(home);
        if (File.Exists(path))
        {
            return (Load(path, null), false);
        }

        AtomicFile.EnsurePrivateDirectory(DirectoryOf(home));
        using var created = Create(nodeName, clock.GetUtcNow());
        var pfx = created.Export(X509ContentType.Pkcs12);
        try
        {
            AtomicFile.Write(path, pfx, overwrite: false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pfx);
        }

        return (Load(path, null), true);
    }

    /// <summary>
    /// Makes the node's certificate now if it has none (at init and join, so the fingerprint can be handed to clients
    /// before the first serve) and records its fingerprint. Returns the SHA-256 fingerprint.
    /// </summary>
    public static string EnsureCreated(NodeHome home, string nodeName, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(home);
        var (certificate, _) = LoadOrCreate(home, nodeName, clock);
        using (certificate)
        {
            WriteFingerprint(home, certificate);
            return Fingerprint(certificate);
        }
    }

    /// <summary>Records the fingerprint of the certificate in use, and the certificate as PEM, for clients on this machine.</summary>
    public static void WriteFingerprint(NodeHome home, X509Certificate2 certificate)
    {
        AtomicFile.EnsurePrivateDirectory(DirectoryOf(home));
        WriteIfChanged(FingerprintPath(home), Fingerprint(certificate) + "\n");
        WriteIfChanged(PemPath(home), certificate.ExportCertificatePem() + "\n");
    }

    private static void WriteIfChanged(string path, string text)
    {
        if (!File.Exists(path) || File.ReadAllText(path) != text)
        {
            AtomicFile.Write(path, Encoding.ASCII.GetBytes(text), overwrite: true);
        }
    }

    /// <summary>Loads a PKCS#12 file; a wrong password or a file without a private key is a clear error.</summary>
    public static X509Certificate2 Load(string path, string? password)
    {
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
            if (!certificate.HasPrivateKey)
            {
                certificate.Dispose();
                throw new SsoException(SsoErrorCode.InvalidInput, $"The certificate {path} has no private key.",
                    "Give a PKCS#12 (.pfx) file that holds the certificate and its private key.");
            }

            return certificate;
        }
        catch (CryptographicException e)
        {
            throw new SsoException(SsoErrorCode.InvalidInput, $"The certificate {path} cannot be opened: wrong password, or not a PKCS#12 file.",
                "Check the file and its password (--certificate-password-file or SSOVAULT_CERTIFICATE_PASSWORD).", e);
        }
        catch (IOException e)
        {
            throw new SsoException(SsoErrorCode.IoFailure, $"The certificate {path} cannot be read: {e.Message}", "Check the path and its permissions.", e);
        }
    }

    internal static X509Certificate2 Create(string nodeName, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={nodeName}, O=SsoVault"), key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        if (!string.Equals(nodeName, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            names.AddDnsName(nodeName);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        // Valid from a few minutes ago: a client whose clock is slightly behind still accepts it.
        return request.CreateSelfSigned(now.AddMinutes(-5), now.Add(Validity));
    }
}
