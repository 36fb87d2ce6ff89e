using SsoVault.Core.Errors;

namespace SsoVault.Core.Identity;

/// <summary>
/// Account names are <c>DOMAIN\name</c>, as in ENTSSO; compared case-insensitively, stored as first written. Built-in
/// and well-known accounts are refused (ENTSSO event 10777): they would grant roles to everyone.
/// </summary>
public static class AccountName
{
    public const int MaxDomainLength = 64;
    public const int MaxNameLength = 256;

    private static readonly string[] RefusedDomains = ["BUILTIN", "NT AUTHORITY", "NT SERVICE", "WINDOW MANAGER", "FONT DRIVER HOST"];
    private static readonly string[] RefusedNames = ["Everyone", "Authenticated Users", "Anonymous Logon", "Guests", "Users"];

    public static string Validate(string? text)
    {
        var name = text?.Trim();
        var slash = name?.IndexOf('\\', StringComparison.Ordinal) ?? -1;
        if (string.IsNullOrEmpty(name) || slash <= 0 || slash == name.Length - 1 || name.IndexOf('\\', slash + 1) >= 0
            || slash > MaxDomainLength || name.Length - slash - 1 > MaxNameLength || name.Any(char.IsControl))
        {
            throw new SsoException(SsoErrorCode.InvalidInput,
                $"'{text}' is not a valid account name.",
                @"Write accounts as DOMAIN\name (for example CORP\alice or CORP\BizTalk Admins): one backslash, a domain of at most 64 characters.");
        }

        var domain = name[..slash];
        var user = name[(slash + 1)..];
        if (RefusedDomains.Any(d => d.Equals(domain, StringComparison.OrdinalIgnoreCase)) ||
            RefusedNames.Any(n => n.Equals(user, StringComparison.OrdinalIgnoreCase)))
        {
            throw new SsoException(SsoErrorCode.InvalidInput,
                $"'{name}' is a built-in or well-known account; SSO roles and mappings cannot use it (ENTSSO event 10777).",
                "Create a dedicated group, add the people to it, and use that group.");
        }

        return name;
    }
}
