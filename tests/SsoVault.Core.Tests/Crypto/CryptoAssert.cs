using SsoVault.Core.Crypto;
using SsoVault.Core.Errors;

namespace SsoVault.Core.Tests.Crypto;

/// <summary>Shared assertions and builders for the crypto tests.</summary>
internal static class CryptoAssert
{
    /// <summary>Every failure to open an envelope must be this exact error: same type, code, message and hint.</summary>
    public static void DecryptionFailed(Action act)
    {
        var expected = ValueEnvelope.DecryptionFailed();
        var ex = Assert.Throws<SsoException>(act);
        Assert.Equal(SsoErrorCode.DecryptionFailed, ex.Code);
        Assert.Equal(expected.Message, ex.Message);
        Assert.Equal(expected.Hint, ex.Hint);
        Assert.Null(ex.InnerException);
    }

    /// <summary>A master secret whose bytes are <c>first, first+1, ...</c> (mod 256).</summary>
    public static MasterSecret Secret(byte first, Guid? msid = null) =>
        MasterSecret.FromBytes(msid ?? Guid.NewGuid(), Sequence(first, 32), DateTimeOffset.UnixEpoch.AddDays(20_000));

    public static byte[] Sequence(byte first, int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = unchecked((byte)(first + i));
        }

        return bytes;
    }

    /// <summary>
    /// The identity of generated strings, or false when one of them is not well-formed UTF-16 (an unpaired
    /// surrogate), after checking that <see cref="RecordIdentity.Of"/> refuses it.
    /// </summary>
    public static bool TryIdentity(string kind, string[] parts, out RecordIdentity identity)
    {
        if (parts.Append(kind).All(IsWellFormed))
        {
            identity = RecordIdentity.Of(kind, parts);
            return true;
        }

        Assert.ThrowsAny<ArgumentException>(() => RecordIdentity.Of(kind, parts));
        identity = default;
        return false;
    }

    private static bool IsWellFormed(string text)
    {
        var span = text.AsSpan();
        while (!span.IsEmpty)
        {
            if (System.Text.Rune.DecodeFromUtf16(span, out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return false;
            }

            span = span[consumed..];
        }

        return true;
    }

    public static string[] Parts(FsCheck.NonNull<string>[]? parts) => parts is null ? [] : [.. parts.Select(p => p.Get)];
}
