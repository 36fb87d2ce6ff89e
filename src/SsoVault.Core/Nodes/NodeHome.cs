namespace SsoVault.Core.Nodes;

/// <summary>
/// A node's directory (<c>SSOVAULT_HOME</c> or <c>--home</c>) and the fixed places inside it:
/// <c>node.json</c> (settings), <c>ssodb.sqlite</c> (the default database), <c>secrets/</c> (the master secret
/// store, owner-only), <c>backups/</c> (where <c>up</c> writes the first backup) and <c>logs/</c>.
/// </summary>
public sealed class NodeHome
{
    public const string EnvironmentVariable = "SSOVAULT_HOME";

    public NodeHome(string root) => Root = Path.GetFullPath(root);

    public string Root { get; }

    public string SettingsPath => Path.Combine(Root, "node.json");

    public string DefaultDatabasePath => Path.Combine(Root, "ssodb.sqlite");

    public string SecretsDirectory => Path.Combine(Root, "secrets");

    public string BackupsDirectory => Path.Combine(Root, "backups");

    public string LogsDirectory => Path.Combine(Root, "logs");

    /// <summary>The node's own signing key (see <see cref="NodeIdentity"/>): 0600 in a 0700 folder.</summary>
    public string IdentityKeyPath => Path.Combine(Root, "identity", "node.key");

    public bool IsInitialized => File.Exists(SettingsPath);

    /// <summary><c>--home</c> if given, else <c>SSOVAULT_HOME</c>, else <c>~/.ssovault</c>.</summary>
    public static NodeHome Resolve(string? explicitHome)
    {
        var root = explicitHome;
        if (string.IsNullOrWhiteSpace(root))
        {
            root = Environment.GetEnvironmentVariable(EnvironmentVariable);
        }

        if (string.IsNullOrWhiteSpace(root))
        {
            root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssovault");
        }

        return new NodeHome(root);
    }
}
