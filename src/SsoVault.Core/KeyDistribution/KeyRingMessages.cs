namespace SsoVault.Core.KeyDistribution;

/// <summary>
/// A node's request for the data keys (POST /v1/nodes/key-ring on the master secret server), signed with the node's
/// identity key over the SSO system id, its name, the time, a fresh nonce and its ephemeral ECDH key.
/// </summary>
public sealed record KeyRingRequest(string Node, long TimeMs, byte[] Nonce, byte[] EphemeralKey, byte[] Signature)
{
    public const string Purpose = "ssovault/key-ring-request/v1";

    public static byte[] SignedBytes(Guid systemId, string node, long timeMs, byte[] nonce, byte[] ephemeralKey) =>
        SignedText.Of(Purpose, systemId.ToString(), node, timeMs, nonce, ephemeralKey);
}

/// <summary>One data key sealed for the requesting node under the channel key.</summary>
public sealed record SealedDataKey(uint Id, byte[] Sealed);

/// <summary>
/// The master secret server's answer: every data key sealed under the channel key, signed with the secret server's
/// identity key over the request's nonce, so an answer can neither be forged nor replayed to another request.
/// </summary>
public sealed record KeyRingGrant(string SecretServer, byte[] EphemeralKey, IReadOnlyList<SealedDataKey> Keys, byte[] Signature)
{
    public const string Purpose = "ssovault/key-ring-grant/v1";
    public const string ChannelLabel = "ssovault/key-ring/v1";

    public static byte[] SignedBytes(Guid systemId, string secretServer, byte[] requestNonce, byte[] ephemeralKey, IReadOnlyList<SealedDataKey> keys)
    {
        var fields = new List<object> { systemId.ToString(), secretServer, requestNonce, ephemeralKey };
        foreach (var key in keys)
        {
            fields.Add(key.Id);
            fields.Add(key.Sealed);
        }

        return SignedText.Of(Purpose, [.. fields]);
    }

    /// <summary>Binds each sealed key to its system and id.</summary>
    public static byte[] AssociatedData(Guid systemId, uint keyId) => SignedText.Of(ChannelLabel, systemId.ToString(), keyId);
}
