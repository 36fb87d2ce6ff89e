using System.Security.Cryptography;
using SsoVault.Core.Errors;
using SsoVault.Core.IO;

namespace SsoVault.Core.Nodes;

/// <summary>
/// A node's own identity: an ECDSA P-256 key pair made when the node is created or joins, the private half kept in the
/// node folder (PKCS#8, owner-only), the public half recorded in the database. The node signs its requests to the master
/// secret server with it; the master secret server signs its answers. It is separate from the TLS certificate so an
/// operator can replace the certificate (a CA-issued one) without the node losing its approval.
/// </summary>
public sealed class NodeIdentity : IDisposable
{
    private const int MaxKeyFileBytes = 4096;
    private readonly ECDsa _key;

    private NodeIdentity(ECDsa key)
    {
        _key = key;
        PublicKey = key.ExportSubjectPublicKeyInfo();
    }

    /// <summary>SubjectPublicKeyInfo (DER), as stored in the database.</summary>
    public byte[] PublicKey { get; }

    /// <summary>A short, comparable form of the public key for people: the first 16 hex digits of its SHA-256.</summary>
    public string Thumbprint => ThumbprintOf(PublicKey);

    public static string ThumbprintOf(byte[] publicKey) => Convert.ToHexString(SHA256.HashData(publicKey))[..16];

    /// <summary>Loads the node's key, making it first when the node has none yet (init, join, or an upgraded node).</summary>
    public static NodeIdentity LoadOrCreate(NodeHome home)
    {
        ArgumentNullException.ThrowIfNull(home);
        return File.Exists(home.IdentityKeyPath) ? Load(home) : Create(home);
    }

    /// <summary>Loads the node's key; a missing or damaged file is an error that names the fix.</summary>
    public static NodeIdentity Load(NodeHome home)
    {
        ArgumentNullException.ThrowIfNull(home);
        if (!File.Exists(home.IdentityKeyPath))
        {
            throw new SsoException(SsoErrorCode.NodeNotInitialized, $"This node has no identity key ({home.IdentityKeyPath}).",
                "Start 'ssovault serve' once (it makes and registers the key), then approve the node: ssovault node approve NAME");
        }

        var bytes = AtomicFile.ReadBounded(home.IdentityKeyPath, MaxKeyFileBytes, "the node identity key");
        var key = ECDsa.Create();
        try
        {
            key.ImportPkcs8PrivateKey(bytes, out _);
            if (key.KeySize != 256)
            {
                throw new CryptographicException("not a P-256 key");
            }

            return new NodeIdentity(key);
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw new SsoException(SsoErrorCode.SecretStoreDamaged, $"The node identity key {home.IdentityKeyPath} is damaged.",
                "Remove the node (ssovault node remove NAME), delete its folder, and join it again with 'ssovault init --join'.", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static NodeIdentity Create(NodeHome home)
    {
        AtomicFile.EnsurePrivateDirectory(Path.GetDirectoryName(home.IdentityKeyPath)!);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pkcs8 = key.ExportPkcs8PrivateKey();
        try
        {
            AtomicFile.Write(home.IdentityKeyPath, pkcs8, overwrite: false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }

        return new NodeIdentity(key);
    }

    public byte[] Sign(ReadOnlySpan<byte> data) => _key.SignData(data, HashAlgorithmName.SHA256);

    /// <summary>Checks a signature made by the holder of <paramref name="publicKey"/>; a malformed key or signature is false.</summary>
    public static bool Verify(byte[] publicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        try
        {
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(publicKey, out _);
            return key.VerifyData(data, signature, HashAlgorithmName.SHA256);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public void Dispose() => _key.Dispose();
}
