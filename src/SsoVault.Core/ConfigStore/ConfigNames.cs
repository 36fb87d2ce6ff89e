using SsoVault.Core.Errors;

namespace SsoVault.Core.ConfigStore;

/// <summary>Validation of config-store names and values, with errors that say which rule was broken.</summary>
public static class ConfigNames
{
    public const int MaxApplicationLength = 128;
    public const int MaxIdentifierLength = 256;
    public const int MaxPropertyLength = 256;
    public const int MaxValueBytes = 64 * 1024;

    /// <summary>ENTSSO's rule: not empty, no spaces; case-insensitive but case-preserving.</summary>
    public static string Application(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxApplicationLength || HasSpaceOrControl(name))
        {
            throw new SsoException(SsoErrorCode.InvalidInput,
                $"'{name}' is not a valid application name.",
                $"Use 1 to {MaxApplicationLength} characters without spaces (ENTSSO's rule); names are case-insensitive.");
        }

        return name;
    }

    public static string Identifier(string? identifier)
    {
        if (string.IsNullOrEmpty(identifier) || identifier.Length > MaxIdentifierLength || identifier.Any(char.IsControl))
        {
            throw new SsoException(SsoErrorCode.InvalidInput,
                $"'{identifier}' is not a valid config identifier.",
                $"Use 1 to {MaxIdentifierLength} printable characters (ENTSSO tools often use 'ConfigProperties' or a GUID).");
        }

        return identifier;
    }

    public static string Property(string? property)
    {
        if (string.IsNullOrEmpty(property) || property.Length > MaxPropertyLength || property.Contains('=', StringComparison.Ordinal)
            || property.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            throw new SsoException(SsoErrorCode.InvalidInput,
                $"'{property}' is not a valid property name.",
                $"Use 1 to {MaxPropertyLength} characters without spaces or '='.");
        }

        return property;
    }

    public static byte[] Value(string property, string value)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(value);
        if (bytes.Length > MaxValueBytes)
        {
            throw new SsoException(SsoErrorCode.InvalidInput,
                $"The value of '{property}' is {bytes.Length:N0} bytes; at most {MaxValueBytes:N0} are allowed.",
                "Store large documents elsewhere and keep a reference here.");
        }

        return bytes;
    }

    /// <summary>A loop rather than LINQ: every lookup checks its application name.</summary>
    private static bool HasSpaceOrControl(string name)
    {
        foreach (var c in name)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }
}
