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

    public static RecordIdentity Identity(string kind, string[]? parts) => RecordIdentity.Of(kind, parts ?? []);

    public static string[] Parts(FsCheck.NonNull<string>[]? parts) => parts is null ? [] : [.. parts.Select(p => p.Get)];
}
