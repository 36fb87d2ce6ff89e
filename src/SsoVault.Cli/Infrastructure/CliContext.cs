using Microsoft.Extensions.Logging;
using SsoVault.Cli.Remote;
using SsoVault.Client;
using SsoVault.Core.Errors;
using SsoVault.Core.Identity;
using SsoVault.Core.Nodes;
using SsoVault.Core.Storage;

namespace SsoVault.Cli.Infrastructure;

/// <summary>What every command needs: the node's folder, the database provider, a clock, logging and output.</summary>
internal sealed class CliContext : IDisposable
{
    private readonly FileLoggerProvider _logProvider;
    private readonly ILoggerFactory _loggerFactory;
    private readonly string? _actAs;
    private readonly RemoteSettings? _remote;
    private SsoVaultClient? _client;

    public CliContext(string? home, bool verbose, bool json, string? actAs = null, RemoteSettings? remote = null)
    {
        _actAs = actAs;
        _remote = remote;
        Home = NodeHome.Resolve(home);
        _logProvider = new FileLoggerProvider(Home.LogsDirectory, verbose ? Console.Error : null);
        _loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(_logProvider).SetMinimumLevel(LogLevel.Information));
        Logger = _loggerFactory.CreateLogger("SsoVault");
        Output = new ConsoleOutput(json);
    }

    public NodeHome Home { get; }

    public ISsoDatabaseProvider Databases { get; } = new DatabaseProviders();

    public TimeProvider Clock { get; } = TimeProvider.System;

    public ILogger Logger { get; }

    public ConsoleOutput Output { get; }

    /// <summary>The log file provider, for hosts (serve) that log through their own factory.</summary>
    public ILoggerProvider LogProvider => _logProvider;

    /// <summary>The SSO server client when --server was given (remote mode), else null: the command uses the local node.</summary>
    public SsoVaultClient? Remote
    {
        get
        {
            if (_remote is null)
            {
                return null;
            }

            if (_actAs is not null)
            {
                throw new SsoException(SsoErrorCode.InvalidInput, "--as applies to the local node; with --server the API key says who you are.",
                    "Drop --as, or use the API key of that account.");
            }

            return _client ??= RemoteConnection.Open(_remote.Server, _remote.ApiKeyFile, _remote.Fingerprint, Home);
        }
    }

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
        _client?.Dispose();
        _loggerFactory.Dispose();
        _logProvider.Dispose();
    }
}

/// <summary>--server, --api-key-file and --server-fingerprint as given.</summary>
internal sealed record RemoteSettings(string Server, string? ApiKeyFile, string? Fingerprint);
