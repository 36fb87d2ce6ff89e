using System.CommandLine;
using SsoVault.Cli.Infrastructure;
using SsoVault.Cli.Remote;
using SsoVault.Core.Applications;
using SsoVault.Core.Entsso;
using SsoVault.Core.Errors;

namespace SsoVault.Cli.Commands;

/// <summary>Mappings (ssomanage -createmappings, -deletemapping(s), -enablemapping, -disablemapping, -listmappings; ssoclient's own).</summary>
internal static class MappingCommands
{
    public static Command Create()
    {
        var command = new Command("mapping", "Mappings from directory accounts to external accounts of an application.");
        command.Subcommands.Add(CreateMapping());
        foreach (var (verb, action) in new[] { ("enable", "Enable"), ("disable", "Disable"), ("delete", "Delete") })
        {
            command.Subcommands.Add(Change(verb, action));
        }

        command.Subcommands.Add(List());
        command.Subcommands.Add(Import());
        return command;
    }

    private static Command CreateMapping()
    {
        var app = new Argument<string>("APP") { Description = "The application." };
        var account = new Argument<string?>("ACCOUNT")
        {
            Description = @"The Windows account (DOMAIN\user; group apps: one of their users accounts). Default: yourself (--as).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var external = new Option<string>("--external-user") { Description = "The external user id in the back-end system.", Required = true };
        var json = CommonOptions.Json();
        var command = new Command("create", "Create a mapping (disabled until enabled or given credentials). Example: ssovault mapping create SAP 'CORP\\alice' --external-user ALICE01")
        {
            app, account, external, json,
        };
        CommandRunner.SetAction(command, json, async (parse, context, ct) =>
        {
            MappingView view;
            if (context.Remote is { } client)
            {
                view = (await client.CreateMappingAsync(parse.GetValue(app)!, parse.GetValue(external)!, parse.GetValue(account), ct)).ToCore();
            }
            else
            {
                await using var node = await context.OpenNodeAsync(ct);
                view = await MappingService.CreateAsync(node, await context.CallerAsync(node, ct), parse.GetValue(app)!, parse.GetValue(account),
                    parse.GetValue(external)!, ct);
            }

            context.Output.Result(view, o => o.WriteLine($"Mapped '{view.WindowsAccount}' to '{view.ExternalUser}' in '{view.Application}' (disabled; set credentials or enable it)."));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Change(string verb, string action)
    {
        var app = new Argument<string>("APP") { Description = "The application." };
        var account = new Argument<string?>("ACCOUNT")
        {
            Description = "Whose mapping: a Windows account (host group apps: the external account). Default: yourself (--as).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var json = CommonOptions.Json();
        var command = new Command(verb, $"{action} a mapping. Example: ssovault mapping {verb} SAP 'CORP\\alice'") { app, account, json };
        CommandRunner.SetAction(command, json, async (parse, context, ct) =>
        {
            var view = await ChangeAsync(context, verb, parse.GetValue(app)!, parse.GetValue(account), ct);
            context.Output.Result(view, o => o.WriteLine($"{action}d the mapping of '{view.WindowsAccount}' to '{view.ExternalUser}' in '{view.Application}'."));
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<MappingView> ChangeAsync(CliContext context, string verb, string app, string? account, CancellationToken ct)
    {
        if (context.Remote is { } client)
        {
            var remote = verb switch
            {
                "delete" => await client.DeleteMappingAsync(app, account, ct),
                "enable" => await client.EnableMappingAsync(app, account, ct),
                _ => await client.DisableMappingAsync(app, account, ct),
            };
            return remote.ToCore();
        }

        await using var node = await context.OpenNodeAsync(ct);
        var caller = await context.CallerAsync(node, ct);
        return verb == "delete"
            ? await MappingService.DeleteAsync(node, caller, app, account, ct)
            : await MappingService.SetEnabledAsync(node, caller, app, account, verb == "enable", ct);
    }

    private static Command List()
    {
        var app = new Argument<string?>("APP") { Description = "Only this application.", Arity = ArgumentArity.ZeroOrOne };
        var account = new Option<string?>("--account") { Description = "Only this Windows account's mappings." };
        var json = CommonOptions.Json();
        var command = new Command("list", "List mappings: (E) enabled, (D) disabled. Example: ssovault mapping list SAP") { app, account, json };
        CommandRunner.SetAction(command, json, async (parse, context, ct) =>
        {
            IReadOnlyList<MappingView> mappings;
            if (context.Remote is { } client)
            {
                mappings = (await client.GetMappingsAsync(parse.GetValue(app), parse.GetValue(account), ct)).Select(m => m.ToCore()).ToList();
            }
            else
            {
                await using var node = await context.OpenNodeAsync(ct);
                mappings = await MappingService.ListAsync(node, await context.CallerAsync(node, ct), parse.GetValue(app), parse.GetValue(account), ct);
            }

            context.Output.Result(mappings, o =>
            {
                foreach (var m in mappings)
                {
                    o.WriteLine($"{(m.Enabled ? "(E)" : "(D)")} {m.Application,-20} {m.WindowsAccount,-30} -> {m.ExternalUser}{(m.HasCredentials ? "" : "  (no credentials)")}");
                }
            });
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Import()
    {
        var file = new Argument<string>("FILE") { Description = "An ENTSSO mappings file (<sso><mapping>...)." };
        var delete = new Option<bool>("--delete") { Description = "Delete the listed mappings (ssomanage -deletemappings) instead of creating them." };
        var json = CommonOptions.Json();
        var command = new Command("import", "Create (or --delete) mappings from ENTSSO's XML file, all or nothing. Example: ssovault mapping import mappings.xml")
        {
            file, delete, json,
        };
        CommandRunner.SetAction(command, json, async (parse, context, ct) =>
        {
            IReadOnlyList<MappingView> views;
            if (context.Remote is { } client)
            {
                views = (await RemoteFiles.SendAsync(parse.GetValue(file)!, "mappings file",
                    xml => client.ImportMappingsAsync(xml, parse.GetValue(delete), ct))).Select(v => v.ToCore()).ToList();
            }
            else
            {
                await using var node = await context.OpenNodeAsync(ct);
                views = await EntssoImport.ImportMappingsAsync(node, await context.CallerAsync(node, ct), parse.GetValue(file)!, parse.GetValue(delete), ct);
            }

            context.Output.Result(views, o => o.WriteLine($"{(parse.GetValue(delete) ? "Deleted" : "Created")} {views.Count} mappings."));
            return ExitCodes.Success;
        });
        return command;
    }
}
