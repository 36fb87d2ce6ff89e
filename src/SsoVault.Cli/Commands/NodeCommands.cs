using System.CommandLine;
using SsoVault.Cli.Infrastructure;
using SsoVault.Core.Errors;
using SsoVault.Core.Nodes;
using SsoVault.Core.Storage;

namespace SsoVault.Cli.Commands;

/// <summary>'node list|approve|remove': which nodes the master secret server releases data keys to.</summary>
internal static class NodeCommands
{
    public static Command Create()
    {
        var command = new Command("node", "The nodes of the SSO system and their trust: a joined node gets no data key until approved.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Approve());
        command.Subcommands.Add(Remove());
        return command;
    }

    private static Command List()
    {
        var json = CommonOptions.Json();
        var command = new Command("list", "List the nodes: state, identity thumbprint, address. Example: ssovault node list") { json };
        CommandRunner.SetAction(command, json, async (_, context, cancellationToken) =>
        {
            RefuseRemote(context);
            await using var node = await context.OpenNodeAsync(cancellationToken);
            var nodes = await NodeTrust.ListAsync(node, await context.CallerAsync(node, cancellationToken), cancellationToken);
            context.Output.Result(nodes, o =>
            {
                o.WriteLine($"{"NODE",-24} {"STATE",-9} {"THUMBPRINT",-17} ADDRESS");
                foreach (var n in nodes)
                {
                    var marks = (n.IsSecretServer ? " [secret server]" : "") + (n.Name.Equals(node.Name, StringComparison.OrdinalIgnoreCase) ? " [this node]" : "");
                    o.WriteLine($"{n.Name,-24} {NodeStates.ToText(n.State),-9} {n.Thumbprint ?? "(none yet)",-17} {n.Address ?? "(never served)"}{marks}");
                }
            });
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Approve()
    {
        var name = new Argument<string>("NODE") { Description = "The node to approve." };
        var thumbprint = new Option<string?>("--thumbprint") { Description = "Approve only if the node's identity has this thumbprint (printed by its 'init --join')." };
        var json = CommonOptions.Json();
        var command = new Command("approve",
            "Approve a joined node: the master secret server then releases the data keys to it (SSO Administrators).\n" +
            "Example: ssovault node approve node2 --thumbprint 3F2A9C0B1D4E5F60") { name, thumbprint, json };
        CommandRunner.SetAction(command, json, async (parse, context, cancellationToken) =>
        {
            RefuseRemote(context);
            await using var node = await context.OpenNodeAsync(cancellationToken);
            var view = await NodeTrust.ApproveAsync(node, await context.CallerAsync(node, cancellationToken), parse.GetValue(name)!,
                parse.GetValue(thumbprint), cancellationToken);
            context.Output.Result(view, o => o.WriteLine($"Node '{view.Name}' is approved (identity {view.Thumbprint})."));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Remove()
    {
        var name = new Argument<string>("NODE") { Description = "The node to remove." };
        var json = CommonOptions.Json();
        var command = new Command("remove",
            "Remove a node: the master secret server refuses it from now on (SSO Administrators). Its server keeps the keys it\n" +
            "already holds in memory until it stops: stop it too. Example: ssovault node remove node3") { name, json };
        CommandRunner.SetAction(command, json, async (parse, context, cancellationToken) =>
        {
            RefuseRemote(context);
            await using var node = await context.OpenNodeAsync(cancellationToken);
            var view = await NodeTrust.RemoveAsync(node, await context.CallerAsync(node, cancellationToken), parse.GetValue(name)!, cancellationToken);
            context.Output.Result(view, o =>
            {
                o.WriteLine($"Node '{view.Name}' is removed: the master secret server releases no data key to it.");
                o.WriteLine("Stop its SSO server: it keeps the keys it already holds in memory until it stops.");
            });
            return ExitCodes.Success;
        });
        return command;
    }

    private static void RefuseRemote(CliContext context)
    {
        if (context.Remote is not null)
        {
            throw new SsoException(SsoErrorCode.InvalidInput, "Node trust is managed on a node of the system, not through --server.",
                "Run the command on any node (it reads the shared database), without --server.");
        }
    }
}
