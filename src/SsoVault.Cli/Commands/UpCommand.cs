using System.CommandLine;
using SsoVault.Cli.Infrastructure;
using SsoVault.Core.Errors;
using SsoVault.Core.IO;
using SsoVault.Core.MasterSecrets;

namespace SsoVault.Cli.Commands;

/// <summary>
/// The newcomer's one command: on first run it creates the node (database, master secret, backup in the node's
/// backups folder) and says where the backup is and what to do next; on later runs it shows the node's health.
/// </summary>
internal static class UpCommand
{
    public static Command Create()
    {
        var nodeName = new Option<string?>("--node-name") { Description = "This node's name on first run (default: the host name)." };
        var reminder = CommonOptions.Reminder();
        var passwordFile = CommonOptions.PasswordFile();
        var command = new Command("up",
            "Set up a single-node SSO system on SQLite on first run, then show its state.\n" +
            "Example: ./ssovault up")
        {
            nodeName, reminder, passwordFile,
        };

        CommandRunner.SetAction(command, json: null, async (parse, context, cancellationToken) =>
        {
            if (!context.Home.IsInitialized)
            {
                Directory.CreateDirectory(context.Home.Root);
                AtomicFile.EnsurePrivateDirectory(context.Home.BackupsDirectory);
                var backupPath = Path.Combine(context.Home.BackupsDirectory,
                    $"master-secret-{context.Clock.GetUtcNow():yyyyMMdd-HHmmss}.bak");
                ConsoleOutput.Note($"No node in {context.Home.Root} yet: creating a new single-node SSO system on SQLite.");
                var code = await InitCommand.InitializeAsync(context, backupPath, parse.GetValue(reminder), parse.GetValue(nodeName),
                    database: null, parse.GetValue(passwordFile), cancellationToken);
                if (code != ExitCodes.Success)
                {
                    return code;
                }

                Console.Out.WriteLine();
            }

            await using var node = await context.OpenNodeAsync(cancellationToken);
            var status = await SecretStatusReport.GetAsync(node, cancellationToken);
            Console.Out.WriteLine($"Node '{node.Name}' in {context.Home.Root} is up; database {node.Database.DisplayLocation}.");
            StatusPrinter.Print(Console.Out, status);
            return ExitCodes.Success;
        });
        return command;
    }
}
