using System.Buffers.Binary;
using System.Text;

namespace SsoVault.Core.Crypto;

/// <summary>
/// The identity of the record a value belongs to, bound to its ciphertext as additional authenticated data:
/// a kind (for example "config") and its key parts, each length-prefixed so that ("ab","c") and ("a","bc") differ.
/// A ciphertext copied into another record therefore fails to decrypt.
/// </summary>
public readonly struct RecordIdentity
{
    private static readonly byte[] Label = "SsoVault record v1"u8.ToArray();

    // Throws on unpaired surrogates: the default encoder would turn every one into U+FFFD, so two different
    // identities would share one encoding and a value could be moved between them.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private RecordIdentity(byte[] bytes) => Bytes = bytes;

    public byte[] Bytes { get; }

    public static RecordIdentity Of(string kind, params ReadOnlySpan<string> parts)
    {
        var length = Label.Length + 4 + StrictUtf8.GetByteCount(kind);
        foreach (var part in parts)
        {
            length += 4 + StrictUtf8.GetByteCount(part);
        }

        var bytes = new byte[length];
        Label.CopyTo(bytes, 0);
        var offset = Label.Length;
        offset = WritePart(bytes, offset, kind);
        foreach (var part in parts)
        {
            offset = WritePart(bytes, offset, part);
        }

        return new RecordIdentity(bytes);
    }

    /// <summary>The identity of one property of one config-store record (app names are case-insensitive).</summary>
    public static RecordIdentity ConfigProperty(string application, string identifier, string property) =>
        Of("config", application.ToUpperInvariant(), identifier, property);

    private static int WritePart(byte[] bytes, int offset, string part)
    {
        var count = StrictUtf8.GetBytes(part, 0, part.Length, bytes, offset + 4);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(offset), count);
        return offset + 4 + count;
    }
}
