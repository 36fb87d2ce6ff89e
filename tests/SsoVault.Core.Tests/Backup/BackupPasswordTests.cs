using System.Text;
using SsoVault.Core.Backup;
using SsoVault.Core.Errors;

namespace SsoVault.Core.Tests.Backup;

public sealed class BackupPasswordTests
{
    private const string Emoji = "\U0001F511"; // one code point, two UTF-16 code units

    private static string Repeat(string text, int count) => string.Concat(Enumerable.Repeat(text, count));

    /// <summary>In a globalization-invariant process, passwords beyond U+02FF are refused: check that and stop.</summary>
    private static bool SkipWithoutNormalization(string password)
    {
        if (BackupPassword.CanNormalize)
        {
            return false;
        }

        Assert.Equal(SsoErrorCode.InvalidPassword, Assert.Throws<SsoException>(() => BackupPassword.From(password)).Code);
        return true;
    }

    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(255)]
    [InlineData(256)]
    public void From_LengthWithinSevenTo256_Accepts(int length)
    {
        using var password = BackupPassword.From(new string('x', length));

        Assert.Equal(length, password.Utf8.Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(6)]
    [InlineData(257)]
    [InlineData(10_000)]
    public void From_LengthOutsideSevenTo256_ThrowsInvalidPassword(int length)
    {
        var ex = Assert.Throws<SsoException>(() => BackupPassword.From(new string('x', length)));

        Assert.Equal(SsoErrorCode.InvalidPassword, ex.Code);
        Assert.NotNull(ex.Hint);
    }

    [Fact]
    public void From_SevenEmoji_CountsCodePointsAndAccepts()
    {
        if (SkipWithoutNormalization(Repeat(Emoji, 7)))
        {
            return;
        }

        using var password = BackupPassword.From(Repeat(Emoji, 7));

        Assert.Equal(28, password.Utf8.Length);
    }

    [Fact]
    public void From_SixEmoji_ThrowsInvalidPassword()
    {
        // Twelve UTF-16 code units, but six characters.
        var ex = Assert.Throws<SsoException>(() => BackupPassword.From(Repeat(Emoji, 6)));

        Assert.Equal(SsoErrorCode.InvalidPassword, ex.Code);
    }

    [Fact]
    public void From_256EmojiAccepted_257Refused()
    {
        if (SkipWithoutNormalization(Repeat(Emoji, 256)))
        {
            return;
        }

        using var longest = BackupPassword.From(Repeat(Emoji, 256));

        var ex = Assert.Throws<SsoException>(() => BackupPassword.From(Repeat(Emoji, 257)));

        Assert.Equal(1024, longest.Utf8.Length);
        Assert.Equal(SsoErrorCode.InvalidPassword, ex.Code);
    }

    /// <summary>
    /// The decomposed (NFD) form of a password must give exactly the bytes of its composed (NFC) form. A process
    /// that cannot normalize (globalization-invariant mode) must refuse it instead: never accept it as other bytes.
    /// </summary>
    internal static void AssertSameAsNfcOrRefused(string nfd, string nfc)
    {
        if (BackupPassword.CanNormalize)
        {
            using var a = BackupPassword.From(nfd);
            using var b = BackupPassword.From(nfc);
            Assert.Equal(b.Utf8.ToArray(), a.Utf8.ToArray());
        }
        else
        {
            var ex = Assert.Throws<SsoException>(() => BackupPassword.From(nfd));
            Assert.Equal(SsoErrorCode.InvalidPassword, ex.Code);
            Assert.Contains("normalize", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void From_NfcAndNfdForms_GiveTheSameKeyDerivationInput()
    {
        using var nfc = BackupPassword.From(BackupFileFixture.NfcPassword);

        AssertSameAsNfcOrRefused(BackupFileFixture.NfdPassword, BackupFileFixture.NfcPassword);
        Assert.Equal(Encoding.UTF8.GetBytes("p\u00E4ssword1"), nfc.Utf8.ToArray());
    }

    [Fact]
    public void From_LatinPasswordWithoutNormalization_IsAcceptedAsIs()
    {
        // Text below U+0300 is NFC already, so it is usable even where normalization is unavailable.
        using var password = BackupPassword.From("Ærøskøbing-ñandú-\u0160\u0165\u01FF");

        Assert.Equal(Encoding.UTF8.GetBytes("Ærøskøbing-ñandú-\u0160\u0165\u01FF"), password.Utf8.ToArray());
    }

    [Fact]
    public void From_SevenCharactersTypedDecomposed_CountsThemAsSeven()
    {
        // "äöüäöüä": 7 characters in NFC, 14 code points in NFD. Both forms are the same password,
        // so both must get the same verdict; the rule counts the normalized (NFC) form.
        const string nfc = "\u00E4\u00F6\u00FC\u00E4\u00F6\u00FC\u00E4";
        const string nfd = "a\u0308o\u0308u\u0308a\u0308o\u0308u\u0308a\u0308";

        AssertSameAsNfcOrRefused(nfd, nfc);
    }

    [Fact]
    public void From_SixCharactersTypedDecomposed_IsRefusedLikeTheComposedForm()
    {
        const string nfc = "\u00E4\u00F6\u00FC\u00E4\u00F6\u00FC";
        const string nfd = "a\u0308o\u0308u\u0308a\u0308o\u0308u\u0308"; // 12 code points

        Assert.Equal(SsoErrorCode.InvalidPassword, Assert.Throws<SsoException>(() => BackupPassword.From(nfc)).Code);
        Assert.Equal(SsoErrorCode.InvalidPassword, Assert.Throws<SsoException>(() => BackupPassword.From(nfd)).Code);
    }

    [Fact]
    public void From_NonLatinPassword_IsNormalizedOrRefusedNeverSilentlyUnnormalized()
    {
        const string cyrillic = "\u0439\u043E\u0433\u0443\u0440\u0442-2025"; // "йогурт-2025", й precomposed
        const string decomposed = "\u0438\u0306\u043E\u0433\u0443\u0440\u0442-2025"; // и + combining breve

        if (BackupPassword.CanNormalize)
        {
            AssertSameAsNfcOrRefused(decomposed, cyrillic);
        }
        else
        {
            Assert.Equal(SsoErrorCode.InvalidPassword, Assert.Throws<SsoException>(() => BackupPassword.From(cyrillic)).Code);
            Assert.Equal(SsoErrorCode.InvalidPassword, Assert.Throws<SsoException>(() => BackupPassword.From(decomposed)).Code);
        }
    }

    [Fact]
    public void From_LoneSurrogate_ThrowsInvalidPassword()
    {
        // Built in code: xunit's theory data would itself replace unpaired surrogates with U+FFFD.
        foreach (var password in new[] { "abc\uD800defgh", "abcdefgh\uDC00", "\uDC00\uD800abcdefgh", "abcdefgh" + '\uD801' })
        {
            var ex = Assert.Throws<SsoException>(() => BackupPassword.From(password));

            Assert.Equal(SsoErrorCode.InvalidPassword, ex.Code);
            Assert.Contains("surrogate", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void From_CharacterBuffer_IsCopiedSoTheCallerCanClearIt()
    {
        var chars = "secret-password".ToCharArray();
        using var password = BackupPassword.From(chars);

        Array.Clear(chars);

        Assert.Equal("secret-password"u8.ToArray(), password.Utf8.ToArray());
    }

    [Fact]
    public void Dispose_Always_ClearsTheBytes()
    {
        var password = BackupPassword.From("secret-password");

        password.Dispose();

        Assert.All(password.Utf8.ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void ToString_Always_HidesThePassword()
    {
        using var password = BackupPassword.From("secret-password");

        Assert.DoesNotContain("secret", password.ToString(), StringComparison.Ordinal);
    }
}

public sealed class PasswordReminderTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(512)]
    public void Validate_UpTo512Characters_ReturnsIt(int length)
    {
        var reminder = new string('r', length);

        Assert.Equal(reminder, PasswordReminder.Validate(reminder));
    }

    [Fact]
    public void Validate_Null_ReturnsEmpty()
    {
        Assert.Equal("", PasswordReminder.Validate(null));
    }

    [Theory]
    [InlineData(513)]
    [InlineData(5000)]
    public void Validate_Over512Characters_ThrowsInvalidPassword(int length)
    {
        var ex = Assert.Throws<SsoException>(() => PasswordReminder.Validate(new string('r', length)));

        Assert.Equal(SsoErrorCode.InvalidPassword, ex.Code);
    }

    [Fact]
    public void Validate_TabsNewlinesAndUnicode_AreKept()
    {
        const string reminder = "ligne 1\tcolonne\nligne 2 — 猫 🐈";

        Assert.Equal(reminder, PasswordReminder.Validate(reminder));
    }

    [Theory]
    [InlineData("bell\a")]
    [InlineData("nul\0")]
    [InlineData("cr\r")]
    [InlineData("esc\u001b[31m")]
    [InlineData("del\u007f")]
    public void Validate_ControlCharacter_ThrowsInvalidInput(string reminder)
    {
        var ex = Assert.Throws<SsoException>(() => PasswordReminder.Validate(reminder));

        Assert.Equal(SsoErrorCode.InvalidInput, ex.Code);
    }

    [Fact]
    public void Validate_UnpairedSurrogate_ThrowsInvalidInput()
    {
        // Built in code: xunit's theory data would itself replace unpaired surrogates.
        foreach (var reminder in new[] { "cat \uD83D", "\uDC31 cat" })
        {
            var ex = Assert.Throws<SsoException>(() => PasswordReminder.Validate(reminder));

            Assert.Equal(SsoErrorCode.InvalidInput, ex.Code);
        }

        Assert.Equal("cat \U0001F431", PasswordReminder.Validate("cat \U0001F431"));
    }
}
