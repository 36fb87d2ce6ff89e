using System.Security.Cryptography;
using System.Text;
using SsoVault.Core.Errors;

namespace SsoVault.Core.Backup;

/// <summary>
/// A backup password held in a buffer that is cleared on dispose. The rules are ENTSSO's: 7 to 256 characters.
/// The key-derivation input is the UTF-8 encoding of the password in Unicode normalization form C, so the same
/// password typed on different systems gives the same key.
/// </summary>
public sealed class BackupPassword : IDisposable
{
    public const int MinLength = 7;
    public const int MaxLength = 256;

    private readonly byte[] _utf8;

    private BackupPassword(byte[] utf8) => _utf8 = utf8;

    internal ReadOnlySpan<byte> Utf8 => _utf8;

    /// <summary>Validates and takes a copy of the characters; the caller clears its own buffer.</summary>
    public static BackupPassword From(ReadOnlySpan<char> password)
    {
        var length = new StringInfoLength(password).Value;
        if (length < MinLength)
        {
            throw new SsoException(SsoErrorCode.InvalidPassword,
                $"The backup password is too short: it needs at least {MinLength} characters.",
                "Choose a longer password (ENTSSO's rule: 7 to 256 characters).");
        }

        if (length > MaxLength)
        {
            throw new SsoException(SsoErrorCode.InvalidPassword,
                $"The backup password is too long: at most {MaxLength} characters are allowed.",
                "Choose a shorter password (ENTSSO's rule: 7 to 256 characters).");
        }

        // Normalization needs a string; it lives only as long as this call.
        var normalized = IsAscii(password) ? null : new string(password).Normalize(NormalizationForm.FormC);
        var source = normalized is null ? password : normalized.AsSpan();
        var utf8 = new byte[Encoding.UTF8.GetByteCount(source)];
        Encoding.UTF8.GetBytes(source, utf8);
        return new BackupPassword(utf8);
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_utf8);

    private static bool IsAscii(ReadOnlySpan<char> text) => System.Text.Ascii.IsValid(text);

    public override string ToString() => "(backup password)";

    /// <summary>Counts user-perceived characters as code points, so an emoji counts once, not twice.</summary>
    private readonly ref struct StringInfoLength
    {
        public StringInfoLength(ReadOnlySpan<char> text)
        {
            var count = 0;
            foreach (var _ in text.EnumerateRunes())
            {
                count++;
            }

            Value = count;
        }

        public int Value { get; }
    }
}
