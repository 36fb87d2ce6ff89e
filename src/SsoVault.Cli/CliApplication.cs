using System.CommandLine;
using SsoVault.Cli.Commands;
using SsoVault.Cli.Infrastructure;
using SsoVault.Core.Errors;

namespace SsoVault.Cli;

/// <summary>The command tree. Parse errors exit with 2 and say which --help to read.</summary>
internal static class CliApplication
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand(
            "SsoVault: Enterprise Single Sign-On with a disciplined master secret (ENTSSO's ssoconfig, ssomanage and ssoclient in one tool).\n" +
            "Example: ssovault up")
        {
            CommonOptions.Home,
            CommonOptions.Verbose,
            CommonOptions.As,
            CommonOptions.Server,
            CommonOptions.ApiKeyFile,
            CommonOptions.ServerFingerprint,
        };
        root.Subcommands.Add(UpCommand.Create());
        root.Subcommands.Add(InitCommand.Create());
        root.Subcommands.Add(SystemCommands.Create());
        root.Subcommands.Add(NodeCommands.Create());
        root.Subcommands.Add(SecretCommands.Create());
        root.Subcommands.Add(ConfigCommands.Create());
        root.Subcommands.Add(DirectoryCommands.CreateAccount());
        root.Subcommands.Add(DirectoryCommands.CreateGroup());
        root.Subcommands.Add(DirectoryCommands.CreateApiKey());
        root.Subcommands.Add(ApplicationCommands.CreateApp());
        root.Subcommands.Add(ApplicationCommands.CreateField());
        root.Subcommands.Add(MappingCommands.Create());
        root.Subcommands.Add(CredentialCommands.CreateCredentials());
        root.Subcommands.Add(CredentialCommands.CreateTicket());
        root.Subcommands.Add(ServeCommand.Create());

        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
            {
                Console.Error.WriteLine($"error: {error.Message}");
            }

            var commandPath = string.Join(' ', parseResult.CommandResult.Command is RootCommand
                ? ["ssovault"]
                : new[] { "ssovault" }.Concat(Ancestors(parseResult.CommandResult)));
            Console.Error.WriteLine($"hint: see '{commandPath} --help'.");
            Console.Error.WriteLine($"code: {SsoErrorCode.InvalidInput} (exit {ExitCodes.Usage})");
            return ExitCodes.Usage;
        }

        return await parseResult.InvokeAsync();
    }

    private static IEnumerable<string> Ancestors(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new Stack<string>();
        for (var current = result; current is not null && current.Command is not RootCommand;
             current = current.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Push(current.Command.Name);
        }

        return names;
    }
}
