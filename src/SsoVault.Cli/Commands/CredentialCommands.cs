using System.CommandLine;
using System.Text;
using SsoVault.Cli.Infrastructure;
using SsoVault.Cli.Remote;
using SsoVault.Core.Applications;
using SsoVault.Core.Errors;
using SsoVault.Core.IO;

namespace SsoVault.Cli.Commands;

/// <summary>Credentials (ssomanage/ssoclient -setcredentials, ISSOLookup.GetCredentials) and tickets (ISSOTicket).</summary>
internal static class CredentialCommands
{
    public static Command CreateCredentials()
    {
        var command = new Command("credentials", "Set and look up the external credentials of a mapping.");
        command.Subcommands.Add(Set());
        command.Subcommands.Add(Get());
        return command;
    }

    public static Command CreateTicket()
    {
        var command = new Command("ticket", "SSO tickets: issue one for yourself; redeem one as an application administrator.");
        var json = CommonOptions.Json();
        var issue = new Command("issue", "Issue a ticket for yourself (--as, or the API key's account). Example: ssovault --as 'CORP\\alice' ticket issue") { json };
        CommandRunner.SetAction(issue, json, async (_, context, ct) =>
        {
            IssuedTicket ticket;
            if (context.Remote is { } client)
            {
                ticket = (await client.IssueTicketAsync(ct)).ToCore();
            }
            else
            {
                await using var node = await context.OpenNodeAsync(ct);
                ticket = await TicketService.IssueAsync(node, await context.CallerAsync(node, ct), ct);
            }

            context.Output.Result(ticket, o => o.WriteLine(ticket.Ticket));
            return ExitCodes.Success;
        });

        var app = new Argument<string>("APP") { Description = "The application whose credentials the ticket's user gets." };
        var value = new Argument<string>("TICKET") { Description = "The ticket (or @FILE to read it from a file)." };
        var sender = new Option<string?>("--sender") { Description = "Validate and redeem: the message's original sender, which must be the ticket's user." };
        var redeemJson = CommonOptions.Json();
        var redeem = new Command("redeem", "Redeem a ticket for its user's credentials (application administrators). Example: ssovault ticket redeem SAP $TICKET --sender 'CORP\\alice'")
        {
            app, value, sender, redeemJson,
        };
        CommandRunner.SetAction(redeem, redeemJson, async (parse, context, ct) =>
        {
            var ticket = parse.GetValue(value)!;
            if (ticket.StartsWith('@'))
            {
                ticket = Encoding.UTF8.GetString(AtomicFile.ReadBounded(ticket[1..], 8192, "ticket file")).Trim();
            }

            CredentialLookupResult result;
            if (context.Remote is { } client)
            {
                result = (parse.GetValue(sender) is { } from
                    ? await client.ValidateAndRedeemTicketAsync(parse.GetValue(app)!, ticket, from, ct)
                    : await client.RedeemTicketAsync(parse.GetValue(app)!, ticket, ct)).ToCore();
            }
            else
            {
                await using var node = await context.OpenNodeAsync(ct);
                result = await TicketService.RedeemAsync(node, await context.CallerAsync(node, ct), parse.GetValue(app)!, ticket, parse.GetValue(sender), ct);
            }

            context.Output.Result(result, o => Print(o, result));
            return ExitCodes.Success;
        });

        command.Subcommands.Add(issue);
        command.Subcommands.Add(redeem);
        return command;
    }

    private static Command Set()
    {
        var app = new Argument<string>("APP") { Description = "The application." };
        var user = new Option<string?>("--user") { Description = "Whose credentials (application administrators): a Windows account, or the external account in a host group app. Default: yourself." };
        var external = new Option<string?>("--external-user") { Description = "The external user id: creates (and enables) the mapping when there is none yet." };
        var fromFile = new Option<string?>("--from-file") { Description = "Read the credentials from this file, one per line in field order, instead of prompting." };
        var json = CommonOptions.Json();
        var command = new Command("set",
            "Set a mapping's credentials: prompted without echo, one per credential field, or --from-file. Example:\n" +
            "  ssovault --as 'CORP\\alice' credentials set SAP --external-user ALICE01")
        {
            app, user, external, fromFile, json,
        };
        CommandRunner.SetAction(command, json, async (parse, context, ct) =>
        {
            MappingView mapping;
            List<string> values;
            if (context.Remote is { } client)
            {
                var view = (await client.GetApplicationInfoAsync(parse.GetValue(app)!, ct)).ToCore();
                values = parse.GetValue(fromFile) is { } file ? ReadFile(file) : Prompt(view.Fields.Skip(1).Select(f => f.Label).ToList());
                mapping = (await client.SetExternalCredentialsAsync(view.Name, values, parse.GetValue(user), parse.GetValue(external), ct)).ToCore();
            }
            else
            {
                await using var node = await context.OpenNodeAsync(ct);
                var caller = await context.CallerAsync(node, ct);
                var view = await ApplicationService.ShowAsync(node, caller, parse.GetValue(app)!, ct);
                values = parse.GetValue(fromFile) is { } file ? ReadFile(file) : Prompt(view.Fields.Skip(1).Select(f => f.Label).ToList());
                mapping = await CredentialService.SetAsync(node, caller, view.Name, parse.GetValue(user), parse.GetValue(external), values, ct);
            }

            context.Output.Result(mapping, o => o.WriteLine(
                $"Set {values.Count} credentials for '{mapping.WindowsAccount}' -> '{mapping.ExternalUser}' in '{mapping.Application}' (mapping {(mapping.Enabled ? "enabled" : "disabled")})."));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Get()
    {
        var app = new Argument<string>("APP") { Description = "The application." };
        var refresh = new Option<bool>("--refresh") { Description = "Bypass the credential cache (ENTSSO's SSO_FLAG_REFRESH)." };
        var json = CommonOptions.Json();
        var command = new Command("get", "Look up your own credentials (ISSOLookup.GetCredentials). Example: ssovault --as 'CORP\\alice' credentials get SAP --json")
        {
            app, refresh, json,
        };
        CommandRunner.SetAction(command, json, async (parse, context, ct) =>
        {
            CredentialLookupResult result;
            if (context.Remote is { } client)
            {
                result = (await client.GetCredentialsAsync(parse.GetValue(app)!, refresh: parse.GetValue(refresh), cancellationToken: ct)).ToCore();
            }
            else
            {
                await using var node = await context.OpenNodeAsync(ct);
                result = await CredentialService.LookupAsync(node, await context.CallerAsync(node, ct), parse.GetValue(app)!, ct, parse.GetValue(refresh));
            }

            context.Output.Result(result, o => Print(o, result));
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Print(TextWriter o, CredentialLookupResult result)
    {
        o.WriteLine($"external user: {result.ExternalUser}");
        for (var i = 0; i < result.Credentials.Count; i++)
        {
            o.WriteLine($"{result.FieldLabels[i]}: {result.Credentials[i]}");
        }
    }

    private static List<string> ReadFile(string path)
    {
        var text = Encoding.UTF8.GetString(AtomicFile.ReadBounded(path, 256 * 1024, "credentials file"));
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }

    /// <summary>One prompt per credential field, without echo; one line each from redirected stdin.</summary>
    private static List<string> Prompt(IReadOnlyList<string> labels)
    {
        var values = new List<string>(labels.Count);
        foreach (var label in labels)
        {
            if (Console.IsInputRedirected)
            {
                values.Add(Console.In.ReadLine() ?? throw new SsoException(SsoErrorCode.InvalidInput,
                    $"Standard input ended before a value for '{label}' was read.", "Give one line per credential field, or use --from-file."));
                continue;
            }

            var chars = HiddenInput.ReadLine($"{label}: ", CredentialService.MaxCredentialBytes);
            values.Add(new string(chars));
            Array.Clear(chars);
        }

        return values;
    }
}
