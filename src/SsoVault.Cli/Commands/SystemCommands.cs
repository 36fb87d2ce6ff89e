using System.CommandLine;
using System.Xml.Linq;
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
        command.Subcommands.Add(Toggle("enable", true));
        command.Subcommands.Add(Toggle("disable", false));
        command.Subcommands.Add(Tickets());
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
                overview = (await client.GetSystemInfoAsync(cancellationToken)).ToCore();
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
                    o.WriteLine($"  {n.Name,-24} {SsoVault.Core.Storage.NodeStates.ToText(n.State),-9} joined {n.JoinedUtc:u}{marks}");
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

            var (view, moved) = await UpdateAsync(context, path, name, cancellationToken);
            if (moved is null)
            {
                context.Output.Result(view!, o => o.WriteLine("Global info updated."));
                return ExitCodes.Success;
            }

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

    /// <summary>A file, or a new secret server; through a server both travel as ENTSSO's update file.</summary>
    private static async Task<(GlobalInfoView? View, MoveResult? Move)> UpdateAsync(CliContext context, string? path, string? secretServer,
        CancellationToken cancellationToken)
    {
        if (context.Remote is { } client)
        {
            var result = path is not null
                ? await RemoteFiles.SendAsync(path, "global info update file", xml => client.UpdateGlobalInfoAsync(xml, cancellationToken))
                : await client.UpdateGlobalInfoAsync(new XElement("sso", new XElement("globalInfo", new XElement("secretServer", secretServer))).ToString(),
                    cancellationToken);
            return (result.GlobalInfo.ToCore(), result.Move?.ToCore());
        }

        await using var node = await context.OpenNodeAsync(cancellationToken);
        var caller = await context.CallerAsync(node, cancellationToken);
        return path is not null
            ? await GlobalInfoService.ApplyAsync(node, caller, GlobalInfoFile.Load(path), cancellationToken)
            : (null, await SecretServerMove.UpdateAsync(node, caller, secretServer!, cancellationToken));
    }

    private static Command Toggle(string verb, bool enabled)
    {
        var json = CommonOptions.Json();
        var command = new Command(verb, $"{(enabled ? "Enable" : "Disable")} single sign-on for the whole system (ssomanage -{verb}sso). Example: ssovault system {verb}")
        {
            json,
        };
        CommandRunner.SetAction(command, json, async (_, context, cancellationToken) =>
        {
            GlobalInfoView view;
            if (context.Remote is { } client)
            {
                view = (await client.SetSsoEnabledAsync(enabled, cancellationToken)).ToCore();
            }
            else
            {
                await using var node = await context.OpenNodeAsync(cancellationToken);
                view = await GlobalInfoService.SetSsoEnabledAsync(node, await context.CallerAsync(node, cancellationToken), enabled, cancellationToken);
            }

            context.Output.Result(view, o => o.WriteLine($"Single sign-on is {(enabled ? "enabled" : "disabled")}."));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Tickets()
    {
        var allowed = new Option<string?>("--allowed") { Description = "yes/no (also on/off): may tickets be issued and redeemed at all." };
        var validated = new Option<string?>("--validated") { Description = "yes/no: must every redemption name the message's original sender." };
        var json = CommonOptions.Json();
        var command = new Command("tickets", "Global ticket policy (ssomanage -tickets). Example: ssovault system tickets --allowed yes --validated yes")
        {
            allowed, validated, json,
        };
        CommandRunner.SetAction(command, json, async (parse, context, cancellationToken) =>
        {
            var allow = YesNo.ParseOptional(parse.GetValue(allowed), "--allowed");
            var validate = YesNo.ParseOptional(parse.GetValue(validated), "--validated");
            GlobalInfoView view;
            if (context.Remote is { } client)
            {
                view = (await client.SetTicketPolicyAsync(allow, validate, cancellationToken)).ToCore();
            }
            else
            {
                await using var node = await context.OpenNodeAsync(cancellationToken);
                view = await GlobalInfoService.SetTicketsAsync(node, await context.CallerAsync(node, cancellationToken), allow, validate, cancellationToken);
            }

            context.Output.Result(view, o => o.WriteLine(
                $"Tickets allowed: {(view.Settings.TicketsAllowed ? "yes" : "no")}; validated: {(view.Settings.TicketsValidated ? "yes" : "no")}."));
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Describe(SsoVault.Core.Storage.MasterSecretInfo? secret) =>
        secret is null ? "none" : $"{secret.Msid}  kcv {secret.KeyCheck}  created {secret.CreatedUtc:u}";
}
