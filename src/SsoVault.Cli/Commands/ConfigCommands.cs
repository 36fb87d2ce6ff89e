using System.CommandLine;
using System.Text;
using SsoVault.Cli.Infrastructure;
using SsoVault.Cli.Remote;
using SsoVault.Core.ConfigStore;
using SsoVault.Core.Errors;
using SsoVault.Core.IO;

namespace SsoVault.Cli.Commands;

/// <summary>ENTSSO's config store (ISSOConfigStore Set/Get/DeleteConfigInfo), which ENTSSO ships no tool for.</summary>
internal static class ConfigCommands
{
    public static Command Create()
    {
        var command = new Command("config", "Encrypted configuration: name/value properties per application and identifier.");
        command.Subcommands.Add(Set());
        command.Subcommands.Add(Get());
        command.Subcommands.Add(Delete());
        command.Subcommands.Add(List());
        return command;
    }

    private static Command Set()
    {
        var app = new Argument<string>("APP") { Description = "The config store application (created on first use)." };
        var identifier = new Argument<string>("IDENTIFIER") { Description = "The record, e.g. ConfigProperties or a GUID." };
        var properties = new Argument<string[]>("NAME=VALUE")
        {
            Description = "Properties to set: name=value, or name=@FILE to read the value from a file (keeps secrets out of argv).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var masked = new Option<string?>("--masked") { Description = "Comma-separated properties to mask (returned only by a runtime read)." };
        var valuesFile = new Option<string?>("--values-file") { Description = "Read name=value lines from this file ('-' for stdin)." };
        var json = CommonOptions.Json();
        var command = new Command("set",
            "Create or update a config record; properties not named keep their values.\n" +
            "Example: ssovault config set ErpAdapter ConfigProperties endpoint=https://erp.example.com password=@pw.txt --masked password")
        {
            app, identifier, properties, masked, valuesFile, json,
        };
        CommandRunner.SetAction(command, json, async (parse, context, cancellationToken) =>
        {
            var maskedNames = (parse.GetValue(masked) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            var values = new List<KeyValuePair<string, string>>();
            foreach (var item in parse.GetValue(properties) ?? [])
            {
                var (name, value) = SplitAssignment(item, "argument");
                if (value.StartsWith('@'))
                {
                    value = StripOneNewline(Encoding.UTF8.GetString(AtomicFile.ReadBounded(value[1..], ConfigNames.MaxValueBytes + 2, "value file")));
                }
                else if (maskedNames.Contains(name))
                {
                    ConsoleOutput.Note($"note: masked property '{name}' was given on the command line, where shell history and the process list can see it; prefer {name}=@FILE or --values-file.");
                }

                values.Add(new(name, value));
            }

            if (parse.GetValue(valuesFile) is { } file)
            {
                values.AddRange(ReadValuesFile(file));
            }

            var result = await SetAsync(context, parse.GetValue(app)!, parse.GetValue(identifier)!, values, maskedNames, cancellationToken);
            context.Output.Result(result, o =>
            {
                if (result.ApplicationCreated)
                {
                    o.WriteLine($"Created config store application '{result.Application}'.");
                }

                o.WriteLine($"Set {result.PropertiesSet} properties of {result.Application}/{result.Identifier} ({result.PropertiesTotal} in the record).");
            });
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Get()
    {
        var app = new Argument<string>("APP") { Description = "The config store application." };
        var identifier = new Argument<string>("IDENTIFIER") { Description = "The record." };
        var runtime = new Option<bool>("--runtime") { Description = "A runtime read: include masked properties (ENTSSO's SSO_FLAG_RUNTIME)." };
        var json = CommonOptions.Json();
        var command = new Command("get",
            "Read a config record. Masked properties are shown only with --runtime.\nExample: ssovault config get ErpAdapter ConfigProperties --runtime --json")
        {
            app, identifier, runtime, json,
        };
        CommandRunner.SetAction(command, json, async (parse, context, cancellationToken) =>
        {
            var record = await GetAsync(context, parse.GetValue(app)!, parse.GetValue(identifier)!, parse.GetValue(runtime), cancellationToken);
            var data = new
            {
                application = record.Application,
                identifier = record.Identifier,
                runtime = record.Runtime,
                properties = record.Properties.Where(p => p.Value is not null).ToDictionary(p => p.Name, p => p.Value),
                masked = record.Properties.Where(p => p.Masked).Select(p => p.Name).ToList(),
            };
            context.Output.Result(data, o =>
            {
                foreach (var p in record.Properties)
                {
                    o.WriteLine(p.Value is null ? $"{p.Name} = (masked; use --runtime)" : $"{p.Name} = {p.Value}");
                }
            });
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Delete()
    {
        var app = new Argument<string>("APP") { Description = "The config store application." };
        var identifier = new Argument<string>("IDENTIFIER") { Description = "The record." };
        var property = new Option<string?>("--property") { Description = "Delete only this property (default: the whole record)." };
        var json = CommonOptions.Json();
        var command = new Command("delete", "Delete a config record or one of its properties.\nExample: ssovault config delete ErpAdapter ConfigProperties --property oldSetting")
        {
            app, identifier, property, json,
        };
        CommandRunner.SetAction(command, json, async (parse, context, cancellationToken) =>
        {
            var removed = await DeleteAsync(context, parse.GetValue(app)!, parse.GetValue(identifier)!, parse.GetValue(property), cancellationToken);
            context.Output.Result(new { deleted = removed }, o => o.WriteLine($"Deleted {removed} properties."));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List()
    {
        var app = new Argument<string?>("APP") { Description = "Only this application.", Arity = ArgumentArity.ZeroOrOne };
        var json = CommonOptions.Json();
        var command = new Command("list", "List config store applications and their records.\nExample: ssovault config list") { app, json };
        CommandRunner.SetAction(command, json, async (parse, context, cancellationToken) =>
        {
            var apps = await ListAsync(context, parse.GetValue(app), cancellationToken);
            var data = apps.Select(a => new { application = a.Application, identifiers = a.Identifiers.Select(i => new { identifier = i.Identifier, properties = i.Properties }) });
            context.Output.Result(data.ToList(), o =>
            {
                if (apps.Count == 0)
                {
                    o.WriteLine("No config store applications yet.");
                }

                foreach (var a in apps)
                {
                    o.WriteLine(a.Application);
                    foreach (var (id, count) in a.Identifiers)
                    {
                        o.WriteLine($"  {id}  ({count} properties)");
                    }
                }
            });
            return ExitCodes.Success;
        });
        return command;
    }

    // Each operation runs on the local node, or through the SSO server with --server; the results are the same types.

    private static async Task<ConfigSetResult> SetAsync(CliContext context, string app, string identifier,
        List<KeyValuePair<string, string>> values, HashSet<string> masked, CancellationToken cancellationToken)
    {
        if (context.Remote is { } client)
        {
            var properties = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, value) in values)
            {
                if (!properties.TryAdd(name, value))
                {
                    throw new SsoException(SsoErrorCode.InvalidInput, $"Property '{name}' is given twice.", "Give each property once.");
                }
            }

            return (await client.SetConfigInfoAsync(app, identifier, properties, masked, cancellationToken)).ToCore();
        }

        await using var node = await context.OpenNodeAsync(cancellationToken);
        return await ConfigStoreService.SetAsync(node, await context.CallerAsync(node, cancellationToken), app, identifier, values, masked, cancellationToken);
    }

    private static async Task<ConfigRecord> GetAsync(CliContext context, string app, string identifier, bool runtime, CancellationToken cancellationToken)
    {
        if (context.Remote is { } client)
        {
            return (await client.GetConfigInfoAsync(app, identifier, runtime, cancellationToken)).ToCore();
        }

        await using var node = await context.OpenNodeAsync(cancellationToken);
        return await ConfigStoreService.GetAsync(node, await context.CallerAsync(node, cancellationToken), app, identifier, runtime, cancellationToken);
    }

    private static async Task<int> DeleteAsync(CliContext context, string app, string identifier, string? property, CancellationToken cancellationToken)
    {
        if (context.Remote is { } client)
        {
            return await client.DeleteConfigInfoAsync(app, identifier, property, cancellationToken);
        }

        await using var node = await context.OpenNodeAsync(cancellationToken);
        return await ConfigStoreService.DeleteAsync(node, await context.CallerAsync(node, cancellationToken), app, identifier, property, cancellationToken);
    }

    private static async Task<IReadOnlyList<ConfigApplicationSummary>> ListAsync(CliContext context, string? app, CancellationToken cancellationToken)
    {
        if (context.Remote is { } client)
        {
            return (await client.ListConfigAsync(app, cancellationToken)).Select(a => a.ToCore()).ToList();
        }

        await using var node = await context.OpenNodeAsync(cancellationToken);
        return await ConfigStoreService.ListAsync(node, await context.CallerAsync(node, cancellationToken), app, cancellationToken);
    }

    private static (string Name, string Value) SplitAssignment(string text, string where)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
        {
            throw new SsoException(SsoErrorCode.InvalidInput, $"'{Truncate(text)}' ({where}) is not name=value.",
                "Write each property as name=value, or name=@FILE.");
        }

        if (equals == 0)
        {
            // The text after '=' may be a secret: it is not echoed.
            throw new SsoException(SsoErrorCode.InvalidInput, $"A property ({where}) has no name before '='.",
                "Write each property as name=value, or name=@FILE.");
        }

        return (text[..equals], text[(equals + 1)..]);
    }

    private static IEnumerable<KeyValuePair<string, string>> ReadValuesFile(string path)
    {
        var text = path == "-" ? Console.In.ReadToEnd() : Encoding.UTF8.GetString(AtomicFile.ReadBounded(path, 4 * 1024 * 1024, "values file"));
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var (name, value) = SplitAssignment(line, $"line {lineNumber} of {path}");
            yield return new(name, value);
        }
    }

    private static string StripOneNewline(string value) =>
        value.EndsWith("\r\n", StringComparison.Ordinal) ? value[..^2] : value.EndsWith('\n') ? value[..^1] : value;

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
