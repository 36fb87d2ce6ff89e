using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SsoVault.Bench.Fixtures;

/// <summary>
/// Opens and seals value envelopes by hand from their documented layout (docs/crypto.md): version (1) | data-key id
/// (4, big-endian) | nonce (12) | ciphertext | tag (16); AAD = the 5-byte header | the record identity. The hand-written
/// limits use it with one cached <see cref="AesGcm"/>, so they do the cipher's work and nothing else.
/// </summary>
internal static class RawEnvelope
{
    public const int HeaderSize = 5;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int Overhead = HeaderSize + NonceSize + TagSize;

    public static int PlaintextLength(ReadOnlySpan<byte> envelope) =>
        envelope.Length >= Overhead && envelope[0] == 1
            ? envelope.Length - Overhead
            : throw new InvalidOperationException("Not a value envelope.");

    public static uint KeyId(ReadOnlySpan<byte> envelope) => BinaryPrimitives.ReadUInt32BigEndian(envelope[1..]);

    /// <summary>Decrypts into <paramref name="plaintext"/> (exactly <see cref="PlaintextLength"/> bytes).</summary>
    public static void Open(AesGcm aes, ReadOnlySpan<byte> envelope, ReadOnlySpan<byte> record, Span<byte> plaintext)
    {
        var length = PlaintextLength(envelope);
        Span<byte> aad = stackalloc byte[HeaderSize + record.Length];
        envelope[..HeaderSize].CopyTo(aad);
        record.CopyTo(aad[HeaderSize..]);
        aes.Decrypt(envelope.Slice(HeaderSize, NonceSize), envelope.Slice(HeaderSize + NonceSize, length), envelope[^TagSize..], plaintext, aad);
    }

    /// <summary>Encrypts under <paramref name="keyId"/> with a random nonce into <paramref name="envelope"/> (plaintext + <see cref="Overhead"/> bytes).</summary>
    public static void Seal(AesGcm aes, uint keyId, ReadOnlySpan<byte> record, ReadOnlySpan<byte> plaintext, Span<byte> envelope)
    {
        envelope[0] = 1;
        BinaryPrimitives.WriteUInt32BigEndian(envelope[1..], keyId);
        var nonce = envelope.Slice(HeaderSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        Span<byte> aad = stackalloc byte[HeaderSize + record.Length];
        envelope[..HeaderSize].CopyTo(aad);
        record.CopyTo(aad[HeaderSize..]);
        aes.Encrypt(nonce, plaintext, envelope.Slice(HeaderSize + NonceSize, plaintext.Length), envelope.Slice(HeaderSize + NonceSize + plaintext.Length, TagSize),
            aad);
    }
}
