using SsoVault.Core.Errors;

namespace SsoVault.Core.Backup;

/// <summary>The password reminder (hint) stored in clear in a backup file: at most 512 characters, as in ENTSSO.</summary>
public static class PasswordReminder
{
    public const int MaxLength = 512;

    public static string Validate(string? reminder)
    {
        reminder ??= string.Empty;
        if (reminder.Length > MaxLength)
        {
            throw new SsoException(SsoErrorCode.InvalidPassword,
                $"The password reminder is {reminder.Length} characters long; at most {MaxLength} are allowed.",
                "Shorten the reminder. Remember it is readable by anyone who can read the backup file.");
        }

        if (reminder.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF') && !IsWellFormed(reminder))
        {
            // The UTF-8 encoder would silently replace it with U+FFFD: the file would not hold what was typed.
            throw new SsoException(SsoErrorCode.InvalidInput,
                "The password reminder contains an invalid character (an unpaired UTF-16 surrogate).",
                "Type the reminder again.");
        }

        foreach (var c in reminder)
        {
            if (char.IsControl(c) && c != '\n' && c != '\t')
            {
                throw new SsoException(SsoErrorCode.InvalidInput,
                    "The password reminder contains a control character.",
                    "Use printable text only.");
            }
        }

        return reminder;
    }

    private static bool IsWellFormed(ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            if (System.Text.Rune.DecodeFromUtf16(text, out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return false;
            }

            text = text[consumed..];
        }

        return true;
    }
}
