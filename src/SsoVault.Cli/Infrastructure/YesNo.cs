using SsoVault.Core.Errors;

namespace SsoVault.Cli.Infrastructure;

/// <summary>ENTSSO's yes/no arguments: yes, no, on, off, true, false — case-insensitive, language-independent.</summary>
internal static class YesNo
{
    public static bool? ParseOptional(string? text, string option) => text is null ? null : Parse(text, option);

    public static bool Parse(string text, string option) => text.Trim().ToUpperInvariant() switch
    {
        "YES" or "ON" or "TRUE" or "Y" => true,
        "NO" or "OFF" or "FALSE" or "N" => false,
        _ => throw new SsoException(SsoErrorCode.InvalidInput, $"{option} takes yes or no (on/off), not '{text}'.", $"Example: {option} yes"),
    };
}
