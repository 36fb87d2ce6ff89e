namespace SsoVault.Core.Crypto;

/// <summary>Sizes shared by every cryptographic format in SsoVault (see docs/crypto.md).</summary>
internal static class CryptoConstants
{
    /// <summary>AES-256 keys: master secrets, data keys and derived wrapping keys.</summary>
    public const int KeySize = 32;
    /// <summary>AES-GCM nonce: 96 bits, random per encryption.</summary>
    public const int NonceSize = 12;
    /// <summary>AES-GCM tag: the full 128 bits.</summary>
    public const int TagSize = 16;
    /// <summary>Key-check value: the first 8 bytes of an HMAC over a fixed label.</summary>
    public const int KeyCheckValueSize = 8;
}
