using System.CommandLine;
using SsoVault.Cli.Infrastructure;
using SsoVault.Cli.Remote;
using SsoVault.Core.Errors;
using SsoVault.Core.Identity;
using SsoVault.Core.Storage;

namespace SsoVault.Cli.Commands;

/// <summary>The built-in directory: accounts, group memberships and API keys.</summary>
internal static class DirectoryCommands
{
    public static Command CreateAccount()
    {
        var command = new Command("account", @"Users and groups of the built-in directory (DOMAIN\name).");
        var name = new Argument<string>("ACCOUNT") { Description = @"DOMAIN\name, e.g. CORP\alice." };
        var group = new Option<bool>("--group") { Description = "Create a group instead of a user." };
        var json = CommonOptions.Json();
        var add = new Command("add", "Add a user or group. Example: ssovault account add 'CORP\\alice'; ssovault account add 'CORP\\ERP Users' --group")
        {
            name, group, json,
        };
        CommandRunner.SetAction(add, json, async (parse, context, ct) =>
        {
            var kind = parse.GetValue(group) ? AccountKind.Group : AccountKind.User;
            AccountRecord account;
            if (context.Remote is { } client)
            {
                account = (await client.AddAccountAsync(parse.GetValue(name)!, RemoteModels.ToClient(kind), ct)).ToCore();
            }
            else
            {
                await using var node = await context.OpenNodeAsync(ct);
                account = await IdentityService.AddAccountAsync(node, await context.CallerAsync(node, ct), parse.GetValue(name)!, kind, ct);
            }

            context.Output.Result(account, o => o.WriteLine($"Added {account.Kind.ToString().ToLowerInvariant()} '{account.Name}'."));
            return ExitCodes.Success;
        });

        var removeName = new Argument<string>("ACCOUNT") { Description = "The account to remove (its memberships and API keys go with it)." };
        var remove = new Command("remove", "Remove an account. Example: ssovault account remove 'CORP\\alice'") { removeName };
        CommandRunner.SetAction(remove, null, async (parse, context, ct) =>
        {
            if (context.Remote is { } client)
            {
                await client.RemoveAccountAsync(parse.GetValue(removeName)!, ct);
            }
            else
            {
                await using var node = await context.OpenNodeAsync(ct);
                await IdentityService.RemoveAccountAsync(node, await context.CallerAsync(node, ct), parse.GetValue(removeName)!, ct);
            }

            Console.Out.WriteLine($"Removed '{parse.GetValue(removeName)}'.");
            return ExitCodes.Success;
        });

        var listJson = CommonOptions.Json();
        var list = new Command("list", "List accounts with their groups. Example: ssovault account list --json") { listJson };
        CommandRunner.SetAction(list, listJson, async (_, context, ct) =>
        {
            IReadOnlyList<AccountView> accounts;
            if (context.Remote is { } client)
            {
                accounts = (await client.ListAccountsAsync(ct)).Select(a => a.ToCore()).ToList();
            }
            else
            {
                await using var node = await context.OpenNodeAsync(ct);
                accounts = await IdentityService.ListAccountsAsync(node, await context.CallerAsync(node, ct), ct);
            }

            context.Output.Result(accounts, o =>
            {
                foreach (var a in accounts)
                {
                    o.WriteLine($"{a.Name,-40} {a.Kind.ToString().ToLowerInvariant(),-6}" +
                                (a.MemberOf.Count > 0 ? $" member of: {string.Join(", ", a.MemberOf)}" : ""));
                }
            });
            return ExitCodes.Success;
        });

        command.Subcommands.Add(add);
        command.Subcommands.Add(remove);
        command.Subcommands.Add(list);
        return command;
    }

    public static Command CreateGroup()
    {
        var command = new Command("group", "Group memberships (groups may contain users and groups).");
        foreach (var (verb, adding) in new[] { ("add-member", true), ("remove-member", false) })
        {
            var group = new Argument<string>("GROUP") { Description = "The group." };
            var member = new Argument<string>("MEMBER") { Description = "A user or group." };
            var sub = new Command(verb, adding
                ? "Add a member to a group. Example: ssovault group add-member 'SSO\\SSO Administrators' 'CORP\\alice'"
                : "Remove a direct member from a group. Example: ssovault group remove-member 'CORP\\ERP Users' 'CORP\\bob'")
            {
                group, member,
            };
            CommandRunner.SetAction(sub, null, async (parse, context, ct) =>
            {
                var (g, m) = (parse.GetValue(group)!, parse.GetValue(member)!);
                if (adding)
                {
                    bool added;
                    if (context.Remote is { } client)
                    {
                        added = (await client.AddGroupMemberAsync(g, m, ct)).Added;
                    }
                    else
                    {
                        await using var node = await context.OpenNodeAsync(ct);
                        added = await IdentityService.AddMemberAsync(node, await context.CallerAsync(node, ct), g, m, ct);
                    }

                    Console.Out.WriteLine(added ? $"Added '{m}' to '{g}'." : "Already a member; nothing changed.");
                }
                else
                {
                    if (context.Remote is { } client)
                    {
                        await client.RemoveGroupMemberAsync(g, m, ct);
                    }
                    else
                    {
                        await using var node = await context.OpenNodeAsync(ct);
                        await IdentityService.RemoveMemberAsync(node, await context.CallerAsync(node, ct), g, m, ct);
                    }

                    Console.Out.WriteLine($"Removed '{m}' from '{g}'.");
                }

                return ExitCodes.Success;
            });
            command.Subcommands.Add(sub);
        }

        return command;
    }

    public static Command CreateApiKey()
    {
        var command = new Command("apikey", "API keys that let an account call an SSO server.");
        var account = new Argument<string>("ACCOUNT") { Description = "The user account the key acts as." };
        var description = new Option<string?>("--description") { Description = "What the key is for (shown in lists)." };
        var output = new Option<string?>("--output") { Description = "Write the key to this new file (owner-only) instead of printing it." };
        var json = CommonOptions.Json();
        var create = new Command("create",
            "Create an API key; it is shown once. Example: ssovault apikey create 'CORP\\svc-biztalk' --output ~/biztalk.key")
        {
            account, description, output, json,
        };
        CommandRunner.SetAction(create, json, async (parse, context, ct) =>
        {
            CreatedApiKey key;
            if (context.Remote is { } client)
            {
                key = (await client.CreateApiKeyAsync(parse.GetValue(account)!, parse.GetValue(description) ?? "", ct)).ToCore();
            }
            else
            {
                await using var node = await context.OpenNodeAsync(ct);
                key = await IdentityService.CreateApiKeyAsync(node, await context.CallerAsync(node, ct), parse.GetValue(account)!,
                    parse.GetValue(description) ?? "", ct);
            }

            if (parse.GetValue(output) is { } file)
            {
                SsoVault.Core.IO.AtomicFile.Write(file, System.Text.Encoding.UTF8.GetBytes(key.Token + "\n"), overwrite: false);
                context.Output.Result(new { key.Id, key.Account, file = Path.GetFullPath(file) },
                    o => o.WriteLine($"API key {key.Id} for '{key.Account}' written to {Path.GetFullPath(file)}."));
            }
            else
            {
                context.Output.Result(key, o =>
                {
                    o.WriteLine(key.Token);
                    ConsoleOutput.Note($"API key {key.Id} for '{key.Account}': shown once, stored only as a hash. Keep it in a file readable only by its user.");
                });
            }

            return ExitCodes.Success;
        });

        var id = new Argument<string>("ID") { Description = "The key's id (the part after ssv1_)." };
        var revoke = new Command("revoke", "Revoke an API key. Example: ssovault apikey revoke 3f9a0c1b2d4e") { id };
        CommandRunner.SetAction(revoke, null, async (parse, context, ct) =>
        {
            if (context.Remote is { } client)
            {
                await client.RevokeApiKeyAsync(parse.GetValue(id)!, ct);
            }
            else
            {
                await using var node = await context.OpenNodeAsync(ct);
                await IdentityService.RevokeApiKeyAsync(node, await context.CallerAsync(node, ct), parse.GetValue(id)!, ct);
            }

            Console.Out.WriteLine($"Revoked API key {parse.GetValue(id)}.");
            return ExitCodes.Success;
        });

        var listAccount = new Argument<string?>("ACCOUNT") { Description = "Only this account's keys.", Arity = ArgumentArity.ZeroOrOne };
        var listJson = CommonOptions.Json();
        var list = new Command("list", "List API keys (never their secrets). Example: ssovault apikey list") { listAccount, listJson };
        CommandRunner.SetAction(list, listJson, async (parse, context, ct) =>
        {
            IReadOnlyList<ApiKeyView> keys;
            if (context.Remote is { } client)
            {
                keys = (await client.ListApiKeysAsync(parse.GetValue(listAccount), ct)).Select(k => k.ToCore()).ToList();
            }
            else
            {
                await using var node = await context.OpenNodeAsync(ct);
                keys = await IdentityService.ListApiKeysAsync(node, await context.CallerAsync(node, ct), parse.GetValue(listAccount), ct);
            }

            context.Output.Result(keys, o =>
            {
                foreach (var k in keys)
                {
                    o.WriteLine($"{k.Id}  {k.Account,-30} created {k.CreatedUtc:u}{(k.RevokedUtc is { } r ? $"  REVOKED {r:u}" : "")}  {k.Description}");
                }
            });
            return ExitCodes.Success;
        });

        command.Subcommands.Add(create);
        command.Subcommands.Add(revoke);
        command.Subcommands.Add(list);
        return command;
    }
}
