using System.Text.Json;
using System.Text.Json.Serialization;
using SsoVault.Core.Errors;

namespace SsoVault.Cli.Infrastructure;

/// <summary>
/// Results go to stdout, as text for people or as JSON (--json) for scripts; progress, prompts and errors go to
/// stderr so that stdout stays parseable.
/// </summary>
internal sealed class ConsoleOutput(bool json)
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public bool Json { get; } = json;

    /// <summary>Prints <paramref name="text"/> for people, or <paramref name="data"/> as JSON.</summary>
    public void Result(object data, Action<TextWriter> text)
    {
        if (Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(data, data.GetType(), JsonOptions));
        }
        else
        {
            text(Console.Out);
        }
    }

    public static void Note(string message) => Console.Error.WriteLine(message);

    public void Error(SsoException error)
    {
        if (Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new
            {
                error = new { code = error.Code.ToString(), message = error.Message, hint = error.Hint, exitCode = error.ExitCode },
            }, JsonOptions));
        }

        Console.Error.WriteLine($"error: {error.Message}");
        if (error.Hint is not null)
        {
            Console.Error.WriteLine($"hint: {error.Hint}");
        }

        Console.Error.WriteLine($"code: {error.Code} (exit {error.ExitCode})");
    }
}
