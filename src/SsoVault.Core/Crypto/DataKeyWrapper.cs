using System.Buffers.Binary;
using System.Security.Cryptography;
using SsoVault.Core.Errors;

namespace SsoVault.Core.Crypto;

/// <summary>
/// Wraps data keys under a master secret: AES-256-GCM with a key derived from the secret, and the SSO system id,
/// the data-key id and the MSID bound as additional data, so a wrapped key cannot be moved to another system,
/// another key id, or be claimed by another secret. Layout: version (1) | nonce (12) | wrapped key (32) | tag (16).
/// </summary>
public static class DataKeyWrapper
{
    public const byte FormatVersion = 1;
    public const int WrappedSize = 1 + CryptoConstants.NonceSize + CryptoConstants.KeySize + CryptoConstants.TagSize;

    private static readonly byte[] Label = "SsoVault data key v1"u8.ToArray();

    public static byte[] Wrap(MasterSecret secret, Guid systemId, DataKey dataKey)
    {
        var wrapped = new byte[WrappedSize];
        wrapped[0] = FormatVersion;
        var nonce = wrapped.AsSpan(1, CryptoConstants.NonceSize);
        var body = wrapped.AsSpan(1 + CryptoConstants.NonceSize, CryptoConstants.KeySize);
        var tag = wrapped.AsSpan(1 + CryptoConstants.NonceSize + CryptoConstants.KeySize, CryptoConstants.TagSize);
        RandomNumberGenerator.Fill(nonce);

        Span<byte> aad = stackalloc byte[Label.Length + 36];
        WriteAssociatedData(aad, systemId, dataKey.Id, secret.Msid);
        Span<byte> kek = stackalloc byte[CryptoConstants.KeySize];
        try
        {
            secret.DeriveWrappingKey(kek);
            using var aes = new AesGcm(kek, CryptoConstants.TagSize);
            aes.Encrypt(nonce, dataKey.KeyBytes, body, tag, aad);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kek);
        }

        return wrapped;
    }

    /// <summary>
    /// Unwraps a data key; a wrong secret, a key wrapped for another system or id, or any altered byte all give
    /// the same <see cref="SsoErrorCode.DecryptionFailed"/> error.
    /// </summary>
    public static DataKey Unwrap(MasterSecret secret, Guid systemId, uint dataKeyId, ReadOnlySpan<byte> wrapped)
    {
        if (!TryUnwrap(secret, systemId, dataKeyId, wrapped, out var key))
        {
            throw new SsoException(SsoErrorCode.DecryptionFailed,
                $"Data key {dataKeyId} could not be unwrapped with master secret {secret.Msid}.",
                "The key ring is not wrapped under this secret: restore the backup of the secret the database names.");
        }

        return key;
    }

    public static bool TryUnwrap(MasterSecret secret, Guid systemId, uint dataKeyId, ReadOnlySpan<byte> wrapped,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DataKey? key)
    {
        key = null;
        if (wrapped.Length != WrappedSize || wrapped[0] != FormatVersion)
        {
            return false;
        }

        Span<byte> aad = stackalloc byte[Label.Length + 36];
        WriteAssociatedData(aad, systemId, dataKeyId, secret.Msid);
        Span<byte> kek = stackalloc byte[CryptoConstants.KeySize];
        Span<byte> plain = stackalloc byte[CryptoConstants.KeySize];
        try
        {
            secret.DeriveWrappingKey(kek);
            using var aes = new AesGcm(kek, CryptoConstants.TagSize);
            aes.Decrypt(
                wrapped.Slice(1, CryptoConstants.NonceSize),
                wrapped.Slice(1 + CryptoConstants.NonceSize, CryptoConstants.KeySize),
                wrapped.Slice(1 + CryptoConstants.NonceSize + CryptoConstants.KeySize, CryptoConstants.TagSize),
                plain,
                aad);
            key = new DataKey(dataKeyId, plain);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kek);
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    private static void WriteAssociatedData(Span<byte> aad, Guid systemId, uint dataKeyId, Guid msid)
    {
        Label.CopyTo(aad);
        var rest = aad[Label.Length..];
        systemId.TryWriteBytes(rest, bigEndian: true, out _);
        BinaryPrimitives.WriteUInt32BigEndian(rest[16..], dataKeyId);
        msid.TryWriteBytes(rest[20..], bigEndian: true, out _);
    }
}
