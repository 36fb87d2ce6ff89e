using System.Security.Cryptography;

namespace SsoVault.Core.KeyDistribution;

/// <summary>
/// The key that protects data keys or master secrets in transit between two nodes, on top of TLS: ephemeral ECDH P-256
/// on both sides (forward secrecy: a node key stolen later opens nothing recorded earlier), HKDF-SHA256 over the raw
/// shared secret with the request's nonce as salt and a label naming the purpose, then AES-256-GCM with a random nonce.
/// Layout of a sealed item: nonce (12) | ciphertext | tag (16).
/// </summary>
public static class ChannelKey
{
    private const int KeySize = 32;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public static ECDiffieHellman NewEphemeral() => ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>The 32-byte channel key; a malformed peer key is a <see cref="CryptographicException"/>.</summary>
    public static byte[] Derive(ECDiffieHellman mine, byte[] theirPublicKey, ReadOnlySpan<byte> salt, string label)
    {
        ArgumentNullException.ThrowIfNull(mine);
        using var theirs = ECDiffieHellman.Create();
        theirs.ImportSubjectPublicKeyInfo(theirPublicKey, out _);
        if (theirs.KeySize != 256)
        {
            throw new CryptographicException("The peer's ephemeral key is not a P-256 key.");
        }

        var shared = mine.DeriveRawSecretAgreement(theirs.PublicKey);
        try
        {
            return HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, KeySize, salt.ToArray(), System.Text.Encoding.UTF8.GetBytes(label));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(shared);
        }
    }

    public static byte[] Seal(byte[] key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var sealedBytes = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceSize, plaintext.Length), sealedBytes.AsSpan(NonceSize + plaintext.Length), associatedData);
        return sealedBytes;
    }

    /// <summary>Opens a sealed item; any altered byte or wrong key is a <see cref="CryptographicException"/>.</summary>
    public static byte[] Open(byte[] key, ReadOnlySpan<byte> sealedBytes, ReadOnlySpan<byte> associatedData)
    {
        if (sealedBytes.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("A sealed item is too short.");
        }

        var length = sealedBytes.Length - NonceSize - TagSize;
        var plaintext = new byte[length];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(sealedBytes[..NonceSize], sealedBytes.Slice(NonceSize, length), sealedBytes[(NonceSize + length)..], plaintext, associatedData);
        return plaintext;
    }
}
