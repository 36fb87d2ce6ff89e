using System.CommandLine;
using SsoVault.Cli.Infrastructure;
using SsoVault.Cli.Remote;
using SsoVault.Core.Applications;
using SsoVault.Core.Entsso;
using SsoVault.Core.Errors;
using SsoVault.Core.Storage;

namespace SsoVault.Cli.Commands;

/// <summary>Affiliate applications and their fields (ssomanage -createapps, -updateapps, -deleteapp, -enableapp, -listapps, -displayapp).</summary>
internal static class ApplicationCommands
{
    public static Command CreateApp()
    {
        var command = new Command("app", "Affiliate applications: the back-end systems whose credentials SsoVault keeps.");
        command.Subcommands.Add(Create());
        command.Subcommands.Add(Update());
        command.Subcommands.Add(Toggle("enable", true));
        command.Subcommands.Add(Toggle("disable", false));
        command.Subcommands.Add(Delete());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Import());
        command.Subcommands.Add(PurgeCache());
        return command;
    }

    public static Command CreateField()
    {
        var app = new Argument<string>("APP") { Description = "The application (disabled, without credentials yet)." };
        var label = new Argument<string>("LABEL") { Description = "The field's label; the first field is the external user id." };
        var masked = new Option<bool>("--masked") { Description = "Mask the field (a password)." };
        var sync = new Option<bool>("--sync") { Description = "The field password synchronization updates (at most one)." };
        var json = CommonOptions.Json();
        var add = new Command("add", "Append a field (ISSOAdmin.CreateFieldInfo). Example: ssovault field add SAP Password --masked") { app, label, masked, sync, json };
        CommandRunner.SetAction(add, json, async (parse, context, ct) =>
        {
            var field = new FieldDefinition(parse.GetValue(label)!, parse.GetValue(masked), parse.GetValue(sync));
            ApplicationView view;
            if (context.Remote is { } client)
            {
                view = (await client.CreateFieldInfoAsync(parse.GetValue(app)!, new SsoVault.Client.FieldDefinition(field.Label, field.Masked, field.Synchronized), ct)).ToCore();
            }
            else
            {
                await using var node = await context.OpenNodeAsync(ct);
                view = await ApplicationService.AddFieldAsync(node, await context.CallerAsync(node, ct), parse.GetValue(app)!, field, ct);
            }

            context.Output.Result(view, o => o.WriteLine($"'{view.Name}' now has {view.Fields.Count} fields: {string.Join(", ", view.Fields.Select(f => f.Label))}."));
            return ExitCodes.Success;
        });
        var command = new Command("field", "Fields of an application.");
        command.Subcommands.Add(add);
        return command;
    }

    private static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "The application's name (no spaces; case-insensitive)." };
        var type = new Option<string>("--type") { Description = "individual (default), group, hostgroup or configstore.", DefaultValueFactory = _ => "individual" };
        var description = new Option<string?>("--description") { Description = "What the application is." };
        var contact = new Option<string?>("--contact") { Description = "Who to contact (e-mail)." };
        var users = new Option<string?>("--users") { Description = "Application Users accounts, ';'-separated, in order (group apps: the first match wins)." };
        var admins = new Option<string?>("--admins") { Description = "Application Administrators accounts, ';'-separated." };
        var fields = new Option<string[]>("--field") { Description = "A field LABEL or LABEL:masked, repeatable, in order; the first is the user id.", AllowMultipleArgumentsPerToken = false };
        var json = CommonOptions.Json();
        var command = new Command("create",
            "Create an application, disabled (ENTSSO's rule). Example:\n" +
            "  ssovault app create SAP --users 'CORP\\SAP Users' --admins 'CORP\\SAP Admins' --field 'User Id' --field Password:masked")
        {
            name, type, description, contact, users, admins, fields, json,
        };
        CommandRunner.SetAction(command, json, async (parse, context, ct) =>
        {
            var definition = new ApplicationDefinition
            {
                Name = parse.GetValue(name)!,
                Type = ParseType(parse.GetValue(type)!),
                Description = parse.GetValue(description) ?? "",
                Contact = parse.GetValue(contact) ?? "",
                UserAccounts = SplitAccounts(parse.GetValue(users)) ?? [],
                AdminAccounts = SplitAccounts(parse.GetValue(admins)) ?? [],
                Fields = (parse.GetValue(fields) ?? []).Select(ParseField).ToList(),
            };
            ApplicationView view;
            if (context.Remote is { } client)
            {
                view = (await client.CreateApplicationAsync(definition.ToClient(), ct)).ToCore();
            }
            else
            {
                await using var node = await context.OpenNodeAsync(ct);
                view = await ApplicationService.CreateAsync(node, await context.CallerAsync(node, ct), definition, ct);
            }

            context.Output.Result(view, o => o.WriteLine($"Created {view.Type} application '{view.Name}' (disabled). Enable it with: ssovault app enable {view.Name}"));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Update()
    {
        var name = new Argument<string>("NAME") { Description = "The application." };
        var description = new Option<string?>("--description") { Description = "New description." };
        var contact = new Option<string?>("--contact") { Description = "New contact." };
        var users = new Option<string?>("--users") { Description = "Replace the Application Users accounts (';'-separated, in order)." };
        var admins = new Option<string?>("--admins") { Description = "Replace the Application Administrators accounts (affiliate administrators only)." };
        var allowTickets = new Option<string?>("--allow-tickets") { Description = "yes/no (SSO administrators only)." };
        var validateTickets = new Option<string?>("--validate-tickets") { Description = "yes/no (SSO administrators only)." };
        var timeoutTickets = new Option<string?>("--timeout-tickets") { Description = "yes/no: do tickets expire (SSO administrators only)." };
        var ticketTimeout = new Option<int?>("--ticket-timeout") { Description = "Minutes, 1 to 525,600 (SSO administrators only)." };
        var disableCache = new Option<string?>("--disable-cred-cache") { Description = "yes/no: bypass the credential cache for this application." };
        var json = CommonOptions.Json();
        var command = new Command("update", "Change an application's properties; what is not given stays. Example: ssovault app update SAP --allow-tickets yes")
        {
            name, description, contact, users, admins, allowTickets, validateTickets, timeoutTickets, ticketTimeout, disableCache, json,
        };
        CommandRunner.SetAction(command, json, async (parse, context, ct) =>
        {
            var update = new ApplicationUpdate
            {
                Description = parse.GetValue(description),
                Contact = parse.GetValue(contact),
                UserAccounts = SplitAccounts(parse.GetValue(users)),
                AdminAccounts = SplitAccounts(parse.GetValue(admins)),
                AllowTickets = YesNo.ParseOptional(parse.GetValue(allowTickets), "--allow-tickets"),
                ValidateTickets = YesNo.ParseOptional(parse.GetValue(validateTickets), "--validate-tickets"),
                TimeoutTickets = YesNo.ParseOptional(parse.GetValue(timeoutTickets), "--timeout-tickets"),
                TicketTimeoutMinutes = parse.GetValue(ticketTimeout),
                DisableCredentialCache = YesNo.ParseOptional(parse.GetValue(disableCache), "--disable-cred-cache"),
            };
            ApplicationView view;
            if (context.Remote is { } client)
            {
                view = (await client.UpdateApplicationAsync(parse.GetValue(name)!, update.ToClient(), ct)).ToCore();
            }
            else
            {
                await using var node = await context.OpenNodeAsync(ct);
                view = await ApplicationService.UpdateAsync(node, await context.CallerAsync(node, ct), parse.GetValue(name)!, update, ct);
            }

            context.Output.Result(view, o => o.WriteLine($"Updated '{view.Name}'."));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Toggle(string verb, bool enabled)
    {
        var name = new Argument<string>("NAME") { Description = "The application." };
        var json = CommonOptions.Json();
        var command = new Command(verb, $"{(enabled ? "Enable" : "Disable")} an application. Example: ssovault app {verb} SAP") { name, json };
        CommandRunner.SetAction(command, json, async (parse, context, ct) =>
        {
            ApplicationView view;
            if (context.Remote is { } client)
            {
                var app = parse.GetValue(name)!;
                view = (enabled ? await client.EnableApplicationAsync(app, ct) : await client.DisableApplicationAsync(app, ct)).ToCore();
            }
            else
            {
                await using var node = await context.OpenNodeAsync(ct);
                view = await ApplicationService.SetEnabledAsync(node, await context.CallerAsync(node, ct), parse.GetValue(name)!, enabled, ct);
            }

            context.Output.Result(view, o => o.WriteLine($"Application '{view.Name}' is {(view.Enabled ? "enabled" : "disabled")}."));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Delete()
    {
        var name = new Argument<string>("NAME") { Description = "The application; its fields, mappings and credentials go with it." };
        var command = new Command("delete", "Delete an application and all its mappings and credentials. Example: ssovault app delete SAP") { name };
        CommandRunner.SetAction(command, null, async (parse, context, ct) =>
        {
            if (context.Remote is { } client)
            {
                await client.DeleteApplicationAsync(parse.GetValue(name)!, ct);
            }
            else
            {
                await using var node = await context.OpenNodeAsync(ct);
                await ApplicationService.DeleteAsync(node, await context.CallerAsync(node, ct), parse.GetValue(name)!, ct);
            }

            Console.Out.WriteLine($"Deleted application '{parse.GetValue(name)}' with its mappings and credentials.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List()
    {
        var all = new Option<bool>("--all") { Description = "Include config store applications (ssomanage -listapps all)." };
        var json = CommonOptions.Json();
        var command = new Command("list", "List the applications you have a role on. Example: ssovault app list --all") { all, json };
        CommandRunner.SetAction(command, json, async (parse, context, ct) =>
        {
            IReadOnlyList<ApplicationView> apps;
            if (context.Remote is { } client)
            {
                apps = (await client.GetApplicationsAsync(parse.GetValue(all), ct)).Select(a => a.ToCore()).ToList();
            }
            else
            {
                await using var node = await context.OpenNodeAsync(ct);
                apps = await ApplicationService.ListAsync(node, await context.CallerAsync(node, ct), parse.GetValue(all), ct);
            }

            context.Output.Result(apps, o =>
            {
                foreach (var a in apps)
                {
                    o.WriteLine($"{(a.Enabled ? "(E)" : "(D)")} {a.Name,-30} {a.Type,-12} {a.Description}");
                }
            });
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show()
    {
        var name = new Argument<string>("NAME") { Description = "The application." };
        var json = CommonOptions.Json();
        var command = new Command("show", "Show an application's properties. Example: ssovault app show SAP --json") { name, json };
        CommandRunner.SetAction(command, json, async (parse, context, ct) =>
        {
            ApplicationView a;
            if (context.Remote is { } client)
            {
                a = (await client.GetApplicationInfoAsync(parse.GetValue(name)!, ct)).ToCore();
            }
            else
            {
                await using var node = await context.OpenNodeAsync(ct);
                a = await ApplicationService.ShowAsync(node, await context.CallerAsync(node, ct), parse.GetValue(name)!, ct);
            }

            context.Output.Result(a, o =>
            {
                o.WriteLine($"{a.Name} ({a.Type}, {(a.Enabled ? "enabled" : "disabled")})");
                o.WriteLine($"  description:  {a.Description}");
                o.WriteLine($"  contact:      {a.Contact}");
                o.WriteLine($"  users:        {string.Join("; ", a.UserAccounts)}");
                o.WriteLine($"  admins:       {(a.AdminAccountSame ? "(same as affiliate administrators)" : string.Join("; ", a.AdminAccounts))}");
                o.WriteLine($"  flags:        0x{a.Flags:x8} {string.Join(" ", a.FlagNames)}");
                o.WriteLine($"  tickets:      timeout {(a.TicketTimeoutMinutes is { } t ? $"{t} min" : "global")}");
                foreach (var f in a.Fields)
                {
                    o.WriteLine($"  field {f.Ordinal}:      {f.Label}{(f.Masked ? " (masked)" : "")}{(f.Synchronized ? " (sync)" : "")}");
                }
            });
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Import()
    {
        var file = new Argument<string>("FILE") { Description = "An ENTSSO application file (<sso><application name=..>...)." };
        var update = new Option<bool>("--update") { Description = "Update existing applications (ssomanage -updateapps) instead of creating them." };
        var json = CommonOptions.Json();
        var command = new Command("import", "Create (or --update) applications from ENTSSO's XML file, all or nothing. Example: ssovault app import apps.xml")
        {
            file, update, json,
        };
        CommandRunner.SetAction(command, json, async (parse, context, ct) =>
        {
            IReadOnlyList<ApplicationView> views;
            if (context.Remote is { } client)
            {
                views = (await RemoteFiles.SendAsync(parse.GetValue(file)!, "application file",
                    xml => client.ImportApplicationsAsync(xml, parse.GetValue(update), ct))).Select(v => v.ToCore()).ToList();
            }
            else
            {
                await using var node = await context.OpenNodeAsync(ct);
                views = await EntssoImport.ImportApplicationsAsync(node, await context.CallerAsync(node, ct), parse.GetValue(file)!, parse.GetValue(update), ct);
            }

            context.Output.Result(views, o => o.WriteLine($"{(parse.GetValue(update) ? "Updated" : "Created")} {views.Count} applications: {string.Join(", ", views.Select(v => v.Name))}."));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command PurgeCache()
    {
        var name = new Argument<string>("NAME") { Description = "The application." };
        var command = new Command("purge-cache", "Drop every node's cached lookups of an application (ssomanage -purgecache). Example: ssovault app purge-cache SAP")
        {
            name,
        };
        CommandRunner.SetAction(command, null, async (parse, context, ct) =>
        {
            if (context.Remote is { } client)
            {
                await client.PurgeCacheForApplicationAsync(parse.GetValue(name)!, ct);
            }
            else
            {
                await using var node = await context.OpenNodeAsync(ct);
                await ApplicationService.PurgeCacheAsync(node, await context.CallerAsync(node, ct), parse.GetValue(name)!, ct);
            }

            Console.Out.WriteLine($"Purged the credential cache of '{parse.GetValue(name)}' on every node.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static ApplicationType ParseType(string text) => text.Trim().ToUpperInvariant() switch
    {
        "INDIVIDUAL" => ApplicationType.Individual,
        "GROUP" => ApplicationType.Group,
        "HOSTGROUP" or "HOST-GROUP" => ApplicationType.HostGroup,
        "CONFIGSTORE" or "CONFIG-STORE" => ApplicationType.ConfigStore,
        _ => throw new SsoException(SsoErrorCode.InvalidInput, $"'{text}' is not an application type.", "Use individual, group, hostgroup or configstore."),
    };

    private static FieldDefinition ParseField(string text)
    {
        var masked = text.EndsWith(":masked", StringComparison.OrdinalIgnoreCase);
        return new FieldDefinition(masked ? text[..^":masked".Length] : text, masked);
    }

    internal static IReadOnlyList<string>? SplitAccounts(string? text) =>
        text?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
