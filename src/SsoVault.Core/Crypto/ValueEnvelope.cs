using System.Buffers.Binary;
using System.Security.Cryptography;
using SsoVault.Core.Errors;

namespace SsoVault.Core.Crypto;

/// <summary>
/// The self-describing ciphertext of every stored value:
/// version (1) | data-key id (4, big-endian) | nonce (12) | ciphertext (n) | tag (16).
/// The additional authenticated data is the 5-byte header followed by the record identity, so neither the key id
/// nor the record can be swapped. Every failure to open an envelope is the same error: no oracle for an attacker.
/// </summary>
public static class ValueEnvelope
{
    public const byte FormatVersion = 1;
    public const int HeaderSize = 5;
    public const int Overhead = HeaderSize + CryptoConstants.NonceSize + CryptoConstants.TagSize;

    public static byte[] Encrypt(DataKey key, RecordIdentity record, ReadOnlySpan<byte> plaintext)
    {
        var envelope = new byte[Overhead + plaintext.Length];
        envelope[0] = FormatVersion;
        BinaryPrimitives.WriteUInt32BigEndian(envelope.AsSpan(1), key.Id);
        var nonce = envelope.AsSpan(HeaderSize, CryptoConstants.NonceSize);
        RandomNumberGenerator.Fill(nonce);

        var aad = BuildAssociatedData(envelope.AsSpan(0, HeaderSize), record);
        key.Cipher.Encrypt(
            nonce,
            plaintext,
            envelope.AsSpan(HeaderSize + CryptoConstants.NonceSize, plaintext.Length),
            envelope.AsSpan(envelope.Length - CryptoConstants.TagSize),
            aad);
        return envelope;
    }

    /// <summary>Reads the data-key id an envelope names, or null when it is not a well-formed envelope.</summary>
    public static uint? TryReadKeyId(ReadOnlySpan<byte> envelope) =>
        envelope.Length >= Overhead && envelope[0] == FormatVersion
            ? BinaryPrimitives.ReadUInt32BigEndian(envelope[1..])
            : null;

    public static byte[] Decrypt(Func<uint, DataKey?> keyLookup, RecordIdentity record, ReadOnlySpan<byte> envelope)
    {
        var keyId = TryReadKeyId(envelope);
        var key = keyId is null ? null : keyLookup(keyId.Value);
        if (key is null)
        {
            throw DecryptionFailed();
        }

        var plaintext = new byte[envelope.Length - Overhead];
        var aad = BuildAssociatedData(envelope[..HeaderSize], record);
        try
        {
            key.Cipher.Decrypt(
                envelope.Slice(HeaderSize, CryptoConstants.NonceSize),
                envelope.Slice(HeaderSize + CryptoConstants.NonceSize, plaintext.Length),
                envelope[^CryptoConstants.TagSize..],
                plaintext,
                aad);
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            throw DecryptionFailed();
        }
    }

    /// <summary>The one error for every envelope that cannot be opened, whatever the reason.</summary>
    public static SsoException DecryptionFailed() => new(
        SsoErrorCode.DecryptionFailed,
        "A stored value could not be decrypted: it was altered, copied from another record, or its data key is not in the key ring.",
        "If the database was restored from an older copy, restore the matching master secret backup; otherwise report it as tampering.");

    private static byte[] BuildAssociatedData(ReadOnlySpan<byte> header, RecordIdentity record)
    {
        var aad = new byte[header.Length + record.Bytes.Length];
        header.CopyTo(aad);
        record.Bytes.CopyTo(aad, header.Length);
        return aad;
    }
}
