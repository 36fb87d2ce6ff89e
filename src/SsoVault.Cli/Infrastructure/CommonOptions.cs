using System.CommandLine;

namespace SsoVault.Cli.Infrastructure;

/// <summary>Options shared by many commands, defined once.</summary>
internal static class CommonOptions
{
    public static readonly Option<string?> Home = new("--home")
    {
        Description = "The node's folder (default: $SSOVAULT_HOME, else ~/.ssovault).",
        Recursive = true,
    };

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Also write log lines to stderr.",
        Recursive = true,
    };

    public static readonly Option<string?> As = new("--as")
    {
        Description = "Act as this directory account instead of the local operator (to use or check its rights), e.g. --as 'CORP\\alice'.",
        Recursive = true,
    };

    public static readonly Option<string?> Server = new("--server")
    {
        Description = "Talk to this SSO server (https://HOST:PORT) instead of the local node's database.",
        Recursive = true,
    };

    public static readonly Option<string?> ApiKeyFile = new("--api-key-file")
    {
        Description = "With --server: read the API key from this file (first line). SSOVAULT_API_KEY works too; never pass a key as an argument.",
        Recursive = true,
    };

    public static readonly Option<string?> ServerFingerprint = new("--server-fingerprint")
    {
        Description = "With --server: the SHA-256 fingerprint of the server's certificate to pin (printed by 'ssovault serve'). " +
                      "Default: SSOVAULT_SERVER_FINGERPRINT, else the node folder's tls/server.sha256 (a server on this machine), else the platform's trust.",
        Recursive = true,
    };

    public static Option<bool> Json() => new("--json") { Description = "Print the result as JSON for scripts." };

    public static Option<string?> PasswordFile() => new("--password-file")
    {
        Description = "Read the backup password from this file (first line) instead of prompting. " +
                      "SSOVAULT_BACKUP_PASSWORD or one line on redirected stdin work too; never pass a password as an argument.",
    };

    public static Option<string?> Reminder() => new("--reminder")
    {
        Description = "A password reminder stored in clear in the backup file (at most 512 characters).",
    };
}
