using System.Buffers.Binary;
using FsCheck;
using FsCheck.Xunit;
using SsoVault.Core.Crypto;

namespace SsoVault.Core.Tests.Crypto;

public sealed class ValueEnvelopeTests : IDisposable
{
    // Ids 1 and 3 differ in one bit: flipping that bit of the key id names another key that IS in the ring.
    private readonly DataKey _key = DataKey.Generate(1);
    private readonly DataKey _neighbour = DataKey.Generate(3);
    private readonly RecordIdentity _record = RecordIdentity.ConfigProperty("App", "id", "password");

    public void Dispose()
    {
        _key.Dispose();
        _neighbour.Dispose();
    }

    private DataKey? Lookup(uint id) => id switch
    {
        1 => _key,
        3 => _neighbour,
        _ => null,
    };

    [Property(MaxTest = 300)]
    public void Decrypt_EnvelopeOfAnyPlaintextAndRecord_ReturnsPlaintext(byte[]? plaintext, NonNull<string> kind, NonNull<string>[]? parts)
    {
        // Arrange
        plaintext ??= [];
        if (!CryptoAssert.TryIdentity(kind.Get, CryptoAssert.Parts(parts), out var record))
        {
            return;
        }

        // Act
        var envelope = ValueEnvelope.Encrypt(_key, record, plaintext);
        var decrypted = ValueEnvelope.Decrypt(Lookup, record, envelope);

        // Assert
        Assert.Equal(plaintext, decrypted);
        Assert.Equal(ValueEnvelope.Overhead + plaintext.Length, envelope.Length);
    }

    [Fact]
    public void Decrypt_EmptyPlaintext_ReturnsEmpty()
    {
        var envelope = ValueEnvelope.Encrypt(_key, _record, []);

        var decrypted = ValueEnvelope.Decrypt(Lookup, _record, envelope);

        Assert.Empty(decrypted);
        Assert.Equal(ValueEnvelope.Overhead, envelope.Length);
    }

    [Fact]
    public void Encrypt_Always_WritesVersionKeyIdNonceCiphertextTag()
    {
        var plaintext = "secret"u8.ToArray();

        var envelope = ValueEnvelope.Encrypt(_key, _record, plaintext);

        Assert.Equal(ValueEnvelope.FormatVersion, envelope[0]);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32BigEndian(envelope.AsSpan(1)));
        Assert.Equal(1u, ValueEnvelope.TryReadKeyId(envelope));
        Assert.Equal(5 + 12 + plaintext.Length + 16, envelope.Length);
        Assert.False(envelope.AsSpan(17, plaintext.Length).SequenceEqual(plaintext));
    }

    [Fact]
    public void Encrypt_SamePlaintextTwice_UsesFreshNonces()
    {
        var first = ValueEnvelope.Encrypt(_key, _record, "same"u8);
        var second = ValueEnvelope.Encrypt(_key, _record, "same"u8);

        Assert.False(first.AsSpan(5, 12).SequenceEqual(second.AsSpan(5, 12)));
        Assert.NotEqual(first, second);
    }

    [Property(MaxTest = 300)]
    public void Decrypt_AnySingleBitFlipped_FailsWithTheOneError(byte[]? plaintext, int position)
    {
        // Arrange
        var envelope = ValueEnvelope.Encrypt(_key, _record, plaintext ?? []);
        var bit = (int)((uint)position % (uint)(envelope.Length * 8));
        envelope[bit / 8] ^= (byte)(1 << (bit % 8));

        // Act + Assert
        CryptoAssert.DecryptionFailed(() => ValueEnvelope.Decrypt(Lookup, _record, envelope));
    }

    [Fact]
    public void Decrypt_EveryBitFlippedInTurn_FailsWithTheOneError()
    {
        var envelope = ValueEnvelope.Encrypt(_key, _record, "pa55word"u8);

        for (var bit = 0; bit < envelope.Length * 8; bit++)
        {
            var altered = (byte[])envelope.Clone();
            altered[bit / 8] ^= (byte)(1 << (bit % 8));
            CryptoAssert.DecryptionFailed(() => ValueEnvelope.Decrypt(Lookup, _record, altered));
        }
    }

    [Fact]
    public void Decrypt_KeyIdFlippedToAnotherKeyInTheRing_FailsWithTheOneError()
    {
        var envelope = ValueEnvelope.Encrypt(_key, _record, "value"u8);
        envelope[4] ^= 0x02; // key id 1 -> 3, which the lookup knows

        Assert.Equal(3u, ValueEnvelope.TryReadKeyId(envelope));
        CryptoAssert.DecryptionFailed(() => ValueEnvelope.Decrypt(Lookup, _record, envelope));
    }

    [Property(MaxTest = 300)]
    public void Decrypt_AnyTruncation_FailsWithTheOneError(byte[]? plaintext, int length)
    {
        var envelope = ValueEnvelope.Encrypt(_key, _record, plaintext ?? []);
        var cut = (int)((uint)length % (uint)envelope.Length);

        CryptoAssert.DecryptionFailed(() => ValueEnvelope.Decrypt(Lookup, _record, envelope.AsSpan(0, cut).ToArray()));
    }

    [Fact]
    public void Decrypt_EveryTruncationLength_FailsWithTheOneError()
    {
        var envelope = ValueEnvelope.Encrypt(_key, _record, "some longer value"u8);

        for (var length = 0; length < envelope.Length; length++)
        {
            var truncated = envelope[..length];
            CryptoAssert.DecryptionFailed(() => ValueEnvelope.Decrypt(Lookup, _record, truncated));
        }
    }

    [Fact]
    public void Decrypt_BytesAppended_FailsWithTheOneError()
    {
        var envelope = ValueEnvelope.Encrypt(_key, _record, "value"u8);

        CryptoAssert.DecryptionFailed(() => ValueEnvelope.Decrypt(Lookup, _record, [.. envelope, 0]));
        CryptoAssert.DecryptionFailed(() => ValueEnvelope.Decrypt(Lookup, _record, [0, .. envelope]));
    }

    [Property(MaxTest = 300)]
    public void Decrypt_UnderAnotherRecordIdentity_FailsWithTheOneError(
        byte[]? plaintext, NonNull<string> kind, NonNull<string>[]? parts, NonNull<string> otherKind, NonNull<string>[]? otherParts)
    {
        // Arrange
        if (!CryptoAssert.TryIdentity(kind.Get, CryptoAssert.Parts(parts), out var record)
            || !CryptoAssert.TryIdentity(otherKind.Get, CryptoAssert.Parts(otherParts), out var other)
            || record.Bytes.AsSpan().SequenceEqual(other.Bytes))
        {
            return; // the same identity, or one that cannot exist: nothing to check
        }

        var envelope = ValueEnvelope.Encrypt(_key, record, plaintext ?? []);

        // Act + Assert
        CryptoAssert.DecryptionFailed(() => ValueEnvelope.Decrypt(Lookup, other, envelope));
    }

    [Property(MaxTest = 300)]
    public void Decrypt_UnderAnotherUnicodeConfigRecord_FailsWithTheOneError(byte[]? app, byte[]? identifier, byte[]? property, int which)
    {
        // Arrange: well-formed Unicode names of any script (arbitrary bytes decoded as UTF-8), then one of them changed.
        string Text(byte[]? raw) => System.Text.Encoding.UTF8.GetString(raw ?? []);
        var names = new[] { Text(app), Text(identifier), Text(property) };
        var record = RecordIdentity.ConfigProperty(names[0], names[1], names[2]);
        var index = (int)((uint)which % 3);
        names[index] += "\u00E9";
        var moved = RecordIdentity.ConfigProperty(names[0], names[1], names[2]);
        var envelope = ValueEnvelope.Encrypt(_key, record, "value"u8);

        // Act + Assert
        Assert.Equal("value"u8.ToArray(), ValueEnvelope.Decrypt(Lookup, record, envelope));
        CryptoAssert.DecryptionFailed(() => ValueEnvelope.Decrypt(Lookup, moved, envelope));
    }

    [Theory]
    [InlineData("App", "user1", "password", "Other", "user1", "password")]
    [InlineData("App", "user1", "password", "App", "user2", "password")]
    [InlineData("App", "user1", "password", "App", "user1", "username")]
    [InlineData("ab", "c", "p", "a", "bc", "p")]
    [InlineData("a", "bc", "p", "ab", "c", "p")]
    [InlineData("App", "ab", "c", "App", "a", "bc")]
    [InlineData("App", "", "xy", "App", "xy", "")]
    public void Decrypt_ValueMovedToAnotherConfigRecord_FailsWithTheOneError(
        string app, string identifier, string property, string otherApp, string otherIdentifier, string otherProperty)
    {
        var envelope = ValueEnvelope.Encrypt(_key, RecordIdentity.ConfigProperty(app, identifier, property), "value"u8);

        CryptoAssert.DecryptionFailed(() => ValueEnvelope.Decrypt(
            Lookup, RecordIdentity.ConfigProperty(otherApp, otherIdentifier, otherProperty), envelope));
    }

    [Fact]
    public void Decrypt_PartsSplitDifferently_FailsWithTheOneError()
    {
        var envelope = ValueEnvelope.Encrypt(_key, RecordIdentity.Of("mapping", "ab", "c"), "value"u8);

        CryptoAssert.DecryptionFailed(() => ValueEnvelope.Decrypt(Lookup, RecordIdentity.Of("mapping", "a", "bc"), envelope));
        CryptoAssert.DecryptionFailed(() => ValueEnvelope.Decrypt(Lookup, RecordIdentity.Of("mappingab", "c"), envelope));
        CryptoAssert.DecryptionFailed(() => ValueEnvelope.Decrypt(Lookup, RecordIdentity.Of("mapping", "ab", "c", ""), envelope));
        CryptoAssert.DecryptionFailed(() => ValueEnvelope.Decrypt(Lookup, RecordIdentity.Of("mapping", "abc"), envelope));
    }

    [Fact]
    public void Decrypt_AppNameInAnotherCase_ReturnsPlaintext()
    {
        var envelope = ValueEnvelope.Encrypt(_key, RecordIdentity.ConfigProperty("MyApp", "id", "p"), "value"u8);

        var decrypted = ValueEnvelope.Decrypt(Lookup, RecordIdentity.ConfigProperty("MYAPP", "id", "p"), envelope);

        Assert.Equal("value"u8.ToArray(), decrypted);
    }

    [Property(MaxTest = 200)]
    public void Decrypt_KeyIdNotInTheRing_FailsWithTheOneError(byte[]? plaintext, uint keyId)
    {
        // Arrange
        using var key = new DataKey(keyId, CryptoAssert.Sequence(9, 32));
        var envelope = ValueEnvelope.Encrypt(key, _record, plaintext ?? []);

        // Act + Assert
        CryptoAssert.DecryptionFailed(() => ValueEnvelope.Decrypt(_ => null, _record, envelope));
    }

    [Fact]
    public void Decrypt_AnotherKeyUnderTheSameId_FailsWithTheOneError()
    {
        var envelope = ValueEnvelope.Encrypt(_key, _record, "value"u8);
        using var impostor = DataKey.Generate(1);

        CryptoAssert.DecryptionFailed(() => ValueEnvelope.Decrypt(_ => impostor, _record, envelope));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(255)]
    public void Decrypt_UnknownFormatVersion_FailsWithTheOneError(byte version)
    {
        var envelope = ValueEnvelope.Encrypt(_key, _record, "value"u8);
        envelope[0] = version;

        Assert.Null(ValueEnvelope.TryReadKeyId(envelope));
        CryptoAssert.DecryptionFailed(() => ValueEnvelope.Decrypt(Lookup, _record, envelope));
    }

    [Fact]
    public void Decrypt_RandomBytes_FailsWithTheOneError()
    {
        var random = new Random(42);
        for (var length = 0; length < 100; length++)
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            bytes.AsSpan(0, Math.Min(5, length)).Clear();
            if (length > 0)
            {
                bytes[0] = ValueEnvelope.FormatVersion;
            }

            if (length > 4)
            {
                bytes[4] = 1; // names the key in the ring
            }

            CryptoAssert.DecryptionFailed(() => ValueEnvelope.Decrypt(Lookup, _record, bytes));
        }
    }
}
