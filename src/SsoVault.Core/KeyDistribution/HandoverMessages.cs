using System.Buffers.Binary;
using System.Security.Cryptography;
using SsoVault.Core.Crypto;

namespace SsoVault.Core.KeyDistribution;

/// <summary>Step 1 of a handover, old secret server to new: "I hand you the secret", signed by the old server.</summary>
public sealed record HandoverOffer(string From, string To, long TimeMs, byte[] Nonce, byte[] Signature)
{
    public const string Purpose = "ssovault/handover-offer/v1";

    public static byte[] SignedBytes(Guid systemId, string from, string to, long timeMs, byte[] nonce) =>
        SignedText.Of(Purpose, systemId.ToString(), from, to, timeMs, nonce);
}

/// <summary>Step 2, new to old: the new server's ephemeral key for this offer, signed by the new server.</summary>
public sealed record HandoverAcceptance(string Node, byte[] EphemeralKey, byte[] Signature)
{
    public const string Purpose = "ssovault/handover-accept/v1";

    public static byte[] SignedBytes(Guid systemId, string from, string to, byte[] offerNonce, byte[] ephemeralKey) =>
        SignedText.Of(Purpose, systemId.ToString(), from, to, offerNonce, ephemeralKey);
}

/// <summary>Step 3, old to new: the master secrets sealed under the channel key, signed by the old server.</summary>
public sealed record HandoverDelivery(string From, byte[] OfferNonce, byte[] EphemeralKey, byte[] Sealed, byte[] Signature)
{
    public const string Purpose = "ssovault/handover-deliver/v1";
    public const string ChannelLabel = "ssovault/handover/v1";

    public static byte[] SignedBytes(Guid systemId, string from, string to, byte[] offerNonce, byte[] ephemeralKey, byte[] sealedSecrets) =>
        SignedText.Of(Purpose, systemId.ToString(), from, to, offerNonce, ephemeralKey, sealedSecrets);

    public static string Label(Guid systemId, string from, string to) => $"{ChannelLabel}|{systemId}|{from.ToLowerInvariant()}|{to.ToLowerInvariant()}";
}

/// <summary>
/// Step 4, new to old: proof that the new server now holds each secret, an HMAC under the secret itself over the offer's
/// nonce (a key-check value that only a holder of the secret can compute for this handover), signed by the new server.
/// </summary>
public sealed record HandoverReceipt(string Node, IReadOnlyList<SecretProof> Proofs, byte[] Signature)
{
    public const string Purpose = "ssovault/handover-receipt/v1";

    public static byte[] SignedBytes(Guid systemId, string node, byte[] offerNonce, IReadOnlyList<SecretProof> proofs)
    {
        var fields = new List<object> { systemId.ToString(), node, offerNonce };
        foreach (var proof in proofs)
        {
            fields.Add(proof.Msid.ToString());
            fields.Add(proof.Proof);
        }

        return SignedText.Of(Purpose, [.. fields]);
    }

    public static byte[] Prove(MasterSecret secret, byte[] offerNonce)
    {
        Span<byte> key = stackalloc byte[CryptoConstants.KeySize];
        try
        {
            secret.CopyTo(key);
            return HMACSHA256.HashData(key, SignedText.Of("ssovault/handover-proof/v1", secret.Msid.ToString(), offerNonce));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}

public sealed record SecretProof(Guid Msid, byte[] Proof);

/// <summary>The secrets inside a delivery: count (1) | per secret: MSID (16) | created, Unix ms (8) | secret (32).</summary>
internal static class HandoverPayload
{
    private const int EntrySize = 16 + 8 + CryptoConstants.KeySize;

    public static byte[] Write(IReadOnlyList<MasterSecret> secrets)
    {
        var bytes = new byte[1 + secrets.Count * EntrySize];
        bytes[0] = (byte)secrets.Count;
        var offset = 1;
        foreach (var secret in secrets)
        {
            secret.Msid.TryWriteBytes(bytes.AsSpan(offset), bigEndian: true, out _);
            BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(offset + 16), secret.CreatedUtc.ToUnixTimeMilliseconds());
            secret.CopyTo(bytes.AsSpan(offset + 24, CryptoConstants.KeySize));
            offset += EntrySize;
        }

        return bytes;
    }

    public static List<MasterSecret> Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 1 || bytes.Length != 1 + bytes[0] * EntrySize || bytes[0] == 0)
        {
            throw new CryptographicException("The handover payload has the wrong length.");
        }

        var secrets = new List<MasterSecret>(bytes[0]);
        for (var offset = 1; offset < bytes.Length; offset += EntrySize)
        {
            var msid = new Guid(bytes.Slice(offset, 16), bigEndian: true);
            var created = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(bytes[(offset + 16)..]));
            secrets.Add(MasterSecret.FromBytes(msid, bytes.Slice(offset + 24, CryptoConstants.KeySize), created));
        }

        return secrets;
    }
}
