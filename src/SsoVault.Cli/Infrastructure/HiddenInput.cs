namespace SsoVault.Cli.Infrastructure;

/// <summary>Reads one line at the terminal without echo (passwords, credentials). Backspace works; Ctrl+C cancels.</summary>
internal static class HiddenInput
{
    /// <returns>The characters typed; the caller clears the array when done.</returns>
    public static char[] ReadLine(string prompt, int maxLength)
    {
        Console.Error.Write(prompt);
        var buffer = new char[maxLength];
        var length = 0;
        try
        {
            while (true)
            {
                var key = Console.ReadKey(intercept: true);
                if (key.Key == ConsoleKey.Enter)
                {
                    break;
                }

                if (key.Key == ConsoleKey.Backspace)
                {
                    if (length > 0)
                    {
                        length--;
                    }

                    continue;
                }

                if (key.KeyChar != '\0' && length < buffer.Length)
                {
                    buffer[length++] = key.KeyChar;
                }
            }

            Console.Error.WriteLine();
            return buffer[..length];
        }
        finally
        {
            Array.Clear(buffer);
        }
    }
}
