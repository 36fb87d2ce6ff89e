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

    /// <summary>
    /// True when this process can normalize Unicode text. It cannot in globalization-invariant mode
    /// (<c>InvariantGlobalization</c>), where <see cref="string.Normalize(NormalizationForm)"/> silently returns its input.
    /// </summary>
    internal static bool CanNormalize { get; } =
        string.Equals("a\u0308".Normalize(NormalizationForm.FormC), "\u00E4", StringComparison.Ordinal);

    /// <summary>Validates and takes a copy of the characters; the caller clears its own buffer.</summary>
    public static BackupPassword From(ReadOnlySpan<char> password)
    {
        if (!IsWellFormed(password))
        {
            throw new SsoException(SsoErrorCode.InvalidPassword,
                "The backup password contains an invalid character (an unpaired UTF-16 surrogate).",
                "Type the password again; if it was read from a file, check that the file is valid UTF-8 or UTF-16.");
        }

        // Normalization needs a string; it lives only as long as this call.
        string? normalized = null;
        if (!IsAscii(password))
        {
            if (CanNormalize)
            {
                normalized = new string(password).Normalize(NormalizationForm.FormC);
            }
            else if (!IsStableUnderNormalization(password))
            {
                // Without normalization the same password typed in another form (NFD) would give another key and
                // a backup that seems to have a wrong password: refuse rather than write such a file.
                throw new SsoException(SsoErrorCode.InvalidPassword,
                    "This SsoVault process cannot normalize Unicode text (it runs in globalization-invariant mode), so it cannot use this password safely.",
                    "Use a password made of ASCII and Latin-1/Latin Extended letters (below U+0300), or run a SsoVault build with ICU (InvariantGlobalization=false).");
            }
        }

        var source = normalized is null ? password : normalized.AsSpan();

        // The length rule counts the normalized form, so the composed and decomposed forms of one password get the same verdict.
        var length = new StringInfoLength(source).Value;
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

        var utf8 = new byte[Encoding.UTF8.GetByteCount(source)];
        Encoding.UTF8.GetBytes(source, utf8);
        return new BackupPassword(utf8);
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_utf8);

    private static bool IsAscii(ReadOnlySpan<char> text) => System.Text.Ascii.IsValid(text);

    private static bool IsWellFormed(ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(text, out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return false;
            }

            text = text[consumed..];
        }

        return true;
    }

    /// <summary>
    /// Text below U+0300 is already in NFC, and NFC leaves it unchanged: no character there decomposes to a singleton
    /// or combines with a preceding one (the combining marks start at U+0300).
    /// </summary>
    private static bool IsStableUnderNormalization(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c >= '\u0300')
            {
                return false;
            }
        }

        return true;
    }

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
