using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SsoVault.Client;

/// <summary>
/// Trusts exactly one server certificate, named by its SHA-256 fingerprint (64 hex digits; colons and spaces ignored).
/// A self-signed node certificate has no chain to check, so the fingerprint is the whole trust decision: any other
/// certificate is refused, even one a public CA signed.
/// </summary>
public static class CertificatePinning
{
    /// <summary>Normalizes a fingerprint to 32 bytes, refusing anything that is not one.</summary>
    public static byte[] ParseFingerprint(string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        var hex = new string(fingerprint.Where(c => c is not (':' or ' ' or '-')).ToArray()).Trim();
        if (hex.StartsWith("sha256/", StringComparison.OrdinalIgnoreCase))
        {
            hex = hex["sha256/".Length..];
        }

        if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit))
        {
            throw new ArgumentException("A SHA-256 fingerprint is 64 hexadecimal digits (colons allowed).", nameof(fingerprint));
        }

        return Convert.FromHexString(hex);
    }

    /// <summary>A callback for <see cref="SslClientAuthenticationOptions.RemoteCertificateValidationCallback"/>.</summary>
    public static RemoteCertificateValidationCallback Validator(string fingerprint)
    {
        var pinned = ParseFingerprint(fingerprint);
        return (_, certificate, _, _) => certificate is not null &&
                                         CryptographicOperations.FixedTimeEquals(SHA256.HashData(certificate.GetRawCertData()), pinned);
    }

    /// <summary>A handler that accepts only the pinned certificate (or the platform's validation when none is pinned).</summary>
    public static SocketsHttpHandler CreateHandler(string? fingerprint)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (fingerprint is not null)
        {
            handler.SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Validator(fingerprint) };
        }

        return handler;
    }

    public static string Fingerprint(X509Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()));
    }
}
