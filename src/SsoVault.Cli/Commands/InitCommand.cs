using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using SsoVault.Cli.Infrastructure;
using SsoVault.Core.Errors;
using SsoVault.Core.Nodes;
using SsoVault.Server.Hosting;

namespace SsoVault.Cli.Commands;

/// <summary>
/// ENTSSO's configuration wizard: "Create a new SSO system" (database, master secret server, first secret and its
/// backup) or, with --join, "Join an existing SSO system" (no secret retrieved).
/// </summary>
internal static class InitCommand
{
    public static Command Create()
    {
        var backup = new Option<string?>("--backup") { Description = "Where to write the backup of the first master secret (required unless --join)." };
        var reminder = CommonOptions.Reminder();
        var nodeName = new Option<string?>("--node-name") { Description = "This node's name (default: the host name)." };
        var db = new Option<string?>("--db") { Description = "The SSO database: a SQLite file (default: ssodb.sqlite in the node's folder), or a PostgreSQL server shared by many nodes: postgres://USER:PASSWORD@HOST:PORT/DATABASE or Host=...;Database=... (created if missing)." };
        var join = new Option<bool>("--join") { Description = "Join an existing SSO system (needs --db); no secret is retrieved." };
        var passwordFile = CommonOptions.PasswordFile();
        var json = CommonOptions.Json();
        var command = new Command("init",
            "Create a new SSO system with this node as master secret server, or join an existing one.\n" +
            "Examples:\n" +
            "  ssovault init --backup ~/ssovault-secret.bak --reminder \"the blue notebook\"\n" +
            "  ssovault --home /srv/node2 init --join --db /srv/node1/ssodb.sqlite --node-name node2\n" +
            "  ssovault init --db postgres://sso:PASSWORD@db.example:5432/ssovault --backup ~/ssovault-secret.bak")
        {
            backup, reminder, nodeName, db, join, passwordFile, json,
        };

        CommandRunner.SetAction(command, json, async (parse, context, cancellationToken) =>
        {
            if (parse.GetValue(join))
            {
                if (parse.GetValue(backup) is not null || parse.GetValue(reminder) is not null || parse.GetValue(passwordFile) is not null)
                {
                    throw new SsoException(SsoErrorCode.InvalidInput, "--join takes no backup: a joining node gets no master secret.",
                        "Leave out --backup, --reminder and --password-file; restore a backup on this node later if it becomes the secret server.");
                }

                var database = parse.GetValue(db) ?? throw new SsoException(SsoErrorCode.InvalidInput,
                    "--join needs --db: the database of the SSO system to join.", "Example: ssovault init --join --db /srv/ssodb.sqlite --node-name node2");
                var joined = await SystemSetup.JoinAsync(context.Home, parse.GetValue(nodeName) ?? NodeSettings.DefaultNodeName(),
                    database, context.Databases, context.Clock, context.Logger, cancellationToken);
                joined = joined with { Database = DatabaseProviders.Display(joined.Database) }; // never print a password
                var joinedFingerprint = NodeCertificate.EnsureCreated(context.Home, joined.NodeName, context.Clock);
                context.Output.Result(WithFingerprint(joined, joinedFingerprint), o =>
                {
                    o.WriteLine($"Node '{joined.NodeName}' joined SSO system {joined.SystemId}.");
                    o.WriteLine($"  node folder:           {context.Home.Root}");
                    o.WriteLine($"  database:              {joined.Database}");
                    o.WriteLine($"  master secret server:  {joined.SecretServer}");
                    o.WriteLine($"  identity thumbprint:   {joined.Thumbprint} (pending approval)");
                    PrintCertificate(o, context, joinedFingerprint);
                    o.WriteLine("No master secret was retrieved (as expected). Next:");
                    o.WriteLine($"  1. an SSO administrator approves the node (after checking the thumbprint above):");
                    o.WriteLine($"       ssovault node approve {joined.NodeName} --thumbprint {joined.Thumbprint}");
                    o.WriteLine("  2. start its SSO server: ssovault serve (it gets the data keys from the master secret server)");
                    o.WriteLine("To make this node the master secret server instead:");
                    o.WriteLine($"  ssovault system update --secret-server {joined.NodeName}");
                    o.WriteLine("  ssovault secret restore BACKUP-FILE");
                });
                return ExitCodes.Success;
            }

            var backupPath = parse.GetValue(backup) ?? throw new SsoException(SsoErrorCode.InvalidInput,
                "init needs --backup FILE: the first master secret is backed up before anything depends on it.",
                "Example: ssovault init --backup ~/ssovault-secret.bak (or 'ssovault up', which picks a file for you).");
            return await InitializeAsync(context, backupPath, parse.GetValue(reminder), parse.GetValue(nodeName),
                parse.GetValue(db), parse.GetValue(passwordFile), cancellationToken);
        });
        return command;
    }

    /// <summary>Shared with 'up': prompts, creates the system, prints where the backup is and what to do next.</summary>
    public static async Task<int> InitializeAsync(CliContext context, string backupPath, string? reminder, string? nodeName,
        string? database, string? passwordFile, CancellationToken cancellationToken)
    {
        if (context.Home.IsInitialized)
        {
            throw new SsoException(SsoErrorCode.AlreadyInitialized, $"{context.Home.Root} already holds a SsoVault node. Nothing was changed.",
                "Use another --home for a new node, or 'ssovault system show' to see this one.");
        }

        if (PasswordReader.WillPrompt(passwordFile))
        {
            ConsoleOutput.Note($"The first master secret will be backed up to {Path.GetFullPath(backupPath)}.");
            ConsoleOutput.Note("Choose a password for the backup (7 to 256 characters). Without the file AND the password a lost secret cannot be recovered.");
        }

        var (password, hint) = PasswordReader.ReadNew(passwordFile, reminder);
        using var _ = password;
        var result = await SystemSetup.InitializeAsync(context.Home, nodeName ?? NodeSettings.DefaultNodeName(), database, backupPath,
            hint, password, context.Databases, context.Clock, context.Logger, cancellationToken);
        result = result with { Database = DatabaseProviders.Display(result.Database) }; // never print a password
        var fingerprint = NodeCertificate.EnsureCreated(context.Home, result.NodeName, context.Clock);
        context.Output.Result(WithFingerprint(result, fingerprint), o =>
        {
            o.WriteLine(result.Resumed ? $"Finished the interrupted creation of SSO system {result.SystemId}." : $"Created SSO system {result.SystemId}.");
            o.WriteLine($"  node folder:           {context.Home.Root}");
            o.WriteLine($"  database:              {result.Database}");
            o.WriteLine($"  master secret server:  {result.NodeName} (this node)");
            o.WriteLine($"  master secret:         {result.Msid} (key-check value {result.KeyCheck})");
            o.WriteLine($"  backup:                {result.BackupPath}{(result.Resumed ? "" : " (written, read back and verified)")}");
            PrintCertificate(o, context, fingerprint);
            o.WriteLine();
            o.WriteLine("Next:");
            o.WriteLine("  1. Copy the backup file to offline storage and keep its password somewhere else.");
            o.WriteLine("     Without both, a lost master secret means every stored value is lost.");
            o.WriteLine("  2. ssovault secret status                  the master secret's health, at any time");
            o.WriteLine("  3. ssovault config set MyApp ConfigProperties endpoint=https://erp.example.com user=svc-erp");
            o.WriteLine("     ssovault config get MyApp ConfigProperties");
        });
        return ExitCodes.Success;
    }

    /// <summary>
    /// The node's TLS certificate is made at init (not at first serve) so that its fingerprint can be given to clients
    /// for pinning before the server ever starts; serve still makes one for nodes initialized by older versions.
    /// </summary>
    private static void PrintCertificate(TextWriter o, CliContext context, string fingerprint)
    {
        o.WriteLine($"  TLS certificate:       {NodeCertificate.CertificatePath(context.Home)}");
        o.WriteLine($"  SHA-256 fingerprint:   {fingerprint}");
    }

    /// <summary>The result's JSON with the certificate fingerprint added as <c>certificateSha256</c>.</summary>
    private static JsonObject WithFingerprint<T>(T result, string fingerprint)
    {
        var json = (JsonObject)JsonSerializer.SerializeToNode(result, ConsoleOutput.JsonOptions)!;
        json["certificateSha256"] = fingerprint;
        return json;
    }
}
