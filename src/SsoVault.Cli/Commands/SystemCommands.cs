using System.CommandLine;
using SsoVault.Cli.Infrastructure;
using SsoVault.Cli.Remote;
using SsoVault.Core.Entsso;
using SsoVault.Core.Errors;
using SsoVault.Core.MasterSecrets;
using SsoVault.Core.Nodes;

namespace SsoVault.Cli.Commands;

/// <summary>'system show' (ssomanage -displaydb) and 'system update' (ssomanage -updatedb).</summary>
internal static class SystemCommands
{
    public static Command Create()
    {
        var command = new Command("system", "The SSO system's global information.");
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Update());
        return command;
    }

    private static Command Show()
    {
        var json = CommonOptions.Json();
        var command = new Command("show", "Show the global info: secret server, master secrets, database, nodes.\nExample: ssovault system show --json") { json };
        CommandRunner.SetAction(command, json, async (_, context, cancellationToken) =>
        {
            SystemOverviewResult overview;
            if (context.Remote is { } client)
            {
                overview = (await client.GetGlobalInfoAsync(cancellationToken)).ToCore();
            }
            else
            {
                await using var node = await context.OpenNodeAsync(cancellationToken);
                overview = await SystemOverview.GetAsync(node, cancellationToken);
            }

            context.Output.Result(overview, o =>
            {
                o.WriteLine($"SSO system:            {overview.SystemId} (created {overview.CreatedUtc:u})");
                o.WriteLine($"Database:              {overview.Database} (schema version {overview.SchemaVersion})");
                o.WriteLine($"Master secret server:  {overview.SecretServer}");
                o.WriteLine($"Current secret:        {Describe(overview.Current)}");
                o.WriteLine($"Previous secret:       {Describe(overview.Previous)}");
                o.WriteLine($"Data keys:             {overview.DataKeys}");
                o.WriteLine($"Nodes:");
                foreach (var n in overview.Nodes)
                {
                    var marks = (n.Name.Equals(overview.SecretServer, StringComparison.OrdinalIgnoreCase) ? " [secret server]" : "")
                                + (n.Name.Equals(overview.ThisNode, StringComparison.OrdinalIgnoreCase) ? " [this node]" : "");
                    o.WriteLine($"  {n.Name,-24} joined {n.JoinedUtc:u}{marks}");
                }
            });
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Update()
    {
        var file = new Argument<string?>("FILE") { Description = "An ENTSSO global info update file (<sso><globalInfo>...).", Arity = ArgumentArity.ZeroOrOne };
        var secretServer = new Option<string?>("--secret-server") { Description = "Make this joined node the master secret server." };
        var json = CommonOptions.Json();
        var command = new Command("update",
            "Change global info, e.g. move the master secret server (works from any node, for when the old one is lost).\n" +
            "Examples:\n" +
            "  ssovault system update --secret-server node2\n" +
            "  ssovault system update update.xml      (<sso><globalInfo><secretServer>node2</secretServer></globalInfo></sso>)")
        {
            file, secretServer, json,
        };
        CommandRunner.SetAction(command, json, async (parse, context, cancellationToken) =>
        {
            var path = parse.GetValue(file);
            var name = parse.GetValue(secretServer);
            if ((path is null) == (name is null))
            {
                throw new SsoException(SsoErrorCode.InvalidInput, "Give either an update FILE or --secret-server NAME (one of them).",
                    "Example: ssovault system update --secret-server node2");
            }

            name ??= GlobalInfoFile.Load(path!).SecretServer!;
            await using var node = await context.OpenNodeAsync(cancellationToken);
            var moved = await SecretServerMove.UpdateAsync(node, name, cancellationToken);
            context.Output.Result(moved, o =>
            {
                if (!moved.Changed)
                {
                    o.WriteLine($"'{moved.NewServer}' already is the master secret server; nothing was changed.");
                    return;
                }

                o.WriteLine($"The master secret server is now '{moved.NewServer}' (was '{moved.OldServer}').");
                if (!moved.NewServerHoldsSecret)
                {
                    o.WriteLine($"Next, on '{moved.NewServer}': ssovault secret restore BACKUP-FILE");
                }
            });
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Describe(SsoVault.Core.Storage.MasterSecretInfo? secret) =>
        secret is null ? "none" : $"{secret.Msid}  kcv {secret.KeyCheck}  created {secret.CreatedUtc:u}";
}
