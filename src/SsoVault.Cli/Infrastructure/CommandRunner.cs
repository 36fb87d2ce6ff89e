using System.CommandLine;
using Microsoft.Extensions.Logging;
using SsoVault.Cli.Remote;
using SsoVault.Client;
using SsoVault.Core.Errors;

namespace SsoVault.Cli.Infrastructure;

/// <summary>
/// Runs a command's action with a <see cref="CliContext"/> and turns failures into one error format and exit code:
/// an <see cref="SsoException"/> is an expected refusal (its own code); anything else is a bug (exit 1).
/// </summary>
internal static class CommandRunner
{
    public static void SetAction(Command command, Option<bool>? json,
        Func<ParseResult, CliContext, CancellationToken, Task<int>> action)
    {
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var wantsJson = json is not null && parseResult.GetValue(json);
            var server = parseResult.GetValue(CommonOptions.Server);
            var remote = server is null
                ? null
                : new RemoteSettings(server, parseResult.GetValue(CommonOptions.ApiKeyFile), parseResult.GetValue(CommonOptions.ServerFingerprint));
            using var context = new CliContext(parseResult.GetValue(CommonOptions.Home), parseResult.GetValue(CommonOptions.Verbose), wantsJson,
                parseResult.GetValue(CommonOptions.As), remote);
            try
            {
                return await action(parseResult, context, cancellationToken);
            }
            catch (SsoException e)
            {
                context.Output.Error(e);
                return e.ExitCode;
            }
            catch (SsoVaultException e)
            {
                // A server's refusal prints and exits exactly as the same refusal on the local node.
                var error = RemoteConnection.ToSsoException(e);
                context.Output.Error(error);
                return error.ExitCode;
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("Cancelled; an operation in progress was rolled back.");
                return 130;
            }
            catch (Exception e)
            {
                context.Logger.LogError(e, "Unexpected failure in '{Command}'", command.Name);
                Console.Error.WriteLine($"internal error: {e.GetType().Name}: {e.Message}");
                Console.Error.WriteLine("This is a bug in SsoVault. Nothing is half-done: every change is transactional.");
                return ExitCodes.Failure;
            }
        });
    }
}
