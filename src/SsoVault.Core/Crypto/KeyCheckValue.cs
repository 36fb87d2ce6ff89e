using System.Security.Cryptography;

namespace SsoVault.Core.Crypto;

/// <summary>
/// A short public fingerprint of a master secret: the first 8 bytes of HMAC-SHA256(secret, label || MSID).
/// It lets people and programs check that two copies of a secret are the same without revealing it,
/// and binding the MSID means the same bytes under another id give another value.
/// </summary>
public readonly record struct KeyCheckValue
{
    private static readonly byte[] Label = "SsoVault key-check value v1"u8.ToArray();

    private readonly ulong _value;

    private KeyCheckValue(ulong value) => _value = value;

    public static KeyCheckValue Compute(ReadOnlySpan<byte> secret, Guid msid)
    {
        Span<byte> message = stackalloc byte[Label.Length + 16];
        Label.CopyTo(message);
        msid.TryWriteBytes(message[Label.Length..], bigEndian: true, out _);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(secret, message, mac);
        return new KeyCheckValue(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(mac));
    }

    public static KeyCheckValue FromBytes(ReadOnlySpan<byte> bytes) =>
        new(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes));

    public static bool TryParse(string? text, out KeyCheckValue value)
    {
        value = default;
        if (text is null || text.Length != 16 || !ulong.TryParse(text, System.Globalization.NumberStyles.AllowHexSpecifier,
                System.Globalization.CultureInfo.InvariantCulture, out var parsed))
        {
            return false;
        }

        value = new KeyCheckValue(parsed);
        return true;
    }

    public void WriteTo(Span<byte> destination) =>
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination, _value);

    /// <summary>Sixteen lower-case hex digits, the form shown to users and stored in the database.</summary>
    public override string ToString() => _value.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
}
