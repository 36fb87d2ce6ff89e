using SsoVault.Core.Crypto;

namespace SsoVault.Core.Tests.Crypto;

public sealed class KeyRingTests
{
    private static readonly RecordIdentity Record = RecordIdentity.ConfigProperty("App", "id", "p");

    [Fact]
    public void Decrypt_ValuesOfEveryKeyInTheRing_ReturnsPlaintexts()
    {
        // Arrange: values encrypted under three different keys, as after two rotations.
        var keys = new[] { DataKey.Generate(1), DataKey.Generate(2), DataKey.Generate(3) };
        var envelopes = keys.Select(k => ValueEnvelope.Encrypt(k, Record, [(byte)k.Id])).ToArray();
        using var ring = new KeyRing(keys, currentKeyId: 3);

        // Act
        var plaintexts = envelopes.Select(e => ring.Decrypt(Record, e)).ToArray();

        // Assert
        Assert.Equal([[1], [2], [3]], plaintexts);
    }

    [Fact]
    public void Encrypt_Always_UsesTheCurrentKey()
    {
        using var ring = new KeyRing([DataKey.Generate(1), DataKey.Generate(2), DataKey.Generate(3)], currentKeyId: 2);

        var envelope = ring.Encrypt(Record, "value"u8);

        Assert.Equal(2u, ring.Current.Id);
        Assert.Equal(2u, ValueEnvelope.TryReadKeyId(envelope));
        Assert.Equal("value"u8.ToArray(), ValueEnvelope.Decrypt(id => id == 2 ? ring.Current : null, Record, envelope));
    }

    [Fact]
    public void Decrypt_KeyNotInTheRing_FailsWithTheOneError()
    {
        using var retired = DataKey.Generate(9);
        var envelope = ValueEnvelope.Encrypt(retired, Record, "value"u8);
        using var ring = new KeyRing([DataKey.Generate(1)], currentKeyId: 1);

        CryptoAssert.DecryptionFailed(() => ring.Decrypt(Record, envelope));
    }

    [Fact]
    public void Decrypt_AnotherRecord_FailsWithTheOneError()
    {
        using var ring = new KeyRing([DataKey.Generate(1)], currentKeyId: 1);
        var envelope = ring.Encrypt(Record, "value"u8);

        CryptoAssert.DecryptionFailed(() => ring.Decrypt(RecordIdentity.ConfigProperty("App", "id", "q"), envelope));
    }

    [Fact]
    public void Constructor_CurrentKeyMissing_Throws()
    {
        using var key = DataKey.Generate(1);

        Assert.Throws<ArgumentException>(() => new KeyRing([key], currentKeyId: 2));
    }

    [Fact]
    public void Find_KnownAndUnknownIds_ReturnsKeyOrNull()
    {
        using var ring = new KeyRing([DataKey.Generate(5), DataKey.Generate(6)], currentKeyId: 6);

        Assert.Equal(5u, ring.Find(5)!.Id);
        Assert.Null(ring.Find(7));
        Assert.Equal([5u, 6u], ring.KeyIds.Order());
    }
}
