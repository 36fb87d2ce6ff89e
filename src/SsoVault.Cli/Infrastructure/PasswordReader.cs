using System.Security.Cryptography;
using System.Text;
using SsoVault.Core.Backup;
using SsoVault.Core.Errors;

namespace SsoVault.Cli.Infrastructure;

/// <summary>
/// Where a backup password comes from, never the command line: --password-file FILE, the SSOVAULT_BACKUP_PASSWORD
/// environment variable, one line of redirected standard input, or a prompt without echo (with confirmation for a
/// new password). The characters live in buffers that are cleared after use.
/// </summary>
internal static class PasswordReader
{
    public const string EnvironmentVariable = "SSOVAULT_BACKUP_PASSWORD";
    private const int MaxAttempts = 3;

    /// <param name="confirm">Ask twice when prompting (a new backup); a typo would make the backup useless.</param>
    public static BackupPassword Read(string? passwordFile, bool confirm, string prompt = "Backup password")
    {
        if (passwordFile is not null)
        {
            return FromFile(passwordFile);
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return BackupPassword.From(fromEnvironment);
        }

        if (Console.IsInputRedirected)
        {
            var line = Console.In.ReadLine() ?? throw new SsoException(SsoErrorCode.InvalidPassword,
                "No backup password was given: standard input is empty.",
                $"Use --password-file FILE, set {EnvironmentVariable}, or run the command in a terminal to be prompted.");
            return BackupPassword.From(line);
        }

        for (var attempt = 1; ; attempt++)
        {
            var first = Prompt($"{prompt}: ");
            try
            {
                if (!confirm)
                {
                    return BackupPassword.From(first);
                }

                var password = BackupPassword.From(first);
                var second = Prompt("Confirm the password: ");
                try
                {
                    if (first.AsSpan().SequenceEqual(second))
                    {
                        return password;
                    }
                }
                finally
                {
                    Array.Clear(second);
                }

                password.Dispose();
                Console.Error.WriteLine("The two passwords differ.");
            }
            catch (SsoException e) when (e.Code == SsoErrorCode.InvalidPassword && attempt < MaxAttempts)
            {
                Console.Error.WriteLine($"{e.Message} {e.Hint}");
            }
            finally
            {
                Array.Clear(first);
            }

            if (attempt >= MaxAttempts)
            {
                throw new SsoException(SsoErrorCode.InvalidPassword, "No valid password was entered.", "Run the command again.");
            }
        }
    }

    /// <summary>
    /// The password and reminder for a new backup (ENTSSO prompts password, confirmation, reminder): the reminder is
    /// asked for only when a person is at the terminal; scripts get none unless given.
    /// </summary>
    public static (BackupPassword Password, string Reminder) ReadNew(string? passwordFile, string? reminder)
    {
        var prompted = WillPrompt(passwordFile);
        var password = Read(passwordFile, confirm: true);
        if (reminder is not null || !prompted)
        {
            return (password, reminder ?? string.Empty);
        }

        Console.Error.Write("Password reminder (optional; anyone who can read the file can read it): ");
        return (password, Console.ReadLine() ?? string.Empty);
    }

    /// <summary>True when <see cref="Read"/> would prompt at the terminal.</summary>
    public static bool WillPrompt(string? passwordFile) =>
        passwordFile is null && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(EnvironmentVariable)) && !Console.IsInputRedirected;

    private static BackupPassword FromFile(string path)
    {
        var bytes = SsoVault.Core.IO.AtomicFile.ReadBounded(path, 4096, "password file");
        char[]? chars = null;
        try
        {
            var length = bytes.Length;
            if (length > 0 && bytes[length - 1] == '\n')
            {
                length--;
                if (length > 0 && bytes[length - 1] == '\r')
                {
                    length--;
                }
            }

            chars = new char[Encoding.UTF8.GetCharCount(bytes, 0, length)];
            Encoding.UTF8.GetChars(bytes, 0, length, chars, 0);
            return BackupPassword.From(chars);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
            if (chars is not null)
            {
                Array.Clear(chars);
            }
        }
    }

    private static char[] Prompt(string text) => HiddenInput.ReadLine(text, BackupPassword.MaxLength * 2 + 2);
}
