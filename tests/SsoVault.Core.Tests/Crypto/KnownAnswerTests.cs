using System.Security.Cryptography;
using System.Text;
using SsoVault.Core.Crypto;

namespace SsoVault.Core.Tests.Crypto;

/// <summary>
/// Known answers from docs/crypto.md ("Known answers"): they pin the wrapping-key derivation, the wrapped-key and
/// envelope layouts and the record-identity encoding, and each is also checked with plain .NET primitives, the way
/// an independent implementation would compute it from the document.
/// </summary>
public sealed class KnownAnswerTests
{
    private static readonly Guid Msid = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");
    private static readonly Guid SystemId = Guid.Parse("a1b2c3d4-e5f6-4789-8abc-def012345678");
    private const string WrappingKey = "242fc1a6f2869ef733c5eb2f97f06db570d6ca8d3c67427308e74978af3bf8f0";
    private const string Wrapped = "01b35ddd66a25ff9eeccef7e728d17bb9cc84c4d7cf4c986f438b34004bed09d8df625fbb2712a2c57a9ed25cd9776434eb277a7e85f2ea4e980d5b16f";
    private const string Record = "53736f5661756c74207265636f726420763100000006636f6e666967000000054d594150500000000264620000000870617373776f7264";
    private const string Envelope = "01000000075ccd311905b68acda5064440e5284447c682e370dd0eb985564660a817cee822a8ae26";

    private static MasterSecret Secret() => MasterSecret.FromBytes(Msid, CryptoAssert.Sequence(0x00, 32), DateTimeOffset.UnixEpoch);

    [Fact]
    public void DeriveWrappingKey_SecretZeroToThirtyOne_GivesTheDocumentedKey()
    {
        using var secret = Secret();
        var kek = new byte[32];

        secret.DeriveWrappingKey(kek);

        Assert.Equal(WrappingKey, Convert.ToHexStringLower(kek));
        Assert.Equal(kek, HKDF.DeriveKey(HashAlgorithmName.SHA256, CryptoAssert.Sequence(0, 32), 32, [], Encoding.ASCII.GetBytes("SsoVault data-key wrapping v1")));
    }

    [Fact]
    public void Unwrap_DocumentedWrappedKey_GivesKeyFortyToFiftyF()
    {
        using var secret = Secret();

        using var key = DataKeyWrapper.Unwrap(secret, SystemId, 7, Convert.FromHexString(Wrapped));

        Assert.Equal(CryptoAssert.Sequence(0x40, 32), key.KeyBytes.ToArray());
    }

    [Fact]
    public void DocumentedWrappedKey_DecryptedWithPlainAesGcm_GivesTheDataKey()
    {
        var wrapped = Convert.FromHexString(Wrapped);
        byte[] aad = [.. Encoding.ASCII.GetBytes("SsoVault data key v1"), .. SystemId.ToByteArray(bigEndian: true), 0, 0, 0, 7, .. Msid.ToByteArray(bigEndian: true)];
        var plain = new byte[32];

        using (var aes = new AesGcm(Convert.FromHexString(WrappingKey), 16))
        {
            aes.Decrypt(wrapped.AsSpan(1, 12), wrapped.AsSpan(13, 32), wrapped.AsSpan(45, 16), plain, aad);
        }

        Assert.Equal(56, aad.Length);
        Assert.Equal(CryptoAssert.Sequence(0x40, 32), plain);
    }

    [Fact]
    public void ConfigProperty_MyAppDbPassword_GivesTheDocumentedBytes()
    {
        var identity = RecordIdentity.ConfigProperty("MyApp", "db", "password");

        Assert.Equal(Record, Convert.ToHexStringLower(identity.Bytes));
    }

    [Fact]
    public void Decrypt_DocumentedEnvelope_GivesHunter2()
    {
        using var key = new DataKey(7, CryptoAssert.Sequence(0x40, 32));

        var plain = ValueEnvelope.Decrypt(id => id == 7 ? key : null, RecordIdentity.ConfigProperty("MyApp", "db", "password"), Convert.FromHexString(Envelope));

        Assert.Equal("hunter2"u8.ToArray(), plain);
    }

    [Fact]
    public void DocumentedEnvelope_DecryptedWithPlainAesGcm_GivesHunter2()
    {
        var envelope = Convert.FromHexString(Envelope);
        byte[] aad = [.. envelope[..5], .. Convert.FromHexString(Record)];
        var plain = new byte[envelope.Length - 33];

        using (var aes = new AesGcm(CryptoAssert.Sequence(0x40, 32), 16))
        {
            aes.Decrypt(envelope.AsSpan(5, 12), envelope.AsSpan(17, plain.Length), envelope.AsSpan(envelope.Length - 16), plain, aad);
        }

        Assert.Equal("hunter2"u8.ToArray(), plain);
    }
}
