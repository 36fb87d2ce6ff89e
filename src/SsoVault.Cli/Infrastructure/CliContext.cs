using Microsoft.Extensions.Logging;
using SsoVault.Core.Identity;
using SsoVault.Core.Nodes;
using SsoVault.Core.Storage;
using SsoVault.Storage.Sqlite;

namespace SsoVault.Cli.Infrastructure;

/// <summary>What every command needs: the node's folder, the database provider, a clock, logging and output.</summary>
internal sealed class CliContext : IDisposable
{
    private readonly FileLoggerProvider _logProvider;
    private readonly ILoggerFactory _loggerFactory;
    private readonly string? _actAs;

    public CliContext(string? home, bool verbose, bool json, string? actAs = null)
    {
        _actAs = actAs;
        Home = NodeHome.Resolve(home);
        _logProvider = new FileLoggerProvider(Home.LogsDirectory, verbose ? Console.Error : null);
        _loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(_logProvider).SetMinimumLevel(LogLevel.Information));
        Logger = _loggerFactory.CreateLogger("SsoVault");
        Output = new ConsoleOutput(json);
    }

    public NodeHome Home { get; }

    public ISsoDatabaseProvider Databases { get; } = new SqliteDatabaseProvider();

    public TimeProvider Clock { get; } = TimeProvider.System;

    public ILogger Logger { get; }

    public ConsoleOutput Output { get; }

    public Task<SsoNode> OpenNodeAsync(CancellationToken cancellationToken) =>
        SsoNode.OpenAsync(Home, Databases, Clock, Logger, cancellationToken);

    /// <summary>
    /// Who the command acts as: the local operator (anyone with the node's files has an SSO administrator's reach), or
    /// the directory account named by --as, whose roles then apply.
    /// </summary>
    public async Task<Caller> CallerAsync(SsoNode node, CancellationToken cancellationToken) =>
        _actAs is null ? Caller.LocalOperator : await IdentityService.ResolveAsync(node.Database, _actAs, cancellationToken);

    public void Dispose()
    {
        _loggerFactory.Dispose();
        _logProvider.Dispose();
    }
}
